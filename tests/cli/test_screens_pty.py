"""The warning-sign screens in a real pseudo-terminal of 24 rows at 60, 80 and 120 columns,
read back through a terminal emulator (pyte): what a person actually sees."""

from __future__ import annotations

import os
import sys
import time

import pexpect
import pyte
import pytest

from backcheck.knowledge.model import Knowledge
from tests.conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pty"),
]

DOWN, ENTER, SPACE = "\x1b[B", "\r", " "
ROWS = 24


class Terminal:
    """`backcheck ask` in a pty of ``ROWS`` x ``width``, its output fed to an emulator."""

    def __init__(self, width: int) -> None:
        env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1", "TERM": "xterm"}
        env.update(COLUMNS=str(width), LINES=str(ROWS))
        env.pop("TTY_COMPATIBLE", None)
        self.screen = pyte.Screen(width, ROWS)
        self.stream = pyte.Stream(self.screen)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "backcheck", "ask"],
            cwd=str(ROOT),
            env=env,
            encoding="utf-8",
            timeout=15,
            dimensions=(ROWS, width),
        )

    def wait_for(self, text: str) -> str:
        """Read until ``text`` is on the screen and the output settles; the screen's text."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.3))
                continue
            except pexpect.TIMEOUT:
                pass
            shown = "\n".join(self.screen.display)
            if text in shown:
                return shown
        raise AssertionError(f"{text!r} not on screen:\n" + "\n".join(self.screen.display))

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def close(self) -> None:
        self.child.close(force=True)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_warning_sign_screens_fit_24_rows_and_every_meaning_is_one_key_away(
    knowledge: Knowledge, width: int
) -> None:
    term = Terminal(width)
    try:
        term.wait_for("How old are you?")
        term.send("30" + ENTER)
        term.wait_for("What sex is your body?")
        term.send(ENTER)  # female: the signs in pregnancy join the body screen
        term.wait_for("What do you feel")
        term.send(SPACE + ENTER)
        for screen_id, last in (("red_flags", "← Back"), ("body_flags", "← Back")):
            step = next(s for s in knowledge.interview if s.id == screen_id)
            shown = term.wait_for(last)
            lines = [knowledge.questions[q] for q in step.questions]
            assert step.text in shown
            for q in lines:  # every line whole, none cut at the right edge
                if q.type == "yes_no":
                    assert q.short in shown, (width, q.id)
            for label in ("None of these", "← Back", "Press ? to see what every line means."):
                assert label in shown
            # the pointed (first) line's meaning shows under the list
            first_words = " ".join(lines[0].help.split()[:3])
            assert first_words in " ".join(shown.split())
            term.send("?")
            page = " ".join(term.wait_for("Press any key to go back").split())
            for q in lines:
                if q.type == "yes_no":
                    assert " ".join(q.help.split()) in page, (width, q.id)
            term.send(ENTER)
            term.wait_for(last)
            ticks = sum(1 if q.type == "yes_no" else len(q.options) for q in lines)
            term.send(DOWN * ticks + SPACE + ENTER)  # None of these
            if screen_id == "red_flags":
                term.wait_for("anywhere in the body?")
    finally:
        term.close()
