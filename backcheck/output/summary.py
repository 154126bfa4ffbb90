"""Render an assessment: a rich summary, JSON, or a Markdown report for a doctor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcheck.knowledge.model import Knowledge, Verdict
from backcheck.output.jsonout import (
    SHOWN_CONDITIONS,
    answer_lines,
    self_help,
    strength,
    to_json_line,
)
from backcheck.output.style import VERDICT_COLOUR, VERDICT_WORD, bullet_text, bullets

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.engine import Assessment, Reason
    from backcheck.knowledge.rules import Answers

__all__ = [
    "VERDICT_COLOUR",
    "VERDICT_WORD",
    "bullets",
    "render_json",
    "render_markdown",
    "render_summary",
]


def render_json(knowledge: Knowledge, assessment: Assessment, source: str) -> str:
    """One line of JSON (a JSON Lines record)."""
    return to_json_line(knowledge, assessment, source)


def render_verdict_banner(console: Console, knowledge: Knowledge, verdict: Verdict) -> None:
    """The verdict in words and colour; still clear without colour."""
    from rich.panel import Panel
    from rich.text import Text

    info = knowledge.verdicts[verdict]
    body = Text()
    body.append(f"VERDICT: {VERDICT_WORD[verdict]}: {info.title}\n", style="bold")
    body.append(info.advice)
    if verdict == Verdict.EMERGENCY:
        body.append(f"\n\n{knowledge.settings.emergency_hint}", style="bold")
    title = f" {VERDICT_WORD[verdict]} "
    console.print(
        Panel(body, title=title, title_align="left", border_style=VERDICT_COLOUR[verdict])
    )


def shown_reasons(assessment: Assessment) -> list[Reason]:
    """Warning signs and missing answers, plus a likely condition only where it set the verdict."""
    signs = [r for r in assessment.reasons if r.kind != "condition"]
    raised = [
        r
        for r in assessment.reasons
        if r.kind == "condition"
        and r.level == assessment.verdict
        and all(s.level.rank < r.level.rank for s in signs)
    ]
    return signs + raised[:1]


def render_summary(
    console: Console, knowledge: Knowledge, assessment: Assessment, answers: Answers, source: str
) -> None:
    """The human summary, led by the verdict (built as one text, printed at once)."""
    from rich.markup import escape
    from rich.text import Text

    if source:
        console.print(f"[dim]{escape(source)}[/dim]")
    render_verdict_banner(console, knowledge, assessment.verdict)
    out = Text()

    def section(title: str, items: list[str], markers: list[str] | None = None) -> None:
        out.append_text(Text.from_markup(f"\n{title}\n", emoji=False))
        out.append_text(bullet_text(console, items, markers=markers))

    reasons = shown_reasons(assessment)
    leading = [r for r in reasons if r.level == assessment.verdict]
    section(
        "[bold]Why this advice[/bold]",
        [f"[bold]{r.title}[/bold]: {r.why}" for r in leading]
        or ["No warning sign was found in your answers."],
    )
    also = [r for r in reasons if r.level != assessment.verdict]
    if also:
        section(
            "[bold]Also noted[/bold]",
            [f"{r.title} ({VERDICT_WORD[r.level].lower()})" for r in also],
        )
    if assessment.not_ruled_out:
        section(
            "[bold]Not ruled out[/bold] (some questions were not answered)",
            [
                f"If you have this: {s.title} ({VERDICT_WORD[s.level].lower()})"
                for s in assessment.not_ruled_out
            ],
        )

    top = assessment.top(SHOWN_CONDITIONS)
    causes = []
    for item in top:
        raised = "; ".join([c.because for c in item.contributions if c.weight > 0][:2])
        line = f"[bold]{escape(item.name)}[/bold]: {item.score:.0%}, {strength(item.score)}"
        causes.append(f"{line}\n[dim]{escape(raised)}[/dim]" if raised else line)
    section(
        "[bold]Possible causes[/bold] (best match first)",
        causes,
        markers=[f"{n}." for n in range(1, len(top) + 1)],
    )
    out.append_text(
        Text.from_markup(
            f"  [dim]More on one: backcheck lookup {assessment.conditions[0].id}[/dim]\n"
        )
    )

    tips = self_help(knowledge, assessment)
    if tips and assessment.verdict != Verdict.EMERGENCY:
        section("[bold]What may help meanwhile[/bold]", [escape(t) for t in tips[:6]])

    lines = answer_lines(knowledge, answers, brief=True)
    if assessment.not_assessed:
        missing = ", ".join(knowledge.questions[q].short.lower() for q in assessment.not_assessed)
        lines.append(("Not answered", missing))
    if lines:
        section("[bold]What to tell the doctor[/bold]", [f"{q}: {escape(a)}" for q, a in lines])

    console.print(out, end="", soft_wrap=True)  # already wrapped: print it as it is
    console.print(f"\n[italic]{knowledge.settings.disclaimer}[/italic]")


def render_markdown(
    knowledge: Knowledge, assessment: Assessment, answers: Answers, source: str
) -> str:
    """A report a person can print or send to a doctor."""
    info = knowledge.verdicts[assessment.verdict]
    out = [
        f"# backcheck report: {source}",
        "",
        f"**Verdict: {VERDICT_WORD[assessment.verdict]}: {info.title}**",
        "",
    ]
    out += [info.advice, ""]
    if assessment.verdict == Verdict.EMERGENCY:
        out += [f"**{knowledge.settings.emergency_hint}**", ""]
    out += ["## Why", ""]
    out += [
        f"- **{r.title}** ({VERDICT_WORD[r.level].lower()}): {r.why}" for r in assessment.reasons
    ]
    if not assessment.reasons:
        out.append("- No warning sign was found in the answers.")
    if assessment.not_ruled_out:
        out += ["", "## Not ruled out (questions not answered)", ""]
        out += [f"- {s.title} ({VERDICT_WORD[s.level].lower()})" for s in assessment.not_ruled_out]
    out += ["", "## Answers", "", "| Question | Answer |", "|---|---|"]
    out += [f"| {q} | {a} |" for q, a in answer_lines(knowledge, answers)]
    if assessment.not_assessed:
        out += ["", f"Not answered: {', '.join(assessment.not_assessed)}"]
    out += ["", "## Possible causes", "", "| # | Condition | Match | Why |", "|---|---|---|---|"]
    for index, item in enumerate(assessment.top(SHOWN_CONDITIONS), start=1):
        why = "; ".join(f"{c.because} ({c.weight:+.1f})" for c in item.contributions) or "-"
        out.append(f"| {index} | {item.name} | {item.score:.0%} ({strength(item.score)}) | {why} |")
    out += ["", f"*{knowledge.settings.disclaimer}*", ""]
    return "\n".join(out)
