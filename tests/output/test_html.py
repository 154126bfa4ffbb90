"""The HTML report for a doctor: what it holds, escaping, self-containment, the commands,
and a real headless Chromium rendering it, taking a screenshot and printing it to PDF."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from backcheck.advice import format_date
from backcheck.cli import terminal as term
from backcheck.cli.app import app
from backcheck.knowledge.model import Knowledge
from backcheck.output.bodymap import SHADE
from backcheck.output.html import Markup, el, escaped, render_html
from backcheck.pipeline import assess_answers, assess_file
from backcheck.result import Result
from tests.cli.test_ask import PLAIN  # the plain interview of a benign case, by numbers
from tests.conftest import EXAMPLES, ROOT, full_answers

TODAY = dt.date(2026, 12, 1)
SCIATICA = str(EXAMPLES / "sciatica.yaml")
VOID = {"meta", "circle", "br"}
BLOCKS = {"div", "p", "li", "ul", "ol", "h1", "h2", "figure", "figcaption", "br", "title", "svg"}


class Page(HTMLParser):
    """The text of a page (as a browser shows it) and a check that every tag is closed."""

    def __init__(self, html: str, *, strict: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.strict = strict
        self.parts: list[str] = []
        self.open: list[str] = []
        self.tags: list[str] = []
        self.in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.open.append(tag)
        self.in_style = tag == "style"
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.strict:
            assert self.open[-1:] == [tag], f"</{tag}> closes {self.open[-1:]}"
            self.open.pop()
        self.in_style = False
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def words(text: str) -> str:
    return " ".join(text.split())


def report(result: Result, source: str = SCIATICA) -> tuple[str, Page]:
    html = render_html(result, source, TODAY)
    page = Page(html)
    assert page.open == [], f"unclosed: {page.open}"
    return html, page


def test_the_report_holds_what_a_doctor_needs(knowledge: Knowledge) -> None:
    _, result = assess_file(knowledge, SCIATICA)
    _, page = report(result)
    text = page.text
    assert format_date(TODAY) in text
    assert "File: " + SCIATICA in text
    assert f"knowledge {result.knowledge_version}" in text
    assert f"VERDICT: SEE A DOCTOR: {result.verdict_title}" in text
    assert words(result.advice) in text
    spreading = next(r for r in result.reasons if r.id == "spreading")
    assert words(f"{spreading.title}: {spreading.why}") in text
    net = result.safety_net
    assert net is not None
    for line in (net.now, *net.meantime, *net.avoid, *(w.line for w in net.watch), net.course):
        assert words(line) in text
    assert words(net.check_again(TODAY)) in text
    for item in result.top(5):
        assert f"{item.name}: {item.score:.0%}, {item.strength}" in text
    best = max(result.conditions[0].contributions, key=lambda c: abs(c.weight))
    assert words(best.because) in text  # the evidence for the likeliest cause
    for question, answer in result.answer_lines():
        assert f"{question}: {answer}" in text  # every answer, in words
    assert "Not assessed" in text
    assert words(result.disclaimer) in text
    assert "svg" in page.tags
    assert text.index("VERDICT") < text.index("Why this advice") < text.index("Possible causes")


def test_a_complete_report_says_every_warning_sign_was_asked(knowledge: Knowledge) -> None:
    result = assess_answers(knowledge, full_answers(pregnancy_signs=()))
    assert not (result.not_assessed)
    assert not (result.not_ruled_out)
    assert not (result.not_asked)
    _, page = report(result)
    assert "Every warning-sign question was answered." in page.text


def test_what_was_not_assessed_is_named(knowledge: Knowledge) -> None:
    answers = full_answers()
    del answers["bladder_bowel"], answers["saddle_numbness"]
    result = assess_answers(knowledge, answers)
    _, page = report(result)
    not_assessed = page.text[page.text.index("Not assessed") :]
    for question in result.not_assessed:
        assert words(question.text) in not_assessed
    assert result.not_ruled_out
    for sign in result.not_ruled_out:
        assert sign.title in not_assessed
    assert "Every warning-sign question was answered." not in not_assessed


def test_a_version_1_file_says_which_checks_were_not_made(knowledge: Knowledge) -> None:
    _, result = assess_file(knowledge, SCIATICA)  # a version-1 file
    assert result.not_asked
    _, page = report(result)
    assert words(result.not_asked_text()) in page.text


def test_an_emergency_report_leads_with_the_emergency_number(knowledge: Knowledge) -> None:
    _, result = assess_file(knowledge, str(EXAMPLES / "emergency.yaml"))
    _, page = report(result)
    assert page.text.index("VERDICT: EMERGENCY") < page.text.index(words(result.emergency_hint))
    assert page.text.index(words(result.emergency_hint)) < page.text.index("Why this advice")


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \'too\''


def test_every_value_is_escaped(knowledge: Knowledge) -> None:
    _, result = assess_file(knowledge, SCIATICA)
    first = result.conditions[0]
    line = result.answered[0]
    reason = result.reasons[0]
    hostile = result._replace(
        verdict_title=HOSTILE,
        advice=HOSTILE,
        disclaimer=HOSTILE,
        reasons=(reason._replace(title=HOSTILE, why=HOSTILE), *result.reasons[1:]),
        conditions=(first._replace(name=HOSTILE), *result.conditions[1:]),
        answered=(line._replace(short=HOSTILE, text=HOSTILE), *result.answered[1:]),
        knowledge_version=HOSTILE,
    )
    html, page = report(hostile, source=HOSTILE)
    assert "<script" not in html
    assert "<img" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert html.count("&lt;script&gt;") >= 8
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert page.text.count(words(HOSTILE)) >= 8  # shown as the text it is


def test_the_one_choke_point_escapes_text_and_attributes() -> None:
    assert escaped("<b>&") == "&lt;b&gt;&amp;"
    assert el("p", "<i>", el("b", "x"), title='"><script>') == (
        '<p title="&quot;&gt;&lt;script&gt;">&lt;i&gt;<b>x</b></p>'
    )
    made = el("b", "ok")
    assert isinstance(made + "<x>", Markup)
    assert made + "<x>" == "<b>ok</b>&lt;x&gt;"
    assert "<x>" + made == "&lt;x&gt;<b>ok</b>"


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_the_page_is_self_contained(knowledge: Knowledge, path: Path) -> None:
    _, result = assess_file(knowledge, str(path))
    html, page = report(result, str(path))
    assert not re.search(r"https?:|//|url\(|@import|@font-face|src=|href=", html, re.I)
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8"/>' in html
    assert "@media print" in html


def test_run_writes_the_report_to_a_private_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["run", SCIATICA, "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    html = out.read_text(encoding="utf-8")
    assert "VERDICT: SEE A DOCTOR" in html
    assert format_date(dt.date.today()) in html
    again = runner.invoke(app, ["run", SCIATICA, "-f", "html", "-o", str(out)])
    assert again.exit_code != 0  # an existing report is replaced only with --force
    coded = runner.invoke(app, ["run", SCIATICA, "-f", "html", "--exit-code"])
    assert coded.exit_code == 3
    assert coded.stdout.startswith("<!DOCTYPE html>")


def test_html_takes_one_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "-f", "html", SCIATICA, str(EXAMPLES / "strain.json")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: -f html: 2 files given")
    assert len(result.stderr.splitlines()) == 1


def test_a_bad_answer_file_gives_no_report(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers: {spread: one_arm}\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["run", str(bad), "-f", "html", "-o", str(out)])
    assert result.exit_code == 2
    assert "spread" in result.stderr
    assert "one_leg" in result.stderr
    assert "Traceback" not in result.output


def test_ask_writes_the_report_too(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(term, "is_terminal", lambda: True)
    monkeypatch.setattr(term, "stdout_is_terminal", lambda: True)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["ask", "--plain", "--report", str(out)], input="\n".join(PLAIN))
    assert result.exit_code == 0, result.output
    assert "Report for your doctor written to" in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = Page(out.read_text(encoding="utf-8"))
    assert "VERDICT: SELF-CARE" in page.text
    assert "Age: 35" in page.text
    assert "File:" not in page.text  # the interview has no file


def test_ask_refuses_an_existing_report_before_asking(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(term, "is_terminal", lambda: True)
    monkeypatch.setattr(term, "stdout_is_terminal", lambda: True)
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["ask", "--plain", "--report", str(out)], input="")
    assert result.exit_code == 2
    assert "Question 1" not in result.stdout
    assert out.read_text(encoding="utf-8") == "keep me"


# --- a real browser (the slow tier: `pytest -m slow`, which CI runs) ----------------------


def chromium() -> str:
    """Debian's chromium (or chromium-headless-shell); the test is skipped, saying so, without."""
    for name in ("chromium", "chromium-headless-shell"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "chromium is not installed (apt-get install chromium; .ci/run installs it): "
        "the HTML report was not rendered in a browser"
    )


def browse(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--no-pdf-header-footer",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
        page.as_uri(),
    ]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # root (CI) cannot use chromium's sandbox
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def longest_answers(knowledge: Knowledge) -> dict[str, Any]:
    """Every option ticked, every warning sign present: the longest report there can be."""
    answers: dict[str, Any] = {}
    for question in knowledge.questions.values():
        if question.type == "multi":
            answers[question.id] = list(question.option_ids)
        elif question.type == "integer":
            answers[question.id] = question.max
        elif question.type == "yes_no":
            answers[question.id] = "yes"
        else:
            answers[question.id] = question.option_ids[-1]
    return answers


def write_report(runner: CliRunner, tmp_path: Path, answers: Path, size: str = "") -> Path:
    out = tmp_path / f"report{size}.html"
    result = runner.invoke(app, ["run", str(answers), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    if size:  # print on this paper, as a browser does when the printer has it
        html = out.read_text(encoding="utf-8")
        out.write_text(html.replace("</style>", f"@page {{ size: {size}; }}</style>", 1))
    return out


def png_pixels(data: bytes) -> tuple[int, int, set[tuple[int, int, int]]]:
    """Width, height and the colours of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, kind = struct.unpack(">IIBB", data[16:26])
    assert depth == 8
    assert kind in (2, 6)
    channels = 3 if kind == 2 else 4
    chunks, at = b"", 8
    while at < len(data):
        length, name = struct.unpack(">I4s", data[at : at + 8])
        if name == b"IDAT":
            chunks += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(chunks)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[tuple[int, int, int]] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind_of_filter = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind_of_filter == 1:
                line[i] = (line[i] + left) & 255
            elif kind_of_filter == 2:
                line[i] = (line[i] + up) & 255
            elif kind_of_filter == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind_of_filter == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 255
        colours.update((line[i], line[i + 1], line[i + 2]) for i in range(0, stride, channels * 7))
        previous = line
    return width, height, colours


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """The size in points of each page of a PDF Chromium printed."""
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.slow
def test_chromium_renders_the_report_and_takes_a_screenshot(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = write_report(runner, tmp_path, Path(SCIATICA))
    dom = browse(tmp_path, page, "--dump-dom").stdout
    shown = Page(dom, strict=False).text  # the DOM as the browser built it
    assert "VERDICT: SEE A DOCTOR" in shown
    assert "Possible causes" in shown
    assert "Sciatica" in shown
    assert "not a diagnosis" in shown
    shot = tmp_path / "report.png"
    browse(tmp_path, page, f"--screenshot={shot}", "--window-size=900,600")
    width, height, colours = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 600)
    red = tuple(int(SHADE[i : i + 2], 16) for i in (1, 3, 5))
    assert red in colours  # the body map's shading was drawn
    assert len(colours) > 20  # text and the verdict's colour, not a blank page


PAPER = {"A4": (595.0, 842.0), "letter": (612.0, 792.0)}


@pytest.mark.slow
@pytest.mark.parametrize("size", PAPER)
@pytest.mark.parametrize("case", ["sciatica", "longest"])
def test_the_printed_report_fits_two_pages(
    runner: CliRunner, tmp_path: Path, knowledge: Knowledge, size: str, case: str
) -> None:
    answers = Path(SCIATICA)
    if case == "longest":
        answers = tmp_path / "longest.yaml"
        data = {"version": 2, "answers": longest_answers(knowledge)}
        answers.write_text(yaml.safe_dump(data), encoding="utf-8")
    page = write_report(runner, tmp_path, answers, size)
    pdf = tmp_path / f"report-{size}.pdf"
    browse(tmp_path, page, f"--print-to-pdf={pdf}")
    pages = pdf_pages(pdf.read_bytes())
    assert 1 <= len(pages) <= 2, f"{len(pages)} pages on {size}"
    for width, height in pages:
        assert abs(width - PAPER[size][0]) < 1
        assert abs(height - PAPER[size][1]) < 1


# --- start-up -------------------------------------------------------------------------------

NEW_MODULES = (
    "backcheck.output.html",
    "backcheck.output.bodymap",
    "backcheck.output.fhir",
    "backcheck.output.schema",
    "backcheck.output.template",
    "jsonschema",
    "fhir",
    "pydantic",
)


@pytest.mark.parametrize(
    "args",
    [["run", "examples/strain.json"], ["lookup", "sciatica"], ["--help"], ["run", "--help"]],
    ids=" ".join,
)
def test_other_commands_import_none_of_the_new_formats(args: list[str]) -> None:
    code = (
        "import sys; from backcheck.cli.app import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {NEW_MODULES!r} if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_html_imports_only_what_it_needs() -> None:
    code = (
        "import sys; from backcheck.cli.app import app\n"
        "try:\n    app(['run', '-f', 'html', 'examples/strain.json'])\nexcept SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {NEW_MODULES!r} if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stderr.strip().splitlines()[-1] == str(
        ["backcheck.output.bodymap", "backcheck.output.html"]
    )
