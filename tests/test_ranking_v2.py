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


def test_an_emergency_sign_leads_with_what_it_points_to_when_the_answers_support_it(
    knowledge: Knowledge,
) -> None:
    # a heart attack felt between the shoulder blades, with no chest pain: fainting, cold
    # and sweaty, in an older woman with diabetes
    answers = full_answers(
        **NO_TRIGGER,
        fainting="yes",
        location=("upper_back",),
        onset="sudden",
        duration="under_a_day",
        history=("diabetes",),
        age=71,
        sex="female",
        impact="severe",
    )
    ranked = [c.id for c in assess(knowledge, answers).conditions]
    assert ranked[0] == "heart_attack"
    # an aneurysm of the belly aorta is less likely when the pain is only higher up
    assert ranked.index("aortic_aneurysm") > ranked.index("heart_attack")


def test_a_change_in_sexual_function_keeps_cauda_equina_first_with_a_normal_bladder(
    knowledge: Knowledge,
) -> None:
    answers = full_answers(
        sexual_function="yes",
        spread="both_legs",
        below_knee="yes",
        sensation=("pain", "tingling"),
        duration="weeks",
        course="worsening",
    )
    result = assess(knowledge, answers)
    assert result.conditions[0].id == "cauda_equina_syndrome"
    assert result.verdict.value == "emergency"


def test_an_everyday_ache_with_a_ticked_emergency_sign_still_shows_the_likely_cause(
    knowledge: Knowledge,
) -> None:
    """What the sign points to leads, but only when the answers make it at least about three
    times as likely: a weakly supported one does not push the likeliest cause out of sight."""
    answers = full_answers(chest_symptoms="yes", triggers=("prolonged_sitting",))
    result = assess(knowledge, answers)
    assert result.verdict.value == "emergency"
    top3 = [c.id for c in result.conditions[:3]]
    assert any(c in top3 for c in ("heart_attack", "pulmonary_embolism", "aortic_dissection"))
    assert {"poor_posture", "muscle_strain"} & set(top3)
