"""Assess a check with the checks recorded before its date, and keep it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from backcheck.history.trends import Check, assess_with_history, earlier_than, likeliest

if TYPE_CHECKING:
    from backcheck.history.store import History, StoredCheck
    from backcheck.knowledge.model import Knowledge
    from backcheck.knowledge.rules import Answers
    from backcheck.result import Result


def as_trend_check(stored: StoredCheck) -> Check:
    """A stored check as the trends read it."""
    return Check(stored.id, stored.day, stored.answers, stored.verdict, stored.cause, stored.signs)


def assess_on(
    knowledge: Knowledge,
    answers: Answers,
    day: dt.date,
    history: History | None,
    version: int = 2,
) -> tuple[Result, Check]:
    """The result for ``answers`` on ``day``, with the checks recorded by then (if any)."""
    earlier = [as_trend_check(c) for c in history.checks()] if history is not None else []
    return assess_with_history(knowledge, answers, day, earlier_than(earlier, day), version)


def keep(
    history: History,
    knowledge: Knowledge,
    answers: Answers,
    day: dt.date,
    result: Result,
    check: Check,
    source: str,
) -> int:
    """Record a check and the result the person was given; returns its number."""
    from backcheck.output.jsonout import to_json_line

    advice = result.safety_net
    return history.add(
        day,
        {k: v for k, v in answers.items() if k not in knowledge.history_facts},
        verdict=result.verdict,
        cause=likeliest(result),
        signs=check.signs,
        check_days=advice.check_days if advice is not None else None,
        knowledge_version=result.knowledge_version,
        source=source,
        result=to_json_line(result, source),
        answers_version=result.answers_version,
    )


def reassess(knowledge: Knowledge, stored: StoredCheck, everything: list[StoredCheck]) -> Result:
    """A kept check assessed again from its answers, with the checks recorded before it."""
    earlier = earlier_than([as_trend_check(c) for c in everything], stored.day, stored.id)
    result, _ = assess_with_history(
        knowledge, stored.answers, stored.day, earlier, stored.answers_version
    )
    return result
