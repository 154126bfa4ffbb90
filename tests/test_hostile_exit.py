"""Exit statuses are one table: each row of the README's table, and usage errors as one line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcheck.cli.app import app
from tests.conftest import EXAMPLES, ROOT

README = (ROOT / "README.md").read_text()


def _table_statuses() -> list[int]:
    table = README.split("| exit status | meaning |", 1)[1].split("\n\n", 1)[0]
    return [int(m) for m in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)]


def test_the_readme_table_lists_every_status() -> None:
    from backcheck.errors import ExitStatus

    assert _table_statuses() == sorted(int(s) for s in ExitStatus)


def _status(runner: CliRunner, *args: str) -> int:
    return runner.invoke(app, list(args)).exit_code


def test_0_success_and_self_care(runner: CliRunner) -> None:
    assert _status(runner, "run", "--exit-code", str(EXAMPLES / "strain.json")) == 0
    assert _status(runner, "validate") == 0


def test_1_broken_knowledge_missed_target_no_match_unwritable(
    runner: CliRunner, tmp_path: Path
) -> None:
    broken = tmp_path / "knowledge.yaml"
    broken.write_text("version: 1\n")
    assert _status(runner, "validate", str(broken)) == 1
    assert _status(runner, "--knowledge", str(broken), "conditions") == 1
    vignette = tmp_path / "v" / "wrong.yaml"
    vignette.parent.mkdir()
    vignette.write_text(
        (EXAMPLES / "emergency.yaml").read_text()
        + "expect: {verdict: self_care, top3_any: [muscle_strain]}\n"
    )
    assert _status(runner, "eval", "--check", str(vignette.parent)) == 1
    assert _status(runner, "lookup", "qqqqzzzz") == 1
    missing = tmp_path / "no-such-folder" / "report.md"
    assert _status(runner, "run", "-o", str(missing), str(EXAMPLES / "strain.json")) == 1


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["run"], "error: backcheck run: missing argument 'FILE...' (see backcheck run --help)"),
        (
            ["run", "-f", "xml", "x.yaml"],
            "error: backcheck run: invalid value for '--format' / '-f': 'xml' is not one of "
            "'rich', 'json', 'markdown', 'html', 'fhir' (see backcheck run --help)",
        ),
        (
            ["run", "--frmat", "json", "x.yaml"],
            "error: backcheck run: no such option '--frmat'. Did you mean '--format'? "
            "(see backcheck run --help)",
        ),
        (["nosuch"], "error: backcheck: no such command 'nosuch' (see backcheck --help)"),
        (  # a mistyped command: one "did you mean", said once
            ["lookpu", "sciatica"],
            "error: backcheck: no such command 'lookpu'. Did you mean 'lookup'? "
            "(see backcheck --help)",
        ),
        (
            ["validate", "a", "b"],
            "error: backcheck validate: got unexpected extra argument (b) "
            "(see backcheck validate --help)",
        ),
    ],
)
def test_2_a_usage_error_is_one_line(runner: CliRunner, args: list[str], line: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line + "\n"


def test_2_bad_input_empty_or_missing_eval_folder(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers: {fever: often}\n")
    assert _status(runner, "run", "--exit-code", str(bad), str(EXAMPLES / "emergency.yaml")) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["eval", str(empty)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {empty}: no vignettes in this folder (YAML or JSON files)\n"
    result = runner.invoke(app, ["eval", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing'}: no such file or folder\n"
    assert _status(runner, "ask") == 2  # no terminal here


def test_2_backcheck_alone_shows_the_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert "Commands:" in result.stderr


@pytest.mark.parametrize(
    ("example", "status"),
    [
        ("sciatica.yaml", 3),
        ("v2-urgent-kidney-stone.yaml", 4),
        ("emergency.yaml", 5),
    ],
)
def test_3_to_5_the_verdict_with_exit_code(runner: CliRunner, example: str, status: int) -> None:
    assert _status(runner, "run", "--exit-code", str(EXAMPLES / example)) == status
    assert _status(runner, "run", str(EXAMPLES / example)) == 0  # only with --exit-code


def test_130_interrupted_with_ctrl_c() -> None:
    # `run -` waits for its answers on a pipe that stays open; Ctrl-C stops it.
    with subprocess.Popen(
        [sys.executable, "-m", "backcheck", "run", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "BACKCHECK_NO_CACHE": "1"},
    ) as process:
        time.sleep(3)  # well past start-up: it is reading
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in stderr
