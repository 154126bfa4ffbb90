"""The command line ends without tearing the interpreter down, and loses nothing by it."""

from __future__ import annotations

import subprocess
import sys

from backcheck import __version__
from tests.conftest import EXAMPLES, ROOT

SCRIPT = """
import atexit, sys, threading
atexit.register(lambda: sys.stderr.write("exit handler ran\\n"))
if sys.argv[1] == "--thread":  # a thread still running: the usual exit waits for it
    del sys.argv[1]
    threading.Thread(target=lambda: (__import__("time").sleep(0.2), print("thread done"))).start()
sys.argv[0] = "backcheck"
from backcheck.cli.app import main
main()
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_exit_handlers_run_and_the_output_is_whole() -> None:
    done = _run("run", "--exit-code", str(EXAMPLES / "emergency.yaml"))
    assert done.returncode == 5
    assert done.stderr == "exit handler ran\n"
    whole = subprocess.run(
        [sys.executable, "-m", "backcheck", "run", "--exit-code", str(EXAMPLES / "emergency.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.stdout == whole.stdout
    assert done.stdout.rstrip().endswith("Not a diagnosis.")


def test_a_usage_error_keeps_its_line_and_status() -> None:
    done = _run("run", "--no-such-option")
    assert done.returncode == 2
    assert done.stderr.startswith("error: backcheck run: no such option")
    assert done.stderr.endswith("exit handler ran\n")


def test_a_running_thread_is_waited_for() -> None:
    done = _run("--thread", "--version")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [f"backcheck {__version__}", "thread done"]
    assert done.stderr == "exit handler ran\n"
