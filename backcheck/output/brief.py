"""The short summary: one screen, the verdict first and last, with a safety net.

At most about 24 lines at 80 columns: the verdict panel, why, what to do meanwhile (or while
waiting), the warning signs to watch for, two or three likely causes one line each, how long
it usually takes and when to check again, how to see everything, and the verdict again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcheck.advice import WHY_PARTS, Advice, Cause
from backcheck.knowledge.model import Verdict
from backcheck.output.style import (
    VERDICT_COLOUR,
    VERDICT_WORD,
    bullet_text,
    framed,
    is_plain,
    literal,
    visible,
)

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console

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

    advice = result.safety_net
    if advice is None:
        raise ValueError("the result carries no safety net")
    watch = len(advice.watch)
    while watch > 1:
        probe = Measure(  # drawn as the real console draws it: framed or plain
            file=io.StringIO(),
            width=console.width,
            color_system=None,
            force_terminal=not is_plain(console),
        )
        _print_brief(probe, result, advice, source, today, more, watch)
        if probe.file.getvalue().count("\n") <= SCREEN_LINES:  # type: ignore[attr-defined]  # StringIO
            break
        watch -= 1
    _print_brief(console, result, advice, source, today, more, watch)


def _print_brief(
    console: Console,
    result: Result,
    advice: Advice,
    source: str,
    today: dt.date,
    more: str,
    watch: int,
) -> None:
    from rich.text import Text

    verdict = result.verdict
    if source:
        console.print(f"[dim]{literal(source)}[/dim]", overflow="ellipsis", no_wrap=True)
    body = Text()
    body.append(verdict_line(result) + "\n", style="bold")
    if verdict == Verdict.EMERGENCY:
        body.append(visible(result.emergency_hint), style="bold")
    else:
        body.append(visible(advice.now))
    framed(console, body, VERDICT_WORD[verdict], VERDICT_COLOUR[verdict])
    out = Text()
    for line in Text(why_text(result, advice)).wrap(console, console.width):
        line.rstrip()  # a wrapped line keeps the space it broke at
        out.append_text(line)
        out.append("\n")

    def section(title: str, items: list[str], markers: list[str] | None = None) -> None:
        if items:
            out.append_text(Text.from_markup(f"[bold]{title}[/bold]\n", emoji=False))
            out.append_text(bullet_text(console, items, markers=markers))

    helps = [literal(t) for t in (*advice.meantime[:1], *advice.avoid[:1])]
    if verdict == Verdict.EMERGENCY:
        section("While you wait", [literal(t) for t in advice.meantime[:2]] + helps[1:])
    else:
        section("Meanwhile", helps)
        section("Watch for", [literal(w.line) for w in advice.watch[:watch]])
    if advice.causes:
        out.append_text(Text.from_markup("[bold]Likely causes[/bold]\n"))
    for number, cause in enumerate(advice.causes, start=1):
        # One line each: the reasons are cut rather than wrapped.
        line = Text(f"  {number}. ")
        line.append_text(Text.from_markup(cause_text(cause), emoji=False))
        line.truncate(console.width, overflow="ellipsis")
        out.append_text(line)
        out.append("\n")
    console.print(out, end="", soft_wrap=True)
    tail = " ".join(
        t for t in (advice.course and f"How long: {advice.course}", advice.check_again(today)) if t
    )
    if tail:
        for line in Text(visible(tail)).wrap(console, console.width):
            line.rstrip()
            console.print(line, soft_wrap=True)
    if result.not_asked:
        count = len(result.not_asked)
        console.print(
            f"Not checked: {count} newer warning signs (old answer file); run backcheck ask.",
            markup=False,
        )
    console.print(literal(more), overflow="fold")
    console.print(f"[bold]{literal(verdict_line(result))}[/bold]. Not a diagnosis.")
