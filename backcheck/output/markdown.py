"""A Markdown report of a result, to print or send to a doctor."""

from __future__ import annotations

from backcheck.knowledge.model import Verdict
from backcheck.output.style import VERDICT_WORD
from backcheck.result import Result

SHOWN_CONDITIONS = 5


def render_markdown(result: Result, source: str) -> str:
    """The report for one result; ``source`` names the answer file."""
    out = [
        f"# backcheck report: {source}",
        "",
        f"**Verdict: {VERDICT_WORD[result.verdict]}: {result.verdict_title}**",
        "",
    ]
    out += [result.advice, ""]
    if result.verdict == Verdict.EMERGENCY:
        out += [f"**{result.emergency_hint}**", ""]
    out += ["## Why", ""]
    out += [f"- **{r.title}** ({VERDICT_WORD[r.level].lower()}): {r.why}" for r in result.reasons]
    if not result.reasons:
        out.append("- No warning sign was found in the answers.")
    if result.not_ruled_out:
        out += ["", "## Not ruled out (questions not answered)", ""]
        out += [f"- {s.title} ({VERDICT_WORD[s.level].lower()})" for s in result.not_ruled_out]
    out += ["", "## Answers", "", "| Question | Answer |", "|---|---|"]
    out += [f"| {q} | {a} |" for q, a in result.answer_lines()]
    if result.not_assessed:
        out += ["", f"Not answered: {', '.join(q.id for q in result.not_assessed)}"]
    out += ["", "## Possible causes", "", "| # | Condition | Match | Why |", "|---|---|---|---|"]
    for index, item in enumerate(result.top(SHOWN_CONDITIONS), start=1):
        why = "; ".join(f"{c.because} ({c.weight:+.1f})" for c in item.contributions) or "-"
        out.append(f"| {index} | {item.name} | {item.score:.0%} ({item.strength}) | {why} |")
    out += ["", f"*{result.disclaimer}*", ""]
    return "\n".join(out)
