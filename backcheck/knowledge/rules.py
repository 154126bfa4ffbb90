"""The `when` rule language that warning signs, findings and `asked_if` use.

Grammar (one test per mapping; documented for clinicians in data/README.md)::

    test     := {QUESTION: answer}          one question's answer
              | {all: [test, ...]}          every test holds (the one spelling of "all of")
              | {any: [test, ...]}          at least one test holds
              | {not: test}                 the test does not hold
              | {unless: test}              the test is not known to hold: it holds when
                                            the test is false or cannot be told (a
                                            question it reads is unanswered)
    answer   := true | false                          a yes/no question
              | OPTION | GROUP | [OPTION | GROUP, ...]  a single or multi question: the
                                                      answer is (or contains) any of them
              | {at_least: N, below: M}               an integer question (either bound)

`unless` is for a rule that must assume the worse when an answer is missing: "new
pain in both legs, unless it has lasted over 6 weeks" holds when the duration is
not known. A mapping holds exactly one key; `all`, `any`, `not` and `unless` are
reserved words, never question ids. In a warning sign, QUESTION may also be a history
fact (the knowledge file's `history_facts`), never under `not` or `unless`. A GROUP is
a name from the knowledge file's top-level `groups:` section that stands for its list
of options (for example `injury: serious_injury`).

The node types are NamedTuples, like the knowledge entries, because they are cheap to
define and to load from the cache; their equality compares the node type too, so an
`AllOf` never equals an `AnyOf` with the same parts. Tests are evaluated in three-valued
logic: an unanswered question is unknown (``None``), never "no", so a warning sign that
missing answers could still set is "not ruled out" rather than silently false.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from backcheck.tuples import NamedTuple

if TYPE_CHECKING:
    from backcheck.knowledge.fields import Fields
    from backcheck.knowledge.model import Question

Answer = str | tuple[str, ...] | int
# A question maps to None when it was asked and left unanswered ("not sure").
Answers = Mapping[str, Answer | None]
Truth = bool | None

RESERVED = ("all", "any", "not", "unless")


def _same_node(self: tuple[Any, ...], other: object) -> bool:
    """Equal only to a node of the same type with equal fields."""
    return type(other) is type(self) and tuple.__eq__(self, other)


def _node_hash(self: tuple[Any, ...]) -> int:
    return hash((type(self).__name__, tuple(self)))


def _other_node(self: tuple[Any, ...], other: object) -> bool:
    return not _same_node(self, other)


_T = TypeVar("_T")


def _compared_by_type(cls: type[_T]) -> type[_T]:
    """Give a node class ``==``, ``!=`` and a hash that tell node types apart."""
    for name, method in (("__eq__", _same_node), ("__ne__", _other_node), ("__hash__", _node_hash)):
        setattr(cls, name, method)
    return cls


@_compared_by_type
class Match(NamedTuple):
    """One question's answer is (or contains) one of ``values``, or lies in a range."""

    question: str
    values: frozenset[str] = frozenset()
    at_least: int | None = None
    below: int | None = None


@_compared_by_type
class AllOf(NamedTuple):
    """Every part holds."""

    parts: tuple[When, ...]


@_compared_by_type
class AnyOf(NamedTuple):
    """At least one part holds."""

    parts: tuple[When, ...]


@_compared_by_type
class Not(NamedTuple):
    """The part does not hold."""

    part: When


@_compared_by_type
class Unless(NamedTuple):
    """The part is not known to hold: false, or unknown."""

    part: When


When = Match | AllOf | AnyOf | Not | Unless


def evaluate(test: When, answers: Answers) -> Truth:
    """True, False, or None when the answer depends on unanswered questions."""
    # Hot path: a batch run evaluates several hundred tests per file, so the common cases
    # come first and `all`/`any` stop as soon as the outcome is known.
    if isinstance(test, Match):
        return _match(test, answers)
    if isinstance(test, Not):
        inner = evaluate(test.part, answers)
        return None if inner is None else not inner
    if isinstance(test, Unless):
        return evaluate(test.part, answers) is not True
    decisive = isinstance(test, AnyOf)  # True decides `any`; False decides `all`
    unknown = False
    for part in test.parts:
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
    if isinstance(answer, str):
        return answer in test.values
    if isinstance(answer, tuple):
        return not test.values.isdisjoint(answer)
    if test.at_least is not None and answer < test.at_least:
        return False
    return not (test.below is not None and answer >= test.below)


def questions_in(test: When) -> Iterator[str]:
    """Every question id the test reads, in order, possibly repeated."""
    if isinstance(test, Match):
        yield test.question
    elif isinstance(test, Not | Unless):
        yield from questions_in(test.part)
    else:
        for part in test.parts:
            yield from questions_in(part)


def tests_in(test: When) -> Iterator[Match]:
    """Every answer test inside ``test``, in order."""
    if isinstance(test, Match):
        yield test
    elif isinstance(test, Not | Unless):
        yield from tests_in(test.part)
    else:
        for part in test.parts:
            yield from tests_in(part)


def matched_answers(test: When, answers: Answers) -> dict[str, Answer]:
    """The answers, among those the test reads, that were given (for explanations)."""
    if isinstance(test, Match):
        answer = answers.get(test.question)
        return {} if answer is None else {test.question: answer}
    given = {q: answers.get(q) for q in dict.fromkeys(questions_in(test))}
    return {q: a for q, a in given.items() if a is not None}


class RuleReader:
    """Reads `when` tests against the questions and option groups, recording every problem."""

    def __init__(
        self,
        fields: Fields,
        questions: Mapping[str, Question],
        groups: Mapping[str, tuple[str, ...]],
    ) -> None:
        """Read tests on ``questions``; ``groups`` names lists of options."""
        self.fields = fields
        self.questions = questions
        self.groups = groups
        self._option_sets: dict[str, frozenset[str]] = {}  # each question's options, once

    def read(self, raw: Any, where: str) -> When | None:
        """The test in ``raw``, or None when it has a problem (recorded)."""
        if not isinstance(raw, dict) or len(raw) != 1:
            self.fields.problem(
                where,
                "a test must be a mapping with exactly one key (a question id, all, any, not "
                "or unless); join several tests with all: [...]",
            )
            return None
        ((key, value),) = raw.items()
        return self._part(key, value, f"{where}.{key}")

    def _part(self, key: Any, value: Any, where: str) -> When | None:
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.fields.problem(where, "must be a non-empty list of tests")
                return None
            parts = [self.read(v, f"{where}[{i}]") for i, v in enumerate(value)]
            clean = tuple(p for p in parts if p is not None)
            if len(clean) != len(parts):
                return None
            return AllOf(clean) if key == "all" else AnyOf(clean)
        if key in ("not", "unless"):
            inner = self.read(value, where)
            if inner is None:
                return None
            return Not(inner) if key == "not" else Unless(inner)
        question = self.questions.get(key) if isinstance(key, str) else None
        if question is None:
            from backcheck.suggest import did_you_mean

            hint = did_you_mean(key, self.questions)
            self.fields.problem(where, f"unknown question '{key}'{hint}")
            return None
        if question.type == "integer":
            return self._range(question, value, where)
        if question.type == "yes_no":
            from backcheck.knowledge.fields import yes_no

            answer = yes_no(value)
            if answer is None:
                self.fields.problem(where, f"{value!r} is not an answer; allowed: true, false")
                return None
            return Match(question.id, frozenset([answer]))
        return self._options(question, value, where)

    def _options(self, question: Question, value: Any, where: str) -> When | None:
        from backcheck.suggest import did_you_mean, listing

        values = value if isinstance(value, list) else [value]
        if not values:
            self.fields.problem(where, "must name at least one option")
            return None
        options: list[str] = []
        bad = False
        known = self._option_sets.get(question.id)
        if known is None:
            known = self._option_sets[question.id] = frozenset(question.option_ids)
        for v in values:
            members = self.groups.get(v, (v,)) if isinstance(v, str) else (v,)
            for member in members:
                if isinstance(member, str) and member in known:
                    options.append(member)
                    continue
                bad = True
                allowed = listing(question.option_ids)
                hint = did_you_mean(member, [*question.option_ids, *self.groups])
                group = f" (in group '{v}')" if member != v else ""
                self.fields.problem(
                    where, f"unknown option {member!r}{group}; allowed: {allowed}{hint}"
                )
        return None if bad else Match(question.id, frozenset(options))

    def _range(self, question: Question, value: Any, where: str) -> When | None:
        from backcheck.knowledge.fields import is_whole

        if not isinstance(value, dict) or not value or set(value) - {"at_least", "below"}:
            self.fields.problem(where, "must be a mapping with at_least and/or below")
            return None
        if not all(is_whole(v) for v in value.values()):
            self.fields.problem(where, "at_least and below must be whole numbers")
            return None
        return Match(question.id, at_least=value.get("at_least"), below=value.get("below"))


Check = Callable[[Answers], Truth]


def compile_when(test: When) -> Check:
    """``test`` as a function of the answers, equal to ``evaluate(test, answers)`` but
    without walking the tree each time (scoring runs hundreds of tests per file)."""
    if isinstance(test, Match):
        return _compile_match(test)
    if isinstance(test, Not):
        inner = compile_when(test.part)

        def negated(answers: Answers) -> Truth:
            truth = inner(answers)
            return None if truth is None else not truth

        return negated
    if isinstance(test, Unless):
        held = compile_when(test.part)

        def unless(answers: Answers) -> Truth:
            return held(answers) is not True

        return unless
    parts = tuple(compile_when(part) for part in test.parts)
    decisive = isinstance(test, AnyOf)  # True decides `any`; False decides `all`

    def joined(answers: Answers) -> Truth:
        unknown = False
        for part in parts:
            truth = part(answers)
            if truth is None:
                unknown = True
            elif truth is decisive:
                return decisive
        return None if unknown else not decisive

    return joined


def _compile_match(test: Match) -> Check:
    question, values, at_least, below = test

    def match(answers: Answers) -> Truth:
        answer = answers.get(question)
        if answer is None:
            return None
        if isinstance(answer, str):
            return answer in values
        if isinstance(answer, tuple):
            return not values.isdisjoint(answer)
        if at_least is not None and answer < at_least:
            return False
        return not (below is not None and answer >= below)

    return match
