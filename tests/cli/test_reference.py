"""`lookup`, `conditions`, `validate`, `--knowledge` and `--version`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from backcheck import __version__
from backcheck.cli.app import app
from backcheck.knowledge.loading import default_knowledge_path


@pytest.mark.parametrize(
    ("query", "condition"),
    [
        ("sciatica", "Sciatica"),
        ("SCIATICA", "Sciatica"),
        ("sciatca", "Sciatica"),
        ("slipped disc", "herniated_disc"),
        ("B12", "vitamin_b12_deficiency"),
        ("MS", "multiple_sclerosis"),
        ("pins and needles", "nerve_pressure"),
        ("herniated_disc", "herniated_disc"),
        ("shingels", "shingles"),
    ],
)
def test_lookup_forgives_case_typos_and_aliases(
    runner: CliRunner, query: str, condition: str
) -> None:
    result = runner.invoke(app, ["lookup", *query.split()])
    assert result.exit_code == 0, result.output
    assert condition in result.stdout
    for section in (
        "Typical symptoms",
        "Triggers",
        "Risk factors",
        "Warning signs",
        "Tests a doctor may use",
        "What helps",
        "When to see a doctor",
    ):
        assert section in result.stdout


def test_lookup_without_a_match_suggests_and_exits_1(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lookup", "spinal"])
    assert result.exit_code == 1
    assert "did you mean" in result.stderr
    assert "spinal_stenosis" in result.stderr or "spinal_fracture" in result.stderr
    nothing = runner.invoke(app, ["lookup", "xqzv"])
    assert nothing.exit_code == 1
    assert "no condition matches 'xqzv'" in nothing.stderr


def test_conditions_lists_all_by_category(runner: CliRunner) -> None:
    result = runner.invoke(app, ["conditions"])
    assert result.exit_code == 0
    out = result.stdout
    for heading in (
        "Everyday causes",
        "Spine and nerve root",
        "Nerves and whole body",
        "Infection, bleeding and growths",
        "Felt in the back, coming from elsewhere",
    ):
        assert heading in out
    assert (
        out.index("Everyday causes")
        < out.index("muscle_strain")
        < out.index("Spine and nerve root")
    )
    assert out.count("\n") > 38


def test_validate_the_shipped_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert result.stdout.startswith("OK:")
    assert "38 conditions" in result.stdout


def _edited(tmp_path: Path, level: str) -> Path:
    data = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))
    data["warning_signs"][0]["level"] = level
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_validate_an_edited_copy(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(_edited(tmp_path, "urgentt"))])
    assert result.exit_code == 1
    assert (
        "edited.yaml: warning_signs: bladder_bowel_change.level: unknown verdict level 'urgentt'"
        in result.stderr
    )
    assert "Traceback" not in result.output


def test_knowledge_option_changes_every_command(runner: CliRunner, tmp_path: Path) -> None:
    from tests.conftest import EXAMPLES

    path = _edited(tmp_path, "see_doctor")  # a clinician lowers bladder trouble to see_doctor
    answers = str(EXAMPLES / "emergency.yaml")
    shipped = runner.invoke(app, ["run", "-f", "json", answers]).stdout
    edited = runner.invoke(app, ["--knowledge", str(path), "run", "-f", "json", answers]).stdout
    assert '"bladder_bowel_change", "level": "emergency"' in shipped
    assert '"bladder_bowel_change", "level": "see_doctor"' in edited
    broken = runner.invoke(app, ["--knowledge", str(tmp_path / "none.yaml"), "lookup", "ms"])
    assert broken.exit_code == 1
    assert "none.yaml: no such file" in broken.stderr


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"backcheck {__version__}"


def test_every_command_has_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    for command in ("run", "lookup", "conditions", "validate", "eval"):
        assert command in result.stdout
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0
        assert "Usage" in sub.stdout
