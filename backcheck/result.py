"""The result of an assessment: self-contained, so every format renders from it alone.

A ``Result`` carries the answers, the verdict with its wording, the reasons with their
titles and explanations, the questions not assessed or not asked, and every condition
ranked with its evidence: no renderer needs the knowledge it came from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from backcheck.knowledge.model import Verdict
from backcheck.knowledge.rules import Answer, Answers
from backcheck.tuples import NamedTuple

if TYPE_CHECKING:
    from backcheck.advice import Advice


def strength_of(score: float) -> str:
    """A score in words: strong, moderate or weak match, or unlikely."""
    if score >= 0.5:
        return "strong match"
    if score >= 0.2:
        return "moderate match"
    if score >= 0.05:
        return "weak match"
    return "unlikely"


class ReasonKind(StrEnum):
    """What a reason for the verdict is."""

    WARNING_SIGN = "warning_sign"
    NOT_ASSESSED = "not_assessed"
    CONDITION = "condition"


class Reason(NamedTuple):
    """Why the verdict is what it is: a warning sign, a missing answer or a likely condition."""

    kind: ReasonKind
    id: str
    level: Verdict
    title: str
    why: str


class Contribution(NamedTuple):
    """One finding that raised (weight > 0) or lowered a condition's score."""

    because: str
    weight: float
    answers: dict[str, Answer]


class ConditionScore(NamedTuple):
    """A condition's place in the ranking, with its evidence and what may help."""

    id: str
    name: str
    score: float
    contributions: tuple[Contribution, ...]
    self_help: tuple[str, ...] = ()

    @property
    def strength(self) -> str:
        """Words for the score, so the number is never read as a diagnosis."""
        return strength_of(self.score)


class SignRef(NamedTuple):
    """A warning sign named in a result (one not ruled out)."""

    id: str
    level: Verdict
    title: str


class QuestionRef(NamedTuple):
    """A question named in a result (one not assessed or not asked)."""

    id: str
    text: str
    short: str


class AnswerLine(NamedTuple):
    """One answered question in words, in interview order."""

    id: str
    short: str
    text: str
    is_no: bool  # a yes/no question answered "no"
    is_empty: bool  # a multi question answered with no option


class Result(NamedTuple):
    """Everything the person is told for one set of answers."""

    answers: Answers
    verdict: Verdict
    verdict_title: str
    advice: str
    emergency_hint: str
    disclaimer: str
    reasons: tuple[Reason, ...]
    not_assessed: tuple[QuestionRef, ...]
    not_asked: tuple[QuestionRef, ...]
    not_ruled_out: tuple[SignRef, ...]
    conditions: tuple[ConditionScore, ...]
    answered: tuple[AnswerLine, ...]
    answers_version: int = 2  # the answer file's contract version (1 or 2)
    safety_net: Advice | None = None  # what to do now, meanwhile, what to watch for
    knowledge_version: str = ""  # a short checksum of the knowledge the result came from

    def not_asked_text(self) -> str:
        """Plain words on the checks a version-1 answer file was never asked, and how to
        make them ('' when every check was made)."""
        if not self.not_asked:
            return ""
        checks = ", ".join(q.short.lower() for q in self.not_asked)
        return (
            f"This answer file (version {self.answers_version}) was made before backcheck "
            f"asked about: {checks}. These checks were not made, so this result does not rule "
            "them out. Run `backcheck ask` to answer every question and make them."
        )

    def top(self, n: int = 3) -> tuple[ConditionScore, ...]:
        """The ``n`` best-ranked conditions."""
        return self.conditions[:n]

    def answer_lines(self, *, brief: bool = False) -> list[tuple[str, str]]:
        """Each answered question with its answer in words.

        ``brief`` leaves out empty lists and gathers every "no" into one closing line.
        """
        if not brief:
            return [(a.short, a.text) for a in self.answered]
        lines = [(a.short, a.text) for a in self.answered if not (a.is_no or a.is_empty)]
        absent = [a.short.lower() for a in self.answered if a.is_no]
        if absent:
            lines.append(("Not present", ", ".join(absent)))
        return lines

    def self_help(self, n: int = 2) -> list[str]:
        """What may help, from the ``n`` best-ranked conditions, without repeats."""
        seen: dict[str, None] = {}
        for item in self.top(n):
            for tip in item.self_help:
                seen.setdefault(tip)
        return list(seen)
