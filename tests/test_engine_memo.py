"""What the engine keeps between results (findings, gates and explanations per set of
answers a condition reads) never changes a result: a ranking from a warm engine equals
one worked out from the knowledge alone, finding by finding."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcheck import engine
from backcheck.knowledge.rules import evaluate, matched_answers, questions_in
from backcheck.result import Contribution
from tests.test_properties import KNOWLEDGE, SETTINGS, answer_sets


def _reference(answers: dict[str, Any]) -> dict[str, tuple[float, list[Contribution]]]:
    """Every condition's score and explanation, from its findings one by one."""
    out = {}
    age = answers.get("age")
    for condition in KNOWLEDGE.conditions.values():
        gate = next((g for g in condition.prior_given if evaluate(g.when, answers)), None)
        prior = gate.prior if gate else condition.prior
        odds = prior / (1 - prior)
        if isinstance(age, int):
            for band in condition.age_odds:
                if band.applies(age):
                    odds *= band.factor
        log_odds = math.log(odds)
        holding = [
            f for f in (*condition.findings, *condition.against) if evaluate(f.when, answers)
        ]
        for finding in holding:
            log_odds += finding.weight
        score = 1 / (1 + math.exp(-log_odds))
        why = [
            Contribution(
                f.because,
                f.weight,
                {q: answers[q] for q in questions_in(f.when) if answers.get(q) is not None},
            )
            for f in sorted(holding, key=lambda f: -abs(f.weight))
        ]
        if gate is not None:
            shift = round(_logit(gate.prior) - _logit(condition.prior), 2)
            at = next((i for i, c in enumerate(why) if abs(c.weight) <= abs(shift)), len(why))
            given = matched_answers(gate.when, answers)
            why.insert(at, Contribution(gate.because, shift, given))
        out[condition.id] = (score, why)
    return out


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


@SETTINGS
@given(st.lists(answer_sets, min_size=2, max_size=6))
def test_a_warm_engine_ranks_as_the_knowledge_alone_does(batch: list[dict[str, Any]]) -> None:
    for answers in batch:  # each set after the others: what was kept is reused
        ranking = engine.rank_conditions(KNOWLEDGE, answers)
        reference = _reference(answers)
        assert len(ranking) == len(reference)
        for item in ranking:
            score, why = reference[item.id]
            assert math.isclose(item.score, score, rel_tol=1e-9, abs_tol=1e-12)
            assert list(item.contributions) == why, item.id


@SETTINGS
@given(answer_sets, answer_sets)
def test_what_was_kept_from_other_answers_changes_nothing(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    engine.assess(KNOWLEDGE, first)
    warm = engine.assess(KNOWLEDGE, second)
    engine._last_index = None  # a new index keeps nothing
    cold = engine.assess(KNOWLEDGE, second)
    assert warm == cold  # verdict, reasons, signs not ruled out, ranking, safety net
    assert [c.score for c in warm.conditions] == [c.score for c in cold.conditions]


@pytest.mark.parametrize("order", ["young first", "old first"])
def test_every_age_gets_the_prior_of_its_own_bands(order: str) -> None:
    """Ages in the same bands of a condition share what is kept; no age gets another's."""
    question = KNOWLEDGE.questions["age"]
    ages = list(range(question.min or 0, (question.max or 120) + 1))
    if order == "old first":
        ages.reverse()
    base: dict[str, Any] = {
        "spread": "one_leg",
        "below_knee": "yes",
        "triggers": ("prolonged_sitting",),
    }
    engine._last_index = None
    for age in [*ages, None, -3, ages[0] + 200]:  # and ages outside the question's range
        answers = {**base, "age": age}
        reference = _reference(answers)
        for item in engine.rank_conditions(KNOWLEDGE, answers):
            assert item.score == pytest.approx(reference[item.id][0], rel=1e-12), (age, item.id)
    engine._last_index = None


def _everything(value: str) -> dict[str, Any]:
    """Every question but the age answered: yes/no with ``value``, choices with the first
    option (or all of them), so many findings that also compare the age come into play."""
    answers: dict[str, Any] = {}
    for question in KNOWLEDGE.questions.values():
        if question.type == "yes_no":
            answers[question.id] = value
        elif question.type == "single":
            answers[question.id] = question.option_ids[0]
        elif question.type == "multi":
            answers[question.id] = tuple(question.option_ids) if value == "yes" else ()
    return answers


@pytest.mark.parametrize("order", ["young first", "old first"])
@pytest.mark.parametrize("value", ["yes", "no"])
def test_every_age_gets_the_findings_and_words_of_its_own(order: str, value: str) -> None:
    """Ages on the same side of every threshold a condition's tests compare share what is
    kept, yet each explanation quotes its own age, and an age just over a threshold is
    never taken for one below it."""
    question = KNOWLEDGE.questions["age"]
    ages = list(range(question.min or 0, (question.max or 120) + 1))
    if order == "old first":
        ages.reverse()
    base = _everything(value)
    engine._last_index = None
    for age in [*ages, None]:
        answers = {**base, "age": age}
        reference = _reference(answers)
        for item in engine.rank_conditions(KNOWLEDGE, answers):
            score, why = reference[item.id]
            assert item.score == pytest.approx(score, rel=1e-12), (age, item.id)
            assert list(item.contributions) == why, (age, item.id)
    # the explanations that quote the age are kept for a few ages of each band only
    caches = engine._index_of(KNOWLEDGE).caches
    per_age = [v for cache in caches for v in cache.values() if type(v) is engine._PerAge]
    assert max(map(len, per_age)) == engine._AGES_MAX
    engine._last_index = None


@SETTINGS
@given(answer_sets)
def test_warning_signs_from_a_warm_engine_are_those_the_knowledge_gives(
    answers: dict[str, Any],
) -> None:
    tested = engine._with_history(KNOWLEDGE, answers)
    fired, possible = engine._signs(engine._index_of(KNOWLEDGE), tested)
    signs = KNOWLEDGE.warning_signs.values()
    assert fired == [s for s in signs if evaluate(s.when, tested) is True]
    assert possible == [s for s in signs if evaluate(s.when, tested) is None]


def test_what_is_kept_stays_bounded_however_varied_the_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory stays flat over a long batch: each cache stops growing at its limit."""
    from backcheck.output import jsonout

    monkeypatch.setattr(engine, "_KNOWN_MAX", 8)
    monkeypatch.setattr(engine, "_ENTRIES_MAX", 24)
    monkeypatch.setattr(engine, "_CONTRIBUTIONS_MAX", 16)
    monkeypatch.setattr(jsonout, "_LINES", 32)
    monkeypatch.setattr(jsonout, "_lines", {})
    monkeypatch.setattr(jsonout, "_TAILS", 48)
    monkeypatch.setattr(jsonout, "_ENTRIES", 56)
    monkeypatch.setattr(jsonout, "_by_entry", {})
    monkeypatch.setattr(jsonout, "_held", [])
    monkeypatch.setattr(jsonout, "_heads", {})
    monkeypatch.setattr(jsonout, "_tails", {})
    monkeypatch.setattr(jsonout, "_arrays", {})
    engine._last_index = None
    pick = random.Random(7)
    for _ in range(300):
        answers: dict[str, Any] = {}
        for question in KNOWLEDGE.questions.values():
            if question.type == "integer":
                answers[question.id] = pick.randint(question.min or 0, question.max or 99)
            elif question.type == "yes_no":
                answers[question.id] = pick.choice(["yes", "no"])
            elif question.type == "single":
                answers[question.id] = pick.choice(question.option_ids)
            else:
                answers[question.id] = tuple(o for o in question.option_ids if pick.random() < 0.3)
        jsonout.to_json_line(engine.assess(KNOWLEDGE, answers, with_advice=False))
    index = engine._index_of(KNOWLEDGE)
    plans = index.conditions
    assert max(len(p.known) for p in plans) == 8
    assert max(len(cache) for cache in index.caches) == 24
    assert max(len(p.contributions) for p in plans) == 16
    assert len(jsonout._lines) == 32
    assert len(jsonout._tails) == 48
    assert len(jsonout._arrays) == 48
    assert len(jsonout._held) == len(jsonout._by_entry) == 56
    assert len(jsonout._heads) == 48
    engine._last_index = None  # the next test starts with the usual limits
