"""Properties over generated answer sets: safe, deterministic, monotone, bounded."""

from __future__ import annotations

import json
import math
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from backcheck.engine import assess, rank_conditions
from backcheck.knowledge.loading import load_knowledge
from backcheck.knowledge.model import Question, Verdict
from backcheck.knowledge.rules import AllOf, AnyOf, Match, Not, Unless, When, evaluate
from backcheck.result import ConditionScore

KNOWLEDGE = load_knowledge()
ALWAYS_RED_FLAGS = [q.id for q in KNOWLEDGE.red_flags if q.asked_if is None]
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answer(question: Question) -> st.SearchStrategy[Any]:
    if question.type == "integer":
        return st.integers(question.min or 0, question.max or 120)
    if question.type == "yes_no":
        return st.sampled_from(["yes", "no"])
    if question.type == "single":
        return st.sampled_from(question.option_ids)
    return st.lists(st.sampled_from(question.option_ids), unique=True).map(tuple)


def _maybe(question: Question) -> st.SearchStrategy[Any]:
    # A question may be answered, asked and left "not sure" (None), or never asked.
    return st.one_of(_answer(question), st.just(None), st.just(_ABSENT))


_ABSENT = object()
answer_sets = st.fixed_dictionaries({q.id: _maybe(q) for q in KNOWLEDGE.questions.values()}).map(
    lambda d: {k: v for k, v in d.items() if v is not _ABSENT}
)
complete_sets = st.fixed_dictionaries({q.id: _answer(q) for q in KNOWLEDGE.questions.values()})


QUESTIONS_AND_FACTS = {**KNOWLEDGE.questions, **KNOWLEDGE.history_facts}


def _satisfy(test: When, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers changed as little as possible so that ``test`` holds (tests use no `not`)."""
    out = dict(answers)
    if isinstance(test, Match):
        question = QUESTIONS_AND_FACTS[test.question]
        if question.type == "integer":
            out[test.question] = test.at_least if test.at_least is not None else 0
        elif question.type == "multi":
            current = out.get(test.question) or ()
            out[test.question] = (*current, sorted(test.values)[0])
        else:
            out[test.question] = sorted(test.values)[0]
    elif isinstance(test, AllOf):
        for part in test.parts:
            out = _satisfy(part, out)
    elif isinstance(test, AnyOf):
        out = _satisfy(test.parts[0], out)
    elif isinstance(test, Unless):
        inner = test.part
        assert isinstance(inner, Match), "`unless` in warning signs wraps one question's test"
        if evaluate(inner, out) is True:  # give another option than the ones it names
            options = QUESTIONS_AND_FACTS[inner.question].option_ids
            out[inner.question] = next(o for o in options if o not in inner.values)
    else:
        assert not isinstance(test, Not), "warning signs are written without `not`"
    return out


@SETTINGS
@given(answer_sets)
def test_never_an_exception_and_always_the_same_result(answers: dict[str, Any]) -> None:
    first = assess(KNOWLEDGE, answers)
    assert assess(KNOWLEDGE, dict(answers)) == first


@SETTINGS
@given(answer_sets)
def test_scores_are_bounded_and_the_ranking_total_and_stable(answers: dict[str, Any]) -> None:
    ranking = rank_conditions(KNOWLEDGE, answers)
    assert sorted(c.id for c in ranking) == sorted(KNOWLEDGE.conditions)
    assert all(0.0 <= c.score <= 1.0 for c in ranking)
    keys = [(-round(c.score, 12), -KNOWLEDGE.conditions[c.id].prior, c.id) for c in ranking]
    assert keys == sorted(keys)


@SETTINGS
@given(answer_sets, st.sampled_from(sorted(KNOWLEDGE.warning_signs)))
def test_adding_a_warning_sign_never_lowers_the_verdict(
    answers: dict[str, Any], sign_id: str
) -> None:
    sign = KNOWLEDGE.warning_signs[sign_id]
    before = assess(KNOWLEDGE, answers).verdict
    after_answers = _satisfy(sign.when, answers)
    assert evaluate(sign.when, after_answers) is True
    # Adding a sign never replaces a single answer already given (a fall turned into a
    # sports injury is a different story, not an added sign).
    assume(
        all(
            answers.get(q) in (None, v, "none")
            for q, v in after_answers.items()
            if QUESTIONS_AND_FACTS[q].type in ("single", "integer")
        )
    )
    after = assess(KNOWLEDGE, after_answers).verdict
    assert after.rank >= max(before.rank, sign.level.rank)


@SETTINGS
@given(answer_sets, st.sampled_from(ALWAYS_RED_FLAGS))
def test_a_red_flag_yes_never_lowers_the_verdict(answers: dict[str, Any], question: str) -> None:
    before = assess(KNOWLEDGE, answers).verdict
    value = "fall" if question == "injury" else "yes"
    after = assess(KNOWLEDGE, {**answers, question: value}).verdict
    assert after.rank >= max(before.rank, Verdict.SEE_DOCTOR.rank)


EMERGENCY_SIGNS = sorted(
    s.id for s in KNOWLEDGE.warning_signs.values() if s.level == Verdict.EMERGENCY
)


@SETTINGS
@given(complete_sets, st.sampled_from(EMERGENCY_SIGNS))
def test_each_emergency_sign_alone_gives_emergency(answers: dict[str, Any], sign_id: str) -> None:
    sign = KNOWLEDGE.warning_signs[sign_id]
    assert assess(KNOWLEDGE, _satisfy(sign.when, {})).verdict == Verdict.EMERGENCY
    assert assess(KNOWLEDGE, _satisfy(sign.when, answers)).verdict == Verdict.EMERGENCY


@SETTINGS
@given(complete_sets, st.sampled_from(ALWAYS_RED_FLAGS), st.booleans())
def test_an_unanswered_red_flag_never_yields_self_care(
    answers: dict[str, Any], question: str, as_none: bool
) -> None:
    if as_none:
        answers = {**answers, question: None}
    else:
        answers = {k: v for k, v in answers.items() if k != question}
    result = assess(KNOWLEDGE, answers)
    assert result.verdict != Verdict.SELF_CARE
    assert question in {q.id for q in result.not_assessed}


@SETTINGS
@given(answer_sets)
def test_never_below_the_contracts_independent_floor(
    check_vignettes: ModuleType, contract: Any, answers: dict[str, Any]
) -> None:
    theirs = {
        k: list(v) if isinstance(v, tuple) else v for k, v in answers.items() if v is not None
    }
    floor, _ = check_vignettes.triage_floor(contract, theirs)
    assert assess(KNOWLEDGE, answers).verdict.rank >= Verdict(floor).rank


@SETTINGS
@given(answer_sets, st.text(max_size=30))
def test_the_fast_json_line_is_exactly_the_contract_object(
    answers: dict[str, Any], source: str
) -> None:
    import json

    from backcheck.output.jsonout import to_dict, to_json_line

    assessment = assess(KNOWLEDGE, answers)
    line = to_json_line(assessment, source)
    assert "\n" not in line
    assert json.loads(line) == json.loads(json.dumps(to_dict(assessment, source)))


@given(
    st.floats(min_value=0.0, max_value=1.0)
    | st.sampled_from([0.0, 1.0, 0.5, 5e-05, 4.9999e-05, 0.99995, 0.999949, 0.00015, 1e-12])
)
def test_a_score_is_written_as_json_writes_it_rounded(score: float) -> None:
    from backcheck.output.jsonout import score_text

    assert score_text(score) == json.dumps(round(score, 4))


def _reference_ranking(answers: dict[str, Any]) -> list[tuple[str, float, list[tuple[str, float]]]]:
    """The scoring model written as plainly as possible: each finding tested in turn."""
    import math

    rows = []
    for condition in KNOWLEDGE.conditions.values():
        gates = [g for g in condition.prior_given if evaluate(g.when, answers) is True]
        prior = gates[0].prior if gates else condition.prior
        odds = prior / (1 - prior)
        age = answers.get("age")
        if isinstance(age, int):
            for band in condition.age_odds:
                if band.applies(age):
                    odds *= band.factor
        log_odds = math.log(odds)
        held = []
        if gates:
            base = condition.prior / (1 - condition.prior)
            held.append(
                (gates[0].because, round(math.log(prior / (1 - prior)) - math.log(base), 2))
            )
        for finding in (*condition.findings, *condition.against):
            if evaluate(finding.when, answers) is True:
                log_odds += finding.weight
                held.append((finding.because, finding.weight))
        held.sort(key=lambda pair: -abs(pair[1]))
        rows.append((condition, 1 / (1 + math.exp(-log_odds)), held))
    rows.sort(key=lambda r: (-round(r[1], 12), -r[0].prior, r[0].id))
    return [(c.id, score, held) for c, score, held in rows]


@SETTINGS
@given(answer_sets)
def test_the_indexed_ranking_equals_the_plain_model(answers: dict[str, Any]) -> None:
    ranking = rank_conditions(KNOWLEDGE, answers)
    mine = [(c.id, c.score, [(x.because, x.weight) for x in c.contributions]) for c in ranking]
    reference = _reference_ranking(answers)
    assert [m[0] for m in mine] == [r[0] for r in reference]
    for (_, score, held), (_, expected, expected_held) in zip(mine, reference, strict=True):
        assert score == round(score, 12)  # scores are given to 12 decimal places
        assert math.isclose(score, expected, rel_tol=1e-12, abs_tol=5e-13)
        assert held == expected_held


@SETTINGS
@given(st.data())
def test_the_generated_answers_are_answers_the_files_accept(data: st.DataObject) -> None:
    """The strategies behind every property cover each question with valid answers only."""
    from backcheck.answers import parse_answer
    from backcheck.knowledge.fields import Fields

    fields = Fields("generated")
    for question in KNOWLEDGE.questions.values():
        value = data.draw(_answer(question))
        parse_answer(question, list(value) if isinstance(value, tuple) else value, fields)
    assert fields.problems == []


@SETTINGS
@given(answer_sets)
def test_only_conditions_a_fired_serious_sign_points_to_move_ahead(answers: dict[str, Any]) -> None:
    """The result's ranking is the score ranking with some conditions moved to the front:
    each one pointed to by a fired urgent or emergency sign and supported by the answers
    (the emergency ones first)."""
    result = assess(KNOWLEDGE, answers)
    by_score = [c.id for c in rank_conditions(KNOWLEDGE, answers)]
    fired = [KNOWLEDGE.warning_signs[r.id] for r in result.reasons if r.kind == "warning_sign"]
    settings = KNOWLEDGE.settings
    level: dict[str, int] = {}
    for sign in fired:
        if sign.level.rank >= Verdict.URGENT.rank:
            for cid in sign.points_to:
                level[cid] = max(level.get(cid, 0), sign.level.rank)
    shown = [c.id for c in result.conditions]

    def supported(c: ConditionScore) -> bool:
        evidence = sum(x.weight for x in c.contributions)
        emergency = level[c.id] == Verdict.EMERGENCY.rank
        floor = settings.pointed_evidence_emergency if emergency else settings.pointed_evidence
        return evidence > 0 and evidence >= floor

    candidates = [c for c in rank_conditions(KNOWLEDGE, answers) if c.id in level]
    lifted = [c.id for c in sorted(filter(supported, candidates), key=lambda c: -level[c.id])]
    assert shown == lifted + [c for c in by_score if c not in lifted]
    assert sorted(c.score for c in result.conditions) == sorted(
        c.score for c in rank_conditions(KNOWLEDGE, answers)
    )
