"""The engine: pure, deterministic, explained, and never below a warning sign."""

from __future__ import annotations

from backcheck.engine import assess, rank_conditions
from backcheck.knowledge.model import Knowledge, Verdict
from tests.conftest import full_answers


def test_same_answers_same_result(knowledge: Knowledge) -> None:
    answers = full_answers(sensation=("tingling", "pain"), spread="one_leg", below_knee="yes")
    assert assess(knowledge, answers) == assess(knowledge, dict(answers))


def test_every_condition_is_ranked_with_a_score_in_range(knowledge: Knowledge) -> None:
    ranking = rank_conditions(knowledge, full_answers())
    assert {c.id for c in ranking} == set(knowledge.conditions)
    assert all(0 <= c.score <= 1 for c in ranking)
    assert [c.score for c in ranking] == sorted((c.score for c in ranking), reverse=True)


def test_scores_explain_what_raised_and_lowered_them(knowledge: Knowledge) -> None:
    answers = full_answers(
        sensation=("tingling", "pain"),
        spread="one_leg",
        below_knee="yes",
        worse_with=("sitting", "coughing_or_sneezing"),
    )
    ranking = {c.id: c for c in rank_conditions(knowledge, answers)}
    sciatica = ranking["sciatica"]
    assert any(c.weight > 0 and "spread" in c.answers for c in sciatica.contributions)
    strain = ranking["muscle_strain"]
    assert any(c.weight < 0 for c in strain.contributions)


def test_a_leg_pain_case_ranks_nerve_root_causes_first(knowledge: Knowledge) -> None:
    answers = full_answers(
        sensation=("tingling", "pain"),
        spread="one_leg",
        below_knee="yes",
        duration="weeks",
        course="stable",
        worse_with=("sitting", "coughing_or_sneezing"),
        better_with=("movement",),
    )
    top = [c.id for c in assess(knowledge, answers).top(3)]
    assert {"sciatica", "herniated_disc", "radiculopathy"} & set(top)


def test_a_cold_water_cramp_points_to_cold(knowledge: Knowledge) -> None:
    answers = full_answers(
        sensation=("spasm",),
        onset="sudden",
        duration="under_a_day",
        triggers=("cold_exposure",),
        worse_with=("cold",),
        better_with=("heat_or_stretching",),
    )
    result = assess(knowledge, answers)
    assert result.conditions[0].id == "cold_exposure_spasm"
    assert result.verdict == Verdict.SELF_CARE


def test_the_added_rules_beyond_the_contract(knowledge: Knowledge) -> None:
    stiff = assess(knowledge, full_answers(history=("autoimmune_arthritis",), injury="fall"))
    assert stiff.verdict == Verdict.EMERGENCY
    pill = assess(knowledge, full_answers(triggers=("new_medication",), sensation=("spasm",)))
    assert "medicine_side_effect" in {r.id for r in pill.reasons}
    assert pill.verdict == Verdict.SEE_DOCTOR


def test_ties_are_broken_by_the_documented_key_whatever_the_order(knowledge: Knowledge) -> None:
    """Score, then the higher prior, then the id: the same ranking for any knowledge order."""
    import random

    ids = list(knowledge.questions)
    for seed in range(40):
        rng = random.Random(seed)
        answers = {
            q: rng.choice(knowledge.questions[q].option_ids)
            for q in rng.sample(ids, 5)
            if knowledge.questions[q].type in ("single", "yes_no")
        }
        shuffled = list(knowledge.conditions.items())
        rng.shuffle(shuffled)
        other = knowledge._replace(conditions=dict(shuffled))
        ranking = rank_conditions(knowledge, answers)
        assert [c.id for c in rank_conditions(other, answers)] == [c.id for c in ranking]
        keys = [(-c.score, -knowledge.conditions[c.id].prior, c.id) for c in ranking]
        assert keys == sorted(keys), seed
