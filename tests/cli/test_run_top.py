"""`backcheck run --top N`: only the N likeliest causes, the verdict and its reasons kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcheck import batch
from backcheck.cli.app import app
from tests.conftest import EXAMPLES, OWN_VIGNETTES


def _json(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["run", "-f", "json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("top", [1, 3])
def test_json_lists_the_first_n_causes_and_keeps_everything_else(
    runner: CliRunner, top: int
) -> None:
    files = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    whole = _json(runner, *files)
    short = _json(runner, "--top", str(top), *files)
    for full, cut in zip(whole, short, strict=True):
        assert cut["conditions"] == full["conditions"][:top]  # type: ignore[index]
        del full["conditions"], cut["conditions"]
        assert cut == full  # verdict, reasons, what was not assessed: all the same


def test_a_parallel_batch_keeps_the_top_too(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = sorted(OWN_VIGNETTES.glob("*.yaml"))
    files = []
    for index in range(batch.PARALLEL_FROM + 10):
        path = tmp_path / f"{index:04d}.yaml"
        path.write_bytes(sources[index % len(sources)].read_bytes())
        files.append(str(path))
    parallel = _json(runner, "--top", "2", *files)
    monkeypatch.setattr(batch, "PARALLEL_FROM", len(files) + 1)
    assert _json(runner, "--top", "2", *files) == parallel
    assert {len(line["conditions"]) for line in parallel} == {2}  # type: ignore[arg-type]


def test_the_summary_and_the_report_list_only_the_top(runner: CliRunner) -> None:
    emergency = str(EXAMPLES / "emergency.yaml")
    brief = runner.invoke(app, ["run", "--top", "1", emergency]).stdout
    causes = brief[brief.index("Likely causes") : brief.index("How long")]
    assert "1. Cauda equina syndrome" in causes
    assert "2." not in causes
    assert "VERDICT: EMERGENCY" in brief
    report = runner.invoke(app, ["run", "-f", "markdown", "--top", "1", emergency]).stdout
    whole = runner.invoke(app, ["run", "-f", "markdown", emergency]).stdout
    assert "Cauda equina syndrome" in report
    assert "Spinal stenosis" in whole
    assert "Spinal stenosis" not in report


@pytest.mark.parametrize("value", ["0", "-2", "three"])
def test_a_top_that_is_not_a_positive_whole_number_is_one_error(
    runner: CliRunner, value: str
) -> None:
    result = runner.invoke(app, ["run", "--top", value, str(EXAMPLES / "sciatica.yaml")])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: backcheck run: invalid value for '--top'")
    assert "Traceback" not in result.output


def test_the_python_api_takes_a_top_too() -> None:
    import backcheck

    knowledge = backcheck.load_knowledge()
    answers = backcheck.parse_answers({"sensation": ["tingling"], "age": 40}, knowledge)
    whole = backcheck.assess(knowledge, answers)
    short = backcheck.assess(knowledge, answers, top=2)
    assert short.conditions == whole.conditions[:2]
    assert short._replace(conditions=whole.conditions, safety_net=None) == whole._replace(
        safety_net=None
    )


@pytest.mark.parametrize("top", [0, -1, True, 2.5, "3"])
def test_the_python_api_names_a_bad_top(top: object) -> None:
    import backcheck

    knowledge = backcheck.load_knowledge()
    with pytest.raises(backcheck.InputError, match=r"^top: .*; allowed: a whole number from 1$"):
        backcheck.assess(knowledge, {"age": 40}, top=top)  # type: ignore[arg-type]
