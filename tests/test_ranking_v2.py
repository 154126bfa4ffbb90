"""A cause outside the spine that a fired warning sign points to ranks in the top three."""

from __future__ import annotations

from typing import Any

import pytest

from backcheck.engine import assess
from backcheck.knowledge.model import Knowledge
from tests.conftest import full_answers

NO_TRIGGER: dict[str, Any] = {"triggers": (), "worse_with": (), "better_with": ()}

CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "kidney_stone",
        {
            **NO_TRIGGER,
            "colicky_pain": "yes",
            "onset": "sudden",
            "duration": "under_a_day",
            "location": ("mid_back",),
            "age": 40,
        },
    ),
    (
        "kidney_infection",
        {
            **NO_TRIGGER,
            "fever": "yes",
            "urinary_symptoms": "yes",
            "sex": "female",
            "pregnancy": "not_pregnant",
            "location": ("mid_back", "lower_back"),
            "age": 28,
        },
    ),
    (
        "aortic_aneurysm",
        {
            **NO_TRIGGER,
            "abdominal_pain": "yes",
            "age": 70,
            "onset": "sudden",
            "history": ("smoker",),
        },
    ),
    (
        "pregnancy_back_pain",
        {
            "sex": "female",
            "pregnancy": "pregnant",
            "pregnancy_signs": (),
            "triggers": (),
            "worse_with": ("standing_or_walking",),
            "age": 30,
        },
    ),
]


@pytest.mark.parametrize(("condition", "overrides"), CASES, ids=[c for c, _ in CASES])
def test_the_cause_a_warning_sign_points_to_ranks_top_three(
    knowledge: Knowledge, condition: str, overrides: dict[str, Any]
) -> None:
    result = assess(knowledge, full_answers(**overrides))
    assert condition in [c.id for c in result.top(3)]


@pytest.mark.parametrize(("condition", "overrides"), CASES[:3], ids=[c for c, _ in CASES[:3]])
def test_the_summary_says_why_a_cause_outside_the_spine_is_suspected(
    knowledge: Knowledge, condition: str, overrides: dict[str, Any]
) -> None:
    result = assess(knowledge, full_answers(**overrides))
    signs = [r for r in result.reasons if r.kind == "warning_sign"]
    linked = set(knowledge.conditions[condition].warning_signs)
    assert any(r.id in linked for r in signs)
    assert any(
        word in r.why for r in signs for word in ("kidney", "aneurysm", "not a back problem")
    )


def test_without_those_answers_the_outside_causes_stay_low(knowledge: Knowledge) -> None:
    result = assess(knowledge, full_answers())
    outside = {c.id for c in knowledge.conditions.values() if c.category == "elsewhere"}
    assert not outside & {c.id for c in result.top(3)}
