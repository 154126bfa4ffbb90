"""Validate the knowledge file and build the model: every problem found, named by entry.

Reading the file and the cache is in ``backcheck.knowledge.loading``; this module is needed only
when a knowledge file is new or changed.
"""

from __future__ import annotations

from typing import Any

from backcheck.errors import KnowledgeError
from backcheck.knowledge.entries import ClinicalEntries
from backcheck.knowledge.fields import Fields, is_number
from backcheck.knowledge.model import (
    Category,
    Knowledge,
    Question,
    QuestionType,
    Settings,
    Verdict,
    VerdictInfo,
)
from backcheck.knowledge.questions import add_branches, read_interview, read_questions
from backcheck.knowledge.rules import (
    RESERVED,
    AllOf,
    AnyOf,
    Not,
    RuleReader,
    Unless,
    When,
    questions_in,
)
from backcheck.suggest import did_you_mean

# The top-level sections; True marks the required ones.
_TOP = {
    "version": True,
    "settings": True,
    "verdicts": True,
    "categories": True,
    "groups": False,
    "questions": True,
    "interview": True,
    "warning_signs": True,
    "triggers": True,
    "doctor_tests": True,
    "conditions": True,
    "history_facts": False,
}
# The kinds of history fact a warning sign may test (backcheck.history.trends fills them in).
_FACT_TYPES = ("yes_no", "integer")


# "Did you mean" hints one validation gives at most (each compares a name with many).
HINTS = 200


def build_knowledge(raw: Any, *, source: str) -> Knowledge:
    """Validate parsed YAML and build the frozen model, or raise with every problem."""
    from backcheck.suggest import suggestions

    with suggestions(HINTS):
        return _Builder(source).build(raw)


class _Builder:
    """Reads the sections in order, with the readers it holds."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.fields = Fields(source)
        self.questions: dict[str, Question] = {}

    def build(self, raw: Any) -> Knowledge:
        """The knowledge in ``raw``, or KnowledgeError with every problem."""
        if not isinstance(raw, dict):
            raise KnowledgeError(self.source, ["the top level must be a mapping of sections"])
        for key in raw:
            if key not in _TOP:
                self.problem(str(key), f"unknown section{did_you_mean(key, _TOP)}")
        for key, required in _TOP.items():
            if required and key not in raw:
                self.problem(key, "missing section")
        if raw.get("version", 1) != 1:
            self.problem("version", f"unsupported version {raw.get('version')!r}; allowed: 1")
        settings = self.settings(raw.get("settings"))
        verdicts = self.verdicts(raw)
        categories = self.categories(raw)
        self.questions = read_questions(self.fields, raw)
        groups = self.groups(raw.get("groups", {}))
        self.rules = RuleReader(self.fields, self.questions, groups)
        add_branches(self.fields, self.rules, self.questions, raw)
        interview = read_interview(self.fields, self.questions, raw)
        settle = settings.settle_first_after
        if settle is not None and settle not in {step.id for step in interview}:
            self.problem("settings.settle_first_after", f"'{settle}' is not an interview step")
        clinical = ClinicalEntries(self.fields, self.rules)
        facts = self.history_facts(raw.get("history_facts", []))
        sign_rules = RuleReader(self.fields, {**self.questions, **facts}, groups)
        signs = clinical.warning_signs(raw, sign_rules if facts else None)
        for sign in signs.values():
            self.facts_only_positive(sign.when, set(facts), f"warning_signs: {sign.id}.when")
        triggers = clinical.triggers(raw)
        tests = clinical.doctor_tests(raw)
        conditions = clinical.conditions(raw, categories, signs, triggers, tests)
        if not conditions and isinstance(raw.get("conditions"), list):
            self.problem("conditions", "must list at least one condition (every result ranks them)")
        for sign in signs.values():
            self.fields.refs(
                sign.points_to, conditions, f"warning_signs.{sign.id}.points_to", "condition"
            )
        if self.fields.problems:
            raise KnowledgeError(self.source, self.fields.problems)
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
            history_facts=facts,
        )

    def problem(self, where: str, message: str) -> None:
        self.fields.problem(where, message)

    def groups(self, raw: Any) -> dict[str, tuple[str, ...]]:
        """Named lists of options; a name must not be an option id or a reserved word."""
        if not isinstance(raw, dict):
            self.problem("groups", "must be a mapping of group names to lists of option ids")
            return {}
        options = {o for q in self.questions.values() for o in q.option_ids}
        out: dict[str, tuple[str, ...]] = {}
        for name, members in raw.items():
            where = f"groups.{name}"
            if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
                self.problem(where, "a group name must be lower_snake_case text")
            elif name in options or name in RESERVED or name in self.questions:
                self.problem(where, f"'{name}' is already an option, a question or a keyword")
            elif not isinstance(members, list) or not members:
                self.problem(where, "must be a non-empty list of option ids")
            elif not all(isinstance(m, str) and m in options for m in members):
                unknown = [m for m in members if not isinstance(m, str) or m not in options]
                self.problem(where, f"unknown option {unknown[0]!r}")
            else:
                out[name] = tuple(members)
        return out

    def history_facts(self, raw: Any) -> dict[str, Question]:
        """Facts about earlier checks: never asked, so never an answer, a finding or a branch.

        Each is a yes/no or whole-number fact with the words that say what it means.
        """
        out: dict[str, Question] = {}
        for where, item in self.fields.entries({"history_facts": raw}, "history_facts"):
            fields = self.fields.entry(item, where, ("id", "type", "text"))
            if fields is None:
                continue
            fid = self.fields.ident(fields, where, out)
            if fid in self.questions or fid in RESERVED:
                self.problem(where, f"'{fid}' is already a question or a keyword")
                continue
            kind = fields.get("type")
            if kind not in _FACT_TYPES:
                allowed = ", ".join(_FACT_TYPES)
                self.problem(f"{where}.type", f"unknown type {kind!r}; allowed: {allowed}")
                continue
            text = self.fields.text(fields, "text", where)
            out[fid] = Question(
                id=fid,
                type=QuestionType(kind),
                text=text,
                help=text,
                short=fid,
                option_ids=("yes", "no") if kind == "yes_no" else (),
            )
        return out

    def facts_only_positive(self, test: When, facts: set[str], where: str) -> None:
        """A history fact may not sit under `not` or `unless`: without history it must
        never hold."""
        if not facts:
            return
        if isinstance(test, Not | Unless):
            inner = set(questions_in(test.part)) & facts
            word = "not" if isinstance(test, Not) else "unless"
            if inner:
                self.problem(where, f"history fact '{sorted(inner)[0]}' may not be under '{word}'")
            return
        if isinstance(test, AllOf | AnyOf):
            for part in test.parts:
                self.facts_only_positive(part, facts, where)

    def settings(self, raw: Any) -> Settings:
        keys = (
            "unanswered_red_flag_level",
            "condition_raise_score",
            "emergency_hint",
            "disclaimer",
        )
        optional = ("pointed_evidence", "pointed_evidence_emergency", "settle_first_after")
        fields = self.fields.entry(raw, "settings", keys, optional) or {}
        evidence = fields.get("pointed_evidence", 2.7)
        if not is_number(evidence) or not 0 <= evidence <= 30:
            self.problem("settings.pointed_evidence", "must be a number from 0 to 30")
            evidence = 2.7
        emergency_evidence = fields.get("pointed_evidence_emergency", evidence)
        if not is_number(emergency_evidence) or not 0 <= emergency_evidence <= 30:
            self.problem("settings.pointed_evidence_emergency", "must be a number from 0 to 30")
            emergency_evidence = evidence
        score = fields.get("condition_raise_score", 0.5)
        if not is_number(score) or not 0 < score <= 1:
            self.problem("settings.condition_raise_score", "must be a number above 0 and at most 1")
            score = 0.5
        return Settings(
            unanswered_red_flag_level=self.fields.verdict(
                fields.get("unanswered_red_flag_level"), "settings.unanswered_red_flag_level"
            ),
            condition_raise_score=float(score),
            emergency_hint=self.fields.text(fields, "emergency_hint", "settings"),
            disclaimer=self.fields.text(fields, "disclaimer", "settings"),
            pointed_evidence=float(evidence),
            pointed_evidence_emergency=float(emergency_evidence),
            settle_first_after=self.fields.text(fields, "settle_first_after", "settings")
            if "settle_first_after" in fields
            else None,
        )

    def verdicts(self, raw: Any) -> dict[Verdict, VerdictInfo]:
        out: dict[Verdict, VerdictInfo] = {}
        for where, item in self.fields.entries(raw, "verdicts"):
            fields = self.fields.entry(item, where, ("id", "title", "advice"))
            if fields is None:
                continue
            level = self.fields.verdict(fields.get("id"), where)
            if level in out:
                self.problem(where, f"duplicate id '{level}'")
            out[level] = VerdictInfo(
                level,
                self.fields.text(fields, "title", where),
                self.fields.text(fields, "advice", where),
            )
        for level in Verdict:
            if level not in out and isinstance(raw, dict) and "verdicts" in raw:
                self.problem("verdicts", f"missing verdict '{level}'")
        return out

    def categories(self, raw: Any) -> dict[str, Category]:
        out: dict[str, Category] = {}
        for where, item in self.fields.entries(raw, "categories"):
            fields = self.fields.entry(item, where, ("id", "name"), ("note",))
            if fields is not None:
                cid = self.fields.ident(fields, where, out)
                note = self.fields.text(fields, "note", where) if "note" in fields else ""
                out[cid] = Category(cid, self.fields.text(fields, "name", where), note)
        return out
