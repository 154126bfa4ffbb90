"""Reading the clinical entries: warning signs, triggers, doctor's tests and conditions."""

from __future__ import annotations

from typing import Any

from backcheck.knowledge.fields import EntryReader
from backcheck.knowledge.model import (
    AgeOdds,
    Category,
    Condition,
    DoctorTest,
    Finding,
    Trigger,
    Verdict,
    WarningSign,
)
from backcheck.suggest import did_you_mean

MAX_WEIGHT = 3.0  # ln 20: no single answer may decide a ranking alone
PREVALENCE_BANDS = ("very common", "common", "uncommon", "rare", "very rare")


class ClinicalReader(EntryReader):
    """Readers for the entries a clinician reviews; every problem is recorded."""

    def warning_signs(self, raw: Any) -> dict[str, WarningSign]:
        out: dict[str, WarningSign] = {}
        for where, item in self.entries(raw, "warning_signs"):
            fields = self.entry(
                item, where, ("id", "level", "title", "why", "when"), ("conditions",)
            )
            if fields is None:
                continue
            sid = self.ident(fields, where, set(out))
            test = self.when(fields.get("when"), f"{where}.when")
            if test is None:
                continue
            level = self.verdict(fields.get("level"), f"{where}.level")
            if level == Verdict.SELF_CARE:
                self.problem(f"{where}.level", "a warning sign sets at least see_doctor")
            out[sid] = WarningSign(
                id=sid,
                level=level,
                title=self.text(fields, "title", where),
                why=self.text(fields, "why", where),
                when=test,
                conditions=self.texts(fields, "conditions", where),
            )
        return out

    def triggers(self, raw: Any) -> dict[str, Trigger]:
        out: dict[str, Trigger] = {}
        for where, item in self.entries(raw, "triggers"):
            fields = self.entry(item, where, ("id", "name", "summary"), ("answer",))
            if fields is None:
                continue
            tid = self.ident(fields, where, set(out))
            answer = self.when(fields["answer"], f"{where}.answer") if "answer" in fields else None
            out[tid] = Trigger(
                tid, self.text(fields, "name", where), self.text(fields, "summary", where), answer
            )
        return out

    def doctor_tests(self, raw: Any) -> dict[str, DoctorTest]:
        out: dict[str, DoctorTest] = {}
        for where, item in self.entries(raw, "doctor_tests"):
            fields = self.entry(item, where, ("id", "name", "what"))
            if fields is not None:
                tid = self.ident(fields, where, set(out))
                out[tid] = DoctorTest(
                    tid, self.text(fields, "name", where), self.text(fields, "what", where)
                )
        return out

    def findings(
        self, fields: dict[str, Any], key: str, where: str, positive: bool
    ) -> tuple[Finding, ...]:
        raw = fields.get(key)
        if not isinstance(raw, list) or (positive and not raw):
            self.problem(
                f"{where}.{key}",
                "must be a list of findings" + (" (at least one)" if positive else ""),
            )
            return ()
        out = []
        for index, item in enumerate(raw):
            fwhere = f"{where}.{key}[{index}]"
            entry = self.entry(item, fwhere, ("when", "weight", "because"))
            if entry is None:
                continue
            weight = entry.get("weight")
            if not isinstance(weight, int | float) or isinstance(weight, bool):
                self.problem(f"{fwhere}.weight", "must be a number")
                continue
            if positive and not 0 < weight <= MAX_WEIGHT:
                self.problem(
                    f"{fwhere}.weight", f"{weight} must be above 0 and at most {MAX_WEIGHT}"
                )
            if not positive and not -MAX_WEIGHT <= weight < 0:
                self.problem(
                    f"{fwhere}.weight", f"{weight} must be below 0 and at least -{MAX_WEIGHT}"
                )
            test = self.when(entry.get("when"), f"{fwhere}.when")
            if test is not None:
                out.append(Finding(test, float(weight), self.text(entry, "because", fwhere)))
        return tuple(out)

    def age_odds(self, fields: dict[str, Any], where: str) -> tuple[AgeOdds, ...]:
        out: list[AgeOdds] = []
        bands = fields.get("age_odds") or []
        if not isinstance(bands, list):
            self.problem(f"{where}.age_odds", "must be a list of age bands")
            return ()
        for index, item in enumerate(bands):
            awhere = f"{where}.age_odds[{index}]"
            entry = self.entry(item, awhere, ("factor",), ("at_least", "below"))
            if entry is None:
                continue
            factor = entry.get("factor")
            bounds = [entry.get(k) for k in ("at_least", "below")]
            if not isinstance(factor, int | float) or isinstance(factor, bool) or factor <= 0:
                self.problem(f"{awhere}.factor", "must be a number above 0")
            elif not any(b is not None for b in bounds) or not all(
                b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in bounds
            ):
                self.problem(awhere, "needs whole-number at_least and/or below")
            else:
                out.append(AgeOdds(float(factor), bounds[0], bounds[1]))
        return tuple(out)

    def conditions(
        self,
        raw: Any,
        categories: dict[str, Category],
        signs: dict[str, WarningSign],
        triggers: dict[str, Trigger],
        tests: dict[str, DoctorTest],
    ) -> dict[str, Condition]:
        required = (
            "id", "name", "aliases", "category", "summary", "symptoms", "prior", "prevalence",
            "findings", "against", "triage", "triggers", "risk_factors", "warning_signs", "tests",
            "self_help", "see_doctor_when",
        )  # fmt: skip
        out: dict[str, Condition] = {}
        for where, item in self.entries(raw, "conditions"):
            fields = self.entry(item, where, required, ("age_odds",))
            if fields is None:
                continue
            cid = self.ident(fields, where, set(out))
            prior = fields.get("prior")
            if not isinstance(prior, int | float) or isinstance(prior, bool) or not 0 < prior < 1:
                self.problem(f"{where}.prior", f"{prior!r} must be a number between 0 and 1")
                prior = 0.01
            if fields.get("prevalence") not in PREVALENCE_BANDS:
                self.problem(
                    f"{where}.prevalence",
                    f"{fields.get('prevalence')!r}; allowed: {', '.join(PREVALENCE_BANDS)}",
                )
            if not isinstance(fields.get("category"), str) or fields["category"] not in categories:
                self.problem(
                    f"{where}.category",
                    f"unknown category {fields.get('category')!r}"
                    + did_you_mean(fields.get("category"), categories),
                )
            triage = self.verdict(fields.get("triage"), f"{where}.triage")
            condition = Condition(
                id=cid,
                name=self.text(fields, "name", where),
                aliases=self.texts(fields, "aliases", where),
                category=str(fields.get("category")),
                summary=self.text(fields, "summary", where),
                symptoms=self.texts(fields, "symptoms", where),
                prior=float(prior),
                prevalence=str(fields.get("prevalence")),
                age_odds=self.age_odds(fields, where),
                findings=self.findings(fields, "findings", where, positive=True),
                against=self.findings(fields, "against", where, positive=False),
                triage=triage,
                triggers=self.texts(fields, "triggers", where),
                risk_factors=self.texts(fields, "risk_factors", where),
                warning_signs=self.texts(fields, "warning_signs", where),
                tests=self.texts(fields, "tests", where),
                self_help=self.texts(fields, "self_help", where),
                see_doctor_when=self.text(fields, "see_doctor_when", where),
            )
            self.refs(condition.triggers, triggers, f"{where}.triggers", "trigger")
            self.refs(condition.warning_signs, signs, f"{where}.warning_signs", "warning sign")
            self.refs(condition.tests, tests, f"{where}.tests", "doctor test")
            out[cid] = condition
        return out
