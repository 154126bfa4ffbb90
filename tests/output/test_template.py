"""`backcheck template`: every question with its options and help, and run accepts it filled in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.knowledge.model import Knowledge, Question
from tests.conftest import ROOT


def template(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["template", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def answer_for(question: Question) -> str:
    """What a person writes after the colon (a YAML value)."""
    if question.type == "integer":
        return str(question.min if question.min is not None else 40)
    if question.type == "multi":
        return f"[{question.option_ids[0]}]"
    if question.type == "yes_no":
        return "no"
    return question.option_ids[0]


def fill_in(text: str, knowledge: Knowledge) -> str:
    """Write an answer after each question's colon, as a person editing the file would."""
    out = []
    for line in text.splitlines():
        match = re.fullmatch(r"  (\w+):", line)
        if match:
            line += " " + answer_for(knowledge.questions[match.group(1)])
        out.append(line)
    return "\n".join(out) + "\n"


def run_json(runner: CliRunner, tmp_path: Path, text: str) -> dict[str, Any]:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["run", "-f", "json", str(path)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def schema(version: int) -> jsonschema.Draft202012Validator:
    path = ROOT / "schemas" / f"answers-v{version}.schema.json"
    return jsonschema.Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def test_every_question_is_there_with_its_help_and_options(
    runner: CliRunner, knowledge: Knowledge
) -> None:
    text = template(runner)
    data = yaml.safe_load(text)
    assert data["version"] == 2
    assert list(data["answers"]) == list(knowledge.questions)  # interview order
    assert all(value is None for value in data["answers"].values())  # empty: not known
    for question in knowledge.questions.values():
        block = text[: text.index(f"\n  {question.id}:\n")]
        block = block[block.rindex("\n\n") :]
        assert " ".join(question.help.split()) in " ".join(block.split())
        assert question.text in block
        for option in question.options:
            assert f"#   - {option.id}: " in block
        if question.red_flag:
            assert "(warning sign)" in block


def test_the_filled_in_template_is_accepted_by_run_and_the_schema(
    runner: CliRunner, knowledge: Knowledge, tmp_path: Path
) -> None:
    filled = fill_in(template(runner), knowledge)
    assert schema(2).is_valid(yaml.safe_load(filled))
    result = run_json(runner, tmp_path, filled)
    assert result["answers_version"] == 2
    assert result["not_assessed"] == []
    assert result["not_asked"] == []


def test_an_empty_template_runs_and_reports_every_warning_sign_as_not_assessed(
    runner: CliRunner, knowledge: Knowledge, tmp_path: Path
) -> None:
    text = template(runner)
    assert schema(2).is_valid(yaml.safe_load(text))
    result = run_json(runner, tmp_path, text)
    red_flags = {q.id for q in knowledge.red_flags if q.asked_if is None}
    assert red_flags <= set(result["not_assessed"])  # never read as "no"


def test_version_1_asks_only_the_version_1_questions(
    runner: CliRunner, knowledge: Knowledge, tmp_path: Path
) -> None:
    text = template(runner, "--version", "1")
    data = yaml.safe_load(text)
    assert data["version"] == 1
    assert list(data["answers"]) == [q.id for q in knowledge.questions.values() if q.since == 1]
    assert "answers-v1.schema.json" in text
    filled = fill_in(text, knowledge)
    assert schema(1).is_valid(yaml.safe_load(filled))
    result = run_json(runner, tmp_path, filled)
    assert result["not_assessed"] == []
    assert result["not_asked"]  # the version-2 checks were never made
    assert all(knowledge.questions[q].since == 2 for q in result["not_asked"])


@pytest.mark.parametrize("version", ["0", "3", "two"])
def test_an_unknown_version_is_refused(runner: CliRunner, version: str) -> None:
    result = runner.invoke(app, ["template", "--version", version])
    assert result.exit_code == 2
