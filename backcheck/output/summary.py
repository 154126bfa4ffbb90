"""The rich summary of a result, led by the verdict in words and colour."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from backcheck.knowledge.model import Verdict
from backcheck.output.console import LineEnds, console_for
from backcheck.output.style import (
    VERDICT_COLOUR,
    VERDICT_WORD,
    bullet_text,
    bullets,
    framed,
    is_plain,
    literal,
    make_plain,
    visible,
)
from backcheck.result import Reason, ReasonKind, Result
from backcheck.tuples import NamedTuple

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "SHOWN_CONDITIONS",
    "LineEnds",
    "bullets",
    "console_for",
    "render_summary",
    "render_verdict_banner",
]

SHOWN_CONDITIONS = 5


class ConsoleSettings(NamedTuple):
    """What decides how a console draws: enough to draw the same text in another process."""

    width: int
    height: int
    color_system: str | None
    terminal: bool
    plain: bool
    no_color: bool
    encoding: str
    line_ends: bool  # the spaces before each newline are dropped (a file, a pipe)


def settings_of(console: Console) -> ConsoleSettings:
    """How ``console`` draws now (its size as it is now: a later resize is not followed)."""
    width, height = console.size
    return ConsoleSettings(
        width=width,
        height=height,
        color_system=console.color_system,
        terminal=console.is_terminal,
        plain=is_plain(console),
        no_color=console.no_color,
        encoding=console.encoding,
        line_ends=_drops_line_end_spaces(console),
    )


def _drops_line_end_spaces(console: Console) -> bool:
    return isinstance(console.file, (LineEnds, _Capture)) and console.file.line_ends


def draws_plain_text(console: Console) -> bool:
    """Whether ``console`` draws text alone (no colour, frame or bold) into a stream that
    drops the spaces before newlines, and writes it straight away: such a console prints
    the same as writing the text, already wrapped, to ``console.file``."""
    return (
        console.color_system is None
        and is_plain(console)
        and not console.record
        and getattr(console, "_buffer_index", 0) == 0  # not inside `with console:`
        and _drops_line_end_spaces(console)
    )


class _Capture(io.StringIO):
    """Text kept in memory, with the encoding of the stream it stands for (rich draws
    frames in ASCII for a stream that cannot show the box characters)."""

    def __init__(self, encoding: str, *, line_ends: bool) -> None:
        super().__init__()
        self._encoding = encoding
        self.line_ends = line_ends  # the text is for a stream that drops line-end spaces

    @property
    def encoding(self) -> str:  # type: ignore[override]  # StringIO's is None
        """The encoding of the stream the text is for."""
        return self._encoding


def capture_console(settings: ConsoleSettings) -> Console:
    """A console drawing exactly as one with ``settings`` does, into ``console.file``, a
    StringIO (to read with getvalue)."""
    from rich.console import Console

    console = Console(
        file=_Capture(settings.encoding, line_ends=settings.line_ends),
        width=settings.width,
        height=settings.height,
        color_system=settings.color_system,  # type: ignore[arg-type]  # a name rich gave
        force_terminal=settings.terminal,
        no_color=settings.no_color,
        legacy_windows=False,
        highlight=False,
        emoji=False,
    )
    return make_plain(console) if settings.plain else console


def render_verdict_banner(console: Console, result: Result) -> None:
    """The verdict in words and colour; still clear without colour."""
    from rich.text import Text

    verdict = result.verdict
    body = Text()
    body.append(
        f"VERDICT: {VERDICT_WORD[verdict]}: {visible(result.verdict_title)}\n", style="bold"
    )
    body.append(visible(result.advice))
    if verdict == Verdict.EMERGENCY:
        body.append(f"\n\n{visible(result.emergency_hint)}", style="bold")
    framed(console, body, VERDICT_WORD[verdict], VERDICT_COLOUR[verdict])


def shown_reasons(result: Result) -> list[Reason]:
    """Warning signs and missing answers, plus a likely condition only where it set the verdict."""
    signs = [r for r in result.reasons if r.kind != ReasonKind.CONDITION]
    raised = [
        r
        for r in result.reasons
        if r.kind == ReasonKind.CONDITION
        and r.level == result.verdict
        and all(s.level.rank < r.level.rank for s in signs)
    ]
    return signs + raised[:1]


def render_summary(console: Console, result: Result, source: str) -> None:
    """The human summary, led by the verdict (built as one text, printed at once)."""
    from rich.text import Text

    if source:
        console.print(f"[dim]{literal(source)}[/dim]")
    render_verdict_banner(console, result)
    out = Text()

    def section(title: str, items: list[str], markers: list[str] | None = None) -> None:
        out.append_text(Text.from_markup(f"\n{title}\n", emoji=False))
        out.append_text(bullet_text(console, items, markers=markers))

    reasons = shown_reasons(result)
    leading = [r for r in reasons if r.level == result.verdict]
    section(
        "[bold]Why this advice[/bold]",
        [f"[bold]{literal(r.title)}[/bold]: {literal(r.why)}" for r in leading]
        or ["No warning sign was found in your answers."],
    )
    also = [r for r in reasons if r.level != result.verdict]
    if also:
        section(
            "[bold]Also noted[/bold]",
            [f"{literal(r.title)} ({VERDICT_WORD[r.level].lower()})" for r in also],
        )
    if result.not_ruled_out:
        section(
            "[bold]Not ruled out[/bold] (some questions were not answered)",
            [
                f"If you have this: {literal(s.title)} ({VERDICT_WORD[s.level].lower()})"
                for s in result.not_ruled_out
            ],
        )

    top = result.top(SHOWN_CONDITIONS)
    causes = []
    for item in top:
        raised = "; ".join([c.because for c in item.contributions if c.weight > 0][:2])
        line = f"[bold]{literal(item.name)}[/bold]: {item.score:.0%}, {item.strength}"
        causes.append(f"{line}\n[dim]{literal(raised)}[/dim]" if raised else line)
    section(
        "[bold]Possible causes[/bold] (best match first)",
        causes,
        markers=[f"{n}." for n in range(1, len(top) + 1)],
    )
    out.append_text(
        Text.from_markup(
            f"  [dim]More on one: backcheck lookup {literal(result.conditions[0].id)}[/dim]\n"
        )
    )

    tips = result.self_help()
    if tips and result.verdict != Verdict.EMERGENCY:
        section("[bold]What may help meanwhile[/bold]", [literal(t) for t in tips[:6]])
    if result.not_asked:
        section("[bold]Checks not made[/bold]", [literal(result.not_asked_text())])

    lines = result.answer_lines(brief=True)
    if result.not_assessed:
        lines.append(("Not answered", ", ".join(q.short.lower() for q in result.not_assessed)))
    if lines:
        section(
            "[bold]What to tell the doctor[/bold]",
            [f"{literal(q)}: {literal(a)}" for q, a in lines],
        )

    from backcheck.output.bodymap import body_map, text_figure

    out.append("\nBody map\n", style="bold")
    out.append(text_figure(body_map(result.answers)))
    console.print(out, end="", soft_wrap=True)  # already wrapped: print it as it is
    console.print(f"\n[italic]{literal(result.disclaimer)}[/italic]")
