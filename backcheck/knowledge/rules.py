"""The small test language that warning signs and findings use (see data/README.md).

The node types are NamedTuples, like the knowledge entries, because they are cheap to
define and to load from the cache; code tells them apart by type, never by equality.
Tests are evaluated in three-valued logic: an unanswered question is unknown
(``None``), never "no", so a warning sign that missing answers could still set is
"not ruled out" rather than silently false.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

Answer = str | tuple[str, ...] | int
# A question maps to None when it was asked and left unanswered ("not sure").
Answers = Mapping[str, Answer | None]
Truth = bool | None


class Match(NamedTuple):
    """One question's answer is (or contains) one of ``values``, or lies in a range."""

    question: str
    values: frozenset[str] = frozenset()
    at_least: int | None = None
    below: int | None = None


class AllOf(NamedTuple):
    """Every part holds."""

    parts: tuple[When, ...]


class AnyOf(NamedTuple):
    """At least one part holds."""

    parts: tuple[When, ...]


class Not(NamedTuple):
    """The part does not hold."""

    part: When


When = Match | AllOf | AnyOf | Not


def evaluate(test: When, answers: Answers) -> Truth:
    """True, False, or None when the answer depends on unanswered questions."""
    # Hot path: a batch run evaluates several hundred tests per file, so the common cases
    # come first and `all`/`any` stop as soon as the outcome is known.
    kind = type(test)
    if kind is Match:
        return _match(test, answers)  # type: ignore[arg-type]
    if kind is Not:
        inner = evaluate(test.part, answers)  # type: ignore[union-attr]
        return None if inner is None else not inner
    decisive = kind is AnyOf  # True decides `any`; False decides `all`
    unknown = False
    for part in test.parts:  # type: ignore[union-attr]
        result = evaluate(part, answers)
        if result is None:
            unknown = True
        elif result is decisive:
            return decisive
    return None if unknown else not decisive


def _match(test: Match, answers: Answers) -> Truth:
    answer = answers.get(test.question)
    if answer is None:
        return None
    kind = type(answer)
    if kind is str:
        return answer in test.values
    if kind is tuple:
        return not test.values.isdisjoint(answer)  # type: ignore[arg-type]
    assert isinstance(answer, int)
    if test.at_least is not None and answer < test.at_least:
        return False
    return not (test.below is not None and answer >= test.below)


def questions_in(test: When) -> Iterator[str]:
    """Every question id the test reads, in order, possibly repeated."""
    if isinstance(test, Match):
        yield test.question
    elif isinstance(test, Not):
        yield from questions_in(test.part)
    else:
        for part in test.parts:
            yield from questions_in(part)


def matched_answers(test: When, answers: Answers) -> dict[str, Answer]:
    """The answers, among those the test reads, that were given (for explanations)."""
    if type(test) is Match:
        answer = answers.get(test.question)
        return {} if answer is None else {test.question: answer}
    given = {q: answers.get(q) for q in dict.fromkeys(questions_in(test))}
    return {q: a for q, a in given.items() if a is not None}
