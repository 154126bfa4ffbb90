"""Plain data for every output format: what the person is told, in words, from an assessment."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from backcheck.knowledge.model import Knowledge, Verdict

if TYPE_CHECKING:
    from backcheck.engine import Assessment, ConditionScore
    from backcheck.knowledge.rules import Answers

SCHEMA_VERSION = 1
SHOWN_CONDITIONS = 5


def strength(score: float) -> str:
    """Words for a score, so the number is never read as a diagnosis."""
    if score >= 0.5:
        return "strong match"
    if score >= 0.2:
        return "moderate match"
    if score >= 0.05:
        return "weak match"
    return "unlikely"


def answer_lines(
    knowledge: Knowledge, answers: Answers, *, brief: bool = False
) -> list[tuple[str, str]]:
    """Each answered question with its answer in words, in interview order.

    ``brief`` leaves out empty lists and gathers every "no" into one closing line.
    """
    lines = []
    absent = []
    for qid, question in knowledge.questions.items():
        value = answers.get(qid)
        if value is None:
            continue
        if isinstance(value, int):
            text = str(value)
        elif isinstance(value, tuple):
            if brief and not value:
                continue
            text = ", ".join(question.label_of(v, short=True) for v in value) or "None"
        elif brief and question.type == "yes_no" and value == "no":
            absent.append(question.short.lower())
            continue
        else:
            text = question.label_of(value, short=True)
        lines.append((question.short, text))
    if absent:
        lines.append(("Not present", ", ".join(absent)))
    return lines


def self_help(knowledge: Knowledge, assessment: Assessment, n: int = 2) -> list[str]:
    """What may help, from the best-ranked conditions, without repeats."""
    seen: dict[str, None] = {}
    for item in assessment.top(n):
        for tip in knowledge.conditions[item.id].self_help:
            seen.setdefault(tip)
    return list(seen)


def to_json(knowledge: Knowledge, assessment: Assessment, source: str) -> dict[str, Any]:
    """The contract's section 5 object."""
    return {
        **_head_json(knowledge, assessment, source),
        "conditions": [_condition_json(c) for c in assessment.conditions],
        "disclaimer": knowledge.settings.disclaimer,
    }


def _head_json(knowledge: Knowledge, assessment: Assessment, source: str) -> dict[str, Any]:
    """Everything in ``to_json`` before the conditions."""
    info = knowledge.verdicts[assessment.verdict]
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "verdict": assessment.verdict.value,
        "verdict_title": info.title,
        "advice": info.advice,
        "emergency_hint": knowledge.settings.emergency_hint
        if assessment.verdict == Verdict.EMERGENCY
        else None,
        "reasons": [
            {"kind": r.kind, "id": r.id, "level": r.level.value, "title": r.title, "why": r.why}
            for r in assessment.reasons
        ],
        "not_assessed": list(assessment.not_assessed),
        "not_ruled_out": [
            {"id": s.id, "level": s.level.value, "title": s.title} for s in assessment.not_ruled_out
        ],
    }


def _condition_json(item: ConditionScore) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "score": round(item.score, 4),
        "strength": strength(item.score),
        # Tuples in `answers` serialise as JSON arrays, so they go in as they are.
        "why": [
            {"because": c.because, "weight": c.weight, "answers": c.answers}
            for c in item.contributions
        ],
    }


def to_json_line(knowledge: Knowledge, assessment: Assessment, source: str) -> str:
    """``to_json`` serialised as one line, built from cached fragments.

    In a batch the same reasons recur in every file, so each condition's and each
    finding's JSON text is made once and reused; the result parses to exactly
    ``to_json``'s object (a test holds the two together).
    """
    import json

    top = json.dumps(_head_json(knowledge, assessment, source), ensure_ascii=False)
    conditions = ", ".join(_condition_line(c) for c in assessment.conditions)
    disclaimer = json.dumps(knowledge.settings.disclaimer, ensure_ascii=False)
    return f'{top[:-1]}, "conditions": [{conditions}], "disclaimer": {disclaimer}}}'


def _condition_line(item: ConditionScore) -> str:
    why = ", ".join(
        _why_line(c.because, c.weight, tuple(c.answers.items())) for c in item.contributions
    )
    head = _condition_head(item.id, item.name)
    score = round(item.score, 4)
    return f'{head}, "score": {score!r}, "strength": "{strength(item.score)}", "why": [{why}]}}'


@functools.lru_cache(maxsize=256)
def _condition_head(cid: str, name: str) -> str:
    import json

    return json.dumps({"id": cid, "name": name}, ensure_ascii=False)[:-1]


@functools.lru_cache(maxsize=2048)
def _why_line(because: str, weight: float, answers: tuple[tuple[str, Any], ...]) -> str:
    import json

    return json.dumps(
        {"because": because, "weight": weight, "answers": dict(answers)}, ensure_ascii=False
    )
