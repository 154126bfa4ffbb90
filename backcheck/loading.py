"""Validate the knowledge file and build the model: every problem found, named by entry.

Reading the file and the cache is in ``backcheck.source``; this module is needed only
when a knowledge file is new or changed.
"""

from __future__ import annotations

from typing import Any

from backcheck.clinical import ClinicalReader
from backcheck.errors import KnowledgeError
from backcheck.knowledge import (
    QUESTION_TYPES,
    Category,
    Knowledge,
    Option,
    Question,
    Settings,
    Step,
    Verdict,
    VerdictInfo,
)
from backcheck.suggest import did_you_mean
from backcheck.when import questions_in

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


class _Builder(ClinicalReader):
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
                ("options", "red_flag", "asked_if", "min", "max", "since"),
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
            since = fields.get("since", 1)
            if since not in (1, 2) or isinstance(since, bool):
                self.problem(f"{where}.since", f"{since!r}; allowed: 1, 2")
                since = 1
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
                since=since,
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
            opt = self.entry(item, owhere, ("id", "label"), ("shown_if",))
            if opt is not None:
                out.append(Option(self.ident(opt, owhere, seen), self.text(opt, "label", owhere)))
        return tuple(out)

    def question_branches(self, raw: Any) -> None:
        """Parse `asked_if` and options' `shown_if` once every question is known."""
        for where, item in self.entries(raw, "questions"):
            qid = item.get("id") if isinstance(item, dict) else None
            if not isinstance(qid, str) or qid not in self.questions:
                continue
            if "asked_if" in item:
                test = self.when(item["asked_if"], f"{where}.asked_if")
                q = self.questions[qid]
                self.questions[q.id] = q._replace(asked_if=test)
            raw_options = item.get("options")
            q = self.questions[qid]
            if not isinstance(raw_options, list) or len(raw_options) != len(q.options):
                continue
            options = list(q.options)
            for index, opt in enumerate(raw_options):
                if isinstance(opt, dict) and "shown_if" in opt and index < len(options):
                    test = self.when(opt["shown_if"], f"{where}.options[{index}].shown_if")
                    if test is not None and qid in questions_in(test):
                        self.problem(
                            f"{where}.options[{index}].shown_if",
                            "may test only other questions, not its own",
                        )
                    options[index] = options[index]._replace(shown_if=test)
            self.questions[qid] = q._replace(options=tuple(options))

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
