"""The contract's safety-floor table, one rule at a time, as warning signs in data/."""

from __future__ import annotations

from typing import Any

import pytest

from backcheck.engine import assess
from backcheck.knowledge.model import Knowledge, Verdict
from tests.conftest import full_answers

E, U, S = Verdict.EMERGENCY, Verdict.URGENT, Verdict.SEE_DOCTOR

# (the rule's warning sign, the answers that set it on an otherwise benign case, its level)
FLOOR_RULES: list[tuple[str, dict[str, Any], Verdict]] = [
    ("bladder_bowel_change", {"bladder_bowel": "yes"}, E),
    ("saddle_numbness", {"saddle_numbness": "yes"}, E),
    ("progressing_leg_weakness", {"leg_weakness": "yes", "weakness_progressing": "yes"}, E),
    ("injury_with_nerve_signs", {"injury": "fall", "sensation": ("numbness",)}, E),
    (
        "injury_with_nerve_signs",
        {"injury": "road_accident", "leg_weakness": "yes", "weakness_progressing": "no"},
        E,
    ),
    ("injury_with_nerve_signs", {"injury": "assault", "sensation": ("pain", "numbness")}, E),
    ("fever_with_nerve_signs", {"fever": "yes", "sensation": ("numbness",)}, E),
    (
        "fever_with_nerve_signs",
        {"fever": "yes", "leg_weakness": "yes", "weakness_progressing": "no"},
        E,
    ),
    ("fever_with_nerve_signs", {"fever": "yes", "walking_balance": "yes"}, E),
    ("cancer_with_nerve_signs", {"history": ("cancer",), "sensation": ("numbness",)}, E),
    ("cancer_with_nerve_signs", {"history": ("cancer",), "walking_balance": "yes"}, E),
    (
        "cancer_with_nerve_signs",
        {"history": ("cancer",), "spread": "one_leg", "below_knee": "no"},
        E,
    ),
    ("cancer_with_nerve_signs", {"history": ("cancer",), "spread": "around_torso"}, E),
    ("infection_risk_with_weakness", {"history": ("injected_drugs",), "walking_balance": "yes"}, E),
    (
        "infection_risk_with_weakness",
        {"history": ("weakened_immunity",), "leg_weakness": "yes", "weakness_progressing": "no"},
        E,
    ),
    ("fever", {"fever": "yes"}, U),
    ("serious_injury", {"injury": "fall"}, U),
    ("serious_injury", {"injury": "road_accident"}, U),
    ("serious_injury", {"injury": "assault"}, U),
    ("leg_weakness", {"leg_weakness": "yes", "weakness_progressing": "no"}, U),
    ("walking_balance", {"walking_balance": "yes"}, U),
    ("cancer_history", {"history": ("cancer",)}, U),
    ("weakened_immunity", {"history": ("weakened_immunity",)}, U),
    ("injected_drugs", {"history": ("injected_drugs",)}, U),
    ("fragile_bones_injury", {"history": ("osteoporosis",), "injury": "sports_injury"}, U),
    ("fragile_bones_injury", {"history": ("long_term_steroids",), "onset": "sudden"}, U),
    ("one_sided_rash", {"other_symptoms": ("rash_or_blisters",)}, U),
    ("band_both_sides", {"spread": "band_both_sides"}, U),
    ("older_constant_night_pain", {"age": 50, "night_pain": "yes", "impact": "severe"}, U),
    (
        "older_constant_night_pain",
        {"age": 72, "night_pain": "yes", "better_with": ("nothing_helps",)},
        U,
    ),
    ("sports_injury", {"injury": "sports_injury"}, S),
    ("long_lasting", {"duration": "over_6_weeks"}, S),
    ("worsening", {"course": "worsening"}, S),
    ("spreading", {"spread": "one_leg", "below_knee": "no"}, S),
    ("spreading", {"spread": "other_areas"}, S),
    ("severe_impact", {"impact": "severe"}, S),
    ("night_pain", {"night_pain": "yes"}, S),
    ("weight_loss", {"weight_loss": "yes"}, S),
    ("numbness", {"sensation": ("numbness",)}, S),
    ("hands_or_feet_tingling", {"other_symptoms": ("hands_or_feet_tingling",)}, S),
    ("widespread_pain_fatigue", {"other_symptoms": ("widespread_pain_fatigue",)}, S),
    ("morning_stiffness", {"other_symptoms": ("morning_stiffness",)}, S),
    ("vision_or_coordination", {"other_symptoms": ("vision_or_coordination",)}, S),
    ("osteoporosis", {"history": ("osteoporosis",)}, S),
    ("long_term_steroids", {"history": ("long_term_steroids",)}, S),
    ("recent_infection_or_surgery", {"history": ("recent_infection_or_surgery",)}, S),
    ("autoimmune_arthritis", {"history": ("autoimmune_arthritis",)}, S),
]


@pytest.mark.parametrize(("sign", "overrides", "level"), FLOOR_RULES)
def test_each_floor_rule_sets_at_least_its_level(
    knowledge: Knowledge, sign: str, overrides: dict[str, Any], level: Verdict
) -> None:
    assert knowledge.warning_signs[sign].level == level
    result = assess(knowledge, full_answers(**overrides))
    assert sign in {r.id for r in result.reasons if r.kind == "warning_sign"}
    assert result.verdict.rank >= level.rank


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "injury": "fall",
            "sensation": ("pain",),
        },  # injury without nerve signs: urgent, not emergency
        {"fever": "yes"},
        {"history": ("cancer",)},
        {"leg_weakness": "yes", "weakness_progressing": "no"},
        {"history": ("osteoporosis",), "onset": "gradual"},
        {"age": 49, "night_pain": "yes", "impact": "severe"},
    ],
)
def test_rules_need_all_their_parts(knowledge: Knowledge, overrides: dict[str, Any]) -> None:
    assert assess(knowledge, full_answers(**overrides)).verdict != Verdict.EMERGENCY


def test_benign_case_is_self_care(knowledge: Knowledge) -> None:
    result = assess(knowledge, full_answers())
    assert result.verdict == Verdict.SELF_CARE
    assert result.not_assessed == ()


@pytest.mark.parametrize(
    "question",
    [
        "bladder_bowel",
        "saddle_numbness",
        "leg_weakness",
        "walking_balance",
        "fever",
        "injury",
        "weight_loss",
        "night_pain",
    ],
)
def test_an_unanswered_red_flag_is_not_assessed_and_never_self_care(
    knowledge: Knowledge, question: str
) -> None:
    answers = full_answers()
    del answers[question]
    result = assess(knowledge, answers)
    assert question in {q.id for q in result.not_assessed}
    assert result.verdict.rank >= Verdict.SEE_DOCTOR.rank


def test_unanswered_progression_of_weakness_is_not_assessed(knowledge: Knowledge) -> None:
    result = assess(knowledge, full_answers(leg_weakness="yes"))
    assert "weakness_progressing" in {q.id for q in result.not_assessed}
    assert "progressing_leg_weakness" in {s.id for s in result.not_ruled_out}
    assert result.verdict == Verdict.URGENT


def test_missing_answers_that_could_mean_emergency_are_reported(knowledge: Knowledge) -> None:
    result = assess(knowledge, {"sensation": ("numbness",), "fever": "yes"})
    assert result.verdict == Verdict.EMERGENCY
    partial = assess(knowledge, {"sensation": ("pain",)})
    assert "bladder_bowel_change" in {s.id for s in partial.not_ruled_out}
    assert partial.verdict == Verdict.SEE_DOCTOR
