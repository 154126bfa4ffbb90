"""Validate the knowledge file and build the model: every problem found, named by entry.

Reading the file and the cache is in ``backcheck.source``; this module is needed only
when a knowledge file is new or changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backcheck.errors import KnowledgeError
from backcheck.knowledge import (
    QUESTION_TYPES,
    AgeOdds,
    Category,
    Condition,
    DoctorTest,
    Finding,
    Knowledge,
    Option,
    Question,
    Settings,
    Step,
    Trigger,
    Verdict,
    VerdictInfo,
    WarningSign,
)
from backcheck.suggest import did_you_mean
from backcheck.when import AllOf, AnyOf, Match, Not, When

MAX_WEIGHT = 3.0
PREVALENCE_BANDS = ("very common", "common", "uncommon", "rare", "very rare")
_YES_NO = {True: "yes", False: "no", "yes": "yes", "no": "no"}
_TOP = {
    "version": True,
    "settings": True,
    "verdicts": True,
    "categories": True,
    "questions": True,
    "interview": True,
    "warning_signs": True,
    "triggers": True,
    "doctor_tests": True,
    "conditions": True,
}


def build_knowledge(raw: Any, *, source: str) -> Knowledge:
    """Validate parsed YAML and build the frozen model, or raise with every problem."""
    return _Builder(source).build(raw)


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.questions: dict[str, Question] = {}

    # --- generic field readers -------------------------------------------------
    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def entry(
        self, raw: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.problem(where, f"must be a mapping, not {type(raw).__name__}")
            return None
        for key in required:
            if key not in raw:
                self.problem(where, f"missing field '{key}'")
        for key in raw:
            if key not in required and key not in optional:
                self.problem(
                    where, f"unknown field '{key}'{did_you_mean(key, required + optional)}"
                )
        return raw

    def text(self, raw: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            if key in raw or default is None:
                self.problem(f"{where}.{key}", "must be non-empty text")
            return ""
        return value.strip()

    def texts(
        self, raw: dict[str, Any], key: str, where: str, *, allow_empty: bool = False
    ) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"{where}.{key}", "must be a list of non-empty texts")
            return ()
        if not value and not allow_empty and key in raw:
            self.problem(f"{where}.{key}", "must not be empty")
        return tuple(v.strip() for v in value)

    def ident(self, raw: dict[str, Any], where: str, seen: set[str]) -> str:
        value = raw.get("id")
        if not isinstance(value, str) or not value.isidentifier() or value != value.lower():
            self.problem(where, f"id {value!r} must be lower_snake_case text")
            return str(value)
        if value in seen:
            self.problem(where, f"duplicate id '{value}'")
        seen.add(value)
        return value

    def verdict(self, value: Any, where: str) -> Verdict:
        try:
            return Verdict(value)
        except ValueError:
            allowed = ", ".join(v.value for v in Verdict)
            self.problem(
                where,
                f"unknown verdict level {value!r}; allowed: {allowed}"
                + did_you_mean(value, [v.value for v in Verdict]),
            )
            return Verdict.SELF_CARE

    def refs(self, values: tuple[str, ...], known: Iterable[str], where: str, kind: str) -> None:
        known = list(known)
        for value in values:
            if value not in known:
                self.problem(where, f"unknown {kind} '{value}'{did_you_mean(value, known)}")

    def entries(self, raw: Any, key: str) -> list[tuple[str, Any]]:
        items = raw.get(key) if isinstance(raw, dict) else None
        if not isinstance(items, list):
            if isinstance(raw, dict) and key in raw:
                self.problem(key, "must be a list of entries")
            return []
        out = []
        for index, item in enumerate(items):
            name = item.get("id") if isinstance(item, dict) else None
            out.append((f"{key}: {name}" if isinstance(name, str) else f"{key}[{index}]", item))
        return out

    # --- the `when` language ----------------------------------------------------
    def when(self, raw: Any, where: str) -> When | None:
        if not isinstance(raw, dict) or not raw:
            self.problem(where, "a test must be a non-empty mapping of question ids to answers")
            return None
        parts: list[When] = []
        for key, value in raw.items():
            part = self.when_part(key, value, f"{where}.{key}")
            if part is not None:
                parts.append(part)
        if len(parts) != len(raw):
            return None
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def when_part(self, key: Any, value: Any, where: str) -> When | None:
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.problem(where, "must be a non-empty list of tests")
                return None
            parts = [self.when(v, f"{where}[{i}]") for i, v in enumerate(value)]
            if any(p is None for p in parts):
                return None
            clean = tuple(p for p in parts if p is not None)
            return AllOf(clean) if key == "all" else AnyOf(clean)
        if key == "not":
            inner = self.when(value, where)
            return None if inner is None else Not(inner)
        question = self.questions.get(key) if isinstance(key, str) else None
        if question is None:
            self.problem(where, f"unknown question '{key}'{did_you_mean(key, self.questions)}")
            return None
        if question.type == "integer":
            return self.range_match(question, value, where)
        if question.type == "yes_no":
            answer = _YES_NO.get(value) if isinstance(value, bool | str) else None
            if answer is None:
                self.problem(where, f"{value!r} is not an answer; allowed: true, false")
                return None
            return Match(question.id, frozenset([answer]))
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if not isinstance(v, str) or v not in question.option_ids]
        for v in bad:
            allowed = ", ".join(question.option_ids)
            self.problem(
                where,
                f"unknown option {v!r}; allowed: {allowed}{did_you_mean(v, question.option_ids)}",
            )
        if bad or not values:
            if not values:
                self.problem(where, "must name at least one option")
            return None
        return Match(question.id, frozenset(values))

    def range_match(self, question: Question, value: Any, where: str) -> When | None:
        if not isinstance(value, dict) or not value or set(value) - {"at_least", "below"}:
            self.problem(where, "must be a mapping with at_least and/or below")
            return None
        bounds = {k: v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)}
        if len(bounds) != len(value):
            self.problem(where, "at_least and below must be whole numbers")
            return None
        return Match(question.id, at_least=bounds.get("at_least"), below=bounds.get("below"))

    # --- sections -----------------------------------------------------------------
    def build(self, raw: Any) -> Knowledge:
        if not isinstance(raw, dict):
            raise KnowledgeError(self.source, ["the top level must be a mapping of sections"])
        for key in raw:
            if key not in _TOP:
                self.problem(str(key), f"unknown section{did_you_mean(key, _TOP)}")
        for key in _TOP:
            if key not in raw:
                self.problem(key, "missing section")
        if raw.get("version", 1) != 1:
            self.problem("version", f"unsupported version {raw.get('version')!r}; allowed: 1")
        settings = self.settings(raw.get("settings"))
        verdicts = self.verdicts(raw)
        categories = self.categories(raw)
        self.questions = self.read_questions(raw)
        self.question_branches(raw)
        interview = self.interview(raw)
        signs = self.warning_signs(raw)
        triggers = self.triggers(raw)
        tests = self.doctor_tests(raw)
        conditions = self.conditions(raw, categories, signs, triggers, tests)
        for sign_where, sign in signs.items():
            self.refs(
                sign.conditions, conditions, f"warning_signs: {sign_where}.conditions", "condition"
            )
        if self.problems:
            raise KnowledgeError(self.source, self.problems)
        return Knowledge(
            source=self.source,
            settings=settings,
            verdicts=verdicts,
            categories=categories,
            questions=self.questions,
            interview=interview,
            warning_signs=signs,
            triggers=triggers,
            doctor_tests=tests,
            conditions=conditions,
        )

    def settings(self, raw: Any) -> Settings:
        keys = (
            "unanswered_red_flag_level",
            "condition_raise_score",
            "emergency_hint",
            "disclaimer",
        )
        fields = self.entry(raw, "settings", keys) or {}
        score = fields.get("condition_raise_score", 0.5)
        if not isinstance(score, int | float) or isinstance(score, bool) or not 0 < score <= 1:
            self.problem("settings.condition_raise_score", "must be a number above 0 and at most 1")
            score = 0.5
        return Settings(
            unanswered_red_flag_level=self.verdict(
                fields.get("unanswered_red_flag_level"), "settings.unanswered_red_flag_level"
            ),
            condition_raise_score=float(score),
            emergency_hint=self.text(fields, "emergency_hint", "settings"),
            disclaimer=self.text(fields, "disclaimer", "settings"),
        )

    def verdicts(self, raw: Any) -> dict[Verdict, VerdictInfo]:
        out: dict[Verdict, VerdictInfo] = {}
        for where, item in self.entries(raw, "verdicts"):
            fields = self.entry(item, where, ("id", "title", "advice"))
            if fields is None:
                continue
            level = self.verdict(fields.get("id"), where)
            if level in out:
                self.problem(where, f"duplicate id '{level}'")
            out[level] = VerdictInfo(
                level, self.text(fields, "title", where), self.text(fields, "advice", where)
            )
        for level in Verdict:
            if level not in out and isinstance(raw, dict) and "verdicts" in raw:
                self.problem("verdicts", f"missing verdict '{level}'")
        return out

    def categories(self, raw: Any) -> dict[str, Category]:
        out: dict[str, Category] = {}
        for where, item in self.entries(raw, "categories"):
            fields = self.entry(item, where, ("id", "name"))
            if fields is not None:
                cid = self.ident(fields, where, set(out))
                out[cid] = Category(cid, self.text(fields, "name", where))
        return out

    def read_questions(self, raw: Any) -> dict[str, Question]:
        out: dict[str, Question] = {}
        for where, item in self.entries(raw, "questions"):
            fields = self.entry(
                item,
                where,
                ("id", "type", "text", "help", "short"),
                ("options", "red_flag", "asked_if", "min", "max"),
            )
            if fields is None:
                continue
            qid = self.ident(fields, where, set(out))
            qtype = fields.get("type")
            if qtype not in QUESTION_TYPES:
                self.problem(
                    f"{where}.type", f"unknown type {qtype!r}; allowed: {', '.join(QUESTION_TYPES)}"
                )
            options = self.options(fields, where, qtype)
            bounds = [fields.get(k) for k in ("min", "max")]
            if qtype == "integer" and not all(
                isinstance(b, int) and not isinstance(b, bool) for b in bounds
            ):
                self.problem(where, "an integer question needs whole-number min and max")
                bounds = [None, None]
            red_flag = fields.get("red_flag", False)
            if not isinstance(red_flag, bool):
                self.problem(f"{where}.red_flag", "must be true or false")
            out[qid] = Question(
                id=qid,
                type=str(qtype),
                text=self.text(fields, "text", where),
                help=self.text(fields, "help", where),
                short=self.text(fields, "short", where),
                options=options,
                red_flag=red_flag is True,
                min=bounds[0],
                max=bounds[1],
                option_ids=("yes", "no") if qtype == "yes_no" else tuple(o.id for o in options),
            )
        return out

    def options(self, fields: dict[str, Any], where: str, qtype: Any) -> tuple[Option, ...]:
        if qtype not in ("multi", "single"):
            if "options" in fields:
                self.problem(f"{where}.options", f"a {qtype} question takes no options")
            return ()
        raw = fields.get("options")
        if not isinstance(raw, list) or not raw:
            self.problem(f"{where}.options", "must be a non-empty list")
            return ()
        seen: set[str] = set()
        out = []
        for index, item in enumerate(raw):
            owhere = f"{where}.options[{index}]"
            opt = self.entry(item, owhere, ("id", "label"))
            if opt is not None:
                out.append(Option(self.ident(opt, owhere, seen), self.text(opt, "label", owhere)))
        return tuple(out)

    def question_branches(self, raw: Any) -> None:
        """Parse `asked_if` once every question is known (it may name later ones)."""
        for where, item in self.entries(raw, "questions"):
            qid = item.get("id") if isinstance(item, dict) else None
            if isinstance(qid, str) and "asked_if" in item and qid in self.questions:
                test = self.when(item["asked_if"], f"{where}.asked_if")
                q = self.questions[item["id"]]
                self.questions[q.id] = q._replace(asked_if=test)

    def interview(self, raw: Any) -> tuple[Step, ...]:
        steps: list[Step] = []
        covered: list[str] = []
        listed = raw.get("interview", []) if isinstance(raw, dict) else []
        if not isinstance(listed, list):
            self.problem("interview", "must be a list of steps")
            listed = []
        for index, item in enumerate(listed):
            where = f"interview[{index}]"
            if isinstance(item, dict) and "question" in item:
                fields = self.entry(item, where, ("question",))
                qids: tuple[str, ...] = (str(item["question"]),)
                steps.append(Step(qids[0], qids))
            else:
                fields = self.entry(item, where, ("screen", "text", "help", "questions"))
                if fields is None:
                    continue
                qids = self.texts(fields, "questions", where)
                for qid in qids:
                    q = self.questions.get(qid)
                    if q is not None and q.type not in ("yes_no", "multi"):
                        self.problem(
                            where, f"a screen can ask only yes/no and multi questions, not '{qid}'"
                        )
                steps.append(
                    Step(
                        str(fields.get("screen")),
                        qids,
                        self.text(fields, "text", where),
                        self.text(fields, "help", where),
                    )
                )
            self.refs(qids, self.questions, where, "question")
            covered.extend(qids)
        for qid in self.questions:
            if covered.count(qid) != 1 and isinstance(raw, dict) and "interview" in raw:
                self.problem(
                    "interview",
                    f"question '{qid}' must be asked exactly once (found {covered.count(qid)})",
                )
        return tuple(steps)

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
