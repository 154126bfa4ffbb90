"""`backcheck ask --again` in a real pseudo-terminal: every question comes pre-set to the last
check's answer, Enter keeps it, and the summary ends with the comparison."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pexpect  # a test dependency (the test extra)
import pytest

from backcheck.history.store import open_history, settings_path
from tests.cli.test_ask_pty import spawn as spawn_ask
from tests.history.conftest import answer_file, invoke

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pty"),
]

ENTER = "\r"
# The questions of the benign interview (conftest.full_answers), in order.
QUESTIONS = (
    "How old are you?",
    "What sex is your body?",
    "What do you feel, and where in your back?",
    "Do you have any of these right now?",
    "anywhere in the body?",
    "Does any of this apply to you?",
    "Was your back hurt recently",
    "Does it spread anywhere?",
    "How did it start?",
    "How long have you had it?",
    "How is it changing?",
    "What makes it worse, and what makes it better?",
    "In the days before it started",
    "How much does it affect your daily life?",
)


def spawn(home: Path, *args: str) -> tuple[pexpect.spawn[str], io.StringIO]:
    """`backcheck ask ARGS` in a pseudo-terminal, with its history in ``home``."""
    return spawn_ask(*args, env={"BACKCHECK_HOME": str(home)}, timeout=20)


def test_again_keeps_every_answer_with_enter_and_compares(home: Path, tmp_path: Path) -> None:
    last = answer_file(tmp_path, "last", impact="moderate")
    assert invoke("history", "add", str(last), "--date", "2025-03-01").exit_code == 0
    child, screen = spawn(home, "--again")
    try:
        for question in QUESTIONS:
            child.expect_exact(question)
            child.send(ENTER)
        child.expect_exact("VERDICT: SELF-CARE")
        # never asked before: after the summary, the opt-in question comes once; y keeps it
        child.expect_exact("Keep a private history of your checks on this computer?")
        child.send("y")
        child.expect_exact("Kept as check 2")
        child.expect_exact("Since your last check")
        child.expect_exact("The advice is the same")
        child.expect_exact("No warning sign came or went.")
        child.expect_exact("Impact on daily life: the same (Moderately")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, screen.getvalue()[-3000:]
    assert "Traceback" not in screen.getvalue()
    assert settings_path().read_text(encoding="utf-8") == '{"keep_history": true}\n'
    with open_history(create=False) as history:
        first, second = history.checks()
    assert second.answers == first.answers
