"""The contract's JSON object (section 5) for a result, and the same as one fast line."""

from __future__ import annotations

import functools
from itertools import chain
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
    ranking = result.conditions
    parts = list(map(_by_entry.get, map(id, ranking)))  # most are found here, in C
    if None in parts:
        parts = [part or _condition_parts(item) for part, item in zip(parts, ranking, strict=True)]
    # each condition's parts start with the ", " before it: the first one's is cut off
    conditions = "".join(chain.from_iterable(parts))[2:]  # type: ignore[arg-type]  # no None
    source_text = "null" if source is None else shown(_string(source))
    return (
        f'{{"schema_version": {SCHEMA_VERSION}, "source": {source_text}, {_verdict_part(result)}'
        f', "conditions": [{conditions}], "disclaimer": {_text(result.disclaimer)}}}'
    )


def _verdict_part(result: Result) -> str:
    """The members of ``_head`` after the source, as JSON without the braces."""
    key = (
        result.verdict,
        result.verdict_title,
        result.advice,
        result.emergency_hint,
        result.reasons,
        result.not_assessed,
        result.answers_version,
        result.not_asked,
        result.not_ruled_out,
    )
    text = _verdict_parts.get(key)
    if text is None:
        import json

        members = _head(result, None)
        del members["schema_version"], members["source"]
        text = shown(json.dumps(members, ensure_ascii=False))[1:-1]
        if len(_verdict_parts) < _VERDICT_PARTS:
            _verdict_parts[key] = text
    return text


# The verdict's part of the line by everything it is made of: in a batch a few verdicts
# with the same reasons make most lines.
_verdict_parts: dict[tuple[object, ...], str] = {}
_VERDICT_PARTS = 512


def _string(text: str) -> str:
    """``text`` as a JSON string, as ``json.dumps(text, ensure_ascii=False)`` writes it."""
    from json.encoder import encode_basestring

    return encode_basestring(text)


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


def _condition_parts(item: ConditionScore) -> tuple[str, str]:
    """One condition's JSON in two parts, after a ", ": its start, up to its score's
    strength, and its explanation, the text kept for the explanation's identity (see
    ``_tails``), so that conditions with the same explanation share it."""
    contributions = item.contributions
    tail = _tails.get(id(contributions))
    if tail is None or tail[0] is not contributions:
        tail = (contributions, _why_tail(contributions))
        if len(_tails) < _TAILS:
            _tails[id(contributions)] = tail
    score = item.score
    # the same condition often has the same score in many entries (other ages, other
    # answers to what it reads): one text serves them all
    head = (
        f', {_condition_head(item.id, item.name)}, "score": {score_text(score)}'
        f', "strength": "{strength_of(score)}"'
    )
    head = _heads.get(head, head)
    if len(_heads) < _TAILS:
        _heads[head] = head
    parts = (head, tail[1])
    _keep(item, parts)
    return parts


def _keep(item: ConditionScore, parts: tuple[str, str]) -> None:
    """Keep ``parts`` for ``item``: the first entries seen, at most ``_ENTRIES``."""
    if len(_held) < _ENTRIES:
        _held.append(item)
        _by_entry[id(item)] = parts


# A condition's parts by the identity of its ranking entry: the engine hands out the
# same entry for the same answers to what a condition reads, so a line's conditions are
# looked up all at once. _held keeps every entry named here, so no other can take its id;
# at most _ENTRIES are kept (an entry costs about 150 bytes here: the texts of its start
# and its explanation are shared).
_by_entry: dict[int, tuple[str, str]] = {}
# The start of a condition's JSON, one text for every entry with the same (at most _TAILS).
_heads: dict[str, str] = {}
_held: list[ConditionScore] = []
_ENTRIES = 6144


def score_text(score: float) -> str:
    """``repr(round(score, 4))`` for a score from 0 to 1 (what ``to_dict`` holds, as JSON
    writes it), in half the time: both round the exact value correctly to 4 places, and
    the shortest text for that number is those places without their trailing zeros."""
    text = f"{score:.4f}".rstrip("0")
    return text + "0" if text[-1] == "." else text


# The end of a condition's JSON (its explanation) by the identity of its contributions,
# which the engine shares between the places of one condition with the same answers and
# any prior (so between ages): each place then costs its score alone. Each entry holds its
# object, so no other can take its id while it is kept; at most _TAILS are kept.
_tails: dict[int, tuple[tuple[Contribution, ...], str]] = {}
_TAILS = 2048

# The same ends by the identities of the contributions, for explanations made again (the
# same findings, a tuple made anew): the text itself is shared with _tails.
_arrays: dict[tuple[int, ...], tuple[tuple[Contribution, ...], str]] = {}


def _why_tail(contributions: tuple[Contribution, ...]) -> str:
    key = tuple(map(id, contributions))
    known = _arrays.get(key)
    if known is not None:
        return known[1]
    text = f', "why": [{", ".join(map(_why_line, contributions))}]}}'
    if len(_arrays) < _TAILS:
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
