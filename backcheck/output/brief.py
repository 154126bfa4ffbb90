"""The short summary: one screen, the verdict first and last, with a safety net.

At most about 24 lines at 80 columns: the verdict panel, why, what to do meanwhile (or while
waiting), the warning signs to watch for, two or three likely causes one line each, how long
it usually takes and when to check again, how to see everything, and the verdict again.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from backcheck.advice import WHY_PARTS, Advice, Cause
from backcheck.knowledge.model import Verdict
from backcheck.output.style import (
    VERDICT_COLOUR,
    VERDICT_WORD,
    bullet_lines,
    bullet_text,
    framed,
    is_plain,
    literal,
    visible,
    wrap_console,
)

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console, OverflowMethod

    from backcheck.result import Result

MORE = "More: --details shows the reasons and answers; --save or -o FILE keeps a report."


def verdict_line(result: Result) -> str:
    """'VERDICT: SEE A DOCTOR: Book a doctor's appointment' (plain text, not markup)."""
    return f"VERDICT: {VERDICT_WORD[result.verdict]}: {visible(result.verdict_title)}"


def why_text(assessment: Result, advice: Advice) -> str:
    """Why the verdict is what it is, citing only what the person answered (plain text)."""
    return visible(_why(assessment, advice))


def _why(assessment: Result, advice: Advice) -> str:
    if advice.set_by:
        titles = "; ".join(s.title for s in advice.set_by[:2])
        sign = "warning sign" if len(advice.set_by) == 1 else "warning signs"
        why = f"The advice comes from the {sign} in your answers: {titles}."
        return f"{why} {advice.elsewhere}" if advice.elsewhere else why
    leading = [r for r in assessment.reasons if r.level == assessment.verdict]
    if leading and leading[0].kind == "not_assessed":
        return "Why: some warning-sign questions were not answered, so they are not ruled out."
    if leading and leading[0].kind == "condition":
        return f"Why: your answers match {leading[0].title}, which needs a doctor to check it."
    if assessment.verdict == Verdict.SELF_CARE:
        return "Why: no warning sign was found in your answers."
    return "Why: " + "; ".join(r.title for r in leading[:3]) + "."


def cause_text(cause: Cause) -> str:
    """One line of markup: the condition, a match word unless the verdict is about it, and why."""
    label = f"[bold]{literal(cause.label)}[/bold]"
    if cause.pointed:
        return f"{label} - the warning sign points to this"
    reasons = "; ".join(list(dict.fromkeys(c.because for c in cause.why))[:WHY_PARTS])
    head = f"{label} ({cause.strength})"
    return f"{head} - {literal(reasons)}" if cause.why else head


SCREEN_LINES = 24


def render_brief(
    console: Console, result: Result, source: str, today: dt.date, *, more: str = MORE
) -> None:
    """Print the short summary: at most SCREEN_LINES lines where it can be (fewer warning
    signs to watch for are shown when the screen is narrow)."""
    import io

    from rich.console import Console as Measure

    from backcheck.output.summary import draws_plain_text

    advice = result.safety_net
    if advice is None:
        raise ValueError("the result carries no safety net")
    watch = len(advice.watch)
    if draws_plain_text(console):  # a file or a pipe: the same text, from pieces kept
        width = console.width
        while True:
            page = _PlainPage(width)
            _print_brief(page, result, advice, source, today, more, watch)
            text = page.text()
            if watch <= 1 or text.count("\n") <= SCREEN_LINES:
                console.file.write(text)
                return
            watch -= 1
    while watch > 1:
        probe = Measure(  # drawn as the real console draws it: framed or plain
            file=io.StringIO(),
            width=console.width,
            color_system=None,
            force_terminal=not is_plain(console),
        )
        _print_brief(_RichPage(probe), result, advice, source, today, more, watch)
        if probe.file.getvalue().count("\n") <= SCREEN_LINES:  # type: ignore[attr-defined]  # StringIO
            break
        watch -= 1
    _print_brief(_RichPage(console), result, advice, source, today, more, watch)


def _print_brief(
    page: _RichPage | _PlainPage,
    result: Result,
    advice: Advice,
    source: str,
    today: dt.date,
    more: str,
    watch: int,
) -> None:
    verdict = result.verdict
    if source:
        page.source(source)
    if verdict == Verdict.EMERGENCY:
        page.verdict(verdict, verdict_line(result), visible(result.emergency_hint))
    else:
        page.verdict(verdict, verdict_line(result), visible(advice.now))
    page.wrapped(why_text(result, advice))
    helps = [literal(t) for t in (*advice.meantime[:1], *advice.avoid[:1])]
    if verdict == Verdict.EMERGENCY:
        page.section("While you wait", [literal(t) for t in advice.meantime[:2]] + helps[1:])
    else:
        page.section("Meanwhile", helps)
        page.section("Watch for", [literal(w.line) for w in advice.watch[:watch]])
    if advice.causes:
        page.title("Likely causes")
    for number, cause in enumerate(advice.causes, start=1):
        page.cause(number, cause_text(cause))  # one line each: the reasons are cut
    page.end_of_block()
    tail = " ".join(
        t for t in (advice.course and f"How long: {advice.course}", advice.check_again(today)) if t
    )
    if tail:
        page.lines(visible(tail))
    if result.not_asked:
        count = len(result.not_asked)
        page.line(
            f"Not checked: {count} newer warning signs (old answer file); run backcheck ask.",
            markup=False,
        )
    page.line(literal(more), overflow="fold")
    page.line(f"[bold]{literal(verdict_line(result))}[/bold]. Not a diagnosis.")


class _RichPage:
    """The short summary drawn on a console, piece by piece."""

    def __init__(self, console: Console) -> None:
        from rich.text import Text

        self.console = console
        self.out = Text()  # why, what to do and the causes: wrapped here, printed at once

    def line(
        self,
        text: str,
        *,
        markup: bool | None = None,
        overflow: OverflowMethod | None = None,
        no_wrap: bool | None = None,
    ) -> None:
        """Markup (or with ``markup=False`` text) printed on its own, wrapped to the width."""
        self.console.print(text, markup=markup, overflow=overflow, no_wrap=no_wrap)

    def source(self, source: str) -> None:
        """The answer file's name, dim, on one line (cut with an ellipsis)."""
        self.line(f"[dim]{literal(source)}[/dim]", overflow="ellipsis", no_wrap=True)

    def verdict(self, verdict: Verdict, first: str, second: str) -> None:
        """The verdict's panel: ``first`` in bold, then ``second``."""
        from rich.text import Text

        body = Text()
        body.append(first + "\n", style="bold")
        body.append(second, style="bold" if verdict == Verdict.EMERGENCY else "")
        framed(self.console, body, VERDICT_WORD[verdict], VERDICT_COLOUR[verdict])

    def wrapped(self, text: str) -> None:
        """``text`` wrapped to the width, each line without the space it broke at."""
        from rich.text import Text

        for line in Text(text).wrap(self.console, self.console.width):
            line.rstrip()  # a wrapped line keeps the space it broke at
            self.out.append_text(line)
            self.out.append("\n")

    def title(self, title: str) -> None:
        """A section's title, in bold."""
        from rich.text import Text

        self.out.append_text(Text.from_markup(f"[bold]{title}[/bold]\n", emoji=False))

    def section(self, title: str, items: list[str]) -> None:
        """A titled list of markup items (nothing when there are none)."""
        if items:
            self.title(title)
            self.out.append_text(bullet_text(self.console, items))

    def cause(self, number: int, markup: str) -> None:
        """A numbered line of markup, cut to the width."""
        from rich.text import Text

        line = Text(f"  {number}. ")
        line.append_text(Text.from_markup(markup, emoji=False))
        line.truncate(self.console.width, overflow="ellipsis")
        self.out.append_text(line)
        self.out.append("\n")

    def end_of_block(self) -> None:
        """Print what was wrapped so far, as it is."""
        from rich.text import Text

        self.console.print(self.out, end="", soft_wrap=True)
        self.out = Text()

    def lines(self, text: str) -> None:
        """``text`` wrapped to the width, printed line by line."""
        from rich.text import Text

        for line in Text(text).wrap(self.console, self.console.width):
            line.rstrip()
            self.console.print(line, soft_wrap=True)


class _PlainPage:
    """The short summary as plain text (no colour, no frame, no spaces at line ends), as a
    plain console draws it: each piece is drawn once per width and kept, as most of them
    come from the knowledge and repeat from one file to the next."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.parts: list[str] = []

    def text(self) -> str:
        """Everything drawn so far."""
        return _LINE_END_SPACES.sub("\n", "".join(self.parts))

    def line(
        self,
        text: str,
        *,
        markup: bool | None = None,
        overflow: OverflowMethod | None = None,
        no_wrap: bool | None = None,
    ) -> None:
        """As ``_RichPage.line``."""
        self.parts.append(_printed(self.width, text, markup is not False, overflow, no_wrap))

    def source(self, source: str) -> None:
        """As ``_RichPage.source``: the name as it reads (``literal`` keeps it from being
        read as markup), cut to the width; a new name for every file, so not kept."""
        from rich.text import Text

        line = Text(visible(source))
        line.truncate(self.width, overflow="ellipsis")
        self.parts.append(line.plain + "\n")

    def verdict(self, verdict: Verdict, first: str, second: str) -> None:
        """As ``_RichPage.verdict`` on a plain console: the text without its frame."""
        self.parts.append(_printed(self.width, f"{first}\n{second}", False, None, None))

    def wrapped(self, text: str) -> None:
        """As ``_RichPage.wrapped``."""
        self.parts.extend(_wrapped(self.width, text))

    def title(self, title: str) -> None:
        """As ``_RichPage.title``: the title alone (in a few words, no markup)."""
        self.parts.append(f"{title}\n")

    def section(self, title: str, items: list[str]) -> None:
        """As ``_RichPage.section``."""
        if items:
            self.title(title)
            self.parts.extend(bullet_lines(self.width, items))

    def cause(self, number: int, markup: str) -> None:
        """As ``_RichPage.cause``."""
        self.parts.append(_cut(self.width, number, markup))

    def end_of_block(self) -> None:
        """Nothing to do: the text is written at once at the end."""

    def lines(self, text: str) -> None:
        """As ``_RichPage.lines``."""
        self.parts.extend(_wrapped(self.width, text))


_LINE_END_SPACES = re.compile(r" +\n")


@functools.lru_cache(maxsize=4096)
def _printed(
    width: int, text: str, markup: bool, overflow: OverflowMethod | None, no_wrap: bool | None
) -> str:
    """What a plain console prints for ``console.print(text, ...)``, ``width`` wide."""
    from rich.text import Text

    body = Text.from_markup(text, emoji=False) if markup else Text(text)
    lines = body.wrap(
        wrap_console(), width, justify="default", overflow=overflow or "fold", no_wrap=bool(no_wrap)
    )
    return "".join(line.plain + "\n" for line in lines)


@functools.lru_cache(maxsize=4096)
def _wrapped(width: int, text: str) -> tuple[str, ...]:
    """The lines of ``text`` wrapped to ``width``, each without the space it broke at."""
    from rich.text import Text

    return tuple(line.plain.rstrip() + "\n" for line in Text(text).wrap(wrap_console(), width))


@functools.lru_cache(maxsize=4096)
def _cut(width: int, number: int, markup: str) -> str:
    """A numbered line of markup, cut to ``width`` with an ellipsis, as plain text."""
    from rich.text import Text

    line = Text(f"  {number}. ")
    line.append_text(Text.from_markup(markup, emoji=False))
    line.truncate(width, overflow="ellipsis")
    return line.plain + "\n"
