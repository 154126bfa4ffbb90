"""Two checks side by side, in plain words. Pure: no I/O."""

from __future__ import annotations

from backcheck.advice import format_date
from backcheck.history.trends import Check
from backcheck.knowledge.model import Knowledge

# The answers a comparison names, in this order.
COMPARED = ("spread", "impact", "duration", "course")


def compare(knowledge: Knowledge, before: Check, after: Check) -> list[str]:
    """What changed from ``before`` to ``after``: the advice, warning signs that came or went,
    and the spread, impact, duration and course, one sentence a line."""
    days = (after.day - before.day).days
    when = "the same day" if days == 0 else f"{days} day{'s' if days != 1 else ''} later"
    name = f"Check {after.id}" if after.id else "This check"
    lines = [
        f"{name} on {format_date(after.day)} against check {before.id} on "
        f"{format_date(before.day)} ({when}):"
    ]
    old = knowledge.verdicts[before.verdict].title
    new = knowledge.verdicts[after.verdict].title
    if after.verdict == before.verdict:
        lines.append(f"The advice is the same: {new}.")
    else:
        change = "more urgent" if after.verdict.rank > before.verdict.rank else "less urgent"
        lines.append(f"The advice is {change}: it was {old}; now it is {new}.")
    came = [s for s in after.signs if s not in before.signs]
    went = [s for s in before.signs if s not in after.signs]
    if came:
        lines.append("New warning signs: " + _titles(knowledge, came) + ".")
    if went:
        lines.append("Warning signs gone since then: " + _titles(knowledge, went) + ".")
    if not came and not went:
        lines.append("No warning sign came or went.")
    for qid in COMPARED:
        line = _answer_change(knowledge, qid, before, after)
        if line:
            lines.append(line)
    if before.cause != after.cause and after.cause in knowledge.conditions:
        name = knowledge.conditions[after.cause].name
        earlier = knowledge.conditions[before.cause].name if before.cause else "none"
        lines.append(f"The likeliest cause is now {name} (it was {earlier}).")
    return lines


def _titles(knowledge: Knowledge, ids: list[str]) -> str:
    return "; ".join(
        knowledge.warning_signs[s].title if s in knowledge.warning_signs else s for s in ids
    )


def _answer_change(knowledge: Knowledge, qid: str, before: Check, after: Check) -> str:
    question = knowledge.questions.get(qid)
    if question is None:
        return ""
    old, new = before.answers.get(qid), after.answers.get(qid)
    if old is None and new is None:
        return ""
    name = question.short
    old_text = question.label_of(old) if isinstance(old, str) else "not answered"
    new_text = question.label_of(new) if isinstance(new, str) else "not answered"
    if old == new:
        return f"{name}: the same ({new_text})."
    trend = ""
    order = question.option_ids
    if (
        qid == "impact"
        and isinstance(old, str)
        and isinstance(new, str)
        and {old, new} <= set(order)
    ):
        trend = " - worse" if order.index(new) > order.index(old) else " - better"
    return f"{name}: was {old_text}; now {new_text}{trend}."
