"""Reading knowledge-file entries: typed fields, ids, references and the rule language.

Every problem is collected (not raised) so that a clinician sees them all at once, each
as `entry.field: problem (did you mean ...?)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backcheck.knowledge.model import Question, Verdict
from backcheck.knowledge.rules import AllOf, AnyOf, Match, Not, When
from backcheck.suggest import did_you_mean

_YES_NO = {True: "yes", False: "no", "yes": "yes", "no": "no"}


class EntryReader:
    """Field readers that record problems; the questions are needed to read rules."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.questions: dict[str, Question] = {}

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
