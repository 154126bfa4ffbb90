"""The report for a doctor: one self-contained, printable HTML page (`-f html`, `ask --report`).

Built with the standard library. Every element is made by ``el`` and ``void``, and every
value they are given, as text or as an attribute, goes through ``html.escape`` in
``escaped``: the one place where text becomes HTML. Only markup made by ``el`` itself (and
the fixed style sheet) passes through unescaped. No external URL, font, image or script:
the style sheet is inline, the body map an inline SVG.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from backcheck.knowledge.model import Verdict
from backcheck.output.style import VERDICT_WORD

if TYPE_CHECKING:
    from backcheck.result import Result

SHOWN_CONDITIONS = 5
EXPLAINED_REASONS = 3  # reasons shown with their explanation; the rest by name
SHOWN_FINDINGS = 4  # findings per cause, the weightiest first


class Markup(str):
    """HTML built by ``el`` or ``void``; any other string is text and gets escaped."""

    __slots__ = ()

    def __add__(self, other: str) -> Markup:
        """Markup followed by ``other`` (escaped unless it is markup)."""
        return Markup(str.__add__(self, escaped(other)))

    def __radd__(self, other: str) -> Markup:
        """``other`` (escaped unless it is markup) followed by this markup."""
        return Markup(str.__add__(escaped(other), self))


def escaped(value: object) -> Markup:
    """The choke point: ``value`` as HTML text (markup made here passes as it is)."""
    if isinstance(value, Markup):
        return value
    return Markup(escape(_shown(str(value)), quote=True))


def _shown(text: str) -> str:
    """Control and bidi characters from a file written as escapes (\\x1b, \\u202e), line by line."""
    from backcheck.errors import one_line

    return text if text.isprintable() else "\n".join(map(one_line, text.split("\n")))


def _attributes(attrs: dict[str, object]) -> str:
    """Attributes in order; names are code (``aria_label`` -> ``aria-label``), values text."""
    out = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        out.append(f' {key}="{escape(_shown(str(value)), quote=True)}"')
    return "".join(out)


def el(tag: str, *children: object, **attrs: object) -> Markup:
    """An element with its children (text escaped, markup kept) and attributes."""
    body = "".join(escaped(child) for child in children)
    return Markup(f"<{tag}{_attributes(attrs)}>{body}</{tag}>")


def void(tag: str, **attrs: object) -> Markup:
    """An element without content (meta, circle); closed with "/>" as SVG needs."""
    return Markup(f"<{tag}{_attributes(attrs)}/>")


def join(parts: list[Markup], sep: Markup | None = None) -> Markup:
    """Several pieces of markup as one, on lines of their own or with ``sep`` between."""
    return Markup((sep if sep is not None else "\n").join(escaped(p) for p in parts))


# Fixed text, no value from outside: the print style fits A4 and Letter in two pages.
STYLE = Markup("""
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
       line-height: 1.35; color: #111; max-width: 50em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 15pt; margin: 0 0 .2em; }
h2 { font-size: 11.5pt; margin: .9em 0 .3em; border-bottom: 1px solid #999; }
p { margin: .3em 0; }
.meta { color: #444; margin: 0 0 .6em; }
.verdict { border: 2px solid #333; padding: .4em .8em; margin: .4em 0; }
.verdict .head { font-size: 12.5pt; font-weight: bold; }
.v-emergency { background: #fde2e1; border-color: #b00; }
.v-urgent { background: #fdebd3; border-color: #c60; }
.v-see_doctor { background: #fff6cc; border-color: #a80; }
.v-self_care { background: #e3f4e1; border-color: #383; }
.top { display: flex; gap: 1.2em; align-items: flex-start; }
.top .main { flex: 1 1 auto; }
.top figure { flex: 0 0 auto; margin: .4em 0 0; }
figcaption { font-size: 9pt; color: #333; max-width: 200px; }
ul.answers { list-style: none; padding: 0; columns: 2; column-gap: 2em; }
ul.answers li { break-inside: avoid; border-bottom: 1px solid #ddd; padding: .05em 0; }
ul, ol { margin: .2em 0; padding-left: 1.4em; }
.why { color: #333; font-size: 9.5pt; }
.notice { margin-top: 1em; font-style: italic; border-top: 1px solid #999; padding-top: .4em; }
@media print {
  @page { margin: 11mm; }
  body { font-size: 8.6pt; line-height: 1.25; margin: 0; max-width: none; padding: 0; }
  h1 { font-size: 13pt; }
  h2 { font-size: 10pt; margin: .6em 0 .2em; break-after: avoid; }
  .why { font-size: 8pt; }
  li, .verdict, figure { break-inside: avoid; }
}
""")


def render_html(result: Result, source: str, today: dt.date | None = None) -> str:
    """The whole page for one result; ``source`` names the answer file, ``today`` dates it."""
    from backcheck import __version__
    from backcheck.advice import format_date
    from backcheck.output.bodymap import body_map, svg_figure

    day = today or dt.date.today()
    verdict = result.verdict
    meta = [
        el("time", format_date(day), datetime=day.isoformat()),
        escaped(f"backcheck {__version__}"),
        escaped(f"knowledge {result.knowledge_version or 'unversioned'}"),
    ]
    if source and source not in ("<stdin>", "<ask>"):
        meta.insert(1, escaped(f"File: {source}"))
    bmap = body_map(result.answers)
    figure = el(
        "figure",
        svg_figure(bmap),
        el("figcaption", join([escaped(w) for w in bmap.words], void("br"))),
    )
    body = [
        el("h1", "backcheck report"),
        el("p", escaped("Date: ") + join(meta, escaped(" · ")), class_="meta"),
        _verdict_box(result),
        el(
            "div",
            el("div", *_why(result), *_safety_net(result, day), class_="main"),
            figure,
            class_="top",
        ),
        *_causes(result),
        *_answers(result),
        *_not_assessed(result),
        el("p", result.disclaimer, class_="notice"),
    ]
    page = el(
        "html",
        el(
            "head",
            void("meta", charset="utf-8"),
            void("meta", name="viewport", content="width=device-width, initial-scale=1"),
            el("title", f"backcheck report {day.isoformat()}: {VERDICT_WORD[verdict]}"),
            el("style", STYLE),
        ),
        el("body", join(body)),
        lang="en",
    )
    return "".join(("<!DOCTYPE html>\n", page, "\n"))


def _verdict_box(result: Result) -> Markup:
    verdict = result.verdict
    parts = [
        el("div", f"VERDICT: {VERDICT_WORD[verdict]}: {result.verdict_title}", class_="head"),
        el("div", result.advice),
    ]
    if verdict == Verdict.EMERGENCY:
        parts.append(el("div", el("strong", result.emergency_hint)))
    return el("div", *parts, class_=f"verdict v-{verdict.value}")


def _list(items: list[Markup], tag: str = "ul") -> Markup:
    return el(tag, join([el("li", item) for item in items]))


def _why(result: Result) -> list[Markup]:
    """The deciding reasons explained (the first few), then every other one by name."""
    from backcheck.output.summary import shown_reasons

    reasons = shown_reasons(result)
    leading = [r for r in reasons if r.level == result.verdict]
    explained = leading[:EXPLAINED_REASONS]
    items = [el("strong", r.title) + escaped(f": {r.why}") for r in explained] or [
        escaped("No warning sign was found in the answers.")
    ]
    others = [r for r in reasons if r not in explained]
    if others:
        names = "; ".join(f"{r.title} ({VERDICT_WORD[r.level].lower()})" for r in others)
        items.append(el("strong", "Also found: ") + escaped(names))
    out = [el("h2", "Why this advice"), _list(items)]
    if result.safety_net is not None and result.safety_net.elsewhere:
        out.append(el("p", result.safety_net.elsewhere))
    return out


def _safety_net(result: Result, today: dt.date) -> list[Markup]:
    advice = result.safety_net
    if advice is None:
        return []
    out = [el("h2", "What to do"), el("p", advice.now)]
    meantime = [*advice.meantime, *advice.avoid]
    if meantime and result.verdict != Verdict.EMERGENCY:
        out += [el("p", el("strong", "In the meantime")), _list([escaped(t) for t in meantime])]
    elif meantime:
        out += [el("p", el("strong", "While you wait")), _list([escaped(t) for t in meantime])]
    if advice.watch:
        out += [
            el("p", el("strong", "Watch for")),
            _list([escaped(w.line) for w in advice.watch]),
        ]
    if advice.course:
        out.append(el("p", el("strong", "How long: "), advice.course))
    if again := advice.check_again(today):
        out.append(el("p", again))
    return out


def _causes(result: Result) -> list[Markup]:
    items = []
    for item in result.top(SHOWN_CONDITIONS):
        head = el("strong", item.name) + escaped(f": {item.score:.0%}, {item.strength}")
        findings = sorted(item.contributions, key=lambda c: -abs(c.weight))
        evidence = [
            escaped(f"{'for' if c.weight > 0 else 'against'}: {c.because}")
            for c in findings[:SHOWN_FINDINGS]
        ]
        if len(findings) > SHOWN_FINDINGS:
            evidence.append(escaped(f"and {len(findings) - SHOWN_FINDINGS} more"))
        if evidence:
            head += el("div", join(evidence, escaped("; ")), class_="why")
        items.append(head)
    return [el("h2", "Possible causes (best match first)"), _list(items, "ol")]


def _answers(result: Result) -> list[Markup]:
    """Every answer in words, in interview order (two columns)."""
    items = [el("li", el("strong", f"{q}: "), a) for q, a in result.answer_lines()]
    if not items:
        return [el("h2", "Answers"), el("p", "No answers were given.")]
    return [el("h2", "Answers"), el("ul", join(items), class_="answers")]


def _not_assessed(result: Result) -> list[Markup]:
    out = [el("h2", "Not assessed")]
    if result.not_assessed:
        out.append(
            el(
                "p",
                el("strong", "Warning-sign questions not answered: "),
                "; ".join(q.text for q in result.not_assessed),
            )
        )
    if result.not_ruled_out:
        out.append(
            el(
                "p",
                el("strong", "Not ruled out (questions not answered): "),
                "; ".join(
                    f"{s.title} ({VERDICT_WORD[s.level].lower()})" for s in result.not_ruled_out
                ),
            )
        )
    if result.not_asked:
        out.append(el("p", result.not_asked_text()))
    if len(out) == 1:
        out.append(el("p", "Every warning-sign question was answered."))
    out.append(
        el(
            "p",
            "backcheck does not examine you and runs no tests: a doctor's examination "
            "can find what these questions cannot.",
        )
    )
    return out
