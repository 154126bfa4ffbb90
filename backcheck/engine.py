"""Scoring and triage: answers in, a self-contained result out. Pure and deterministic.

Scores are given to 12 decimal places. Ranking ties are broken by a documented key: a higher
score first, then the higher prior (the more common condition), then the condition id in
alphabetical order. Conditions that a fired urgent or emergency sign points to, and that the
answers strongly support, are then moved to the front (see ``_pointed_first``).
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Callable
from itertools import repeat
from operator import getitem
from typing import Any, cast

from backcheck.knowledge.model import (
    Condition,
    Knowledge,
    PriorGate,
    Question,
    QuestionType,
    Verdict,
    WarningSign,
)
from backcheck.knowledge.rules import (
    Answer,
    Answers,
    Check,
    Match,
    Truth,
    When,
    compile_when,
    evaluate,
    matched_answers,
    questions_in,
    tests_in,
)
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
from backcheck.tuples import NamedTuple


def assess(
    knowledge: Knowledge,
    answers: Answers,
    version: int = 2,
    *,
    with_advice: bool = True,
    top: int | None = None,
) -> Result:
    """Triage and rank the conditions for ``answers``, given by a version-``version`` file.

    The whole floor applies to every version; a red flag newer than ``version`` that has no
    answer was never asked, so it is listed in ``not_asked`` and does not raise the verdict.
    ``with_advice=False`` leaves out what a JSON line never shows: the safety net
    (``safety_net`` is None) and the answers in words (``answered`` is empty).
    ``top`` keeps only that many of the likeliest conditions, for the result and its
    safety net; the verdict and its reasons still come from them all.
    """
    tested = _with_history(knowledge, answers)
    fired, possible = _signs(_index_of(knowledge), tested)
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
    if top is not None:
        ranking = ranking[:top]
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
        answered=answer_lines(knowledge, answers) if with_advice else (),
        answers_version=version,
        knowledge_version=knowledge.fingerprint,
    )
    if not with_advice:
        return result
    from backcheck.advice import pick_advice  # here: a JSON line never needs it

    return result._replace(safety_net=pick_advice(knowledge, result))


def _signs(index: _Index, tested: Answers) -> tuple[list[WarningSign], list[WarningSign]]:
    """The warning signs that hold and those that may (an answer is missing), in the
    knowledge's order. What a group of signs makes of the answers it reads is kept."""
    given = tuple(map(tested.get, index.sign_questions))
    outcomes: list[tuple[int, WarningSign, Truth]] = []
    for key_of, checks, known in index.sign_groups:
        key = key_of(given)
        outcome = known.get(key) if known is not None else None
        if outcome is None:
            outcome = tuple(
                (place, sign, truth)
                for place, sign, check in checks
                if (truth := check(tested)) is not False
            )
            if known is not None and len(known) < _KNOWN_MAX:
                known[key] = outcome
        outcomes += outcome
    if len(index.sign_groups) > 1:
        outcomes.sort(key=_place)
    fired = [sign for _, sign, truth in outcomes if truth is True]
    possible = [sign for _, sign, truth in outcomes if truth is None]
    return fired, possible


def _place(outcome: tuple[int, WarningSign, Truth]) -> int:
    return outcome[0]


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
        is_no = question.type == QuestionType.YES_NO and value == "no"
        lines.append(
            AnswerLine(qid, question.short, answer_words(question, value), is_no, value == ())
        )
    return tuple(lines)


def answer_words(question: Question, value: Answer) -> str:
    """An answer in the words the person saw: "Lower back, Buttock", "38", "None"."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        return ", ".join(question.label_of(v, short=True) for v in value) or "None"
    return question.label_of(value, short=True)


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
    every finding that holds. A condition's score and explanation depend only on the
    answers to the questions it reads (and on the age's band among the ages where its
    prior or its tests change), so its ranking entry is worked out once for each such set
    of answers and kept (see ``_Cache``): scoring an answer file is then a lookup per
    condition, in C (and one more for an explanation that quotes the age).
    """
    index = _index_of(knowledge)
    get = answers.get
    age = get("age")
    if type(age) is int and 0 <= age < index.ages:
        bands: tuple[object, ...] = index.bands_by_age[age]
    else:  # no age, or one outside the usual range: apart from every band
        bands = ((age,),) * index.band_sets
    given = (*map(get, index.questions), *bands)  # each condition's key is picked from these
    keys = map(operator.call, index.pickers, repeat(given))
    found = list(map(getitem, index.caches, keys))  # in the order of the tie-breaks
    if index.quoting and _PerAge in map(type, found):  # an explanation quotes the age
        found = [item[age] if isinstance(item, _PerAge) else item for item in found]
    scored = cast(list[ConditionScore], found)  # every _PerAge is resolved by now
    # Scores are kept to 12 places, so sums in another order (which differ in the last
    # bit) tie; the sort is stable, even reversed, and the conditions come in the order of
    # the tie-breaks (the higher prior, then the id), so sorting by the score alone ranks
    # by all three.
    scored.sort(key=_SCORE, reverse=True)
    return tuple(scored)


_SCORE = operator.itemgetter(2)  # a ConditionScore's score, read in C


class _Cache(dict[object, "ConditionScore | _PerAge"]):
    """One condition's scores by the answers it reads (its key, see ``_Plan.places``),
    each worked out when first asked for. The first ones seen are kept, at most
    ``_ENTRIES_MAX``, so memory stays flat however varied the answer files."""

    __slots__ = ("plan", "youngest")

    def __init__(self, plan: _Plan, youngest: dict[int, int]) -> None:
        super().__init__()
        self.plan = plan
        self.youngest = youngest  # the youngest age in each of its age bands

    def __missing__(self, key: object) -> ConditionScore | _PerAge:
        plan = self.plan
        values: tuple[Any, ...] = (key,) if len(plan.places) == 1 else key  # type: ignore[assignment]
        age = None
        known: tuple[Any, ...] = values
        if plan.aged:  # the age's band (in its set of bands) is the key's last answer
            band = values[-1]
            # every age in the band gets the same prior and makes the same tests hold
            age = self.youngest[band] if type(band) is int else band[0]
            values = values[:-1]
            if not plan.reads_age:  # then its findings are the same in every band
                known = values
        found = plan.known.get(known)
        if found is None:
            found = _found(plan, values, age)
            if len(plan.known) < _KNOWN_MAX:
                plan.known[known] = found
        weights, gate, fired, contributions, quotes_age = found
        log_odds = _prior_log_odds(plan, gate, age)
        for weight in weights:  # in the knowledge's order, as a reader adds them up
            log_odds += weight
        score = round(_sigmoid(log_odds), 12)  # to 12 places: see rank_conditions
        item: ConditionScore | _PerAge
        if quotes_age:  # the same score at every age of the band, in words of its own
            item = _PerAge(plan, values, score, gate, fired)
        else:
            condition = plan.condition
            item = ConditionScore(
                condition.id, condition.name, score, contributions, condition.self_help
            )
        if len(self) < _ENTRIES_MAX:
            self[key] = item
        return item


class _PerAge(dict[object, ConditionScore]):
    """One condition's entry for answers whose explanation quotes the age: the score and
    the findings of the age's band, with the explanation made for each age as answered
    (at most ``_AGES_MAX`` ages kept)."""

    __slots__ = ("answered", "fired", "gate", "plan", "score")

    def __init__(
        self,
        plan: _Plan,
        values: tuple[Any, ...],
        score: float,
        gate: PriorGate | None,
        fired: list[int],
    ) -> None:
        super().__init__()
        self.plan = plan
        self.answered = values  # the answers it reads, but for the age
        self.score = score
        self.gate = gate
        self.fired = fired

    def __missing__(self, age: object) -> ConditionScore:
        plan = self.plan
        answers = _answers_of(plan, self.answered, age)
        condition = plan.condition
        item = ConditionScore(
            condition.id,
            condition.name,
            self.score,
            _contributions(plan, self.gate, self.fired, answers),
            condition.self_help,
        )
        if len(self) < _AGES_MAX:
            self[age] = item
        return item


def _found(plan: _Plan, values: tuple[Any, ...], age: object) -> _Found:
    """What a condition's findings and gates make of the answers to what it reads, and of
    ``age`` when they read it."""
    answers = _answers_of(plan, values, age)
    fired = _holding(plan, answers)
    gate = _gate(plan, answers)
    weights = tuple(plan.weights[fi] for fi in fired)
    contributions = _contributions(plan, gate, fired, answers)
    quotes_age = False
    if plan.reads_age and age is not None:  # does the explanation quote the age?
        reads = [q for fi in fired for q in plan.rows[fi][1]]
        if gate is not None:
            reads += questions_in(gate.when)
        quotes_age = "age" in reads
    return weights, gate, fired, contributions, quotes_age


def _answers_of(plan: _Plan, values: tuple[Any, ...], age: object) -> Answers:
    """The answers given to what a condition reads, from its key's ``values`` and ``age``."""
    answers = {q: a for q, a in zip(plan.reads, values, strict=True) if a is not None}
    if plan.reads_age and age is not None:
        answers["age"] = age  # an int, or what was answered
    return answers


def _contributions(
    plan: _Plan, gate: PriorGate | None, fired: list[int], answers: Answers
) -> tuple[Contribution, ...]:
    """The explanation of a condition's score, or none when nothing moved it."""
    if not fired and gate is None:
        return ()
    prior = gate.prior if gate else plan.condition.prior
    return _explained(plan, gate, prior, fired, answers)


# The weights of a condition's findings that hold (in the knowledge's order), the gate
# that set its prior, those findings, the explanation, and whether the explanation quotes
# the age: what the answers to the questions a condition reads make of it (at any age
# when its tests do not read the age; in one age band when they do).
_Found = tuple[tuple[float, ...], "PriorGate | None", list[int], tuple[Contribution, ...], bool]


# One condition's score, the gate that set its prior (if any), that prior, and the
# findings that hold (indexes into its rows, in the knowledge's order).
Scored = tuple[float, "PriorGate | None", float, list[int]]


def score_conditions(knowledge: Knowledge, answers: Answers) -> list[Scored]:
    """The score of every condition in the knowledge's order, without explanations
    (worked out afresh, without what ``rank_conditions`` keeps)."""
    index = _index_of(knowledge)
    hits = _hits(index, answers)
    age = answers.get("age")
    scored: list[Scored] = []
    for plan in index.conditions:
        fired = _fired(hits[plan.ci])
        gate = _gate(plan, answers)
        log_odds = _prior_log_odds(plan, gate, age)
        weights = plan.weights
        for fi in fired:
            log_odds += weights[fi]
        prior = gate.prior if gate else plan.condition.prior
        scored.append((_sigmoid(log_odds), gate, prior, fired))
    return scored


def _hits(index: _Index, answers: Answers) -> list[list[int]]:
    """For every condition, its findings that hold (in no order, maybe twice)."""
    hits: list[list[int]] = [[] for _ in index.conditions]
    by_answer = index.by_answer
    for question, answer in answers.items():
        if answer is None or isinstance(answer, int):
            continue
        for option in (answer,) if isinstance(answer, str) else answer:
            for ci, fi in by_answer.get((question, option), ()):
                hits[ci].append(fi)
    for ci, fi, check in index.others:
        if check(answers) is True:
            hits[ci].append(fi)
    return hits


def _holding(plan: _Plan, answers: Answers) -> list[int]:
    """One condition's findings that hold, in the knowledge's order."""
    return [fi for fi, check in enumerate(plan.checks) if check(answers) is True]


def _fired(hits: list[int]) -> list[int]:
    """The findings that hold, each once, in the knowledge's order."""
    return sorted(set(hits)) if len(hits) > 1 else hits


def _gate(plan: _Plan, answers: Answers) -> PriorGate | None:
    """The first prior gate that holds, if any."""
    for check, candidate in plan.gates:
        if check(answers) is True:
            return candidate
    return None


def _prior_log_odds(plan: _Plan, gate: PriorGate | None, age: Answer | None) -> float:
    """The prior log-odds: the gate's prior or the condition's, shifted by the age."""
    condition = plan.condition
    if gate is not None:
        return _log_odds(condition, gate.prior, age)
    if not isinstance(age, int):
        return plan.log_odds
    if 0 <= age < len(plan.log_odds_by_age):
        known = plan.log_odds_by_age[age]
        if known is None:
            known = plan.log_odds_by_age[age] = _log_odds(condition, condition.prior, age)
        return known
    return _log_odds(condition, condition.prior, age)


def _log_odds(condition: Condition, prior: float, age: Answer | None) -> float:
    """The log of the prior odds, shifted by the age bands that ``age`` lies in."""
    odds = prior / (1 - prior)
    if isinstance(age, int):
        for band in condition.age_odds:
            if band.applies(age):
                odds *= band.factor
    return math.log(odds)


def _explained(
    plan: _Plan,
    gate: PriorGate | None,
    prior: float,
    fired: list[int],
    answers: Answers,
) -> tuple[Contribution, ...]:
    """The findings behind one condition's score, the largest weight first (stable).

    A finding's contribution depends only on the answers to the questions it reads, so
    each is made once per answer and shared between results (they never change)."""
    rows = plan.rows
    made = plan.contributions
    contributions = []
    for fi in sorted(fired, key=plan.order.__getitem__) if len(fired) > 1 else fired:
        question, questions, weight, because = rows[fi]
        key = (fi, answers.get(question)) if question else (fi, *map(answers.get, questions))
        contribution = made.get(key)
        if contribution is None:
            given = {q: a for q in questions if (a := answers.get(q)) is not None}
            contribution = Contribution(because, weight, given)
            if len(made) < _CONTRIBUTIONS_MAX:  # the first ones seen are kept: memory stays flat
                made[key] = contribution
        contributions.append(contribution)
    if gate is not None:
        shift = round(_logit(prior) - _logit(plan.condition.prior), 2)
        given = matched_answers(gate.when, answers)
        # first among the findings of the same size, as a stable sort of gate + findings
        at = next((i for i, c in enumerate(contributions) if abs(c.weight) <= abs(shift)), None)
        gated = Contribution(gate.because, shift, given)
        contributions.insert(len(contributions) if at is None else at, gated)
    return tuple(contributions)


# Contributions shared between results; at most this many are kept per condition, so
# memory stays flat however many and however varied the answer files (and grows with the
# knowledge only in proportion).
_CONTRIBUTIONS_MAX = 256


class _Plan(NamedTuple):
    """One condition arranged for scoring."""

    ci: int
    condition: Condition
    minus_prior: float  # the ranking's second key
    log_odds: float  # the prior log-odds without a gate or an age
    log_odds_by_age: list[float | None]  # the same by age from 0 (no gate), once seen
    gates: tuple[tuple[Check, PriorGate], ...]
    # per finding: (its question if it tests options of one answer, else the questions
    # its test reads; weight; because)
    rows: tuple[tuple[str | None, tuple[str, ...], float, str], ...]
    weights: tuple[float, ...]
    order: tuple[int, ...]  # each finding's place in an explanation (largest weight first)
    checks: tuple[Check, ...]  # every finding's test, compiled
    # the places, in ``_Index.questions`` and the age bands after them, of the answers its
    # findings and gates read but the age (its key, see ``_Cache``); those questions, in
    # that order; whether the last place is the band the age falls in among its own age
    # bands (the ages where its prior or its tests change: it has ``age_odds`` or its
    # tests read the age), and whether its tests read the age
    places: tuple[int, ...]
    reads: tuple[str, ...]
    aged: bool
    reads_age: bool
    # the answers to the questions it reads (and the age band, if its tests read the age)
    # -> what its findings and gates make of them
    known: dict[tuple[Any, ...], _Found]
    # (a finding, the answers to what it reads) -> its contribution to an explanation
    contributions: dict[tuple[int | Answer | None, ...], Contribution]


# Sets of answers kept per condition (see ``_Plan.known``) and per group of warning signs,
# and scores (those answers in an age band, see ``_Cache``); memory stays flat.
_KNOWN_MAX = 128
_ENTRIES_MAX = 2 * _KNOWN_MAX
# Ages kept per entry whose explanation quotes the age (see ``_PerAge``): each has its own
# explanation, so only a few are kept; the others are made again, which costs little.
_AGES_MAX = 2


class _Index(NamedTuple):
    """The knowledge's findings arranged for scoring many answer sets quickly."""

    conditions: tuple[_Plan, ...]
    # (question, option) -> the (condition, finding) pairs that this answer makes hold
    by_answer: dict[tuple[str, str], tuple[tuple[int, int], ...]]
    # findings that need the full test (ranges, all/any/not), compiled
    others: tuple[tuple[int, int, Check], ...]
    signs: tuple[tuple[WarningSign, Check], ...]  # every warning sign with its test compiled
    questions: tuple[str, ...]  # every question a condition reads
    sign_questions: tuple[str, ...]  # every question (and history fact) a sign reads
    # the signs that read no whole number, and those that do: each group with its key
    # (picked from the answers to sign_questions), its signs in place, and what it made of
    # the answers (None: not kept, as ages vary too much)
    sign_groups: tuple[
        tuple[
            Callable[[tuple[Answer | None, ...]], object],
            tuple[tuple[int, WarningSign, Check], ...],
            dict[object, tuple[tuple[int, WarningSign, Truth], ...]] | None,
        ],
        ...,
    ]
    ages: int  # log_odds_by_age and bands_by_age cover the ages below this
    # for each age, its band in each set of age bands that conditions have (a band: the
    # ages between two edges of the set, which shift the prior alike and make the same
    # tests hold)
    bands_by_age: tuple[tuple[int, ...], ...]
    band_sets: int  # how many sets of age bands there are
    # in the order of the ranking's tie-breaks (the higher prior, then the id), each
    # condition's key picker and its scores
    pickers: tuple[Callable[..., object], ...]
    caches: tuple[_Cache, ...]
    quoting: bool  # whether any condition's tests read the age (see ``_PerAge``)


_last_index: tuple[Knowledge, _Index] | None = None


def _index_of(knowledge: Knowledge) -> _Index:
    """The index for ``knowledge``, built once per knowledge object."""
    global _last_index
    if _last_index is not None and _last_index[0] is knowledge:
        return _last_index[1]
    age = knowledge.questions.get("age")
    ages = age.max + 1 if age and age.max is not None and 0 <= age.max <= 200 else 0
    integers = {q.id for q in knowledge.questions.values() if q.type == QuestionType.INTEGER}
    plans = []
    band_sets: dict[tuple[int, ...], int] = {}  # the edges of a set of age bands -> its place
    read_by: dict[str, int] = {}  # question -> its place in _Index.questions
    by_answer: dict[tuple[str, str], list[tuple[int, int]]] = {}
    others = []
    for ci, condition in enumerate(knowledge.conditions.values()):
        rows: list[tuple[str | None, tuple[str, ...], float, str]] = []
        for fi, finding in enumerate((*condition.findings, *condition.against)):
            test = finding.when
            if isinstance(test, Match) and test.values:
                rows.append((test.question, (test.question,), finding.weight, finding.because))
                for option in test.values:
                    by_answer.setdefault((test.question, option), []).append((ci, fi))
            else:
                reads = tuple(dict.fromkeys(questions_in(test)))
                rows.append((None, reads, finding.weight, finding.because))
                others.append((ci, fi, compile_when(test)))
        ranked = sorted(range(len(rows)), key=lambda fi: -abs(rows[fi][2]))
        order = [0] * len(rows)
        for place, fi in enumerate(ranked):
            order[fi] = place
        prior = condition.prior
        read = [q for row in rows for q in row[1]]
        read += [q for g in condition.prior_given for q in questions_in(g.when)]
        reads_age = "age" in read
        reads = tuple(q for q in dict.fromkeys(read) if q != "age")
        places = [read_by.setdefault(q, len(read_by)) for q in reads]
        aged = bool(condition.age_odds) or reads_age
        if aged:  # its set of age bands, by their edges; placed after the questions
            edges = {e for b in condition.age_odds for e in (b.at_least, b.below) if e is not None}
            if reads_age:  # and where its tests change
                tests = [f.when for f in (*condition.findings, *condition.against)]
                edges.update(_thresholds([*tests, *(g.when for g in condition.prior_given)]))
            places.append(band_sets.setdefault(tuple(sorted(edges)), len(band_sets)))
        plans.append(
            _Plan(
                ci,
                condition,
                -prior,
                _log_odds(condition, prior, None),
                [None] * ages,
                tuple((compile_when(g.when), g) for g in condition.prior_given),
                tuple(rows),
                tuple(row[2] for row in rows),
                tuple(order),
                tuple(compile_when(f.when) for f in (*condition.findings, *condition.against)),
                tuple(places),
                reads,
                aged,
                reads_age,
                {},
                {},
            )
        )
    signs = tuple((sign, compile_when(sign.when)) for sign in knowledge.warning_signs.values())
    sign_at: dict[str, int] = {}
    numbers = integers | {
        f.id for f in knowledge.history_facts.values() if f.type == QuestionType.INTEGER
    }
    grouped: dict[bool, list[tuple[int, WarningSign, Check]]] = {False: [], True: []}
    picked: dict[bool, list[int]] = {False: [], True: []}
    for place, (sign, check) in enumerate(signs):
        asks = tuple(dict.fromkeys(questions_in(sign.when)))
        by_number = bool(numbers.intersection(asks))
        grouped[by_number].append((place, sign, check))
        picked[by_number] += [sign_at.setdefault(q, len(sign_at)) for q in asks]
    groups: list[
        tuple[
            Callable[[tuple[Answer | None, ...]], object],
            tuple[tuple[int, WarningSign, Check], ...],
            dict[object, tuple[tuple[int, WarningSign, Truth], ...]] | None,
        ]
    ] = [
        (_picker(list(dict.fromkeys(picked[n]))), tuple(grouped[n]), None if n else {})
        for n in (False, True)
        if grouped[n]
    ]
    # the band places follow the questions; each set's bands by age, and their youngest
    bands_by_age = tuple(tuple(bisect.bisect_right(e, a) for e in band_sets) for a in range(ages))
    youngest: list[dict[int, int]] = [{} for _ in band_sets]
    for a, bands in enumerate(bands_by_age):
        for band_set, band in enumerate(bands):
            youngest[band_set].setdefault(band, a)
    asked = len(read_by)
    for ci, plan in enumerate(plans):
        if plan.aged:
            *places, band_set = plan.places
            plans[ci] = plan._replace(places=(*places, asked + band_set))
    by_prior = sorted(plans, key=lambda plan: (plan.minus_prior, plan.condition.id))
    index = _Index(
        tuple(plans),
        {k: tuple(v) for k, v in by_answer.items()},
        tuple(others),
        signs,
        tuple(read_by),
        tuple(sign_at),
        tuple(groups),
        ages,
        bands_by_age,
        len(band_sets),
        tuple(_picker(list(plan.places)) for plan in by_prior),
        tuple(
            _Cache(plan, youngest[plan.places[-1] - asked] if plan.aged else {})
            for plan in by_prior
        ),
        any(plan.reads_age for plan in plans),
    )
    _last_index = (knowledge, index)
    return index


def _thresholds(tests: list[When]) -> set[int]:
    """Every bound that ``tests`` compare the age to."""
    return {
        bound
        for test in tests
        for match in tests_in(test)
        if match.question == "age"
        for bound in (match.at_least, match.below)
        if bound is not None
    }


def _picker(places: list[int]) -> Callable[[tuple[Answer | None, ...]], object]:
    """A function picking ``places`` out of a tuple (as a tuple when there are several)."""
    if not places:
        return _nothing
    return operator.itemgetter(*places)


def _nothing(given: tuple[Answer | None, ...]) -> object:
    return ()


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)
