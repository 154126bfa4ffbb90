"""A Markdown report of a result, to print or send to a doctor."""

from __future__ import annotations

import datetime as dt

from backcheck.knowledge.model import Verdict
from backcheck.output.style import VERDICT_WORD
from backcheck.result import Result

SHOWN_CONDITIONS = 5


def render_markdown(result: Result, source: str, today: dt.date | None = None) -> str:
    """The report for one result; ``source`` names the answer file, ``today`` dates it."""
    from backcheck import __version__

    stamp = [f"backcheck {__version__}", f"knowledge {result.knowledge_version or 'unversioned'}"]
    if today is not None:
        stamp.insert(0, f"Date: {today.isoformat()}")
    out = [
        f"# backcheck report: {source}",
        "",
        " · ".join(stamp),
        "",
        f"**Verdict: {VERDICT_WORD[result.verdict]}: {result.verdict_title}**",
        "",
    ]
    out += [result.advice, ""]
    if result.verdict == Verdict.EMERGENCY:
        out += [f"**{result.emergency_hint}**", ""]
    out += _safety_net(result, today)
    out += ["## Why", ""]
    out += [f"- **{r.title}** ({VERDICT_WORD[r.level].lower()}): {r.why}" for r in result.reasons]
    if not result.reasons:
        out.append("- No warning sign was found in the answers.")
    if result.not_ruled_out:
        out += ["", "## Not ruled out (questions not answered)", ""]
        out += [f"- {s.title} ({VERDICT_WORD[s.level].lower()})" for s in result.not_ruled_out]
    if result.not_asked:
        out += ["", "## Checks not made", "", result.not_asked_text()]
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


def _safety_net(result: Result, today: dt.date | None) -> list[str]:
    """What to do now, meanwhile and if it changes."""
    advice = result.safety_net
    if advice is None:
        return []
    out = ["## What to do", "", advice.now, ""]
    if advice.meantime or advice.avoid:
        out += ["In the meantime:", ""]
        out += [f"- {t}" for t in (*advice.meantime, *advice.avoid)]
        out.append("")
    if advice.watch:
        out += ["Watch for:", ""] + [f"- {w.line}" for w in advice.watch] + [""]
    if advice.course:
        out += [f"How long: {advice.course}", ""]
    if today is not None and (again := advice.check_again(today)):
        out += [again, ""]
    return out
