"""Each trend rule on dated sequences of answer files (recorded with `history add --date`),
the facts themselves, and the promise that a history only ever raises the advice."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.engine import assess
from backcheck.history.trends import Check, assess_with_history, history_facts, history_signs
from backcheck.knowledge.model import Knowledge, Verdict
from tests.conftest import full_answers
from tests.history.conftest import answer_file, day, invoke

TRENDS = ("history_long_lasting", "history_getting_worse", "history_keeps_coming_back")


def record(tmp_path: Path, sequence: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Add each (day offset, answer overrides) as a check; returns the export, oldest first."""
    for index, (offset, overrides) in enumerate(sequence):
        path = answer_file(tmp_path, f"check{index}", **overrides)
        result = invoke("history", "add", str(path), "--date", day(offset))
        assert result.exit_code == 0, result.output
    exported = invoke("history", "export")
    assert exported.exit_code == 0, exported.output
    return [json.loads(line) for line in exported.stdout.splitlines()]


def trend_reasons(check: dict[str, Any]) -> list[str]:
    return [r["id"] for r in check["result"]["reasons"] if r["id"] in TRENDS]


@pytest.mark.usefixtures("home")
def test_without_history_no_trend_fires_and_none_is_left_open(knowledge: Knowledge) -> None:
    result = assess(knowledge, full_answers())
    assert result.verdict == Verdict.SELF_CARE
    trend = history_signs(knowledge)
    assert set(TRENDS) <= trend
    assert not [r for r in result.reasons if r.id in trend]
    assert not [s for s in result.not_ruled_out if s.id in trend]
    assert not [q for q in result.not_asked if q.id in knowledge.history_facts]


@pytest.mark.usefixtures("home")
def test_symptoms_recorded_over_more_than_6_weeks_need_a_doctor(tmp_path: Path) -> None:
    weeks = {"duration": "weeks"}  # "1 to 6 weeks" each time: never over 6 weeks alone
    checks = record(tmp_path, [(0, weeks), (20, weeks), (37, weeks)])
    assert [c["verdict"] for c in checks] == ["self_care", "self_care", "see_doctor"]
    assert trend_reasons(checks[1]) == []  # 20 days + at least 7 before the first check
    assert "history_long_lasting" in trend_reasons(checks[2])  # 37 + 7 = 44 days


@pytest.mark.usefixtures("home")
def test_a_gap_of_more_than_4_weeks_starts_a_new_spell(tmp_path: Path) -> None:
    weeks = {"duration": "weeks"}
    checks = record(tmp_path, [(0, weeks), (40, weeks)])
    assert "history_long_lasting" not in trend_reasons(checks[1])
    assert checks[1]["verdict"] == "self_care"


@pytest.mark.usefixtures("home")
@pytest.mark.parametrize(
    "later",
    [{"impact": "moderate"}, {"spread": "one_leg", "below_knee": "no"}, {"night_pain": "yes"}],
    ids=["worse-impact", "new-spread", "new-warning-sign"],
)
def test_worse_since_the_last_check_needs_a_doctor(tmp_path: Path, later: dict[str, Any]) -> None:
    checks = record(tmp_path, [(0, {}), (10, later)])
    assert checks[0]["verdict"] == "self_care"
    assert checks[1]["verdict"] == "see_doctor"
    assert "history_getting_worse" in trend_reasons(checks[1])
    titles = [r["title"] for r in checks[1]["result"]["reasons"]]
    assert "Getting worse since your last check" in titles


@pytest.mark.usefixtures("home")
def test_better_or_long_ago_is_not_getting_worse(tmp_path: Path) -> None:
    better = record(tmp_path, [(0, {"impact": "moderate"}), (10, {"impact": "mild"})])
    assert "history_getting_worse" not in trend_reasons(better[1])
    assert better[1]["verdict"] == "self_care"


@pytest.mark.usefixtures("home")
def test_worse_after_more_than_4_weeks_is_not_compared(tmp_path: Path) -> None:
    checks = record(tmp_path, [(0, {}), (45, {"impact": "moderate"})])
    assert "history_getting_worse" not in trend_reasons(checks[1])


@pytest.mark.usefixtures("home")
def test_the_same_cause_three_times_in_3_months_keeps_coming_back(tmp_path: Path) -> None:
    # 35 days apart: separate spells, no worse answers, the same likeliest cause each time
    checks = record(tmp_path, [(0, {}), (35, {}), (70, {})])
    assert len({c["likeliest_cause"] for c in checks}) == 1
    assert [c["verdict"] for c in checks] == ["self_care", "self_care", "see_doctor"]
    assert trend_reasons(checks[2]) == ["history_keeps_coming_back"]
    assert "Keeps coming back" in [r["title"] for r in checks[2]["result"]["reasons"]]


@pytest.mark.usefixtures("home")
def test_three_checks_spread_over_more_than_3_months_do_not(tmp_path: Path) -> None:
    checks = record(tmp_path, [(0, {}), (50, {}), (100, {})])
    assert trend_reasons(checks[2]) == []


@pytest.mark.usefixtures("home")
def test_a_check_added_with_an_earlier_date_uses_only_the_checks_before_it(
    tmp_path: Path,
) -> None:
    # recorded in this order, but the middle one is dated before both others
    checks = record(tmp_path, [(10, {}), (30, {}), (0, {"impact": "severe"})])
    by_date = sorted(checks, key=lambda c: c["date"])
    assert by_date[0]["impact"] == "severe"
    assert trend_reasons(by_date[0]) == []  # nothing was recorded before its date


def test_the_facts_of_a_sequence(knowledge: Knowledge) -> None:
    start = dt.date(2025, 1, 1)
    benign = full_answers(duration="weeks")
    first = Check(1, start, benign, Verdict.SELF_CARE, "muscle_strain", ())
    worse = full_answers(duration="weeks", impact="severe", spread="one_leg")
    now = Check(2, start + dt.timedelta(days=14), worse, Verdict.SEE_DOCTOR, "sciatica", ("x",))
    assert history_facts(knowledge, now, []) == {}
    assert history_facts(knowledge, now, [first]) == {
        "history_days": 21,
        "history_worse_impact": "yes",
        "history_new_spread": "yes",
        "history_new_sign": "yes",
        "history_repeats": 1,
    }


# --- trends only raise -----------------------------------------------------------------


def _answer_strategy(knowledge: Knowledge) -> st.SearchStrategy[dict[str, Any]]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for q in knowledge.questions.values():
        if q.type == "integer":
            value: st.SearchStrategy[Any] = st.integers(q.min or 0, q.max or 120)
        elif q.type == "multi":
            value = st.lists(st.sampled_from(q.option_ids), unique=True).map(tuple)
        else:
            value = st.sampled_from(q.option_ids)
        parts[q.id] = st.one_of(st.none(), value)
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _fact_strategy(knowledge: Knowledge) -> st.SearchStrategy[dict[str, Any]]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for f in knowledge.history_facts.values():
        value = st.sampled_from(("yes", "no")) if f.type == "yes_no" else st.integers(0, 400)
        parts[f.id] = st.one_of(st.none(), value)
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


def test_history_facts_never_lower_the_verdict_or_change_the_ranking(
    knowledge: Knowledge,
) -> None:
    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(_answer_strategy(knowledge), _fact_strategy(knowledge))
    def check(answers: dict[str, Any], facts: dict[str, Any]) -> None:
        without = assess(knowledge, answers)
        with_history = assess(knowledge, {**answers, **facts})
        assert with_history.verdict.rank >= without.verdict.rank
        assert [c.id for c in with_history.conditions] == [c.id for c in without.conditions]
        assert {r.id for r in without.reasons} <= {r.id for r in with_history.reasons}

    check()


def test_assessing_with_earlier_checks_never_lowers_the_verdict(knowledge: Knowledge) -> None:
    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(
        _answer_strategy(knowledge),
        st.lists(st.tuples(_answer_strategy(knowledge), st.integers(0, 120)), max_size=4),
    )
    def check(answers: dict[str, Any], earlier: list[tuple[dict[str, Any], int]]) -> None:
        today = dt.date(2025, 6, 1)
        checks = []
        for index, (old, ago) in enumerate(earlier, 1):
            _, made = assess_with_history(knowledge, old, today - dt.timedelta(days=ago), [])
            checks.append(made._replace(id=index))
        result, _ = assess_with_history(knowledge, answers, today, checks)
        assert result.verdict.rank >= assess(knowledge, answers).verdict.rank

    check()
