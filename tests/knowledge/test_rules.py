"""The test language: three-valued, so unknown is never read as no."""

from __future__ import annotations

from backcheck.knowledge.rules import AllOf, AnyOf, Match, Not, evaluate

FEVER = Match("fever", frozenset({"yes"}))
NUMB = Match("sensation", frozenset({"numbness"}))
OLD = Match("age", at_least=50)


def test_match_on_each_answer_type() -> None:
    assert evaluate(FEVER, {"fever": "yes"}) is True
    assert evaluate(FEVER, {"fever": "no"}) is False
    assert evaluate(NUMB, {"sensation": ("pain", "numbness")}) is True
    assert evaluate(NUMB, {"sensation": ()}) is False
    assert evaluate(OLD, {"age": 50}) is True
    assert evaluate(OLD, {"age": 49}) is False
    assert evaluate(Match("age", below=18), {"age": 18}) is False


def test_unanswered_is_unknown() -> None:
    assert evaluate(FEVER, {}) is None
    assert evaluate(Not(FEVER), {}) is None


def test_all_and_any_follow_three_valued_logic() -> None:
    both = AllOf((FEVER, NUMB))
    either = AnyOf((FEVER, NUMB))
    assert evaluate(both, {"fever": "no"}) is False  # known false whatever the rest
    assert evaluate(both, {"fever": "yes"}) is None  # could still hold
    assert evaluate(both, {"fever": "yes", "sensation": ("numbness",)}) is True
    assert evaluate(either, {"fever": "yes"}) is True
    assert evaluate(either, {"fever": "no"}) is None
    assert evaluate(either, {"fever": "no", "sensation": ()}) is False
