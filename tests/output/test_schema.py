"""JSON Schemas: committed files up to date, and schema and backcheck agreeing on every file.

When the knowledge's questions or options change, `schemas/` is stale and the first test
fails; regenerate with `python -m backcheck.output.schema` and commit the result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from backcheck.answers import SUPPORTED_VERSIONS, load_answer_file
from backcheck.cli.app import app
from backcheck.errors import InputError
from backcheck.evaluation import EVAL_SCHEMA_VERSION
from backcheck.knowledge.model import Knowledge
from backcheck.output.jsonout import to_dict
from backcheck.output.schema import schema_files, schema_text
from backcheck.pipeline import assess_file
from tests.conftest import EXAMPLES, OWN_VIGNETTES, ROOT

SCHEMAS = ROOT / "schemas"


def committed(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return data


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(committed(name))


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def answers_validator(data: Any) -> jsonschema.Draft202012Validator:
    version = data.get("version", 1) if isinstance(data, dict) else 1
    return validator(f"answers-v{version if version in SUPPORTED_VERSIONS else 2}.schema.json")


def test_committed_schemas_are_up_to_date(knowledge: Knowledge) -> None:
    files = schema_files(knowledge)
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(files)
    for name, data in files.items():
        text = (SCHEMAS / name).read_text(encoding="utf-8")
        assert text == schema_text(data), (
            f"schemas/{name} is stale: run `python -m backcheck.output.schema` and commit it"
        )


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.iterdir()))
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = committed(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schema_command_prints_the_committed_files(runner: CliRunner) -> None:
    for args, name in (
        (["answers"], "answers-v2.schema.json"),
        (["answers", "--version", "1"], "answers-v1.schema.json"),
        (["result"], "result.schema.json"),
        (["eval"], "eval.schema.json"),
    ):
        result = runner.invoke(app, ["schema", *args])
        assert result.exit_code == 0, result.output
        assert result.stdout == (SCHEMAS / name).read_text(encoding="utf-8")
    assert runner.invoke(app, ["schema", "answers", "--version", "3"]).exit_code == 2
    assert runner.invoke(app, ["schema", "answer"]).exit_code == 2


def answer_files(shared: Path | None = None) -> list[Path]:
    paths = sorted(EXAMPLES.iterdir()) + sorted(OWN_VIGNETTES.glob("*.y*ml"))
    if shared is not None:
        for folder in ("vignettes", "vignettes-v2", "seeds"):
            paths += sorted(
                p for p in (shared / folder).rglob("*") if p.suffix in {".yaml", ".yml", ".json"}
            )
    return paths  # fmt: skip


def test_every_example_and_own_vignette_matches_its_schema() -> None:
    for path in answer_files():
        data = read(path)
        errors = [e.message for e in answers_validator(data).iter_errors(data)]
        assert not errors, f"{path}: {errors}"


def test_every_shared_vignette_that_run_accepts_matches_its_schema(
    knowledge: Knowledge, shared: Path
) -> None:
    checked = 0
    for path in answer_files(shared):
        try:
            load_answer_file(str(path), knowledge)
        except InputError:
            continue  # not an answer file (a seed's notes, say)
        data = read(path)
        errors = [e.message for e in answers_validator(data).iter_errors(data)]
        assert not errors, f"{path}: {errors}"
        checked += 1
    assert checked >= 40


def accepted_by_backcheck(knowledge: Knowledge, tmp_path: Path, data: Any) -> bool:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        load_answer_file(str(path), knowledge)
    except InputError:
        return False
    return True


BAD_FILES: dict[str, Any] = {
    "unknown option": {"answers": {"spread": "one_arm"}},
    "unknown question": {"answers": {"spreads": "one_leg"}},
    "unknown top-level key": {"answers": {}, "answer": {}},
    "no answers": {"version": 2},
    "unsupported version": {"version": 3, "answers": {}},
    "age out of range": {"version": 2, "answers": {"age": 130}},
    "age as text": {"answers": {"age": "forty"}},
    "yes/no as maybe": {"answers": {"fever": "maybe"}},
    "yes/no as a number": {"answers": {"fever": 1}},
    "a list for a single question": {"answers": {"onset": ["sudden"]}},
    "an unknown option in a list": {"answers": {"location": ["lower_back", "neck"]}},
    "a number in a list": {"answers": {"location": [3]}},
    "answers as a list": {"answers": ["lower_back"]},
    "not a mapping": ["answers"],
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_rejected_by_both_the_schema_and_backcheck(
    knowledge: Knowledge, tmp_path: Path, case: str
) -> None:
    data = BAD_FILES[case]
    assert not answers_validator(data).is_valid(data), f"the schema accepts {case}"
    assert not accepted_by_backcheck(knowledge, tmp_path, data), f"backcheck accepts {case}"


def good_values(knowledge: Knowledge) -> list[tuple[str, Any]]:
    """Every allowed answer of every question, in each form backcheck accepts."""
    values: list[tuple[str, Any]] = []
    for question in knowledge.questions.values():
        values.append((question.id, None))
        if question.type == "integer":
            values += [(question.id, question.min), (question.id, question.max)]
        elif question.type == "yes_no":
            values += [(question.id, v) for v in (True, False, "yes", "No", " YES ")]
        elif question.type == "single":
            values += [(question.id, option) for option in question.option_ids]
        else:
            values += [(question.id, option) for option in question.option_ids]
            values += [(question.id, list(question.option_ids)), (question.id, [])]
    return values


def test_every_allowed_answer_is_accepted_by_both(knowledge: Knowledge, tmp_path: Path) -> None:
    for version in SUPPORTED_VERSIONS:
        schema = validator(f"answers-v{version}.schema.json")
        for qid, value in good_values(knowledge):
            data = {"version": version, "answers": {qid: value}}
            assert schema.is_valid(data), f"v{version} schema rejects {qid}: {value!r}"
            assert accepted_by_backcheck(knowledge, tmp_path, data), (qid, value)
    assert validator("answers-v1.schema.json").is_valid({"answers": None})  # version 1 by default
    assert not validator("answers-v2.schema.json").is_valid({"answers": {}})  # 2 must say so


def test_every_result_matches_the_result_schema(knowledge: Knowledge, runner: CliRunner) -> None:
    schema = validator("result.schema.json")
    files = [str(p) for p in answer_files()]
    result = runner.invoke(app, ["run", "-f", "json", *files])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    for line in lines:
        data = json.loads(line)
        errors = [e.message for e in schema.iter_errors(data)]
        assert not errors, f"{data['source']}: {errors}"
    _, one = assess_file(knowledge, files[0])
    # The schema names every field the result has (a new field needs the schema too).
    assert set(committed("result.schema.json")["properties"]) == set(to_dict(one, files[0]))


def test_the_eval_output_has_a_schema_version_and_matches_its_schema(
    runner: CliRunner,
) -> None:
    result = runner.invoke(app, ["eval", "-f", "json", str(OWN_VIGNETTES)])
    data = json.loads(result.stdout)
    assert data["schema_version"] == EVAL_SCHEMA_VERSION
    errors = [e.message for e in validator("eval.schema.json").iter_errors(data)]
    assert not errors
    data["overall"]["figures"]["top3"] = 1.5
    assert not validator("eval.schema.json").is_valid(data)


def test_the_eval_output_on_the_shared_sets_matches_its_schema(
    runner: CliRunner, shared: Path
) -> None:
    folders = [str(shared / "vignettes"), str(shared / "vignettes-v2")]
    result = runner.invoke(app, ["eval", "-f", "json", *folders])
    data = json.loads(result.stdout)
    assert data["overall"]["cases"] >= 40
    errors = [e.message for e in validator("eval.schema.json").iter_errors(data)]
    assert not errors


def test_help_lists_the_new_commands(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    for command in ("questionnaire", "schema", "template"):
        assert command in result.stdout
        assert runner.invoke(app, [command, "--help"]).exit_code == 0
