"""Reading the clinical entries: warning signs, triggers, doctor's tests and conditions.

``ClinicalEntries`` holds the field readers and the rule reader (composition): it
records problems through them and never raises.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from backcheck.knowledge.fields import Fields, is_number, is_whole
from backcheck.knowledge.model import (
    AgeOdds,
    Category,
    Condition,
    DoctorTest,
    Finding,
    PriorGate,
    Trigger,
    Verdict,
    WarningSign,
)
from backcheck.knowledge.rules import RuleReader
from backcheck.suggest import did_you_mean

MAX_WEIGHT = 3.0  # ln 20: no single answer may decide a ranking alone
# A prior (or gated prior) from one in a million to all but one in a million, and an age
# factor from 1/100 to 100: every score then stays a finite number strictly between 0 and 1
# (a prior of 1e-320 would underflow to 0 odds, and a factor of 1e999 is infinite).
MIN_PRIOR, MAX_PRIOR = 1e-6, 1 - 1e-6
MIN_FACTOR, MAX_FACTOR = 0.01, 100.0


def is_prior(value: object) -> TypeGuard[float]:
    """A number a prior can be (see MIN_PRIOR)."""
    return is_number(value) and MIN_PRIOR <= value <= MAX_PRIOR


PREVALENCE_BANDS = ("very common", "common", "uncommon", "rare", "very rare")
# Optional fields of a warning sign and of a finding, beyond the required ones.
SIGN_OPTIONAL: tuple[str, ...] = ("points_to", "source")
FINDING_OPTIONAL: tuple[str, ...] = ("source",)


class ClinicalEntries:
    """Readers for the entries a clinician reviews; every problem is recorded in ``fields``."""

    def __init__(self, fields: Fields, rules: RuleReader) -> None:
        """Read with these field readers and this rule reader."""
        self.fields = fields
        self.rules = rules

    def warning_signs(self, raw: Any, rules: RuleReader | None = None) -> dict[str, WarningSign]:
        """The warning signs, by id; ``rules`` (default: the shared reader) reads their tests."""
        out: dict[str, WarningSign] = {}
        for where, item in self.fields.entries(raw, "warning_signs"):
            fields = self.fields.entry(
                item, where, ("id", "level", "title", "why", "when"), SIGN_OPTIONAL
            )
            if fields is None:
                continue
            sid = self.fields.ident(fields, where, out)
            test = (rules or self.rules).read(fields.get("when"), f"{where}.when")
            if test is None:
                continue
            level = self.fields.verdict(fields.get("level"), f"{where}.level")
            if level == Verdict.SELF_CARE:
                self.fields.problem(f"{where}.level", "a warning sign sets at least see_doctor")
            out[sid] = WarningSign(
                id=sid,
                level=level,
                title=self.fields.text(fields, "title", where),
                why=self.fields.text(fields, "why", where),
                when=test,
                points_to=self.fields.texts(fields, "points_to", where),
                source=self.fields.text(fields, "source", where, default=""),
            )
        return out

    def triggers(self, raw: Any) -> dict[str, Trigger]:
        """The triggers, by id."""
        out: dict[str, Trigger] = {}
        for where, item in self.fields.entries(raw, "triggers"):
            fields = self.fields.entry(item, where, ("id", "name", "summary"))
            if fields is None:
                continue
            tid = self.fields.ident(fields, where, out)
            out[tid] = Trigger(
                tid,
                self.fields.text(fields, "name", where),
                self.fields.text(fields, "summary", where),
            )
        return out

    def doctor_tests(self, raw: Any) -> dict[str, DoctorTest]:
        """The doctor's tests, by id."""
        out: dict[str, DoctorTest] = {}
        for where, item in self.fields.entries(raw, "doctor_tests"):
            fields = self.fields.entry(item, where, ("id", "name", "what"))
            if fields is not None:
                tid = self.fields.ident(fields, where, out)
                out[tid] = DoctorTest(
                    tid,
                    self.fields.text(fields, "name", where),
                    self.fields.text(fields, "what", where),
                )
        return out

    def findings(
        self, fields: dict[str, Any], key: str, where: str, positive: bool
    ) -> tuple[Finding, ...]:
        """The findings for (``positive``) or against a condition."""
        raw = fields.get(key)
        if not isinstance(raw, list) or (positive and not raw):
            self.fields.problem(
                f"{where}.{key}",
                "must be a list of findings" + (" (at least one)" if positive else ""),
            )
            return ()
        out = []
        for index, item in enumerate(raw):
            fwhere = f"{where}.{key}[{index}]"
            entry = self.fields.entry(item, fwhere, ("when", "weight", "because"), FINDING_OPTIONAL)
            if entry is None:
                continue
            weight = entry.get("weight")
            if not is_number(weight):
                self.fields.problem(f"{fwhere}.weight", "must be a number")
                continue
            if positive and not 0 < weight <= MAX_WEIGHT:
                self.fields.problem(
                    f"{fwhere}.weight", f"{weight} must be above 0 and at most {MAX_WEIGHT}"
                )
            if not positive and not -MAX_WEIGHT <= weight < 0:
                self.fields.problem(
                    f"{fwhere}.weight", f"{weight} must be below 0 and at least -{MAX_WEIGHT}"
                )
            test = self.rules.read(entry.get("when"), f"{fwhere}.when")
            if test is not None:
                because = self.fields.text(entry, "because", fwhere)
                source = self.fields.text(entry, "source", fwhere, default="")
                out.append(Finding(test, float(weight), because, source))
        return tuple(out)

    def age_odds(self, fields: dict[str, Any], where: str) -> tuple[AgeOdds, ...]:
        """A condition's age bands."""
        out: list[AgeOdds] = []
        bands = fields.get("age_odds") or []
        if not isinstance(bands, list):
            self.fields.problem(f"{where}.age_odds", "must be a list of age bands")
            return ()
        for index, item in enumerate(bands):
            awhere = f"{where}.age_odds[{index}]"
            entry = self.fields.entry(item, awhere, ("factor",), ("at_least", "below"))
            if entry is None:
                continue
            factor = entry.get("factor")
            bounds = [entry.get(k) for k in ("at_least", "below")]
            if not is_number(factor) or not MIN_FACTOR <= factor <= MAX_FACTOR:
                self.fields.problem(
                    f"{awhere}.factor", f"{factor!r} must be a number from 0.01 to 100"
                )
            elif not any(b is not None for b in bounds) or not all(
                b is None or is_whole(b) for b in bounds
            ):
                self.fields.problem(awhere, "needs whole-number at_least and/or below")
            elif bounds[0] is not None and bounds[1] is not None and bounds[0] >= bounds[1]:
                self.fields.problem(
                    awhere, f"at_least {bounds[0]} must be below below {bounds[1]} (no age fits)"
                )
            else:
                out.append(AgeOdds(float(factor), bounds[0], bounds[1]))
        return tuple(out)

    def prior_gates(self, fields: dict[str, Any], where: str) -> tuple[PriorGate, ...]:
        """A condition's prior gates: `{when, prior, because}` each."""
        raw = fields.get("prior_given") or []
        if not isinstance(raw, list):
            self.fields.problem(f"{where}.prior_given", "must be a list of gates")
            return ()
        out: list[PriorGate] = []
        for index, item in enumerate(raw):
            gwhere = f"{where}.prior_given[{index}]"
            entry = self.fields.entry(item, gwhere, ("when", "prior", "because"), ("source",))
            if entry is None:
                continue
            prior = entry.get("prior")
            if not is_prior(prior):
                self.fields.problem(
                    f"{gwhere}.prior", f"{prior!r} must be a number from 0.000001 to 0.999999"
                )
                continue
            test = self.rules.read(entry.get("when"), f"{gwhere}.when")
            if test is not None:
                out.append(
                    PriorGate(test, float(prior), self.fields.text(entry, "because", gwhere))
                )
        return tuple(out)

    def conditions(
        self,
        raw: Any,
        categories: dict[str, Category],
        signs: dict[str, WarningSign],
        triggers: dict[str, Trigger],
        tests: dict[str, DoctorTest],
    ) -> dict[str, Condition]:
        """The conditions, by id, with every reference checked."""
        required = (
            "id", "name", "aliases", "category", "summary", "symptoms", "prior", "prevalence",
            "findings", "against", "triage", "triggers", "risk_factors", "warning_signs", "tests",
            "self_help", "see_doctor_when",
        )  # fmt: skip
        out: dict[str, Condition] = {}
        for where, item in self.fields.entries(raw, "conditions"):
            fields = self.fields.entry(
                item, where, required, ("age_odds", "keywords", "prior_given")
            )
            if fields is None:
                continue
            cid = self.fields.ident(fields, where, out)
            prior = fields.get("prior")
            if not is_prior(prior):
                self.fields.problem(
                    f"{where}.prior", f"{prior!r} must be a number from 0.000001 to 0.999999"
                )
                prior = 0.01
            if fields.get("prevalence") not in PREVALENCE_BANDS:
                self.fields.problem(
                    f"{where}.prevalence",
                    f"{fields.get('prevalence')!r}; allowed: {', '.join(PREVALENCE_BANDS)}",
                )
            if not isinstance(fields.get("category"), str) or fields["category"] not in categories:
                self.fields.problem(
                    f"{where}.category",
                    f"unknown category {fields.get('category')!r}"
                    + did_you_mean(fields.get("category"), categories),
                )
            triage = self.fields.verdict(fields.get("triage"), f"{where}.triage")
            condition = Condition(
                id=cid,
                name=self.fields.text(fields, "name", where),
                aliases=self.fields.texts(fields, "aliases", where),
                category=str(fields.get("category")),
                summary=self.fields.text(fields, "summary", where),
                symptoms=self.fields.texts(fields, "symptoms", where),
                prior=float(prior),
                prevalence=str(fields.get("prevalence")),
                age_odds=self.age_odds(fields, where),
                findings=self.findings(fields, "findings", where, positive=True),
                against=self.findings(fields, "against", where, positive=False),
                triage=triage,
                triggers=self.fields.texts(fields, "triggers", where),
                risk_factors=self.fields.texts(fields, "risk_factors", where),
                warning_signs=self.fields.texts(fields, "warning_signs", where),
                tests=self.fields.texts(fields, "tests", where),
                self_help=self.fields.texts(fields, "self_help", where),
                see_doctor_when=self.fields.text(fields, "see_doctor_when", where),
                keywords=self.fields.texts(fields, "keywords", where),
                prior_given=self.prior_gates(fields, where),
            )
            self.fields.refs(condition.triggers, triggers, f"{where}.triggers", "trigger")
            self.fields.refs(
                condition.warning_signs, signs, f"{where}.warning_signs", "warning sign"
            )
            self.fields.refs(condition.tests, tests, f"{where}.tests", "doctor test")
            out[cid] = condition
        return out
