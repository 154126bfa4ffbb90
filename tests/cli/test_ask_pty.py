"""`backcheck ask` end to end in a real pseudo-terminal: a person types a whole interview."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pexpect  # a test dependency (the test extra)
import pytest
import yaml

from tests.conftest import ROOT, full_answers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pty"),
]

DOWN, UP, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x03"


def spawn(
    *args: str, env: dict[str, str] | None = None, timeout: int = 15, ordinary: bool = False
) -> tuple[pexpect.spawn[str], io.StringIO]:
    """`backcheck ask ARGS` in a 40x100 pseudo-terminal (``env`` added to the environment;
    ``ordinary``: no COLUMNS, LINES or FORCE_COLOR, so the interview draws its simple lines
    itself); what it draws is recorded in the returned buffer."""
    env = {
        **os.environ,
        **(env or {}),
        "PROMPT_TOOLKIT_NO_CPR": "1",  # no cursor-position request: a pty never answers it
        "NO_COLOR": "1",
        "TERM": "xterm",
        "COLUMNS": "100",
        "LINES": "40",
    }
    env.pop("TTY_COMPATIBLE", None)
    if ordinary:
        for name in ("COLUMNS", "LINES", "FORCE_COLOR"):
            env.pop(name, None)
    screen = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "backcheck", "ask", *args],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=timeout,
        dimensions=(40, 100),
    )
    child.logfile_read = screen
    return child, screen


def answer(child: pexpect.spawn[str], question: str, *keys: str) -> None:
    """Wait for ``question`` on screen, then type ``keys``."""
    child.expect_exact(question)
    for key in keys:
        child.send(key)


def test_a_whole_interview_in_a_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "me.yaml"
    child, screen = spawn("--save", str(saved))
    try:
        answer(child, "How old are you?", "abc", ENTER)
        child.expect_exact("Type your age in whole years")
        child.send("\x7f" * 3 + "35" + ENTER)
        answer(child, "What sex is your body?", DOWN, ENTER)  # Male
        # Pain; Lower back (the sixth line after the feelings)
        answer(child, "What do you feel, and where in your back?", DOWN * 3, SPACE)
        child.send(DOWN * 5 + SPACE + ENTER)
        # Enter with nothing ticked is refused (the message shows at the bottom of the
        # screen, which prompt_toolkit does not draw without cursor-position reports)
        answer(child, "Do you have any of these right now?", ENTER)
        child.send(DOWN * 8 + SPACE + ENTER)  # None of these
        answer(child, "anywhere in the body?", DOWN * 6, SPACE, ENTER)  # None of these
        answer(child, "Does any of this apply to you?", UP * 3, SPACE, ENTER)  # None of these
        answer(child, "Was your back hurt recently", ENTER)
        answer(child, "Does it spread anywhere?", UP, ENTER)  # "← Back" to the injury
        answer(child, "Was your back hurt recently", ENTER)  # still "No injury"
        answer(child, "Does it spread anywhere?", ENTER)
        answer(child, "How did it start?", DOWN, ENTER)
        answer(child, "How long have you had it?", DOWN, ENTER)
        answer(child, "How is it changing?", ENTER)
        answer(child, "What makes it worse, and what makes it better?", DOWN * 2, SPACE)
        child.send(DOWN * 7 + SPACE + ENTER)  # "Around my period" is not shown to a man
        answer(child, "In the days before it started", SPACE, ENTER)
        answer(child, "How much does it affect your daily life?", ENTER)
        child.expect_exact("VERDICT: SELF-CARE")
        child.expect_exact("Watch for")  # the short summary, with its safety net
        child.expect_exact("--details")
        child.expect_exact("Your answers are saved in")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, screen.getvalue()[-2000:]
    assert "Traceback" not in screen.getvalue()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))["answers"]
    expected = {k: list(v) if isinstance(v, tuple) else v for k, v in full_answers().items()}
    assert answers == expected


def test_ctrl_c_in_a_terminal_exits_130_and_keeps_the_answers(tmp_path: Path) -> None:
    saved = tmp_path / "me.yaml"
    child, screen = spawn("--save", str(saved))
    try:
        answer(child, "How old are you?", "35", ENTER)
        answer(child, "What sex is your body?", CTRL_C)
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130, screen.getvalue()[-2000:]
    assert "Traceback" not in screen.getvalue()
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data == {"version": 2, "answers": {"age": 35}, "complete": False}


def to_age(child: pexpect.spawn[str]) -> None:
    """Wait for the age prompt (the first)."""
    child.expect_exact("How old are you?")


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_keeps_the_answers_so_far(tmp_path: Path, signame: str) -> None:
    import signal

    saved = tmp_path / "me.yaml"
    child, screen = spawn("--save", str(saved))
    try:
        answer(child, "How old are you?", "35", ENTER)
        child.expect_exact("What sex is your body?")
        child.kill(getattr(signal, signame))
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130, screen.getvalue()[-2000:]
    assert "Traceback" not in screen.getvalue()
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data == {"version": 2, "answers": {"age": 35}, "complete": False}


@pytest.mark.parametrize("where", ["checkbox", "select", "age"])
def test_ctrl_d_stops_like_ctrl_c(tmp_path: Path, where: str) -> None:
    saved = tmp_path / "me.yaml"
    child, screen = spawn("--save", str(saved))
    try:
        if where == "checkbox":
            answer(child, "How old are you?", "35", ENTER)
            answer(child, "What sex is your body?", DOWN, ENTER)
            answer(child, "What do you feel, and where", "\x04")
        elif where == "select":
            answer(child, "How old are you?", "35", ENTER)
            answer(child, "What sex is your body?", "\x04")
        else:
            to_age(child)
            child.send("\x04")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130, screen.getvalue()[-2000:]
    assert "Traceback" not in screen.getvalue()
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["complete"] is False


def test_a_huge_paste_into_the_age_is_refused_and_asked_again() -> None:
    child, screen = spawn()
    try:
        to_age(child)
        child.send("9" * 10_000 + ENTER)
        child.expect_exact("Type your age in whole years", timeout=30)
        child.sendcontrol("u")  # clear the line (prompt_toolkit: kill to start of line)
        child.send("\x7f" * 10 + CTRL_C)
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close()
    assert "Traceback" not in screen.getvalue()
    assert child.exitstatus == 130


def test_ctrl_c_without_save_says_nothing_was_kept() -> None:
    child, _ = spawn()
    try:
        answer(child, "How old are you?", "35", ENTER)
        answer(child, "What sex is your body?", CTRL_C)
        child.expect_exact("Nothing was kept")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130


def test_with_stdout_redirected_the_questions_stay_on_the_terminal(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1", "TERM": "xterm"}
    env.pop("TTY_COMPATIBLE", None)
    command = f"{sys.executable} -m backcheck ask --format json > {out}"
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", command],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=15,
        dimensions=(40, 100),
    )
    try:
        answer(child, "How old are you?", "35", ENTER)
        answer(child, "What sex is your body?", DOWN, ENTER)
        answer(child, "What do you feel, and where", SPACE, ENTER)
        answer(child, "Do you have any of these right now?", SPACE, ENTER)  # bladder or bowel
        answer(child, "What would you like to do now?", ENTER)  # stop here
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    import json

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["verdict"] == "emergency"


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_a_terminal_that_is_not_utf8_gets_one_line_before_any_question(encoding: str) -> None:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "PYTHONIOENCODING": encoding, "LANG": "C"}
    env.pop("TTY_COMPATIBLE", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "backcheck", "ask"],
        cwd=str(ROOT),
        env=env,
        encoding="latin-1",
        timeout=15,
    )
    screen = child.read()
    child.close()
    assert child.exitstatus == 2
    lines = [line for line in screen.splitlines() if line.strip()]
    assert len(lines) == 1, screen
    assert lines[0].startswith("error:")
    assert "UTF-8" in lines[0]


def test_plain_in_a_real_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "me.yaml"
    child, screen = spawn("--plain", "--save", str(saved))
    try:
        for reply in ["35", "2", "4 9", "0", "0", "0", "1", "1", "2", "2", "1", "3 10", "1"]:
            child.expect_exact("> ")
            child.sendline(reply)
        child.expect_exact("> ")
        child.sendline("1")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, screen.getvalue()[-2000:]
    assert "\x1b[" not in screen.getvalue()  # no colour or cursor movement
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))["answers"]
    expected = {k: list(v) if isinstance(v, tuple) else v for k, v in full_answers().items()}
    assert answers == expected


def test_on_an_ordinary_terminal_the_first_question_comes_before_rich_and_prompts() -> None:
    # no COLUMNS: the interview draws its simple lines itself until rich loads
    child, screen = spawn("--no-history", env={"PYTHONPROFILEIMPORTTIME": "1"}, ordinary=True)
    try:
        # the question shows while the prompts load; keys typed at once are kept for it
        answer(child, "? How old are you?\r", "35", ENTER)
        answer(child, "What sex is your body?", DOWN, ENTER)
        child.expect_exact("What do you feel, and where in your back?")
        first = screen.getvalue()
        before = first[: first.index("How old are you?")]
        assert "\x1b[2mQuestion 1 of about " in before  # dim, as rich draws it
        assert "rich.console" not in before  # rich was not imported yet
        assert "questionary" not in before  # nor the prompts
        assert "35" in first[first.index("How old are you?") : first.index("What sex")]
        assert "\x1b[2mQuestion 3 of about " in first
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert "Stopped. Nothing was kept" in screen.getvalue()  # rich, loaded when needed
    assert "rich.console" in screen.getvalue()
    assert child.exitstatus == 130
