"""Streams: a closed pipe, a closed stdout, a full device or a closed stdin never give a
traceback, and each has its documented exit status."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

EMERGENCY = str(EXAMPLES / "emergency.yaml")
COMMANDS = {
    "run": ["run", str(EXAMPLES / "sciatica.yaml")],
    "run-json": ["run", "-f", "json", str(EXAMPLES / "sciatica.yaml")],
    "run-markdown": ["run", "-f", "markdown", str(EXAMPLES / "sciatica.yaml")],
    "lookup": ["lookup", "sciatica"],
    "conditions": ["conditions"],
    "validate": ["validate"],
    "eval": ["eval", str(ROOT / "tests" / "vignettes")],
    "help": ["--help"],
}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "backcheck", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "80"}


def _closing(fd: int) -> Callable[[], None]:
    return lambda: os.close(fd)


def _no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """250 answer files, the first an emergency: a parallel JSON batch, output far beyond
    a pipe's buffer."""
    folder = tmp_path_factory.mktemp("many")
    paths = []
    for number in range(250):
        path = folder / f"{number:03}.yaml"
        shutil.copy(EMERGENCY if number == 0 else EXAMPLES / "sciatica.yaml", path)
        paths.append(str(path))
    return paths


def _head_one(args: list[str]) -> tuple[int, str]:
    """Read one line of the output, then close the pipe, as `| head -1` does."""
    with subprocess.Popen(
        _command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read().decode()
        return process.wait(timeout=120), stderr


@pytest.mark.parametrize(
    "fmt", [["-f", "json"], ["-f", "markdown"], []], ids=["json", "markdown", "rich"]
)
def test_a_closed_pipe_keeps_the_verdict_exit_status(many: list[str], fmt: list[str]) -> None:
    status, stderr = _head_one(["run", "--exit-code", *fmt, *many])
    assert stderr == ""
    assert status == 5  # the emergency, not 1 (a broken knowledge file)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_closed_pipe_is_not_an_error(name: str) -> None:
    status, stderr = _head_one(COMMANDS[name])
    _no_traceback(stderr)
    assert stderr == ""
    assert status == 0


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_closed_stdout_is_one_error_line_and_status_1(name: str) -> None:
    result = subprocess.run(
        _command(*COMMANDS[name]),
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        preexec_fn=_closing(1),
        check=False,
    )
    _no_traceback(result.stderr)
    assert result.stderr == "error: cannot write to standard output: it is closed\n"
    assert result.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("name", [*COMMANDS, "exit-code"])
def test_a_full_device_is_one_error_line_and_status_1(name: str) -> None:
    args = ["run", "--exit-code", EMERGENCY] if name == "exit-code" else COMMANDS[name]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            _command(*args), stdout=full, stderr=subprocess.PIPE, text=True, env=_env(), check=False
        )
    _no_traceback(result.stderr)
    assert result.stderr == "error: cannot write to standard output: No space left on device\n"
    assert result.returncode == 1  # the result was lost: never read as a verdict


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "-"], "error: <stdin>: standard input is closed; give an answer file instead\n"),
        (["ask"], "error: `backcheck ask` needs a terminal to ask its questions; "),
    ],
)
def test_a_closed_stdin_gives_one_line(args: list[str], message: str) -> None:
    result = subprocess.run(
        _command(*args),
        capture_output=True,
        text=True,
        env=_env(),
        preexec_fn=_closing(0),
        check=False,
    )
    _no_traceback(result.stderr)
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert result.returncode == 2


def test_a_closed_stderr_keeps_the_exit_status() -> None:
    result = subprocess.run(
        _command("run", "no-such-file.yaml"),
        stdout=subprocess.PIPE,
        env=_env(),
        preexec_fn=_closing(2),
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_parallel_batch_onto_a_full_device_or_a_closed_stdout_is_one_error_line(
    many: list[str],
) -> None:
    """The workers' JSON goes to the output as bytes: failing to write it fails as a
    single file's output does."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            _command("run", "-f", "json", *many),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            check=False,
        )
    assert result.stderr == "error: cannot write to standard output: No space left on device\n"
    assert result.returncode == 1
    closed = subprocess.run(
        _command("run", "-f", "json", *many),
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        preexec_fn=_closing(1),
        check=False,
    )
    assert closed.stderr == "error: cannot write to standard output: it is closed\n"
    assert closed.returncode == 1


def test_a_parallel_batch_writes_the_same_bytes_to_a_file_a_pipe_output_and_an_append(
    many: list[str], tmp_path: Path
) -> None:
    from backcheck.knowledge.loading import load_knowledge
    from backcheck.pipeline import json_line

    knowledge = load_knowledge()
    expected = "".join(f"{json_line(knowledge, p)[0]}\n" for p in many).encode()
    target = tmp_path / "out.jsonl"
    with open(target, "wb") as sink:
        subprocess.run(_command("run", "-f", "json", *many), stdout=sink, env=_env(), check=True)
    piped = subprocess.run(
        _command("run", "-f", "json", *many), capture_output=True, env=_env(), check=True
    )
    report = tmp_path / "report.jsonl"
    subprocess.run(_command("run", "-f", "json", "-o", str(report), *many), env=_env(), check=True)
    appended = tmp_path / "appended.jsonl"  # `>>`: a file opened to append
    appended.write_bytes(b"earlier\n")
    with open(appended, "ab") as sink:
        subprocess.run(_command("run", "-f", "json", *many), stdout=sink, env=_env(), check=True)
    assert target.read_bytes() == expected
    assert piped.stdout == expected
    assert report.read_bytes() == expected
    assert appended.read_bytes() == b"earlier\n" + expected
