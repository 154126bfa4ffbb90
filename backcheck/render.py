"""Render an assessment: a rich summary, JSON, or a Markdown report for a doctor."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from backcheck.engine import Assessment
from backcheck.knowledge import Knowledge, Verdict
from backcheck.report import SHOWN_CONDITIONS, answer_lines, self_help, strength, to_json
from backcheck.when import Answers

if TYPE_CHECKING:
    from rich.console import Console

VERDICT_STYLE = {
    Verdict.EMERGENCY: "bold white on red",
    Verdict.URGENT: "bold black on dark_orange",
    Verdict.SEE_DOCTOR: "bold black on yellow",
    Verdict.SELF_CARE: "bold black on green",
}
VERDICT_WORD = {
    Verdict.EMERGENCY: "EMERGENCY",
    Verdict.URGENT: "URGENT",
    Verdict.SEE_DOCTOR: "SEE A DOCTOR",
    Verdict.SELF_CARE: "SELF-CARE",
}


def render_json(knowledge: Knowledge, assessment: Assessment, source: str) -> str:
    """One line of JSON (a JSON Lines record)."""
    return json.dumps(to_json(knowledge, assessment, source), ensure_ascii=False)


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
    style = VERDICT_STYLE[verdict].split(" on ")[-1]
    console.print(
        Panel(body, title=f" {VERDICT_WORD[verdict]} ", title_align="left", border_style=style)
    )


def render_summary(
    console: Console, knowledge: Knowledge, assessment: Assessment, answers: Answers, source: str
) -> None:
    """The human summary, led by the verdict."""
    from rich.table import Table

    if source:
        console.print(f"[dim]{source}[/dim]")
    render_verdict_banner(console, knowledge, assessment.verdict)

    console.print("\n[bold]Why this advice[/bold]")
    if not assessment.reasons:
        console.print("  No warning sign was found in your answers.")
    for reason in assessment.reasons:
        word = VERDICT_WORD[reason.level].lower()
        console.print(f"  - [bold]{reason.title}[/bold] ({word}): {reason.why}", highlight=False)
    if assessment.not_ruled_out:
        console.print("\n[bold]Not ruled out[/bold] (some questions were not answered)")
        for sign in assessment.not_ruled_out:
            word = VERDICT_WORD[sign.level].lower()
            console.print(f"  - If you have this: {sign.title} ({word})", highlight=False)

    console.print("\n[bold]Possible causes[/bold] (best match first)")
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("#", justify="right")
    table.add_column("Condition")
    table.add_column("Match")
    table.add_column("Why")
    for index, item in enumerate(assessment.top(SHOWN_CONDITIONS), start=1):
        why = "; ".join(c.because for c in item.contributions if c.weight > 0)[:160]
        table.add_row(str(index), item.name, f"{item.score:.0%} {strength(item.score)}", why or "-")
    console.print(table)
    console.print(f"  [dim]Look one up: backcheck lookup {assessment.conditions[0].id}[/dim]")

    tips = self_help(knowledge, assessment)
    if tips and assessment.verdict != Verdict.EMERGENCY:
        console.print("\n[bold]What may help meanwhile[/bold]")
        for tip in tips[:6]:
            console.print(f"  - {tip}", highlight=False)

    lines = answer_lines(knowledge, answers)
    if lines:
        console.print("\n[bold]What to tell the doctor[/bold]")
        for question, answer in lines:
            console.print(f"  - {question} {answer}", highlight=False)
    if assessment.not_assessed:
        asked = ", ".join(assessment.not_assessed)
        console.print(f"  - Not answered (tell the doctor): {asked}", highlight=False)

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
