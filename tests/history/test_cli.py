"""`backcheck history` and its commands, on real history files in a temporary folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from pathlib import Path

import pytest

from backcheck.cli.history import _fit, due_line
from backcheck.history.store import StoredCheck
from backcheck.knowledge.model import Verdict
from tests.history.conftest import answer_file, day, invoke

pytestmark = pytest.mark.usefixtures("home")


@pytest.fixture
def three(tmp_path: Path, home: Path) -> list[Path]:
    """Three checks: benign, then worse impact 10 days later, then spreading 5 days later."""
    paths = [
        answer_file(tmp_path, "a"),
        answer_file(tmp_path, "b", impact="moderate"),
        answer_file(tmp_path, "c", impact="moderate", spread="one_leg", below_knee="yes"),
    ]
    for offset, path in zip((0, 10, 15), paths, strict=True):
        result = invoke("history", "add", str(path), "--date", day(offset))
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Check {paths.index(path) + 1} of {day(offset)} kept:")
    return paths


def test_help_names_every_command() -> None:
    result = invoke("history", "--help")
    assert result.exit_code == 0
    for name in ("list", "show", "compare", "add", "export", "forget", "plot", "due"):
        assert f" {name} " in result.stdout


def test_an_empty_history_says_where_it_would_be(home: Path) -> None:
    for args in (["history"], ["history", "list"]):
        result = invoke(*args)
        assert result.exit_code == 0
        assert "No checks kept yet" in result.stdout
        assert str(home / "history.sqlite3") in result.stdout
        assert "forget --all" in result.stdout
    assert not home.exists()  # looking never makes the file


@pytest.mark.usefixtures("three")
def test_list_is_newest_first_with_a_timeline_in_80_columns() -> None:
    result = invoke("history", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [line.split()[:2] for line in lines[2:5]]
    assert rows == [["3", day(15)], ["2", day(10)], ["1", day(0)]]
    assert "see a doctor" in lines[2]
    assert "moderately" in lines[2]
    assert "self-care" in lines[4]
    timeline = lines[lines.index("The course over time (oldest first):") :]
    assert timeline[2].startswith(f"{day(0)}      0  █░░░ self-care")
    assert timeline[4].startswith(f"{day(15)}     15  ██░░ see a doctor")
    assert "██░ moderately" in timeline[4]
    assert lines[-1].startswith("Kept in ")
    assert all(len(line) <= 80 for line in lines[:-1])
    assert "Due:" in result.stdout  # check 3 said to check again long ago


@pytest.mark.usefixtures("three")
def test_plain_list_and_plot_are_ascii_tables() -> None:
    listed = invoke("history", "list", "--plain")
    plotted = invoke("history", "plot", "--plain")
    for result in (listed, plotted):
        assert result.exit_code == 0, result.output
        assert result.stdout.isascii()
        assert f"{day(15)}     15  ##.. see a doctor" in result.stdout
    assert "Date" in plotted.stdout.splitlines()[1]


@pytest.mark.usefixtures("three")
def test_show_renders_a_kept_check_with_its_trends() -> None:
    result = invoke("history", "show", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Check 2 of {day(10)}")
    assert "VERDICT: SEE A DOCTOR" in result.stdout
    assert "Getting worse since your last check" in " ".join(result.stdout.split())
    first = invoke("history", "show", "1")
    assert "VERDICT: SELF-CARE" in first.stdout


@pytest.mark.usefixtures("three")
def test_show_an_unknown_check() -> None:
    result = invoke("history", "show", "9")
    assert result.exit_code == 2
    assert result.stderr == "error: check 9: no such check; the checks kept: 1, 2, 3\n"


@pytest.mark.usefixtures("three")
def test_compare_the_last_two_and_two_chosen() -> None:
    result = invoke("history", "compare")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Check 3 on")
    assert "against check 2" in out
    assert "(5 days later)" in out
    assert "New warning signs: Spreading beyond the back." in out
    assert "Spreads: was No, it stays where it is; now Down one leg." in out
    assert "Impact on daily life: the same" in out
    chosen = invoke("history", "compare", "3", "1")  # put in date order
    assert chosen.stdout.startswith("Check 3 on")
    assert "against check 1" in chosen.stdout
    assert "The advice is more urgent: it was Self-care is likely to be enough" in chosen.stdout
    assert "- worse." in chosen.stdout


def test_compare_needs_two_checks(tmp_path: Path) -> None:
    invoke("history", "add", str(answer_file(tmp_path, "a")), "--date", day(0))
    result = invoke("history", "compare")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: compare: at least two checks are needed")


def test_add_reports_a_bad_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 2\nanswers:\n  impact: terrible\n", encoding="utf-8")
    good = answer_file(tmp_path, "good")
    result = invoke("history", "add", str(bad), str(good), "--date", day(0))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}: impact: 'terrible' is not an option")
    assert result.stderr.count("\n") == 1
    assert "Check 1 of" in result.stdout
    assert len(invoke("history", "export").stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-13-01", "error: --date: '2025-13-01' is not a date; use YYYY-MM-DD\n"),
        ("2999-01-01", "error: --date: 2999-01-01 is in the future; allowed: today or earlier\n"),
    ],
)
def test_add_refuses_a_bad_date(tmp_path: Path, home: Path, value: str, message: str) -> None:
    result = invoke("history", "add", str(answer_file(tmp_path, "a")), "--date", value)
    assert result.exit_code == 2
    assert result.stderr == message
    assert not home.exists()


@pytest.mark.usefixtures("three")
def test_export_json_lines_carry_answers_and_the_result_given() -> None:
    result = invoke("history", "export")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["number"] for r in rows] == [1, 2, 3]
    assert [r["verdict"] for r in rows] == ["self_care", "see_doctor", "see_doctor"]
    assert rows[2]["answers"]["spread"] == "one_leg"
    assert rows[2]["warning_signs"] == ["spreading"]
    assert rows[1]["result"]["verdict"] == "see_doctor"  # as stored when it was added
    assert rows[0]["source"].endswith("a.yaml")


@pytest.mark.usefixtures("three")
def test_export_csv(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = invoke("history", "export", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["verdict"] for r in rows] == ["self_care", "see_doctor", "see_doctor"]
    assert rows[2]["warning_signs"] == "spreading"
    assert json.loads(rows[2]["answers"])["below_knee"] == "yes"
    again = invoke("history", "export", "--format", "csv", "-o", str(target))
    assert again.exit_code == 2  # never replaced without --force


def test_forget_needs_a_number_or_all() -> None:
    for args in ([], ["1", "--all"]):
        result = invoke("history", "forget", *args)
        assert result.exit_code == 2
        assert result.stderr == "error: forget: give a check number N, or --all (not both)\n"


def test_the_due_line() -> None:
    check = StoredCheck(
        4, dt.date(2026, 11, 1), {}, Verdict.SEE_DOCTOR, None, "", (), 7, "", "", None
    )
    assert due_line([check], dt.date(2026, 11, 5)) == (
        "Next check: by Sunday 8 November 2026 (from check 4), or sooner if it changes."
    )
    assert due_line([check], dt.date(2026, 11, 8)).startswith(
        "Due: check 4 said to check again by Sunday 8 November 2026."
    )
    assert due_line([check._replace(check_days=None)], dt.date(2026, 11, 8)) == ""


@pytest.mark.usefixtures("three")
def test_export_html_has_the_table_and_the_chart(tmp_path: Path) -> None:
    target = tmp_path / "history.html"
    result = invoke("history", "export", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<tr><td>") == 3
    assert "<td>Spreading beyond the back</td>" in page
    assert f"{day(15)}     15  ██░░ see a doctor" in page
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_history_commands_work_with_sockets_blocked(tmp_path: Path, home: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.test_private import NO_NETWORK

    path = answer_file(tmp_path, "a")
    env = {**os.environ, "BACKCHECK_HOME": str(home)}
    for args in (
        ["history", "add", str(path), "--date", day(0)],
        ["history", "list"],
        ["history", "export", "--format", "csv"],
        ["history", "forget", "--all"],
    ):
        result = subprocess.run(
            [sys.executable, "-c", NO_NETWORK, *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )
        assert result.returncode == 0, (args, result.stderr)
        assert "network blocked" not in result.stderr


def test_a_long_cause_name_is_cut_to_its_column() -> None:
    name = "Inflammatory back pain (axial spondyloarthritis)"
    assert _fit(name, 32) == "Inflammatory back pain (axial s…"
    assert _fit(name, 32, ascii_only=True) == "Inflammatory back pain (axial..."
    assert _fit("Sciatica", 32) == "Sciatica"
