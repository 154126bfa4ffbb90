"""`backcheck run`: formats, several files, stdin, --exit-code, and every class of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.errors import one_line
from tests.conftest import EXAMPLES

SCIATICA = str(EXAMPLES / "sciatica.yaml")
STRAIN = str(EXAMPLES / "strain.json")
EMERGENCY = str(EXAMPLES / "emergency.yaml")


def test_details_show_the_full_summary_led_by_the_verdict(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "--details", SCIATICA])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out  # no colour codes when not a terminal
    verdict_at = out.index("VERDICT: SEE A DOCTOR")
    assert verdict_at < out.index("Why this advice") < out.index("Possible causes")
    assert "Spreading beyond the back" in out
    assert "What to tell the doctor" in out
    assert "not a diagnosis" in out


def test_emergency_summary_has_the_emergency_number_hint(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", EMERGENCY])
    assert "VERDICT: EMERGENCY" in result.stdout
    assert "emergency number" in result.stdout
    assert "Numbness in the saddle area" in result.stdout


def test_json_output_follows_the_contract(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "--format", "json", SCIATICA])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["verdict"] == "see_doctor"
    assert data["source"] == SCIATICA
    assert {r["id"] for r in data["reasons"]} >= {"spreading"}
    assert data["not_assessed"] == []
    scores = [c["score"] for c in data["conditions"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert {"id", "name", "score", "why"} <= set(data["conditions"][0])
    assert data["conditions"][0]["why"][0]["because"]
    assert "not a diagnosis" in data["disclaimer"]


def test_several_files_give_json_lines(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "-f", "json", SCIATICA, STRAIN, EMERGENCY])
    lines = result.stdout.splitlines()
    assert [json.loads(line)["verdict"] for line in lines] == [
        "see_doctor",
        "self_care",
        "emergency",
    ]


def test_markdown_report(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "--format", "markdown", EMERGENCY])
    assert result.stdout.startswith("# backcheck report")
    assert "**Verdict: EMERGENCY" in result.stdout
    assert "| Question | Answer |" in result.stdout
    assert "not a diagnosis" in result.stdout


def test_stdin(runner: CliRunner) -> None:
    text = Path(STRAIN).read_text(encoding="utf-8")
    result = runner.invoke(app, ["run", "-f", "json", "-"], input=text)
    assert json.loads(result.stdout)["source"] == "<stdin>"


@pytest.mark.parametrize(("path", "status"), [(STRAIN, 0), (SCIATICA, 3), (EMERGENCY, 5)])
def test_exit_code_tells_the_verdict_only_when_asked(
    runner: CliRunner, path: str, status: int
) -> None:
    assert runner.invoke(app, ["run", path]).exit_code == 0
    assert runner.invoke(app, ["run", "--exit-code", path]).exit_code == status


def test_exit_code_urgent(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "fever.yaml"
    path.write_text("answers: {fever: yes, sensation: [pain]}\n", encoding="utf-8")
    assert runner.invoke(app, ["run", "--exit-code", str(path)]).exit_code == 4


BAD_INPUTS = [
    ("missing", None, "no such file"),
    ("folder", "DIR", "is a directory"),
    ("empty.yaml", "", "is empty"),
    ("binary.yaml", b"\x00\x01\x02", "binary"),
    ("broken.yaml", "answers: [unclosed\n", "not valid YAML: line 2"),
    ("broken.json", '{"answers": ', "not valid JSON"),
    ("list.yaml", "- a\n- b\n", "expected a mapping with 'answers'"),
    ("extra.yaml", "answers: {}\nanswer: {}\n", "unknown key 'answer'"),
    ("noanswers.yaml", "version: 1\n", "missing 'answers'"),
    (
        "question.yaml",
        "answers: {sensations: [pain]}\n",
        "sensations: unknown question (did you mean sensation?)",
    ),
    ("option.yaml", "answers: {spread: leg}\n", "spread: 'leg' is not an option"),
    (
        "multioption.yaml",
        "answers: {sensation: [pain, itch]}\n",
        "sensation: 'itch' is not an option",
    ),
    ("type.yaml", "answers: {spread: [one_leg]}\n", "spread: expected one option id, got a list"),
    (
        "yesno.yaml",
        "answers: {fever: maybe}\n",
        "fever: 'maybe' is not an answer; allowed: yes, no",
    ),
    (
        "agetype.yaml",
        "answers: {age: forty}\n",
        "age: 'forty' is not a whole number; allowed: 0 to 120",
    ),
    ("agehigh.yaml", "answers: {age: 130}\n", "age: 130 is out of range; allowed: 0 to 120"),
    ("ageneg.yaml", "answers: {age: -1}\n", "age: -1 is out of range"),
    ("dupkey.yaml", "answers: {age: 30, age: 40}\n", "duplicate key 'age'"),
    ("notutf8.yaml", b"answers: {age: \xff}\n", "not UTF-8"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_INPUTS)
def test_bad_input_is_one_clear_line_and_status_2(
    runner: CliRunner, tmp_path: Path, name: str, content: str | bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content == "DIR":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}")
    assert expected in lines[0]
    assert "Traceback" not in result.output


def test_allowed_values_are_named(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("answers: {injury: car}\n", encoding="utf-8")
    err = runner.invoke(app, ["run", str(path)]).stderr
    assert "allowed: none, fall, road_accident, sports_injury, assault" in err


def test_good_files_still_get_results_when_one_fails(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers: {fever: often}\n", encoding="utf-8")
    result = runner.invoke(app, ["run", "-f", "json", SCIATICA, str(bad), STRAIN])
    assert result.exit_code == 2
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == [
        "see_doctor",
        "self_care",
    ]
    assert str(bad) in result.stderr


def test_a_vignette_is_a_valid_answer_file(runner: CliRunner) -> None:
    from tests.conftest import OWN_VIGNETTES

    result = runner.invoke(app, ["run", "-f", "json", str(OWN_VIGNETTES / "own-001.yaml")])
    assert json.loads(result.stdout)["verdict"] == "emergency"


def test_unanswered_red_flags_are_listed(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "partial.yaml"
    path.write_text(
        "answers: {sensation: [pain], location: [lower_back], fever: ~}\n", encoding="utf-8"
    )
    data = json.loads(runner.invoke(app, ["run", "-f", "json", str(path)]).stdout)
    assert "fever" in data["not_assessed"]
    assert "bladder_bowel" in data["not_assessed"]
    assert data["verdict"] != "self_care"


@pytest.mark.parametrize("details", [False, True])
def test_piped_output_has_no_trailing_spaces(details: bool) -> None:
    """Wrapped lines of every example end with their last word, in both summaries."""
    import subprocess
    import sys

    for example in sorted(EXAMPLES.iterdir()):
        args = [sys.executable, "-m", "backcheck", "run", str(example)]
        out = subprocess.run(
            [*args, "--details"] if details else args, capture_output=True, text=True, check=True
        ).stdout
        assert out.strip()
        assert [line for line in out.splitlines() if line != line.rstrip()] == [], example


def test_help_lists_ask_first_with_its_whole_description() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"})
    commands = result.stdout.split("Commands:", 1)[1].split()
    assert commands[0] == "ask"
    assert "The interview: questions, then advice and causes." in result.stdout


@pytest.mark.parametrize("separator", ["\x1e", "\x85", "\u2028", "\x0c"])
@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_a_line_separator_in_a_file_is_one_escaped_error_line(
    tmp_path: Path, separator: str, fmt: str
) -> None:
    """Characters that split lines (record separator, NEL, line separator, form feed)
    stay inside their error line, in one file as in a batch on the worker pool."""
    from backcheck.batch import PARALLEL_FROM

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(f"a{separator}b"), encoding="utf-8")
    good = EXAMPLES / "sciatica.yaml"
    for files in ([bad], [*[good] * PARALLEL_FROM, bad]):
        result = CliRunner().invoke(app, ["run", "-f", fmt, *map(str, files)])
        assert result.exit_code == 2
        shown = one_line(f"a{separator}b")
        assert separator not in shown
        assert result.stderr.splitlines() == [
            f"error: {bad}: the file holds '{shown}'; expected a mapping with 'answers'"
        ]
