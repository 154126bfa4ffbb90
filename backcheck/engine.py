"""Scoring and triage: answers in, a self-contained result out. Pure and deterministic.

Ranking ties (scores equal to 12 decimal places) are broken by a documented key: a higher
score first, then the higher prior (the more common condition), then the condition id in
alphabetical order. Conditions that a fired urgent or emergency sign points to, and that the
answers strongly support, are then moved to the front (see ``_pointed_first``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from backcheck.advice import pick_advice
from backcheck.knowledge.model import (
    Condition,
    Knowledge,
    PriorGate,
    Question,
    QuestionType,
    Verdict,
    WarningSign,
)
from backcheck.knowledge.rules import Answer, Answers, Match, When, evaluate, matched_answers
from backcheck.result import (
    AnswerLine,
    ConditionScore,
    Contribution,
    QuestionRef,
    Reason,
    ReasonKind,
    Result,
    SignRef,
)


def assess(knowledge: Knowledge, answers: Answers, version: int = 2) -> Result:
    """Triage and rank the conditions for ``answers``, given by a version-``version`` file.

    The whole floor applies to every version; a red flag newer than ``version`` that has no
    answer was never asked, so it is listed in ``not_asked`` and does not raise the verdict.
    """
    fired: list[WarningSign] = []
    possible: list[WarningSign] = []
    tested = _with_history(knowledge, answers)
    for sign in knowledge.warning_signs.values():
        truth = evaluate(sign.when, tested)
        if truth is True:
            fired.append(sign)
        elif truth is None:
            possible.append(sign)
    if possible:  # a sign that waits only on questions that do not apply is ruled out
        settled = {**tested, **_not_applicable(knowledge, answers)}
        possible = [s for s in possible if evaluate(s.when, settled) is not False]

    reasons = [Reason(ReasonKind.WARNING_SIGN, s.id, s.level, s.title, s.why) for s in fired]
    unknown = not_assessed(knowledge, answers)
    missing = tuple(q for q in unknown if q.since <= version)
    never_asked = tuple(q for q in unknown if q.since > version)
    if missing:
        level = knowledge.settings.unanswered_red_flag_level
        for question in missing:
            reasons.append(
                Reason(
                    ReasonKind.NOT_ASSESSED,
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
                    ReasonKind.CONDITION,
                    condition.id,
                    level,
                    f"Likely: {condition.name}",
                    f"A good match ({item.score:.0%}) for a condition a doctor should diagnose.",
                )
            )

    reasons.sort(key=lambda r: -r.level.rank)  # stable: knowledge order within a level
    verdict = reasons[0].level if reasons else Verdict.SELF_CARE
    relevant = [s for s in possible if s.level.rank > verdict.rank]
    info = knowledge.verdicts[verdict]
    ranking = _pointed_first(knowledge, fired, ranking)
    result = Result(
        answers=answers,
        verdict=verdict,
        verdict_title=info.title,
        advice=info.advice,
        emergency_hint=knowledge.settings.emergency_hint,
        disclaimer=knowledge.settings.disclaimer,
        reasons=tuple(reasons),
        not_assessed=tuple(QuestionRef(q.id, q.text, q.short) for q in missing),
        not_asked=tuple(QuestionRef(q.id, q.text, q.short) for q in never_asked),
        not_ruled_out=tuple(SignRef(s.id, s.level, s.title) for s in relevant),
        conditions=ranking,
        answered=answer_lines(knowledge, answers),
        answers_version=version,
        knowledge_version=knowledge.fingerprint,
    )
    return result._replace(safety_net=pick_advice(knowledge, result))


def _not_applicable(knowledge: Knowledge, answers: Answers) -> dict[str, Answer]:
    """Unanswered questions that do not apply (pregnancy for a man), as an answer that
    matches no test: a warning sign that waits only on them can no longer be set."""
    return {
        q.id: () if q.type == "multi" else ""
        for q in knowledge.questions.values()
        if q.id not in answers and q.asked_if is not None and evaluate(q.asked_if, answers) is False
    }


def _with_history(knowledge: Knowledge, answers: Answers) -> Answers:
    """The answers with every history fact not passed in set to '', which matches no test.

    Without earlier checks there is nothing to compare, so a sign on history facts does not
    hold and is not "not ruled out" either (the loader keeps facts out of `not`)."""
    absent = [f for f in knowledge.history_facts if answers.get(f) is None]
    if not absent:
        return answers
    return {**answers, **dict.fromkeys(absent, "")}


def _pointed_first(
    knowledge: Knowledge, fired: list[WarningSign], ranking: tuple[ConditionScore, ...]
) -> tuple[ConditionScore, ...]:
    """The conditions a fired urgent or emergency sign points to, supported by the answers,
    ranked first; the rest keep their order. Scores are unchanged.

    Supported: the condition's findings add more than nothing, and at least
    ``settings.pointed_evidence`` log-odds for an urgent sign (``pointed_evidence_emergency``
    for an emergency one). What an emergency sign points to comes before what an urgent
    one does, and by score within each.
    """
    settings = knowledge.settings
    pointed: dict[str, Verdict] = {}  # condition -> the most serious sign pointing to it
    for sign in fired:
        if sign.level.rank >= Verdict.URGENT.rank:
            for cid in sign.points_to:
                if cid not in pointed or sign.level.rank > pointed[cid].rank:
                    pointed[cid] = sign.level
    if not pointed:
        return ranking
    first = []
    for c in ranking:
        if c.id in pointed:
            evidence = sum(x.weight for x in c.contributions)
            floor = (
                settings.pointed_evidence_emergency
                if pointed[c.id] == Verdict.EMERGENCY
                else settings.pointed_evidence
            )
            if evidence > 0 and evidence >= floor:
                first.append(c)
    if not first:
        return ranking
    first.sort(key=lambda c: -pointed[c.id].rank)  # stable: by score within a level
    lifted = {c.id for c in first}
    return (*first, *(c for c in ranking if c.id not in lifted))


def answer_lines(knowledge: Knowledge, answers: Answers) -> tuple[AnswerLine, ...]:
    """Each answered question with its answer in words, in interview order."""
    lines = []
    for qid, question in knowledge.questions.items():
        value = answers.get(qid)
        if value is None:
            continue
        if isinstance(value, int):
            text = str(value)
        elif isinstance(value, tuple):
            text = ", ".join(question.label_of(v, short=True) for v in value) or "None"
        else:
            text = question.label_of(value, short=True)
        is_no = question.type == QuestionType.YES_NO and value == "no"
        lines.append(AnswerLine(qid, question.short, text, is_no, value == ()))
    return tuple(lines)


def not_assessed(knowledge: Knowledge, answers: Answers) -> tuple[Question, ...]:
    """Red-flag questions without an answer that the interview would ask (a branch that
    depends on an unanswered question is not counted: that question is the gap)."""
    return tuple(
        q
        for q in knowledge.red_flags
        if answers.get(q.id) is None
        and (q.asked_if is None or evaluate(q.asked_if, answers) is True)
    )


def rank_conditions(knowledge: Knowledge, answers: Answers) -> tuple[ConditionScore, ...]:
    """Every condition scored from 0 to 1, best first (ties: see the module docstring).

    Naive-Bayes log-odds per condition: the prior odds (shifted by age), plus the weight of
    every finding that holds. Findings are looked up from the answers given (see _Index),
    so the work grows with the findings that fire, not with all the findings there are.
    """
    index = _index_of(knowledge)
    hits: list[list[int]] = [[] for _ in index.conditions]
    for question, answer in answers.items():
        if answer is None or isinstance(answer, int):
            continue
        for option in (answer,) if isinstance(answer, str) else answer:
            for ci, fi in index.by_answer.get((question, option), ()):
                hits[ci].append(fi)
    for ci, fi in index.others:
        if evaluate(index.findings[ci][fi][1], answers) is True:
            hits[ci].append(fi)

    age = answers.get("age")
    scored = []
    for ci, condition in enumerate(index.conditions):
        prior, gate = _gated_prior(condition, answers)
        odds = prior / (1 - prior)
        if isinstance(age, int):
            for band in condition.age_odds:
                if band.applies(age):
                    odds *= band.factor
        log_odds = math.log(odds)
        contributions = []
        if gate is not None:
            shift = round(_logit(prior) - _logit(condition.prior), 2)
            given = matched_answers(gate.when, answers)
            contributions.append(Contribution(gate.because, shift, given))
        for fi in sorted(set(hits[ci])):  # in the knowledge's order, as a reader adds them up
            tested, test, weight, because = index.findings[ci][fi]
            log_odds += weight
            answer = answers.get(tested) if tested else None
            given = (
                {tested: answer}
                if tested and answer is not None
                else matched_answers(test, answers)
            )
            contributions.append(Contribution(because, weight, given))
        contributions.sort(key=lambda c: -abs(c.weight))
        item = ConditionScore(
            condition.id,
            condition.name,
            _sigmoid(log_odds),
            tuple(contributions),
            condition.self_help,
        )
        scored.append((item, condition))
    # Scores equal to 12 places are a tie (sums in another order differ in the last bit).
    scored.sort(key=lambda pair: (-round(pair[0].score, 12), -pair[1].prior, pair[1].id))
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
        rows: list[tuple[str | None, When, float, str]] = []
        for fi, finding in enumerate((*condition.findings, *condition.against)):
            test = finding.when
            if isinstance(test, Match) and test.values:
                rows.append((test.question, test, finding.weight, finding.because))
                for option in test.values:
                    by_answer.setdefault((test.question, option), []).append((ci, fi))
            else:
                rows.append((None, test, finding.weight, finding.because))
                others.append((ci, fi))
        findings.append(tuple(rows))
    index = _Index(
        conditions, tuple(findings), {k: tuple(v) for k, v in by_answer.items()}, tuple(others)
    )
    _last_index = (knowledge, index)
    return index


def _gated_prior(condition: Condition, answers: Answers) -> tuple[float, PriorGate | None]:
    """The prior of the first gate that holds, else the condition's own prior."""
    for gate in condition.prior_given:
        if evaluate(gate.when, answers) is True:
            return gate.prior, gate
    return condition.prior, None


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)
