"""Scoring and triage: answers in, verdict and ranking out. Pure and deterministic."""

from __future__ import annotations

import math
from typing import NamedTuple

from backcheck.knowledge.model import Condition, Knowledge, Question, Verdict, WarningSign
from backcheck.knowledge.rules import Answer, Answers, Match, When, evaluate, matched_answers


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
    """Every condition scored from 0 to 1, best first; ties go to the higher prior, then the id.

    Naive-Bayes log-odds per condition: the prior odds (shifted by age), plus the weight of
    every finding that holds. Findings are looked up from the answers given (see _Index),
    so the work grows with the findings that fire, not with all the findings there are.
    """
    index = _index_of(knowledge)
    hits: list[list[int]] = [[] for _ in index.conditions]
    for question, answer in answers.items():
        if answer is None or type(answer) is int:
            continue
        for option in (answer,) if type(answer) is str else answer:  # type: ignore[union-attr]
            for ci, fi in index.by_answer.get((question, option), ()):
                hits[ci].append(fi)
    for ci, fi in index.others:
        if evaluate(index.findings[ci][fi][1], answers) is True:
            hits[ci].append(fi)

    age = answers.get("age")
    scored = []
    for ci, condition in enumerate(index.conditions):
        odds = condition.prior / (1 - condition.prior)
        if isinstance(age, int):
            for band in condition.age_odds:
                if band.applies(age):
                    odds *= band.factor
        log_odds = math.log(odds)
        contributions = []
        for fi in sorted(set(hits[ci])):  # in the knowledge's order, as a reader adds them up
            tested, test, weight, because = index.findings[ci][fi]
            log_odds += weight
            given = {tested: answers[tested]} if tested else matched_answers(test, answers)
            contributions.append(Contribution(because, weight, given))  # type: ignore[arg-type]
        contributions.sort(key=lambda c: -abs(c.weight))
        item = ConditionScore(
            condition.id, condition.name, _sigmoid(log_odds), tuple(contributions)
        )
        scored.append((item, condition))
    scored.sort(key=lambda pair: (-pair[0].score, -pair[1].prior, pair[1].id))
    return tuple(item for item, _ in scored)


class _Index(NamedTuple):
    """The knowledge's findings arranged for scoring many answer sets quickly."""

    conditions: tuple[Condition, ...]
    # per condition, per finding: (its question if it tests options of one answer, the
    # test, weight, because)
    findings: tuple[tuple[tuple[str | None, When, float, str], ...], ...]
    # (question, option) -> the (condition, finding) pairs that this answer makes hold
    by_answer: dict[tuple[str, str], tuple[tuple[int, int], ...]]
    # findings that need the full test (ranges, all/any/not)
    others: tuple[tuple[int, int], ...]


_last_index: tuple[Knowledge, _Index] | None = None


def _index_of(knowledge: Knowledge) -> _Index:
    """The index for ``knowledge``, built once per knowledge object."""
    global _last_index
    if _last_index is not None and _last_index[0] is knowledge:
        return _last_index[1]
    conditions = tuple(knowledge.conditions.values())
    findings = []
    by_answer: dict[tuple[str, str], list[tuple[int, int]]] = {}
    others = []
    for ci, condition in enumerate(conditions):
        rows = []
        for fi, finding in enumerate((*condition.findings, *condition.against)):
            test = finding.when
            simple = type(test) is Match and bool(test.values)
            rows.append((test.question if simple else None, test, finding.weight, finding.because))  # type: ignore[union-attr]
            if simple:
                for option in test.values:  # type: ignore[union-attr]
                    by_answer.setdefault((test.question, option), []).append((ci, fi))  # type: ignore[union-attr]
            else:
                others.append((ci, fi))
        findings.append(tuple(rows))
    index = _Index(
        conditions, tuple(findings), {k: tuple(v) for k, v in by_answer.items()}, tuple(others)
    )
    _last_index = (knowledge, index)
    return index


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)
