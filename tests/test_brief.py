"""The short summary and its safety net, with the real renderers at 60, 80 and 120 columns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from rich.console import Console

from backcheck.advice import Advice
from backcheck.answers import load_answer_file
from backcheck.engine import assess
from backcheck.evaluation import vignette_paths
from backcheck.knowledge.model import Knowledge, Verdict
from backcheck.output.brief import render_brief
from backcheck.output.markdown import render_markdown
from backcheck.result import Result
from tests.conftest import DEV_VIGNETTES, EXAMPLES, OWN_VIGNETTES, SHARED, full_answers

TODAY = dt.date(2026, 12, 1)
CASES = [
    *sorted(EXAMPLES.iterdir()),
    *(vignette_paths([DEV_VIGNETTES]) if SHARED else []),
    *vignette_paths([OWN_VIGNETTES]),
    *vignette_paths([OWN_VIGNETTES.parent / "vignettes-v2"]),
]
WORDS = {
    Verdict.EMERGENCY: "VERDICT: EMERGENCY",
    Verdict.URGENT: "VERDICT: URGENT",
    Verdict.SEE_DOCTOR: "VERDICT: SEE A DOCTOR",
    Verdict.SELF_CARE: "VERDICT: SELF-CARE",
}


def brief(
    knowledge: Knowledge, path: Path, width: int, *, terminal: bool = False
) -> tuple[list[str], Verdict]:
    """The short summary's lines: as in a file (plain), or with ``terminal`` as framed."""
    answer_file = load_answer_file(str(path), knowledge)
    answers = answer_file.answers
    assessment = assess(knowledge, answers, answer_file.version)
    console = Console(
        file=io.StringIO(), width=width, record=True, highlight=False, force_terminal=terminal
    )
    render_brief(console, assessment, str(path.name), TODAY)
    return console.export_text().splitlines(), assessment.verdict


def safety_net(result: Result) -> Advice:
    assert result.safety_net is not None
    return result.safety_net


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_verdict_in_words_first_and_last_and_nothing_cut(
    knowledge: Knowledge, path: Path, width: int
) -> None:
    lines, verdict = brief(knowledge, path, width)
    assert any(WORDS[verdict] in line for line in lines[:3])
    assert any(WORDS[verdict] in line for line in lines[-2:])
    assert all(len(line) <= width for line in lines)
    assert any("--details" in line for line in lines)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("terminal", [False, True], ids=["file", "terminal"])
def test_fits_one_screen_at_80_columns(knowledge: Knowledge, path: Path, terminal: bool) -> None:
    lines, _ = brief(knowledge, path, 80, terminal=terminal)
    assert len(lines) <= 24, "\n".join(lines)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_every_shown_why_cites_only_what_was_answered(knowledge: Knowledge, path: Path) -> None:
    answer_file = load_answer_file(str(path), knowledge)
    answers = answer_file.answers
    assessment = assess(knowledge, answers, answer_file.version)
    advice = safety_net(assessment)
    for cause in advice.causes:
        for part in cause.why:
            assert part.answers, part.because
            for question, value in part.answers.items():
                assert answers.get(question) is not None, (question, part.because)
                given = answers[question]
                if isinstance(value, tuple) and isinstance(given, tuple):
                    assert set(value) <= set(given)
                else:
                    assert value == given
    lines, _ = brief(knowledge, path, 120)
    start = next(i for i, line in enumerate(lines) if line == "Likely causes")
    shown_lines = lines[start + 1 : start + 1 + len(advice.causes)]
    for cause, line in zip(advice.causes, shown_lines, strict=True):
        if line.endswith("the warning sign points to this"):
            assert cause.pointed
            continue
        assert "weak match" not in line or not cause.pointed
        if " - " not in line:
            assert not cause.why
            continue
        shown = line.split(" - ", 1)[1].rstrip().rstrip("…")
        cited = "; ".join(dict.fromkeys(c.because for c in cause.why))
        assert shown
        assert cited.startswith(shown), (shown, line)
    for sign in advice.set_by:
        assert any(r.id == sign.id and r.kind == "warning_sign" for r in assessment.reasons)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_watch_list_names_only_absent_signs_that_raise_the_advice(
    knowledge: Knowledge, path: Path
) -> None:
    answer_file = load_answer_file(str(path), knowledge)
    answers = answer_file.answers
    assessment = assess(knowledge, answers, answer_file.version)
    advice = safety_net(assessment)
    fired = {r.id for r in assessment.reasons if r.kind == "warning_sign"}
    for watch in advice.watch:
        assert watch.id not in fired
        assert watch.level.rank > assessment.verdict.rank
        assert watch.line.startswith("If ")
        assert ": " in watch.line
    if assessment.verdict != Verdict.EMERGENCY:
        assert advice.watch  # there is always something that would change the advice


def test_a_deciding_warning_sign_leads_the_causes(knowledge: Knowledge) -> None:
    lines, verdict = brief(knowledge, EXAMPLES / "emergency.yaml", 80)
    text = "\n".join(lines)
    assert verdict == Verdict.EMERGENCY
    assert "The advice comes from the warning signs in your answers" in text
    causes = lines[lines.index("Likely causes") + 1 :]
    assert causes[0].strip() == "1. Cauda equina syndrome - the warning sign points to this"
    assert "match" not in causes[0]


def test_one_picture_at_different_levels_is_one_line(knowledge: Knowledge) -> None:
    lines, _ = brief(knowledge, EXAMPLES / "sciatica.yaml", 120)
    text = "\n".join(lines)
    assert "Sciatica: an irritated nerve root, often from a slipped disc" in text
    assert "Herniated (slipped) disc" not in text
    assert "Radiculopathy" not in text


def test_the_safety_net_says_what_to_do_how_long_and_when_to_check(
    knowledge: Knowledge,
) -> None:
    lines, verdict = brief(knowledge, EXAMPLES / "strain.json", 80)
    text = " ".join(line.strip() for line in lines)
    assert verdict == Verdict.SELF_CARE
    assert "Do not stay in bed" in text
    assert "How long: Most strains get much better within 2 to 6 weeks." in text
    # strain: check again after 14 days, dated from the day given, not the clock
    assert "If it is not better by Tuesday 15 December 2026, see a doctor" in text
    assert "backcheck ask" in text
    assert "If your leg gets weaker over hours or days: get emergency care." in text


def test_urgent_and_emergency_advice_has_no_wait_until_date(knowledge: Knowledge) -> None:
    answer_file = load_answer_file(str(EXAMPLES / "emergency.yaml"), knowledge)
    answers = answer_file.answers
    advice = safety_net(assess(knowledge, answers, answer_file.version))
    assert advice.check_days is None
    assert advice.check_again(TODAY) == ""
    assert "Do not drive yourself." in advice.avoid


def test_report_keeps_everything_and_gains_date_and_versions(knowledge: Knowledge) -> None:
    from backcheck import __version__

    answer_file = load_answer_file(str(EXAMPLES / "sciatica.yaml"), knowledge)
    answers = answer_file.answers
    report = render_markdown(assess(knowledge, answers, answer_file.version), "s.yaml", TODAY)
    assert "Date: 2026-12-01" in report
    assert f"backcheck {__version__}" in report
    assert f"knowledge {knowledge.fingerprint}" in report
    assert len(knowledge.fingerprint) == 12
    for part in ("## Why", "## Answers", "## Possible causes", "Watch for:", "How long:"):
        assert part in report
    assert "Tuesday 8 December 2026" in report  # see a doctor: check again within 7 days


def test_run_shows_the_short_summary_and_details_on_request(runner: object) -> None:
    from typer.testing import CliRunner

    from backcheck.cli.app import app

    assert isinstance(runner, CliRunner)
    short = runner.invoke(app, ["run", str(EXAMPLES / "sciatica.yaml")]).stdout
    full = runner.invoke(app, ["run", "--details", str(EXAMPLES / "sciatica.yaml")]).stdout
    assert "Watch for" in short
    assert "What to tell the doctor" not in short
    assert "What to tell the doctor" in full
    assert "Possible causes" in full


def test_a_cause_from_outside_the_spine_is_explained_in_plain_words(knowledge: Knowledge) -> None:
    """Why the advice is not the usual back-pain advice, when the sign points elsewhere."""
    stone = full_answers(colicky_pain="yes", onset="sudden", duration="under_a_day", age=40)
    result = assess(knowledge, stone)
    note = safety_net(result).elsewhere
    assert "kidney stone" in note
    assert "see a doctor today" in note
    console = Console(file=io.StringIO(), width=80, record=True, highlight=False)
    render_brief(console, result, "stone.yaml", TODAY)
    assert "It may not come from the back at all" in " ".join(console.export_text().split())
    assert note in " ".join(render_markdown(result, "stone.yaml", TODAY).split())
    assert safety_net(assess(knowledge, full_answers())).elsewhere == ""


def test_no_frames_when_the_output_is_not_a_terminal(knowledge: Knowledge) -> None:
    """A file, a pipe, TERM=dumb or --plain read top to bottom: no boxes; a terminal gets
    the coloured frame, and the 24-line budget counts the frame it draws."""
    from backcheck.output.style import make_plain

    path = EXAMPLES / "emergency.yaml"
    lines, _ = brief(knowledge, path, 80)  # a StringIO console: not a terminal
    assert not set("│╭╮╰╯─") & set("".join(lines))
    assert lines[1].startswith("VERDICT: EMERGENCY")
    answer_file = load_answer_file(str(path), knowledge)
    result = assess(knowledge, answer_file.answers)
    framed = Console(file=io.StringIO(), width=80, force_terminal=True, record=True)
    render_brief(framed, result, "emergency.yaml", TODAY)
    text = framed.export_text()
    assert "╭─  EMERGENCY" in text
    assert len(text.splitlines()) <= 24
    plain = make_plain(Console(file=io.StringIO(), width=80, force_terminal=True, record=True))
    render_brief(plain, result, "emergency.yaml", TODAY)
    assert "╭" not in plain.export_text()


class _File(io.StringIO):
    """An output file, as `run -o` or a shell redirection gives one: not a terminal."""

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("width", [30, 60, 80, 120])
def test_a_file_gets_the_same_text_as_a_plain_console_draws_without_line_end_spaces(
    knowledge: Knowledge, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file or a pipe takes a faster way to the same text (pieces wrapped once and kept):
    # it must not differ by a byte from what rich prints, for any case or width.
    from backcheck.output.summary import console_for, draws_plain_text

    monkeypatch.setenv("COLUMNS", str(width))
    names = [
        "a.yaml",
        "[b]odd x_*#|.yaml",
        "a very long file name " * 6 + ".yaml",
        "",
        "back\\[/dim]slash\\",
        "wide 名前の長いファイル" * 4 + ".yaml",
        "tab\tand\x1bescape.yaml",
    ]
    for index, path in enumerate(CASES):
        answer_file = load_answer_file(str(path), knowledge)
        result = assess(knowledge, answer_file.answers, answer_file.version)
        name = names[index % len(names)]
        sink = _File()
        fast = console_for(sink)
        assert draws_plain_text(fast)
        render_brief(fast, result, name, TODAY)
        out = io.StringIO()
        drawn = Console(file=out, width=width, highlight=False, emoji=False)
        assert not draws_plain_text(drawn)  # rich draws it, with the spaces it leaves
        render_brief(drawn, result, name, TODAY)
        expected = "\n".join(line.rstrip(" ") for line in out.getvalue().split("\n"))
        assert sink.getvalue() == expected, path.name
