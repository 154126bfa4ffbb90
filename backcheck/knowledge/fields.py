"""Typed field readers that collect problems, shared by knowledge validation and answer files.

Every problem is collected (not raised) so that a person sees them all at once, each
as `entry.field: problem (did you mean ...?)`. The readers are used by composition:
the rule reader, the entry readers and the answer-file reader each hold one ``Fields``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, TypeGuard

from backcheck.knowledge.model import Verdict
from backcheck.suggest import did_you_mean

_YES_NO = {True: "yes", False: "no", "yes": "yes", "no": "no"}


def yes_no(value: Any) -> str | None:
    """``yes`` or ``no`` for true/false or the words yes/no (any case), else None."""
    if isinstance(value, bool):
        return _YES_NO[value]
    if isinstance(value, str):
        return _YES_NO.get(value.strip().lower())
    return None


def is_number(value: Any) -> TypeGuard[float]:
    """True for an int or a float, never for true/false."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_whole(value: Any) -> TypeGuard[int]:
    """True for an int, never for true/false."""
    return isinstance(value, int) and not isinstance(value, bool)


class Fields:
    """Typed field readers that record every problem, for one file (``source``)."""

    def __init__(self, source: str) -> None:
        """Start with no problems."""
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        """Record one problem as `where: message`."""
        self.problems.append(f"{where}: {message}")

    def entry(
        self, raw: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        """A mapping with the required fields and no unknown ones, or None."""
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
        """A non-empty text field, stripped (``default`` when optional)."""
        value = raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            if key in raw or default is None:
                self.problem(f"{where}.{key}", "must be non-empty text")
            return ""
        return value.strip()

    def texts(
        self, raw: dict[str, Any], key: str, where: str, *, allow_empty: bool = False
    ) -> tuple[str, ...]:
        """A list of non-empty texts."""
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"{where}.{key}", "must be a list of non-empty texts")
            return ()
        if not value and not allow_empty and key in raw:
            self.problem(f"{where}.{key}", "must not be empty")
        return tuple(v.strip() for v in value)

    def ident(self, raw: dict[str, Any], where: str, seen: Collection[str]) -> str:
        """A lower_snake_case id, new among ``seen`` (which it joins when it is a set)."""
        value = raw.get("id")
        if not isinstance(value, str) or not value.isidentifier() or value != value.lower():
            self.problem(where, f"id {value!r} must be lower_snake_case text")
            return str(value)
        if value in seen:
            self.problem(where, f"duplicate id '{value}'")
        if isinstance(seen, set):
            seen.add(value)
        return value

    def verdict(self, value: Any, where: str) -> Verdict:
        """A verdict level."""
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
        """Record every value that is not among ``known``."""
        ids = known if isinstance(known, dict | set | frozenset) else set(known)
        for value in values:
            if value not in ids:
                self.problem(where, f"unknown {kind} '{value}'{did_you_mean(value, ids)}")

    def entries(self, raw: Any, key: str) -> list[tuple[str, Any]]:
        """The items of a list section with where each one is, by id or index."""
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
