"""What both askers of `backcheck ask` share: the terminal, signals, answers and saving.

The functions that look at the terminal (``is_terminal``, ``stdout_is_terminal``) are looked
up through this module at call time, so tests can replace them here.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from backcheck.interview import BACK, Back
from backcheck.knowledge.model import Knowledge, Question, Verdict
from backcheck.knowledge.rules import Answer, Answers

if TYPE_CHECKING:
    import re

    from rich.console import Console

    from backcheck.result import Result

# Choice values that are not answers. Strings, because questionary turns value=None into the title.
NONE_OF_THESE = "__none_of_these__"
NOT_SURE = "__not_sure__"
GO_BACK = "__back__"
BACK_WORDS = ("b", "back")


class LazyConsole:
    """The interview's rich console, made (and rich imported, some 20 ms) on first use.

    Until then ``print_light`` draws the interview's simple lines itself, exactly as the
    console would, so the first question shows without waiting for rich.
    """

    def __init__(self, make: Callable[[], Console], stream: TextIO) -> None:
        """``make`` builds the console, which writes to ``stream``."""
        self._make = make
        self._console: Console | None = None
        self.stream = stream

    @property
    def made(self) -> bool:
        """Whether the console exists yet."""
        return self._console is not None

    def console(self) -> Console:
        """The console, made now if need be."""
        if self._console is None:
            self._console = self._make()
        return self._console

    @property
    def width(self) -> int:
        """The console's width: found as rich finds it, without rich, on an ordinary
        terminal (the interview lays out its lists by it)."""
        if self._console is None:
            width = _ordinary_terminal(self.stream)
            if width is not None:
                return width
        return self.console().width

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)


# A line of the interview as pieces of text, each dim or not.
Pieces = Sequence[tuple[str, bool]]
# The environment variables that change how rich sees a terminal or its size (NO_COLOR
# is not one: it drops colours, and these lines have none, only dim).
_RICH_SETTINGS = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS")
# Characters one column wide for certain (rich measures the rest: it prints them then).
_NARROW = frozenset(chr(code) for code in range(0x20, 0x7F)) | frozenset(
    "\u2190\u2192\u2013\u2014\u2018\u2019\u201c\u201d\u2026"  # arrows, dashes, quotes, ...
)


def print_light(console: object, pieces: Pieces) -> bool:
    """Print ``pieces`` on a LazyConsole not made yet, byte for byte as its rich console
    would print them (wrapped at the terminal's width, dim in the terminal's escape code);
    False, printing nothing, where that is not sure: the console already exists, a
    character's width is not certain, or the environment sets what rich reads (then the
    caller prints with rich)."""
    if not isinstance(console, LazyConsole) or console.made:
        return False
    for part, _ in pieces:
        plain = part.replace("\n", "")
        if not plain.isprintable() or not (plain.isascii() or set(plain) <= _NARROW):
            return False
    width = _ordinary_terminal(console.stream)
    if width is None:
        return False
    console.stream.write(light_text(pieces, width, dim=True))
    console.stream.flush()
    return True


def _ordinary_terminal(stream: TextIO) -> int | None:
    """The width of the terminal ``stream`` writes to, as rich finds it, when nothing in
    the environment changes how rich sees it; else None."""
    import os

    if os.name != "posix":
        return None
    environ = os.environ
    term = environ.get("TERM", "").strip().lower()
    if term in ("", "dumb", "unknown") or any(name in environ for name in _RICH_SETTINGS):
        return None
    try:
        if not stream.isatty():
            return None
    except ValueError:  # closed
        return None
    for fd in (0, 1, 2):  # as rich finds the size
        try:
            return os.get_terminal_size(fd).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


@contextmanager
def early_question(console: object, text: str) -> Iterator[None]:
    """While the prompt library loads for the first prompt (some 60 ms), the question is
    on the screen already, and keys typed meanwhile wait without being echoed; the
    prompt then draws itself over it and reads them. Elsewhere (a question too long for
    one line, an unusual terminal): nothing."""
    stream = getattr(console, "stream", None)
    line = f"? {text}"
    width = None if stream is None else _ordinary_terminal(stream)
    if (
        width is None
        or len(line) >= width
        or not (line.isascii() and line.isprintable())
        or sys.stdin is None
    ):
        yield
        return
    import termios

    try:
        fd = sys.stdin.fileno()
        settings = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):
        yield
        return
    quiet = list(settings)
    quiet[3] &= ~termios.ECHO  # lflag: keys typed now are kept, not shown
    stream.write(line + "\r")  # type: ignore[union-attr]  # a stream: width was found
    stream.flush()  # type: ignore[union-attr]
    try:
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
        yield
    finally:
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, settings)


def light_text(pieces: Pieces, width: int, *, dim: bool) -> str:
    """What rich's ``Console.print`` writes for ``pieces`` (one column a character) at ``width``
    columns, with ``dim`` pieces in the dim escape code when ``dim`` (a colour terminal),
    ending with a newline: each line wrapped as rich wraps words (tests compare the two)."""
    import re

    words = re.compile(r"\s*\S+\s*")  # rich's word: spaces, the word, its trailing spaces
    text = "".join(part for part, _ in pieces)
    styles = [is_dim for part, is_dim in pieces for _ in part]  # the style of each character
    out = []
    at = 0
    for line in text.split("\n"):
        breaks = _breaks(line, width, words)
        for start, end in zip([0, *breaks], [*breaks, len(line)], strict=True):
            piece = line[start:end]
            if len(piece) > width:  # only trailing spaces go beyond: rich crops them
                kept = piece.rstrip(" ")
                piece = piece[: max(len(kept), width)]
            out.append(_styled(piece, styles[at + start : at + start + len(piece)], dim=dim))
        at += len(line) + 1
    return "\n".join(out) + "\n"


def _breaks(line: str, width: int, words: re.Pattern[str]) -> list[int]:
    """Where rich breaks ``line`` (one column a character) to fit ``width`` (rich's
    ``divide_line``); ``words`` matches a word with the spaces around it."""
    breaks: list[int] = []
    offset = 0
    for match in words.finditer(line):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # folded over as many lines as it takes
            folded = [word[i : i + width] for i in range(0, len(word), width)]
            for index, part in enumerate(folded):
                if start:
                    breaks.append(start)
                if index == len(folded) - 1:
                    offset = len(part)
                else:
                    start += len(part)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _styled(piece: str, styles: list[bool], *, dim: bool) -> str:
    """``piece`` with its dim runs in the dim escape code (when ``dim``)."""
    if not dim or not any(styles):
        return piece
    out = []
    at = 0
    while at < len(piece):
        end = at
        while end < len(piece) and styles[end] == styles[at]:
            end += 1
        run = piece[at:end]
        out.append(f"\x1b[2m{run}\x1b[0m" if styles[at] else run)
        at = end
    return "".join(out)


def is_terminal() -> bool:
    """True when stdin is a terminal, so keys can be read (tests replace this)."""
    return sys.stdin is not None and sys.stdin.isatty()  # None: stdin was closed


def stdout_is_terminal() -> bool:
    """False when stdout is redirected (`ask > out.txt`): the questions then go to the terminal."""
    return sys.stdout.isatty()


def screen_console(*, plain: bool = False) -> Console:
    """A console that writes to the terminal itself (stderr), leaving stdout for the result."""
    from rich.console import Console

    from backcheck.output.style import make_plain

    console = Console(file=sys.stderr, highlight=False, color_system=None if plain else "auto")
    return make_plain(console) if plain else console


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP during the interview: handled like Ctrl-C (answers kept with --save)."""


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into Stopped while the interview runs, then restore the handlers.

    The exception unwinds through prompt_toolkit, which puts the terminal back as it was.
    """
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signal.Signals(signum).name)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def load_questionary() -> Any:
    """questionary (and prompt_toolkit), imported without TLS for asyncio.

    prompt_toolkit runs on asyncio, which imports ``ssl`` (and OpenSSL with it) for network
    connections that backcheck never makes: a twentieth of the interview's start-up. While
    questionary is first imported, ``import ssl`` fails, as on a Python built without
    OpenSSL, which asyncio allows for; ``ssl`` itself stays importable afterwards. A
    version that cannot do without it is imported again the usual way.
    """
    if "asyncio" in sys.modules or "ssl" in sys.modules:
        import questionary

        return questionary
    sys.modules["ssl"] = None  # type: ignore[assignment]  # "import ssl" raises ImportError
    try:
        import questionary
    except ImportError:
        sys.modules.pop("ssl", None)
        import questionary
    finally:
        if "ssl" in sys.modules and sys.modules["ssl"] is None:
            del sys.modules["ssl"]
    return questionary


@contextmanager
def prompt_session(*, redirected: bool) -> Iterator[None]:
    """Draw the prompts on the terminal even when stdout is redirected."""
    if not redirected:
        yield
        return
    load_questionary()
    from prompt_toolkit.application import create_app_session, get_app_session
    from prompt_toolkit.output import DummyOutput, create_output

    current = get_app_session()
    if isinstance(current._output, DummyOutput):  # a test already chose where prompts go
        yield
        return
    with create_app_session(output=create_output(always_prefer_tty=True)):
        yield


def escape_markup(text: str) -> str:
    """Text shown literally by rich."""
    from rich.markup import escape

    return escape(text)


def screen_answers(
    questions: Sequence[Question], ticked: Sequence[str], *, not_sure: bool
) -> dict[str, Answer | None]:
    """Answers from a checkbox of several questions.

    A yes/no question's line is ticked (yes) or not (no); a multi question's lines are
    ``"question:option"``. With ``not_sure``, what was left unticked stays unknown (None).
    """
    chosen = set(ticked)
    answers: dict[str, Answer | None] = {}
    for q in questions:
        if q.type == "yes_no":
            answers[q.id] = "yes" if q.id in chosen else (None if not_sure else "no")
        else:
            picked = tuple(o.id for o in q.options if f"{q.id}:{o.id}" in chosen)
            answers[q.id] = picked if picked or not not_sure else None
    return answers


def check_ticks(ticked: Sequence[str]) -> bool | str:
    """The checkbox rule: tick something; 'None of these' goes alone."""
    if GO_BACK in ticked:
        return True
    if not ticked:
        return "Tick at least one line (Space), or “None of these”, then press Enter."
    if NONE_OF_THESE in ticked and len(ticked) > 1:
        return "“None of these” can't be ticked together with other lines."
    return True


def parse_age(text: str, question: Question, *, can_go_back: bool) -> int | Back | str:
    """An age, BACK, or the message to show for anything else."""
    value = text.strip().lower()
    if can_go_back and value in BACK_WORDS:
        return BACK
    low, high = question.min or 0, question.max if question.max is not None else 150
    back = " (or b to go back)" if can_go_back else ""
    # a long paste is refused before int() (which refuses over 4,300 digits with an error)
    age = int(value) if len(value) <= 3 and value.isascii() and value.isdigit() else None
    if age is None or not low <= age <= high:
        return f"Type your age in whole years, {low} to {high}{back}."
    return age


def show_emergency(console: Console, knowledge: Knowledge, assessment: Result) -> None:
    """The emergency advice: what to do now, the emergency number, and why."""
    from backcheck.output.style import literal
    from backcheck.output.summary import bullets, render_verdict_banner

    console.print()
    render_verdict_banner(console, assessment)
    console.print("[bold]Because of your answers:[/bold]")
    bullets(
        console,
        [
            f"[bold]{literal(r.title)}[/bold]: {literal(r.why)}"
            for r in assessment.reasons
            if r.level == Verdict.EMERGENCY
        ],
    )
    console.print(
        "You can stop here and see the summary, or finish the questions first. "
        "Please get help now either way."
    )


def keep_answers(
    console: Console,
    path: Path,
    knowledge: Knowledge,
    answers: Answers,
    *,
    complete: bool,
    force: bool,
) -> None:
    """Save the answers for `backcheck run`; if that fails, print them so nothing is lost."""
    import yaml

    from backcheck.answers import answers_to_file_data
    from backcheck.errors import BackcheckError
    from backcheck.files import write_private

    data = answers_to_file_data(answers, knowledge, complete=complete)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)
    try:
        write_private(path, text, force=force)
    except (BackcheckError, OSError) as exc:
        sys.stdout.write(text)
        sys.stdout.flush()
        problem = str(exc) if isinstance(exc, BackcheckError) else f"{path}: {exc.strerror or exc}"
        raise BackcheckError(f"{problem}; the answers are printed above instead") from None
    note = " (marked incomplete)" if not complete else ""
    console.print(f"\nYour answers are saved in {path}{note}.", markup=False)
    console.print(f"See this summary again with: backcheck run {path}", markup=False)
