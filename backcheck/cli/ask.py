"""`backcheck ask`: the interview in the terminal, then the result on stdout.

The command is registered on the typer app by backcheck.cli.app (in its place in --help).
The terminal checks go through backcheck.cli.terminal at call time, so tests can replace them.
"""

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from backcheck.errors import InputError
from backcheck.pipeline import Format

if TYPE_CHECKING:
    from backcheck.result import Result


def ask(
    ctx: typer.Context,
    save: Path | None = typer.Option(
        None,
        "--save",
        metavar="FILE",
        help="Save the answers (readable only by you) for `backcheck run FILE`.",
    ),
    force: bool = typer.Option(False, "--force", help="Let --save replace an existing file."),
    details: bool = typer.Option(
        False, "--details", help="Show everything at the end: reasons, evidence, answers."
    ),
    output: Format = typer.Option(
        Format.RICH,
        "--format",
        "-f",
        help="The result as rich, json or markdown (the questions stay on the terminal).",
    ),
    report: Path | None = typer.Option(
        None,
        "--report",
        metavar="FILE",
        help="Also write a printable HTML report for a doctor to FILE (readable only by you).",
    ),
    plain: bool = typer.Option(
        False,
        "--plain",
        help="Numbered questions answered by typing, top to bottom, no colour (screen readers).",
    ),
    history: bool | None = typer.Option(
        None,
        "--history/--no-history",
        help="Keep this check in your private history, or not (overrides your choice once).",
    ),
    again: bool = typer.Option(
        False, "--again", help="Start from your last check's answers; end with what changed."
    ),
) -> None:
    """Answer the questions one by one in the terminal, then see the advice and likely causes."""
    from backcheck.cli import plain as plain_asker
    from backcheck.cli import prompts, terminal
    from backcheck.cli.app import knowledge_of, stdout_console
    from backcheck.files import check_writable
    from backcheck.interview import Interview, run_interview

    if not terminal.is_terminal():
        raise InputError(
            "`backcheck ask` needs a terminal to ask its questions; "
            "to assess answers written in a file, use `backcheck run FILE`"
        )
    if save is not None:
        check_writable(save, force=force)
    if report is not None:
        check_writable(report, force=force)
    knowledge = knowledge_of(ctx)
    # With stdout redirected (`ask > out.txt`), the questions go to the terminal and
    # only the result goes to stdout.
    redirected = not terminal.stdout_is_terminal()
    plain = plain_asker.wants_plain(plain)
    problem = plain_asker.check_encoding(knowledge, sys.stderr if redirected else sys.stdout)
    if problem is not None:
        raise InputError(problem)
    # Made on first use: the interview draws its simple lines itself until then.
    console: Any = terminal.LazyConsole(  # a Console wherever one is used
        functools.partial(terminal.screen_console, plain=plain)
        if redirected
        else functools.partial(stdout_console, plain=plain),
        sys.stderr if redirected else sys.stdout,
    )
    asker: Any = (
        plain_asker.PlainAsker(knowledge, sys.stderr if redirected else sys.stdout)
        if plain
        else prompts.TerminalAsker(console, knowledge)
    )
    from backcheck.cli import history as kept

    last = kept.last_check() if again else None
    preset = kept.preset(knowledge, last.answers) if last is not None else {}
    interview = Interview(knowledge, _undone=preset)  # each step starts from these answers
    try:
        with (
            terminal.stop_on_signals(),
            terminal.prompt_session(redirected=redirected and not plain),
        ):
            outcome = run_interview(interview, asker, asker.after_emergency)
    except (KeyboardInterrupt, EOFError):
        console.print()
        if save is not None:
            terminal.keep_answers(
                console, save, knowledge, interview.answers, complete=False, force=force
            )
        else:
            console.print("Stopped. Nothing was kept: your answers were not saved.", markup=False)
        raise KeyboardInterrupt from None
    result, after = kept.assess_and_keep(
        console, knowledge, outcome.answers, keep=kept.chosen(history), again=last, plain=plain
    )
    _write_ask_result(result, output, details=details, plain=plain)
    if report is not None:
        _write_report(console, report, result, force=force)
    if save is not None:
        terminal.keep_answers(
            console, save, knowledge, outcome.answers, complete=outcome.complete, force=force
        )
    after()  # the history: the opt-in question once, where it is kept, what changed


def _write_report(console: Any, path: Path, result: "Result", *, force: bool) -> None:
    """The HTML report for a doctor, written to ``path`` (readable only by the user)."""
    from backcheck.files import write_private
    from backcheck.output.html import render_html

    write_private(path, render_html(result, "<ask>"), force=force)
    console.print(f"Report for your doctor written to {path}", markup=False)


def _write_ask_result(result: "Result", output: Format, *, details: bool, plain: bool) -> None:
    """The interview's result on stdout, in the chosen format."""
    import datetime as dt

    from backcheck.cli.app import stdout_console
    from backcheck.pipeline import render_rich, write_text

    today = dt.date.today()
    if output != Format.RICH:
        write_text(sys.stdout, result, "<ask>", output, today)
        return
    from backcheck.output.style import heading

    console = stdout_console(plain=plain)  # plain: top to bottom, no frames, rules or colour
    console.print()
    heading(console, "Your summary")
    render_rich(console, result, "", details=details, today=today)
