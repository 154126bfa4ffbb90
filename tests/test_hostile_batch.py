"""Batches lose nothing: `-` read once by the main process, odd file names reported escaped
with the files after them still assessed, a stopped batch leaves no worker and no traceback,
and `--output` streams instead of holding the whole report in memory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from backcheck.batch import PARALLEL_FROM
from backcheck.output.markdown import text
from tests.conftest import EXAMPLES, children_of

SCIATICA = EXAMPLES / "sciatica.yaml"
EMERGENCY = EXAMPLES / "emergency.yaml"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 answer files (links to one example): a parallel batch of a few seconds."""
    root = tmp_path_factory.mktemp("batch")
    for number in range(20_000):
        (root / f"{number:05}.yaml").symlink_to(SCIATICA)
    return root


def _files(folder: Path, count: int) -> list[str]:
    return [str(p) for p in sorted(folder.iterdir())[:count]]


def _backcheck(*args: str | bytes, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "backcheck", *args], capture_output=True, check=False, **kwargs
    )


def test_stdin_among_many_files_is_read_once_by_the_main_process(folder: Path) -> None:
    files = _files(folder, PARALLEL_FROM + 50)  # enough for the parallel batch
    args = [files[0], "-", *files[1:100], "-", *files[100:]]
    result = _backcheck("run", "-f", "json", *args, input=EMERGENCY.read_bytes())
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"] for d in lines] == [("<stdin>" if a == "-" else a) for a in args]
    verdicts = {d["verdict"] for d in lines if d["source"] == "<stdin>"}
    assert verdicts == {"emergency"}  # both, though workers never see the real stdin


def test_stdin_among_many_files_in_markdown_is_read_once_by_the_main_process(
    folder: Path,
) -> None:
    files = _files(folder, PARALLEL_FROM + 50)
    args = [files[0], "-", *files[1:100], "-", *files[100:]]
    result = _backcheck("run", "-f", "markdown", *args, input=EMERGENCY.read_bytes())
    assert result.returncode == 0, result.stderr
    reports = result.stdout.decode().split("\n---\n\n")
    assert [r.splitlines()[0] for r in reports] == [
        "# backcheck report: " + text("<stdin>" if a == "-" else a) for a in args
    ]
    for index in (1, 101):
        assert "**Verdict: EMERGENCY: " in reports[index]


@pytest.mark.parametrize("count", [3, PARALLEL_FROM + 10], ids=["in-turn", "parallel"])
@pytest.mark.parametrize("fmt", ["json", "rich"])
def test_a_name_that_is_not_utf8_is_reported_escaped_and_later_files_still_run(
    folder: Path, tmp_path: Path, count: int, fmt: str
) -> None:
    odd = os.fsencode(tmp_path) + b"/odd-\xff\xfe.yaml"
    os.symlink(SCIATICA, odd)
    missing = os.fsencode(tmp_path) + b"/missing-\xff.yaml"
    files = _files(folder, count)
    wide = {**os.environ, "COLUMNS": "300"}  # the file name on one line
    result = _backcheck("run", "-f", fmt, odd, missing, *files, env=wide)
    assert result.returncode == 2  # one file failed
    errors = result.stderr.decode().splitlines()
    assert errors == [f"error: {tmp_path}/missing-\\udcff.yaml: no such file"]
    output = result.stdout.decode("utf-8")  # valid UTF-8 whatever the names
    if fmt == "json":
        sources = [json.loads(line)["source"] for line in output.splitlines()]
        assert sources == [os.fsdecode(odd), *files]
    else:
        assert f"{tmp_path}/odd-\\udcff\\udcfe.yaml" in output
        assert output.count("VERDICT: SEE A DOCTOR") == 2 * (count + 1)  # first and last line


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("signum", "group", "fmt"),
    [
        (signal.SIGINT, True, "json"),
        (signal.SIGTERM, False, "json"),
        (signal.SIGTERM, True, "json"),
        (signal.SIGINT, True, "rich"),
        (signal.SIGTERM, False, "markdown"),
    ],
    ids=["ctrl-c", "sigterm", "sigterm-to-the-group", "ctrl-c-rich", "sigterm-markdown"],
)
def test_stopping_a_parallel_batch_leaves_no_worker_and_no_traceback(
    folder: Path, tmp_path: Path, signum: signal.Signals, group: bool, fmt: str
) -> None:
    names = tmp_path / "names.txt"
    names.write_text("".join(f"{name}\n" for name in _files(folder, 20_000)), encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "backcheck", "run", "-f", fmt, "--files-from", str(names)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job has
    ) as process:
        deadline = time.monotonic() + 60
        while len(workers := children_of(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the batch never started its workers"
        time.sleep(0.3)
        if group:
            os.killpg(process.pid, signum)  # as Ctrl-C or a closing terminal does
        else:
            process.send_signal(signum)
        try:
            _, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    assert process.returncode == 130
    assert stderr == b"\n"  # no traceback from the parent or any worker
    time.sleep(0.2)
    assert [w for w in workers if Path(f"/proc/{w}").exists()] == []


def _peak_mib(args: list[str]) -> float:
    """The peak memory of one backcheck run (its own process: the parent holds the output)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    command = [sys.executable, "-c", probe, sys.executable, "-m", "backcheck", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(result.stdout) / 1024


def test_output_streams_with_the_memory_of_stdout(folder: Path, tmp_path: Path) -> None:
    files = _files(folder, 2000)  # about 50 MB of JSON
    report = tmp_path / "report.jsonl"
    to_stdout = _peak_mib(["run", "-f", "json", *files])
    to_file = _peak_mib(["run", "-f", "json", "-o", str(report), *files])
    assert report.read_text().count("\n") == 2000
    assert to_file <= 1.5 * to_stdout, (to_file, to_stdout)


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="needs workers")
@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_a_worker_that_dies_ends_the_batch_with_one_line_and_keeps_what_was_written(
    folder: Path, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker killed (for want of memory, say) used to leave the batch waiting for ever.
    from typer.testing import CliRunner

    from backcheck import batch, pipeline
    from backcheck.cli.app import app

    files = _files(folder, PARALLEL_FROM + 300)
    doomed = tmp_path / "doomed.yaml"
    doomed.symlink_to(SCIATICA)
    files.insert(300, str(doomed))
    parent = os.getpid()

    def dies_on_doomed(real: Any) -> Any:
        def job(knowledge: Any, path: str, *args: Any, **kwargs: Any) -> Any:
            if path == str(doomed) and os.getpid() != parent:
                os._exit(9)
            return real(knowledge, path, *args, **kwargs)

        return job

    monkeypatch.setattr("backcheck.batch.json_bytes", dies_on_doomed(pipeline.json_bytes))
    monkeypatch.setattr(pipeline, "assess_file", dies_on_doomed(pipeline.assess_file))
    result = CliRunner().invoke(app, ["run", "-f", fmt, *files])

    assert result.exit_code == 1
    lost = 300 // batch.CHUNK * batch.CHUNK  # the first file of the doomed file's chunk
    assert result.stderr.splitlines() == [
        "error: a batch worker stopped before its work was done (exit status 9): "
        f"{files[lost]} and the files after it ({len(files) - lost:,} in all) were not assessed"
    ]
    if fmt == "json":
        written = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    else:
        heading = "# backcheck report: "
        written = [
            line[len(heading) :] for line in result.stdout.splitlines() if line.startswith(heading)
        ]
    assert written == [text(f) if fmt == "markdown" else f for f in files[:lost]]
