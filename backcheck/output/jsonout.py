"""The contract's JSON object (section 5) for a result, and the same as one fast line."""

from __future__ import annotations

import functools
from typing import Any

from backcheck.knowledge.model import Verdict
from backcheck.result import ConditionScore, Contribution, Result, strength_of

SCHEMA_VERSION = 1


def to_dict(result: Result, source: str | None = None) -> dict[str, Any]:
    """The contract's section 5 object; ``source`` names the answer file."""
    return {
        **_head(result, source),
        "conditions": [_condition(c) for c in result.conditions],
        "disclaimer": result.disclaimer,
    }


def _head(result: Result, source: str | None) -> dict[str, Any]:
    """Everything in ``to_dict`` before the conditions."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "verdict": result.verdict.value,
        "verdict_title": result.verdict_title,
        "advice": result.advice,
        "emergency_hint": result.emergency_hint if result.verdict == Verdict.EMERGENCY else None,
        "reasons": [
            {
                "kind": r.kind.value,
                "id": r.id,
                "level": r.level.value,
                "title": r.title,
                "why": r.why,
            }
            for r in result.reasons
        ],
        "not_assessed": [q.id for q in result.not_assessed],
        "answers_version": result.answers_version,
        "not_asked": [q.id for q in result.not_asked],
        "not_ruled_out": [
            {"id": s.id, "level": s.level.value, "title": s.title} for s in result.not_ruled_out
        ],
    }


def _condition(item: ConditionScore) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "score": round(item.score, 4),
        "strength": item.strength,
        # Tuples in `answers` serialise as JSON arrays, so they go in as they are.
        "why": [
            {"because": c.because, "weight": c.weight, "answers": c.answers}
            for c in item.contributions
        ],
    }


def to_json_line(result: Result, source: str | None = None) -> str:
    """``to_dict`` serialised as one line, built from cached fragments.

    In a batch the same reasons recur in every file, so each condition's and each
    finding's JSON text is made once and reused; the result parses to exactly
    ``to_dict``'s object (a test holds the two together). Each fragment goes through
    ``shown`` once, when it is made: escaping works character by character, so the
    line is the same as if it went through whole.
    """
    import json

    top = shown(json.dumps(_head(result, source), ensure_ascii=False))
    conditions = ", ".join(_condition_line(c) for c in result.conditions)
    return f'{top[:-1]}, "conditions": [{conditions}], "disclaimer": {_text(result.disclaimer)}}}'


def shown(text: str) -> str:
    """JSON text with every control, bidi or other invisible character inside its strings
    written as a \\u escape: the same JSON value, but nothing a terminal would obey."""
    if text.isprintable():
        return text
    import re

    def escape(match: re.Match[str]) -> str:
        char = match[0]
        if char.isprintable() or char == "\n":  # a newline outside strings is layout
            return char
        code = ord(char)
        if code > 0xFFFF:  # outside the basic plane: a surrogate pair, as JSON spells it
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return re.sub(r"[^\x20-\x7e]", escape, text)


def _condition_line(item: ConditionScore) -> str:
    known = _conditions.get(id(item))
    if known is not None and known[0] is item:
        return known[1]
    head = _condition_head(item.id, item.name)
    score = round(item.score, 4)
    why = _why_array(item.contributions)
    text = f'{head}, "score": {score!r}, "strength": "{strength_of(item.score)}", "why": [{why}]}}'
    if len(_conditions) < _CONDITIONS:
        _conditions[id(item)] = (item, text)
    return text


# The same by the identity of a condition's place in a ranking, which the engine shares
# between results with the same score and explanation.
_conditions: dict[int, tuple[ConditionScore, str]] = {}
_CONDITIONS = 2048


# The JSON of an explanation by the identities of its contributions, which the engine
# shares between results (see _lines): each entry holds them, so no other object takes
# their ids while it is kept.
_arrays: dict[tuple[int, ...], tuple[tuple[Contribution, ...], str]] = {}
_ARRAYS = 2048


def _why_array(contributions: tuple[Contribution, ...]) -> str:
    key = tuple(map(id, contributions))
    known = _arrays.get(key)
    if known is not None:
        return known[1]
    text = ", ".join(map(_why_line, contributions))
    if len(_arrays) < _ARRAYS:
        _arrays[key] = (contributions, text)
    return text


# The JSON of a contribution by its identity: the engine hands out the same object for the
# same finding and answers, so nearly all are found here without looking inside. Each
# entry holds its object, so no other can take its id while it is kept; at most _LINES
# are kept, so memory stays flat.
_lines: dict[int, tuple[Contribution, str]] = {}
_LINES = 2048


def _why_line(contribution: Contribution) -> str:
    known = _lines.get(id(contribution))
    if known is not None and known[0] is contribution:
        return known[1]
    import json

    because, weight, answers = contribution
    text = shown(
        json.dumps({"because": because, "weight": weight, "answers": answers}, ensure_ascii=False)
    )
    if len(_lines) < _LINES:  # the first ones seen are kept: memory stays flat
        _lines[id(contribution)] = (contribution, text)
    return text


@functools.lru_cache(maxsize=256)
def _condition_head(cid: str, name: str) -> str:
    import json

    return shown(json.dumps({"id": cid, "name": name}, ensure_ascii=False)[:-1])


@functools.lru_cache(maxsize=16)
def _text(value: str) -> str:
    import json

    return shown(json.dumps(value, ensure_ascii=False))
