"""Earlier checks turned into history facts, and a check assessed with them. Pure: no I/O.

The facts are the ones the knowledge declares in ``history_facts``; warning signs there test
them like answers, so what a trend changes in the advice is data, not code. Here only their
meaning is worked out:

- ``history_days``: the days from the start of this spell to this check. The spell is the run
  of checks that follow each other within ``SPELL_GAP_DAYS``; each check adds the least
  duration its answer stands for (``DURATION_DAYS``).
- ``history_worse_impact``, ``history_new_spread``, ``history_new_sign``: compared with the
  previous check, when it was made within ``COMPARE_DAYS``.
- ``history_repeats``: the checks within ``REPEAT_DAYS``, this one included, with the same
  likeliest cause.

A fact that cannot be worked out (no earlier check, or too long ago) is left out, and a left-out
fact never holds (see ``backcheck.engine``): trends can only raise the advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from backcheck.knowledge.model import Knowledge, Verdict
from backcheck.knowledge.rules import Answer, Answers, questions_in
from backcheck.result import ReasonKind, Result
from backcheck.tuples import NamedTuple

SPELL_GAP_DAYS = 28
COMPARE_DAYS = 28
REPEAT_DAYS = 91  # three months
# The least time each `duration` option stands for, in days.
DURATION_DAYS = {"under_a_day": 0, "days": 1, "weeks": 7, "over_6_weeks": 43}
NO_SPREAD = ("none",)


class Check(NamedTuple):
    """One earlier check, as the trends need it."""

    id: int
    day: dt.date
    answers: Answers
    verdict: Verdict
    cause: str | None  # the likeliest cause's condition id
    signs: tuple[str, ...]  # the warning signs that held on its answers alone


def history_signs(knowledge: Knowledge) -> frozenset[str]:
    """The warning signs that test a history fact."""
    facts = set(knowledge.history_facts)
    return frozenset(
        s.id for s in knowledge.warning_signs.values() if facts & set(questions_in(s.when))
    )


def answer_signs(knowledge: Knowledge, result: Result) -> tuple[str, ...]:
    """The warning signs in a result that come from the answers themselves, not the history."""
    trend = history_signs(knowledge)
    return tuple(
        r.id for r in result.reasons if r.kind == ReasonKind.WARNING_SIGN and r.id not in trend
    )


def likeliest(result: Result) -> str | None:
    """The condition id ranked first."""
    return result.conditions[0].id if result.conditions else None


def as_check(knowledge: Knowledge, check_id: int, day: dt.date, result: Result) -> Check:
    """A check for a result assessed on its answers alone."""
    answers = {k: v for k, v in result.answers.items() if k not in knowledge.history_facts}
    return Check(
        check_id, day, answers, result.verdict, likeliest(result), answer_signs(knowledge, result)
    )


def earlier_than(checks: Sequence[Check], day: dt.date, check_id: int | None = None) -> list[Check]:
    """The checks made before ``day`` (on it: those recorded before check ``check_id``)."""
    return [
        c for c in checks if c.day < day or (c.day == day and (check_id is None or c.id < check_id))
    ]


def history_facts(knowledge: Knowledge, now: Check, earlier: Sequence[Check]) -> dict[str, Answer]:
    """The facts about ``earlier`` checks for the check ``now`` (only those the knowledge
    declares, and only those that can be worked out)."""
    before = sorted((c for c in earlier if c.day <= now.day), key=lambda c: (c.day, c.id))
    if not before:
        return {}
    facts: dict[str, Answer] = {}
    spell = [now]
    for check in reversed(before):
        if (spell[-1].day - check.day).days > SPELL_GAP_DAYS:
            break
        spell.append(check)
    if len(spell) > 1:
        facts["history_days"] = max((now.day - c.day).days + _least_days(c) for c in spell)
    previous = before[-1]
    if (now.day - previous.day).days <= COMPARE_DAYS:
        worse = _worse_impact(knowledge, previous.answers, now.answers)
        if worse is not None:
            facts["history_worse_impact"] = worse
        spread = _new_spread(previous.answers, now.answers)
        if spread is not None:
            facts["history_new_spread"] = spread
        facts["history_new_sign"] = "yes" if set(now.signs) - set(previous.signs) else "no"
    if now.cause is not None:
        recent = [c for c in before if (now.day - c.day).days < REPEAT_DAYS]
        if recent:
            facts["history_repeats"] = 1 + sum(c.cause == now.cause for c in recent)
    return {k: v for k, v in facts.items() if k in knowledge.history_facts}


def assess_with_history(
    knowledge: Knowledge,
    answers: Answers,
    day: dt.date,
    earlier: Sequence[Check],
    version: int = 2,
    check_id: int = 0,
) -> tuple[Result, Check]:
    """The result for ``answers`` on ``day`` given the ``earlier`` checks, and the check itself
    (its warning signs from the answers alone, for later comparisons)."""
    from backcheck.engine import assess

    plain = {k: v for k, v in answers.items() if k not in knowledge.history_facts}
    base = assess(knowledge, plain, version)
    now = as_check(knowledge, check_id, day, base)
    facts = history_facts(knowledge, now, earlier)
    if not facts:
        return base, now
    return assess(knowledge, {**plain, **facts}, version), now


def _least_days(check: Check) -> int:
    duration = check.answers.get("duration")
    return DURATION_DAYS.get(duration, 0) if isinstance(duration, str) else 0


def _worse_impact(knowledge: Knowledge, before: Answers, now: Answers) -> str | None:
    """'yes' when the impact option now comes later in the list (the options go from the
    mildest to the most severe); None when either check has no answer."""
    question = knowledge.questions.get("impact")
    old, new = before.get("impact"), now.get("impact")
    if question is None or not isinstance(old, str) or not isinstance(new, str):
        return None
    order = question.option_ids
    if old not in order or new not in order:
        return None
    return "yes" if order.index(new) > order.index(old) else "no"


def _new_spread(before: Answers, now: Answers) -> str | None:
    """'yes' when it now spreads somewhere it did not at the previous check."""
    old, new = before.get("spread"), now.get("spread")
    if not isinstance(old, str) or not isinstance(new, str):
        return None
    return "yes" if new not in NO_SPREAD and new != old else "no"
