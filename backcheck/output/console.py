"""The console results are drawn on: rich's, with spaces at line ends dropped in files.

Apart from the summary so that a command that only needs a console (the interview, lookup)
does not import the summary and the result types with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from backcheck.output.style import make_plain

if TYPE_CHECKING:
    from rich.console import Console


def console_for(sink: TextIO | None = None, *, plain: bool = False) -> Console:
    """A console writing to ``sink`` (stdout by default); colour drops by itself when piped,
    and so do the spaces rich leaves at the end of wrapped lines. ``plain`` (`--plain`):
    no colour, bold or frames at all."""
    import sys

    from rich.console import Console

    stream = sink if sink is not None else sys.stdout
    if not stream.isatty():
        stream = LineEnds(stream)
    # ":x:" in a file stays text
    console = Console(
        file=stream, highlight=False, emoji=False, color_system=None if plain else "auto"
    )
    return make_plain(console) if plain else console


class LineEnds:
    """A text stream that drops the spaces before each newline (for files and pipes)."""

    def __init__(self, stream: TextIO) -> None:
        """Write to ``stream``."""
        self.stream = stream
        self.line_ends = True  # spaces before a newline are dropped
        self.spaces = ""  # spaces at the end of the text so far: kept until we know more

    def write(self, text: str) -> int:
        """Write ``text`` without the spaces that end its lines."""
        lines = (self.spaces + text).split("\n")
        last = lines.pop()
        body = "".join(line.rstrip(" ") + "\n" for line in lines)
        kept = last.rstrip(" ")
        self.spaces = last[len(kept) :]
        self.stream.write(body + kept)
        return len(text)

    def flush(self) -> None:
        """Flush the stream (pending spaces wait for what follows them)."""
        self.stream.flush()

    def isatty(self) -> bool:
        """Never a terminal."""
        return False

    def fileno(self) -> int:
        """The stream's file descriptor."""
        return self.stream.fileno()
