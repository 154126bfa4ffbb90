"""Scoring and triage: answers in, verdict and ranking out. Pure and deterministic."""

from __future__ import annotations

import math
from typing import NamedTuple

from backcheck.knowledge import Condition, Knowledge, Question, Verdict, WarningSign
from backcheck.when import Answer, Answers, Match, When, evaluate, matched_answers, questions_in


class Reason(NamedTuple):
    """Why the verdict is what it is: a warning sign, a missing answer or a likely condition."""

    kind: str  # "warning_sign" | "not_assessed" | "condition"
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
    """A condition's place in the ranking."""

    id: str
    name: str
    score: float
    contributions: tuple[Contribution, ...]


class Assessment(NamedTuple):
    """The result for one set of answers."""

    verdict: Verdict
    reasons: tuple[Reason, ...]
    not_assessed: tuple[str, ...]
    not_ruled_out: tuple[WarningSign, ...]
    conditions: tuple[ConditionScore, ...]

    def top(self, n: int = 3) -> tuple[ConditionScore, ...]:
        """The ``n`` best-ranked conditions."""
        return self.conditions[:n]


def assess(knowledge: Knowledge, answers: Answers) -> Assessment:
    """Triage and rank the conditions for ``answers``."""
    fired: list[WarningSign] = []
    possible: list[WarningSign] = []
    for sign in knowledge.warning_signs.values():
        truth = evaluate(sign.when, answers)
        if truth is True:
            fired.append(sign)
        elif truth is None:
            possible.append(sign)

    reasons = [Reason("warning_sign", s.id, s.level, s.title, s.why) for s in fired]
    missing = not_assessed(knowledge, answers)
    if missing:
        level = knowledge.settings.unanswered_red_flag_level
        for question in missing:
            reasons.append(
                Reason(
                    "not_assessed",
                    question.id,
                    level,
                    f"Not assessed: {question.text}",
                    question.help,
                )
            )

    ranking = rank_conditions(knowledge, answers)
    threshold = knowledge.settings.condition_raise_score
    for item in ranking:
        if item.score < threshold:
            break
        condition = knowledge.conditions[item.id]
        # A ranking may raise the verdict to see_doctor, never further: every warning sign
        # sets at least see_doctor, so adding one can never lower the verdict.
        level = min(condition.triage, Verdict.SEE_DOCTOR, key=lambda v: v.rank)
        if level != Verdict.SELF_CARE:
            reasons.append(
                Reason(
                    "condition",
                    condition.id,
                    level,
                    f"Likely: {condition.name}",
                    f"A good match ({item.score:.0%}) for a condition a doctor should diagnose.",
                )
            )

    reasons.sort(key=lambda r: -r.level.rank)  # stable: knowledge order within a level
    verdict = reasons[0].level if reasons else Verdict.SELF_CARE
    relevant = [s for s in possible if s.level.rank > verdict.rank]
    return Assessment(
        verdict=verdict,
        reasons=tuple(reasons),
        not_assessed=tuple(q.id for q in missing),
        not_ruled_out=tuple(relevant),
        conditions=ranking,
    )


def not_assessed(knowledge: Knowledge, answers: Answers) -> tuple[Question, ...]:
    """Red-flag questions without an answer that the interview would (or might) ask."""
    return tuple(
        q
        for q in knowledge.red_flags
        if answers.get(q.id) is None
        and (q.asked_if is None or evaluate(q.asked_if, answers) is not False)
    )


def rank_conditions(knowledge: Knowledge, answers: Answers) -> tuple[ConditionScore, ...]:
    """Every condition scored from 0 to 1, best first; ties go to the higher prior, then the id."""
    scored = [(score_condition(c, answers), c) for c in knowledge.conditions.values()]
    scored.sort(key=lambda pair: (-pair[0].score, -pair[1].prior, pair[1].id))
    return tuple(item for item, _ in scored)


def score_condition(condition: Condition, answers: Answers) -> ConditionScore:
    """Naive-Bayes log-odds: prior odds (shifted by age) plus the weights of findings that hold."""
    odds = condition.prior / (1 - condition.prior)
    age = answers.get("age")
    if isinstance(age, int):
        for band in condition.age_odds:
            if band.applies(age):
                odds *= band.factor
    log_odds = math.log(odds)
    contributions = []
    get = answers.get
    for question, values, test, weight, because in _plain_findings(condition):
        if question is not None:  # one answer tested for options: checked inline, for speed
            answer = get(question)
            if answer is None:
                continue
            if type(answer) is str:
                if answer not in values:
                    continue
            elif values.isdisjoint(answer):  # type: ignore[arg-type]
                continue
            log_odds += weight
            contributions.append(Contribution(because, weight, {question: answer}))
        elif evaluate(test, answers) is True:
            log_odds += weight
            contributions.append(Contribution(because, weight, matched_answers(test, answers)))
    contributions.sort(key=lambda c: -abs(c.weight))
    return ConditionScore(condition.id, condition.name, _sigmoid(log_odds), tuple(contributions))


_PlainFinding = tuple[str | None, frozenset[str], When, float, str]
_plain_cache: dict[int, tuple[Condition, tuple[_PlainFinding, ...]]] = {}


def _plain_findings(condition: Condition) -> tuple[_PlainFinding, ...]:
    """The findings as plain tuples, with the question and options set out for option tests.

    A batch scores thousands of files against the same conditions; unpacking plain tuples
    avoids most attribute look-ups. Cached per condition object (checked by identity).
    """
    cached = _plain_cache.get(id(condition))
    if cached is not None and cached[0] is condition:
        return cached[1]
    plain = []
    for finding in (*condition.findings, *condition.against):
        test = finding.when
        simple = (
            type(test) is Match and test.values and test.at_least is None and test.below is None
        )
        question = test.question if simple else None  # type: ignore[union-attr]
        values = test.values if simple else frozenset()  # type: ignore[union-attr]
        plain.append((question, values, test, finding.weight, finding.because))
    _plain_cache[id(condition)] = (condition, tuple(plain))
    return tuple(plain)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def involved_questions(sign: WarningSign) -> tuple[str, ...]:
    """The questions a warning sign reads, each once."""
    return tuple(dict.fromkeys(questions_in(sign.when)))
