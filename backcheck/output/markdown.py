"""A Markdown report of a result, to print or send to a doctor.

Every text from a file (the knowledge, the answer file's name) goes through ``text``, so it
reads as written and never becomes a heading, a link, code, HTML or a table cell border.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from backcheck.knowledge.model import Verdict
from backcheck.output.style import VERDICT_WORD
from backcheck.result import Result

SHOWN_CONDITIONS = 5

# Characters that can start Markdown or HTML structure anywhere in a line (CommonMark lets
# any ASCII punctuation be escaped with a backslash; GitHub tables also split on "|").
_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|~!&])")
# A start like a list item, a rule or a heading underline ("-", "+", "=", "1." or "1)").
_LEAD = re.compile(r"^(\d*)([-+=.)])")


# Most texts come from the knowledge and repeat in every report of a batch.
@functools.lru_cache(maxsize=8192)
def text(value: str) -> str:
    """``value`` as literal Markdown text on one line: control characters shown as escapes,
    every character that could start structure escaped with a backslash."""
    from backcheck.output.style import visible

    escaped = _SPECIAL.sub(r"\\\1", visible(value.strip()))
    return _LEAD.sub(r"\1\\\2", escaped)


def render_markdown(result: Result, source: str, today: dt.date | None = None) -> str:
    """The report for one result; ``source`` names the answer file, ``today`` dates it."""
    from backcheck import __version__

    stamp = [f"backcheck {__version__}", f"knowledge {result.knowledge_version or 'unversioned'}"]
    if today is not None:
        stamp.insert(0, f"Date: {today.isoformat()}")
    out = [
        f"# backcheck report: {text(source)}",
        "",
        " · ".join(stamp),
        "",
        f"**Verdict: {VERDICT_WORD[result.verdict]}: {text(result.verdict_title)}**",
        "",
    ]
    out += [text(result.advice), ""]
    if result.verdict == Verdict.EMERGENCY:
        out += [f"**{text(result.emergency_hint)}**", ""]
    out += _safety_net(result, today)
    out += ["## Why", ""]
    out += [
        f"- **{text(r.title)}** ({VERDICT_WORD[r.level].lower()}): {text(r.why)}"
        for r in result.reasons
    ]
    if not result.reasons:
        out.append("- No warning sign was found in the answers.")
    if result.safety_net is not None and result.safety_net.elsewhere:
        out += ["", text(result.safety_net.elsewhere)]
    if result.not_ruled_out:
        out += ["", "## Not ruled out (questions not answered)", ""]
        out += [
            f"- {text(s.title)} ({VERDICT_WORD[s.level].lower()})" for s in result.not_ruled_out
        ]
    if result.not_asked:
        out += ["", "## Checks not made", "", text(result.not_asked_text())]
    out += ["", "## Answers", "", "| Question | Answer |", "|---|---|"]
    out += [f"| {text(q)} | {text(a)} |" for q, a in result.answer_lines()]
    if result.not_assessed:
        out += ["", f"Not answered: {text(', '.join(q.id for q in result.not_assessed))}"]
    out += ["", "## Possible causes", "", "| # | Condition | Match | Why |", "|---|---|---|---|"]
    for index, item in enumerate(result.top(SHOWN_CONDITIONS), start=1):
        why = "; ".join(f"{text(c.because)} ({c.weight:+.1f})" for c in item.contributions)
        match = f"{item.score:.0%} ({item.strength})"
        out.append(f"| {index} | {text(item.name)} | {match} | {why or '-'} |")
    out += ["", f"*{text(result.disclaimer)}*", ""]
    return "\n".join(out)


def _safety_net(result: Result, today: dt.date | None) -> list[str]:
    """What to do now, meanwhile and if it changes."""
    advice = result.safety_net
    if advice is None:
        return []
    out = ["## What to do", "", text(advice.now), ""]
    if advice.meantime or advice.avoid:
        out += ["In the meantime:", ""]
        out += [f"- {text(t)}" for t in (*advice.meantime, *advice.avoid)]
        out.append("")
    if advice.watch:
        out += ["Watch for:", ""] + [f"- {text(w.line)}" for w in advice.watch] + [""]
    if advice.course:
        out += [f"How long: {text(advice.course)}", ""]
    if today is not None and (again := advice.check_again(today)):
        out += [text(again), ""]
    return out
