"""How verdicts look: words and colours, and an indented list; shared by every renderer.

Text from files (the knowledge, file names, vignette ids) is shown, never obeyed: every rich
renderer passes it through ``literal`` (inside markup) or ``visible`` (into a ``Text``), so
``[b]`` stays two brackets and a letter, and an escape or bidi control shows as ``\\x1b`` or
``\\u202e`` instead of moving the cursor or turning the line around.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from backcheck.errors import one_line
from backcheck.knowledge.model import Verdict

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# The colour of the verdict's frame; the verdict is always in words as well.
VERDICT_COLOUR = {
    Verdict.EMERGENCY: "red",
    Verdict.URGENT: "dark_orange",
    Verdict.SEE_DOCTOR: "yellow",
    Verdict.SELF_CARE: "green",
}
VERDICT_WORD = {
    Verdict.EMERGENCY: "EMERGENCY",
    Verdict.URGENT: "URGENT",
    Verdict.SEE_DOCTOR: "SEE A DOCTOR",
    Verdict.SELF_CARE: "SELF-CARE",
}


def make_plain(console: Console) -> Console:
    """Mark ``console`` for `--plain`: output that reads top to bottom, with no boxes."""
    console.backcheck_plain = True  # type: ignore[attr-defined]
    return console


def is_plain(console: Console) -> bool:
    """No boxes or rules: `--plain`, TERM=dumb, or output that is not a terminal (a file, a
    pipe), where a frame would be noise for a screen reader or a script."""
    return (
        getattr(console, "backcheck_plain", False)
        or not console.is_terminal
        or console.is_dumb_terminal
    )


def framed(console: Console, body: Text, title: str, colour: str) -> None:
    """``body`` in a coloured frame titled ``title``; on a plain console the body alone
    (it already says the verdict in words)."""
    if is_plain(console):
        console.print(body)
        return
    from rich.panel import Panel

    console.print(
        Panel(body, title=f" {title} ", title_align="left", border_style=colour, padding=(0, 1))
    )


def heading(console: Console, title: str = "") -> None:
    """A rule across the screen (with ``title``), or on a plain console the title alone."""
    if is_plain(console):
        console.print(title or "", markup=False)
    else:
        console.rule(title)


def visible(text: str) -> str:
    """``text`` with every control, bidi or other invisible character written as an escape."""
    return one_line(text)


@functools.lru_cache(maxsize=4096)  # the same texts come back in every summary of a batch
def literal(text: str) -> str:
    """``text`` to place inside rich markup: shown as it is, never read as markup."""
    from rich.markup import escape

    return escape(one_line(text))


def bullets(
    console: Console, items: list[str], indent: int = 2, markers: list[str] | None = None
) -> None:
    """Print a list whose wrapped lines stay indented under their text (markup allowed)."""
    console.print(bullet_text(console, items, indent, markers), end="", soft_wrap=True)


def bullet_text(
    console: Console, items: list[str], indent: int = 2, markers: list[str] | None = None
) -> Text:
    """The list as one Text, wrapped to the console with a hanging indent.

    Built on Text.wrap rather than a table: the same look at a fraction of the start-up.
    """
    from rich.text import Text

    marks = markers or ["-"] * len(items)
    hang = max(len(m) for m in marks) + 1 if marks else 2
    width = max(console.width - indent - hang, 20)
    out = Text()
    for mark, item in zip(marks, items, strict=True):
        lines = Text.from_markup(item, emoji=False).wrap(console, width)
        for number, line in enumerate(lines):
            lead = mark.rjust(hang - 1) + " " if number == 0 else " " * hang
            out.append(" " * indent + lead)
            line.rstrip()  # a wrapped line keeps the space it broke at
            out.append_text(line)
            out.append("\n")
    return out


def bullet_lines(
    width: int, items: list[str], indent: int = 2, markers: list[str] | None = None
) -> list[str]:
    """``bullet_text`` for a console ``width`` wide, as plain lines (with their newlines):
    each item's wrapping is kept, as the same items come back from one report to the next."""
    marks = markers or ["-"] * len(items)
    hang = max(len(m) for m in marks) + 1 if marks else 2
    wrap = max(width - indent - hang, 20)
    out = []
    for mark, item in zip(marks, items, strict=True):
        for number, line in enumerate(_item_lines(item, wrap)):
            lead = mark.rjust(hang - 1) + " " if number == 0 else " " * hang
            out.append(f"{' ' * indent}{lead}{line}\n")
    return out


@functools.lru_cache(maxsize=4096)
def _item_lines(item: str, width: int) -> tuple[str, ...]:
    """The plain lines of one markup item wrapped to ``width``, without trailing spaces."""
    from rich.text import Text

    lines = Text.from_markup(item, emoji=False).wrap(wrap_console(), width)
    return tuple(line.plain.rstrip() for line in lines)


@functools.cache
def wrap_console() -> Console:
    """A console for Text.wrap (which needs one but, left-aligned, draws nothing on it)."""
    import io

    from rich.console import Console

    return Console(file=io.StringIO(), width=80, color_system=None, highlight=False, emoji=False)
