"""`backcheck history`: the private history of checks, and what `ask` does with it.

The sub-app is registered on the main app by backcheck.cli.app. The store, trends and
comparisons are in backcheck.history; this module parses options and prints.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from backcheck.errors import InputError, one_line

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.history.store import History, StoredCheck
    from backcheck.history.trends import Check
    from backcheck.interview import StepAnswers
    from backcheck.knowledge.model import Knowledge, Verdict
    from backcheck.knowledge.rules import Answers
    from backcheck.result import Result

F = TypeVar("F", bound=Callable[..., Any])

OPT_IN_QUESTION = "Keep a private history of your checks on this computer?"
VERDICT_SHORT = {
    "self_care": "self-care",
    "see_doctor": "see a doctor",
    "urgent": "doctor today",
    "emergency": "emergency",
}

history_app = typer.Typer(
    name="history",
    help=(
        "Your private history of checks on this computer: list, show, compare, add, export "
        "and forget. Nothing is kept unless you agree (backcheck ask asks once)."
    ),
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _guarded(command: F) -> F:
    """backcheck's errors as one `error:` line and their exit status (see cli.app)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from backcheck.cli.app import handle_errors

        return handle_errors(command)(*args, **kwargs)

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature of F


def _knowledge(ctx: typer.Context) -> Knowledge:
    from backcheck.cli.app import knowledge_of

    return knowledge_of(ctx)


def privacy_text(path: Path) -> str:
    """Where the history is and how to delete it."""
    return (
        f"Your history stays in one file on this computer, readable only by you: {path}. "
        "Nothing is sent anywhere. `backcheck history forget --all` deletes every check "
        "(or delete that file)."
    )


def parse_day(text: str | None) -> dt.date:
    """--date as a date (today without one); a date in the future is refused."""
    today = dt.date.today()
    if text is None:
        return today
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date: {text!r} is not a date; use YYYY-MM-DD") from None
    if day > today:
        raise InputError(f"--date: {text} is in the future; allowed: today or earlier")
    return day


def _pick(history: History, number: int) -> StoredCheck:
    stored = history.get(number)
    if stored is None:
        numbers = ", ".join(str(c.id) for c in history.checks()) or "none yet"
        raise InputError(f"check {number}: no such check; the checks kept: {numbers}")
    return stored


def _cause_name(knowledge: Knowledge, cause: str | None) -> str:
    if cause is None:
        return "-"
    condition = knowledge.conditions.get(cause)
    return condition.name if condition else cause


def _impact(knowledge: Knowledge, stored: StoredCheck) -> str:
    value = stored.answers.get("impact")
    question = knowledge.questions.get("impact")
    if not isinstance(value, str) or question is None:
        return "-"
    return question.label_of(value, short=True).split(":")[0].lower()


def _fit(text: str, width: int, *, ascii_only: bool = False) -> str:
    if len(text) <= width:
        return text
    return text[: width - 3] + "..." if ascii_only else text[: width - 1] + "…"


# --- the commands -----------------------------------------------------------------------


@history_app.callback(invoke_without_command=True)
def history_main(ctx: typer.Context) -> None:
    """Without a command: the list of checks, the course over time and any check that is due."""
    if ctx.invoked_subcommand is None:
        list_checks(ctx, plain=False)


@history_app.command(name="list")
@_guarded
def list_checks(
    ctx: typer.Context,
    plain: bool = typer.Option(False, "--plain", help="ASCII only: no bars or colour."),
) -> None:
    """Every check, newest first (date, verdict, likeliest cause, impact), then the course."""
    from backcheck.cli.plain import wants_plain
    from backcheck.history.store import database_path, open_history

    knowledge = _knowledge(ctx)
    path = database_path()
    if not path.exists():
        typer.echo(f"No checks kept yet. {privacy_text(path)}")
        return
    with open_history(path, create=False) as history:
        checks = history.checks()
    if not checks:
        typer.echo(f"No checks kept (the history is empty): {path}")
        return
    ascii_only = wants_plain(plain)
    typer.echo(f"Your checks, newest first ({len(checks)} kept):")
    typer.echo(f"{'No.':>4}  {'Date':<10}  {'Verdict':<12}  {'Likeliest cause':<32}  Impact")
    for c in reversed(checks):
        verdict = VERDICT_SHORT[c.verdict.value]
        cause = _fit(_cause_name(knowledge, c.cause), 32, ascii_only=ascii_only)
        impact = _impact(knowledge, c)
        typer.echo(f"{c.id:>4}  {c.day.isoformat():<10}  {verdict:<12}  {cause:<32}  {impact}")
    typer.echo("")
    for line in timeline(knowledge, checks, ascii_only=ascii_only):
        typer.echo(line)
    due = due_line(checks, dt.date.today())
    if due:
        typer.echo("")
        typer.echo(due)
    typer.echo("")
    typer.echo(f"Kept in {path}")


@history_app.command()
@_guarded
def plot(
    ctx: typer.Context,
    plain: bool = typer.Option(False, "--plain", help="ASCII only: no bars or colour."),
) -> None:
    """The course over time: the verdict level and the impact of each check, by date."""
    from backcheck.cli.plain import wants_plain
    from backcheck.history.store import open_history

    with open_history(create=False) as history:
        checks = history.checks()
    for line in timeline(_knowledge(ctx), checks, ascii_only=wants_plain(plain)):
        typer.echo(line)


@history_app.command()
@_guarded
def due() -> None:
    """When to check again, from the last check's advice."""
    from backcheck.history.store import open_history

    with open_history(create=False) as history:
        checks = history.checks()
    typer.echo(due_line(checks, dt.date.today()) or "No check-again date: see the last advice.")


@history_app.command()
@_guarded
def show(
    ctx: typer.Context,
    number: int = typer.Argument(..., metavar="N", help="The check's number (see the list)."),
    details: bool = typer.Option(False, "--details", help="Reasons, evidence and answers too."),
) -> None:
    """The summary of check N, from its answers and the checks kept before it."""
    from backcheck.cli.app import stdout_console
    from backcheck.history.record import reassess
    from backcheck.history.store import open_history
    from backcheck.pipeline import render_rich

    knowledge = _knowledge(ctx)
    with open_history(create=False) as history:
        stored = _pick(history, number)
        everything = history.checks()
    result = reassess(knowledge, stored, everything)
    console = stdout_console()
    console.print(f"Check {stored.id} of {stored.day.isoformat()}", markup=False)
    if stored.knowledge_version and stored.knowledge_version != knowledge.fingerprint:
        console.print(
            f"It was made with knowledge version {stored.knowledge_version}; this summary uses "
            f"the version in use now ({knowledge.fingerprint}). It said then: "
            f"{VERDICT_SHORT[stored.verdict.value]}.",
            markup=False,
        )
    render_rich(console, result, "", details=details, today=stored.day)


@history_app.command()
@_guarded
def compare(
    ctx: typer.Context,
    numbers: list[int] | None = typer.Argument(
        None, metavar="[N M]", help="Two checks (default: the last one and the one before)."
    ),
) -> None:
    """What changed between two checks: advice, warning signs, spread, impact, duration."""
    from backcheck.history.compare import compare as compare_checks
    from backcheck.history.record import as_trend_check
    from backcheck.history.store import open_history

    knowledge = _knowledge(ctx)
    with open_history(create=False) as history:
        if numbers:
            if len(numbers) != 2:
                raise InputError("compare: give two check numbers (N M), or none")
            picked = [_pick(history, n) for n in numbers]
        else:
            everything = history.checks()
            if len(everything) < 2:
                raise InputError(
                    f"compare: at least two checks are needed; kept so far: {len(everything)}"
                )
            picked = everything[-2:]
    before, after = sorted((as_trend_check(c) for c in picked), key=lambda c: (c.day, c.id))
    for line in compare_checks(knowledge, before, after):
        typer.echo(line)


@history_app.command()
@_guarded
def add(
    ctx: typer.Context,
    files: list[str] = typer.Argument(
        ..., metavar="FILE...", help="Answer files (YAML or JSON) to record."
    ),
    date: str | None = typer.Option(
        None, "--date", metavar="YYYY-MM-DD", help="The day of these checks (default: today)."
    ),
) -> None:
    """Record answer files as checks (for scripts, or to import a diary)."""
    from backcheck.answers import load_answer_file
    from backcheck.cli.app import print_error
    from backcheck.errors import ExitStatus
    from backcheck.history.record import assess_on, keep
    from backcheck.history.store import open_history

    knowledge = _knowledge(ctx)
    day = parse_day(date)
    failures = 0
    with open_history() as history:
        for path in files:
            try:
                answer_file = load_answer_file(path, knowledge)
            except InputError as exc:
                print_error(*exc.lines())
                failures += 1
                continue
            answers = answer_file.answers
            result, check = assess_on(knowledge, answers, day, history, answer_file.version)
            number = keep(history, knowledge, answers, day, result, check, answer_file.source)
            typer.echo(
                f"Check {number} of {day.isoformat()} kept: {VERDICT_SHORT[result.verdict.value]}"
                f" ({one_line(answer_file.source)})"
            )
    if failures:
        raise typer.Exit(ExitStatus.USAGE)


class ExportFormat(StrEnum):
    """Formats of `history export`."""

    jsonl = "jsonl"
    csv = "csv"
    html = "html"


CSV_COLUMNS = (
    "number", "date", "verdict", "likeliest_cause", "impact", "warning_signs",
    "check_again_days", "knowledge_version", "source", "answers",
)  # fmt: skip


@history_app.command()
@_guarded
def export(
    ctx: typer.Context,
    output: ExportFormat = typer.Option(
        ExportFormat.jsonl,
        "--format",
        "-f",
        help="jsonl (one check a line, with its result), csv, or html (a table and the chart).",
    ),
    report: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to FILE (readable only by you)."
    ),
    force: bool = typer.Option(False, "--force", help="Let --output replace an existing file."),
) -> None:
    """Every check with its answers and the result given then, oldest first."""
    from backcheck.files import check_writable, write_private
    from backcheck.history.store import open_history

    knowledge = _knowledge(ctx)
    if report is not None:
        check_writable(report, force=force)
    with open_history(create=False) as history:
        checks = history.checks()
    text = export_text(knowledge, checks, output)
    if report is not None:
        write_private(report, text, force=force)
    else:
        sys.stdout.write(text)


def export_text(knowledge: Knowledge, checks: list[StoredCheck], fmt: ExportFormat) -> str:
    """The checks as JSON Lines or CSV."""
    import json

    rows = []
    for c in checks:
        answers = {k: list(v) if isinstance(v, tuple) else v for k, v in c.answers.items()}
        rows.append(
            {
                "number": c.id,
                "date": c.day.isoformat(),
                "recorded": c.recorded,
                "verdict": c.verdict.value,
                "likeliest_cause": c.cause,
                "impact": c.answers.get("impact"),
                "warning_signs": list(c.signs),
                "check_again_days": c.check_days,
                "knowledge_version": c.knowledge_version,
                "source": c.source,
                "answers": answers,
                "result": c.result,
            }
        )
    if fmt == ExportFormat.jsonl:
        from backcheck.output.jsonout import shown

        return "".join(shown(json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)
    if fmt == ExportFormat.html:
        return export_html(knowledge, checks)
    import csv
    import io

    sink = io.StringIO()
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c, r in zip(checks, rows, strict=True):
        writer.writerow(
            [
                *(r[k] if r[k] is not None else "" for k in CSV_COLUMNS[:5]),
                ";".join(c.signs),
                "" if r["check_again_days"] is None else r["check_again_days"],
                r["knowledge_version"],
                one_line(str(r["source"])),  # a name is shown, never obeyed by a terminal
                json.dumps(r["answers"], ensure_ascii=False),
            ]
        )
    return sink.getvalue()


def export_html(knowledge: Knowledge, checks: list[StoredCheck]) -> str:
    """One self-contained page: the checks as a table and the course as a text chart."""
    from html import escape

    body = []
    for c in reversed(checks):
        signs = [knowledge.warning_signs[s].title for s in c.signs if s in knowledge.warning_signs]
        cells = (
            str(c.id),
            c.day.isoformat(),
            VERDICT_SHORT[c.verdict.value],
            _cause_name(knowledge, c.cause),
            _impact(knowledge, c),
            "; ".join(signs) or "-",
        )
        body.append("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in cells) + "</tr>")
    heads = ("No.", "Date", "Verdict", "Likeliest cause", "Impact", "Warning signs")
    chart = escape("\n".join(timeline(knowledge, checks, ascii_only=False)))
    head_row = "<tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>backcheck: your history of checks</title></head><body>\n"
        "<h1>Your history of checks</h1>\n<p>Newest first. Not a diagnosis.</p>\n"
        f"<table>{head_row}\n" + "\n".join(body) + "\n</table>\n"
        f"<h2>The course over time</h2>\n<pre>{chart}</pre>\n</body></html>\n"
    )


@history_app.command()
@_guarded
def forget(
    number: int | None = typer.Argument(None, metavar="[N]", help="The check to delete."),
    everything: bool = typer.Option(False, "--all", help="Delete every check."),
) -> None:
    """Delete check N, or every check with --all; the file is rebuilt so nothing is left."""
    from backcheck.history.store import database_path, open_history

    if (number is None) == (not everything):
        raise InputError("forget: give a check number N, or --all (not both)")
    path = database_path()
    if not path.exists():
        typer.echo("No history: nothing to forget.")
        return
    with open_history(path, create=False) as history:
        if number is not None:
            _pick(history, number)
        deleted = history.forget(None if everything else number)
    what = "every check" if everything else f"check {number}"
    typer.echo(f"Forgotten: {what} ({deleted} deleted); the file was rebuilt without them: {path}")


# --- shown by list and plot -------------------------------------------------------------


def timeline(knowledge: Knowledge, checks: list[StoredCheck], *, ascii_only: bool) -> list[str]:
    """The course over dates, oldest first: a bar for the verdict level (1 to 4) and one for
    the impact (1 to 3) of each check; at most 80 columns."""
    if not checks:
        return ["No checks kept yet."]
    full, empty = ("#", ".") if ascii_only else ("█", "░")
    question = knowledge.questions.get("impact")
    levels = question.option_ids if question else ()
    lines = [
        "The course over time (oldest first):",
        f"{'Date':<10}  {'Days':>5}  {'Verdict':<20}  Impact",
    ]
    first = checks[0].day
    for c in checks:
        rank = c.verdict.rank + 1
        bar = full * rank + empty * (4 - rank)
        verdict = f"{bar} {VERDICT_SHORT[c.verdict.value]}"
        impact = c.answers.get("impact")
        if isinstance(impact, str) and impact in levels:
            step = levels.index(impact) + 1
            shown = f"{full * step}{empty * (len(levels) - step)} {_impact(knowledge, c)}"
        else:
            shown = "-"
        lines.append(f"{c.day.isoformat():<10}  {(c.day - first).days:>5}  {verdict:<20}  {shown}")
    return lines


def due_line(checks: list[StoredCheck], today: dt.date) -> str:
    """When the last check said to check again, and whether that is now."""
    from backcheck.advice import format_date

    if not checks:
        return ""
    last = checks[-1]
    if last.check_days is None:
        return ""
    day = last.day + dt.timedelta(days=last.check_days)
    if day <= today:
        return (
            f"Due: check {last.id} said to check again by {format_date(day)}.\n"
            "Run `backcheck ask --again` to start from your last answers."
        )
    return f"Next check: by {format_date(day)} (from check {last.id}), or sooner if it changes."


# --- what `ask` uses --------------------------------------------------------------------


def opt_in_possible() -> bool:
    """The opt-in question is put only to a person at a real terminal (tests replace this)."""
    return sys.stdin.isatty()


def chosen(choice: bool | None) -> bool | None:
    """--history/--no-history, else the remembered choice; None when never asked."""
    from backcheck.history.store import keeps_history

    return choice if choice is not None else keeps_history()


def opt_in(console: Console, *, plain: bool) -> bool:
    """Ask once whether to keep a history (default no) and remember the answer; without a
    real terminal, or with no answer, nothing is kept and it is asked next time."""
    from backcheck.cli.terminal import prompt_session, stdout_is_terminal
    from backcheck.history.store import database_path, remember_choice

    if not opt_in_possible():
        return False
    console.print()
    console.print(privacy_text(database_path()), markup=False)
    try:
        with prompt_session(redirected=not plain and not stdout_is_terminal()):
            keep = _ask_yes_no(console, OPT_IN_QUESTION, plain=plain)
    except EOFError:
        return False
    remember_choice(keep)
    console.print(
        "Your choice is remembered; `backcheck ask --history` or `--no-history` changes it for "
        "one check.",
        markup=False,
    )
    return keep


def _ask_yes_no(console: Console, question: str, *, plain: bool) -> bool:
    if plain:
        while True:
            console.print(f"{question} Type y or n (Enter: no)", markup=False)
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            reply = line.strip().lower()
            if reply in ("", "n", "no"):
                return False
            if reply in ("y", "yes"):
                return True
    from backcheck.cli.prompts import _ask
    from backcheck.cli.terminal import load_questionary

    return bool(_ask(load_questionary().confirm(question, default=False)))


def last_check() -> StoredCheck:
    """The most recent check, for `ask --again`."""
    from backcheck.history.store import database_path, open_history

    path = database_path()
    checks: list[StoredCheck] = []
    if path.exists():
        with open_history(path, create=False) as history:
            checks = history.checks()
    if not checks:
        raise InputError(
            "--again: no check is kept yet to start from; run `backcheck ask` and keep it"
        )
    return checks[-1]


def preset(knowledge: Knowledge, answers: Answers) -> dict[str, StepAnswers]:
    """Earlier answers arranged by interview step, as the interview pre-sets a step."""
    steps: dict[str, StepAnswers] = {}
    for step in knowledge.interview:
        given = {q: answers[q] for q in step.questions if q in answers}
        if given:
            steps[step.id] = given
    return steps


def assess_and_keep(
    console: Console,
    knowledge: Knowledge,
    answers: Answers,
    *,
    keep: bool | None,
    again: StoredCheck | None,
    plain: bool = False,
) -> tuple[Result, Callable[[], None]]:
    """The result of an `ask`, with the earlier checks when the history is kept (``keep``)
    or for --again, and what to do once it is shown: with ``keep`` None, put the opt-in
    question (and keep this check, as shown, on a yes); say where it was kept; with --again,
    say what changed since the last check."""
    from backcheck.history.record import assess_on
    from backcheck.history.record import keep as keep_check
    from backcheck.history.store import HistoryError, database_path, open_history

    today = dt.date.today()
    number: int | None = None
    problem: HistoryError | None = None
    result, check = assess_on(knowledge, answers, today, None)
    if keep or again is not None:
        try:
            with open_history(create=bool(keep)) as history:
                result, check = assess_on(knowledge, answers, today, history)
                if keep:
                    number = keep_check(history, knowledge, answers, today, result, check, "<ask>")
        except HistoryError as exc:
            problem = exc  # the advice is shown first; then this error, and nothing is kept

    def after() -> None:
        if problem is not None:
            raise problem
        kept_as = number
        if keep is None and opt_in(console, plain=plain):
            with open_history() as history:
                kept_as = keep_check(history, knowledge, answers, today, result, check, "<ask>")
        if kept_as is not None:
            console.print(
                f"Kept as check {kept_as} in your history: {database_path()}", markup=False
            )
            console.print(
                "`backcheck history` lists your checks; "
                "`backcheck history forget --all` deletes them.",
                markup=False,
            )
        _after(console, knowledge, kept_as, check, again, result.verdict)

    return result, after


def _after(
    console: Console,
    knowledge: Knowledge,
    number: int | None,
    check: Check,
    again: StoredCheck | None,
    verdict: Verdict,
) -> None:
    if again is None:
        return
    from backcheck.history.compare import compare as compare_checks
    from backcheck.history.record import as_trend_check

    now = check._replace(id=number or 0, verdict=verdict)
    console.print()
    from backcheck.output.style import heading

    heading(console, "Since your last check")
    for line in compare_checks(knowledge, as_trend_check(again), now):
        console.print(line, markup=False)
