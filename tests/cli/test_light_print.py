"""The interview's simple lines drawn without rich: byte for byte what rich would draw."""

from __future__ import annotations

import contextlib
import io
import os
from typing import Any

import pytest
from rich.console import Console
from rich.markup import escape

from backcheck.cli import terminal
from backcheck.cli.prompts import MEANINGS_HINT
from backcheck.cli.terminal import LazyConsole, light_text, print_light
from backcheck.knowledge.model import Knowledge

WIDTHS = [*range(8, 60, 3), 79, 80, 100, 120, 200]


def _rich(text: str, width: int, *, colour: bool, no_color: bool = False, **options: Any) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=colour,
        color_system="standard" if colour else None,
        no_color=no_color,
        highlight=False,
        emoji=False,
    )
    console.print(text, **options)
    return out.getvalue()


Line = tuple[str, list[tuple[str, bool]], dict[str, Any]]


def _lines(knowledge: Knowledge) -> list[Line]:
    """Every line the interview draws this way: rich markup, the pieces, print options."""
    helps = [q.help for q in knowledge.questions.values()] + [s.help for s in knowledge.interview]
    helps += ["x" * 130, "a  b   c    d " * 20, "", "trailing   "]
    lines: list[Line] = []
    for text in helps:
        for head in ("Question 1 of about 17", "Question 12 of about 9"):
            pieces = [("\n", False), (head, True), (f"  {text}", False)]
            lines.append((f"\n[dim]{head}[/dim]  {escape(text)}", pieces, {}))
        lines.append((f"  [dim]{escape(text)}[/dim]", [("  ", False), (text, True)], {}))
    lines.append((f"  [dim]{MEANINGS_HINT}[/dim]", [("  ", False), (MEANINGS_HINT, True)], {}))
    for question in knowledge.questions.values():
        labels = "; ".join(option.label for option in question.options)
        if labels:
            ticked = f"  → {labels}"
            lines.append((ticked, [(ticked, False)], {"markup": False}))
    return lines


@pytest.mark.parametrize(
    ("colour", "no_color"),
    [(True, False), (True, True), (False, False)],
    ids=["colour", "NO_COLOR", "no-terminal-codes"],
)
def test_every_simple_line_is_what_rich_draws(
    knowledge: Knowledge, colour: bool, no_color: bool
) -> None:
    # NO_COLOR keeps dim, the one style of these lines
    for markup, pieces, options in _lines(knowledge):
        for width in WIDTHS:
            expected = _rich(markup, width, colour=colour, no_color=no_color, **options)
            assert light_text(pieces, width, dim=colour) == expected, (markup[:40], width)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """An ordinary colour terminal 72 columns wide, with nothing set that rich reads."""
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in terminal._RICH_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((72, 24)))


def _made() -> Console:
    raise AssertionError("the console is not needed for a simple line")


@pytest.mark.usefixtures("plain_terminal")
def test_a_console_not_made_yet_draws_the_line_itself() -> None:
    screen = _Terminal()
    console = LazyConsole(_made, screen)
    pieces = [("\n", False), ("Question 3 of about 14", True), ("  Tick all that apply.", False)]
    assert print_light(console, pieces)
    assert not console.made
    expected = _rich("\n[dim]Question 3 of about 14[/dim]  Tick all that apply.", 72, colour=True)
    assert screen.getvalue() == expected
    assert "\x1b[2mQuestion 3 of about 14\x1b[0m" in expected


@pytest.mark.usefixtures("plain_terminal")
@pytest.mark.parametrize(
    "setting",
    ["FORCE_COLOR=1", "COLUMNS=50", "TTY_COMPATIBLE=0", "TERM=dumb", "TERM="],
)
def test_what_rich_reads_from_the_environment_leaves_the_line_to_rich(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    name, value = setting.split("=")
    monkeypatch.setenv(name, value)
    screen = _Terminal()
    assert not print_light(LazyConsole(_made, screen), [("Question 1 of about 9", True)])
    assert screen.getvalue() == ""


@pytest.mark.usefixtures("plain_terminal")
@pytest.mark.parametrize("text", ["痛み", "\u200bhidden", "tab\there", "\x1b[31mred"])
def test_a_character_of_uncertain_width_leaves_the_line_to_rich(text: str) -> None:
    screen = _Terminal()
    assert not print_light(LazyConsole(_made, screen), [(text, False)])
    assert screen.getvalue() == ""


@pytest.mark.usefixtures("plain_terminal")
def test_once_the_console_exists_or_off_a_terminal_rich_draws_every_line() -> None:
    made = LazyConsole(lambda: Console(file=_Terminal()), _Terminal())
    made.console()
    assert not print_light(made, [("Question 2 of about 9", True)])
    assert not print_light(LazyConsole(_made, io.StringIO()), [("Question 2 of about 9", True)])
    assert not print_light(Console(file=_Terminal()), [("Question 2 of about 9", True)])


class _Termios:
    """termios as the interview uses it, recording each change of the terminal's settings."""

    ECHO = 0o10
    TCSANOW = 0
    error = OSError

    def __init__(self) -> None:
        self.settings: list[Any] = [1, 2, 3, 0o10 | 0o2, 5, 6, []]
        self.changes: list[list[Any]] = []

    def tcgetattr(self, fd: int) -> list[Any]:
        return list(self.settings)

    def tcsetattr(self, fd: int, when: int, settings: list[Any]) -> None:
        self.changes.append(list(settings))
        self.settings = list(settings)


@pytest.fixture
def fake_termios(monkeypatch: pytest.MonkeyPatch) -> _Termios:
    import sys

    fake = _Termios()
    monkeypatch.setitem(sys.modules, "termios", fake)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO()))
    monkeypatch.setattr(sys.stdin, "fileno", lambda: 0)
    return fake


@pytest.mark.usefixtures("plain_terminal")
@pytest.mark.parametrize("stopped", [False, True], ids=["loaded", "ctrl-c-meanwhile"])
def test_the_first_question_shows_while_the_prompts_load_and_echo_comes_back(
    fake_termios: _Termios, stopped: bool
) -> None:
    screen = _Terminal()
    before: list[Any] = list(fake_termios.settings)
    seen: list[list[Any]] = []
    with (
        pytest.raises(KeyboardInterrupt) if stopped else contextlib.nullcontext(),
        terminal.early_question(LazyConsole(_made, screen), "How old are you?"),
    ):
        seen.append(list(fake_termios.settings))
        if stopped:
            raise KeyboardInterrupt
    assert screen.getvalue() == "? How old are you?\r"  # the prompt draws itself over it
    assert seen[0][3] == before[3] & ~_Termios.ECHO  # keys typed meanwhile are not shown
    assert fake_termios.settings == before  # and the terminal is as it was


@pytest.mark.usefixtures("plain_terminal")
@pytest.mark.parametrize("case", ["dumb terminal", "too long", "not ascii"])
def test_elsewhere_the_first_question_waits_for_the_prompt(
    fake_termios: _Termios, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    text = "How old are you?"
    if case == "dumb terminal":
        monkeypatch.setenv("TERM", "dumb")
    if case == "too long":
        text = "word " * 20  # wider than the 72 columns: a second line would be left behind
    if case == "not ascii":
        text = "Wie alt sind Sie \u2013 in Jahren?"
    screen = _Terminal()
    with terminal.early_question(LazyConsole(_made, screen), text):
        pass
    assert screen.getvalue() == ""
    assert fake_termios.changes == []
