"""Private by design: no network, and files written only for their owner, never over others."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcheck.cli.app import app
from tests.conftest import EXAMPLES, OWN_VIGNETTES

NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network blocked by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
sys.argv = ["backcheck", *sys.argv[1:]]
from backcheck.cli.app import main
main()
"""


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--format", "json", str(EXAMPLES / "sciatica.yaml")],
        ["run", str(EXAMPLES / "emergency.yaml")],
        ["lookup", "sciatica"],
        ["conditions"],
        ["validate"],
        ["eval", str(OWN_VIGNETTES)],
        ["--help"],
    ],
)
def test_every_command_works_with_sockets_blocked(args: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "network blocked" not in result.stderr


def test_reports_are_private_and_never_overwritten(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    answers = str(EXAMPLES / "emergency.yaml")
    first = runner.invoke(app, ["run", "-f", "markdown", "-o", str(report), answers])
    assert first.exit_code == 0
    assert first.stdout == ""
    assert "**Verdict: EMERGENCY" in report.read_text(encoding="utf-8")
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    again = runner.invoke(app, ["run", "-o", str(report), str(EXAMPLES / "strain.json")])
    assert again.exit_code == 2
    assert "already exists; use --force" in again.stderr
    assert "EMERGENCY" in report.read_text(encoding="utf-8")
    report.chmod(0o644)
    forced = runner.invoke(
        app, ["run", "-o", str(report), "--force", str(EXAMPLES / "strain.json")]
    )
    assert forced.exit_code == 0
    assert "SELF-CARE" in report.read_text(encoding="utf-8")
    assert stat.S_IMODE(report.stat().st_mode) == 0o600


def test_output_to_a_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "-o", str(tmp_path), str(EXAMPLES / "strain.json")])
    assert result.exit_code == 1
    assert "is a directory" in result.stderr
