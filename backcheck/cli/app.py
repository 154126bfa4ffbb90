"""The command line: parse arguments, call the core, render. Nothing clinical lives here."""

import functools
import re
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperGroup

from backcheck import __version__
from backcheck.cli.ask import ask
from backcheck.cli.history import history_app
from backcheck.cli.reports import questionnaire, schema, template
from backcheck.errors import BackcheckError, ExitStatus, InputError, one_line
from backcheck.pipeline import Format

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.knowledge.model import Knowledge


class OneLineErrors(TyperGroup):
    """Usage errors as one ``error:`` line (not click's usage block), exit status 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; in standalone mode (the default) exit at the end."""
        import click

        try:
            status = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except click.exceptions.NoArgsIsHelpError as exc:  # `backcheck` alone: the help
            sys.stderr.write(exc.format_message() + "\n")
            status = ExitStatus.USAGE
        except click.ClickException as exc:
            context = getattr(exc, "ctx", None)
            where = context.command_path if context is not None else "backcheck"
            message = exc.format_message().rstrip(".")
            message = message[:1].lower() + message[1:]
            # click and typer may both add the same hint: say it once
            message = re.sub(r"( Did you mean [^?]*\?)\1+", r"\1", message)
            print_error(f"{where}: {message} (see {where} --help)")
            status = exc.exit_code
        except click.Abort:
            sys.stderr.write("\n")
            status = ExitStatus.INTERRUPTED
        if not standalone_mode:
            return status
        sys.exit(status if isinstance(status, int) else ExitStatus.OK)


app = typer.Typer(
    name="backcheck",
    cls=OneLineErrors,
    help=(
        "Check tingling, numbness, spasms or sciatica-like pain in the back: what may cause it "
        "and how soon to see a doctor. Runs offline. Not a diagnosis."
    ),
    add_completion=False,
    rich_markup_mode=None,  # plain help: the rich help renderer adds about 40 ms to every --help
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # health answers must never appear in a traceback
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


VERDICT_EXIT = {
    "self_care": ExitStatus.OK,
    "see_doctor": ExitStatus.SEE_DOCTOR,
    "urgent": ExitStatus.URGENT,
    "emergency": ExitStatus.EMERGENCY,
}


def stdout_console(*, plain: bool = False) -> "Console":
    """The console for results; rich drops colour by itself when piped or with NO_COLOR;
    ``plain``: no colour, bold or frames at all."""
    from backcheck.output.console import console_for

    return console_for(plain=plain)


def print_error(*lines: str) -> None:
    """Errors go to stderr as plain lines starting with 'error:', one per problem."""
    for line in lines:
        sys.stderr.write(f"error: {one_line(line)}\n")
    sys.stderr.flush()


def handle_errors(command: F) -> F:
    """Turn backcheck errors into one line on stderr and their exit status; Ctrl-C into 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BackcheckError as exc:
            print_error(*exc.lines())
            raise typer.Exit(exc.exit_status) from None
        except KeyboardInterrupt:
            sys.stderr.write("\n")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature of F


def knowledge_of(ctx: typer.Context) -> "Knowledge":
    """The knowledge file chosen with --knowledge, or the shipped one; loaded once."""
    from backcheck.knowledge.loading import load_knowledge

    state: dict[str, Any] = ctx.ensure_object(dict)
    if "knowledge" not in state:
        state["knowledge"] = load_knowledge(state.get("knowledge_path"))
    knowledge: Knowledge = state["knowledge"]
    return knowledge


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backcheck {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    knowledge: Path | None = typer.Option(
        None,
        "--knowledge",
        metavar="FILE",
        help="Use this knowledge file instead of the shipped one (for every command).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Check back symptoms offline: likely causes and how soon to see a doctor."""
    ctx.ensure_object(dict)["knowledge_path"] = knowledge


# `ask`, the main job, is registered first so that --help lists it first.
app.command(name="ask", short_help="The interview: questions, then advice and causes.")(
    handle_errors(ask)
)


app.add_typer(history_app, name="history")


@app.command()
@handle_errors
def run(
    ctx: typer.Context,
    files: list[str] = typer.Argument(
        None, metavar="FILE...", help="Answer files (YAML or JSON); - reads stdin."
    ),
    files_from: str | None = typer.Option(
        None,
        "--files-from",
        metavar="LIST",
        help="Also read the answer files named in LIST, one a line (- reads stdin): for "
        "batches too long for the command line, in less memory.",
    ),
    output: Format = typer.Option(
        Format.RICH,
        "--format",
        "-f",
        help="rich, json (JSON Lines for several files), markdown, html (a printable report "
        "for one file) or fhir (an HL7 FHIR R4 Bundle per file, one a line).",
    ),
    exit_code: bool = typer.Option(
        False,
        "--exit-code",
        help="Exit 0 self-care, 3 see a doctor, 4 urgent, 5 emergency (2 if a file failed).",
    ),
    report: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write the results to FILE (readable only by you).",
    ),
    force: bool = typer.Option(False, "--force", help="Let --output replace an existing file."),
    details: bool = typer.Option(
        False, "--details", help="Show everything: reasons, evidence, answers (rich format)."
    ),
    top: int | None = typer.Option(
        None,
        "--top",
        metavar="N",
        min=1,
        help="List only the N likeliest causes of each file (every format; the verdict and "
        "its reasons are unchanged): shorter JSON lines, faster batches.",
    ),
) -> None:
    """Assess answer files and print the verdict and likely causes."""
    from typing import TextIO, cast

    from backcheck.files import open_private
    from backcheck.pipeline import run_files

    if files_from is not None:
        from backcheck.filelist import read_file_list

        listed = read_file_list(files_from)
        files = [*files, *listed] if files else listed  # type: ignore[assignment]  # a Sequence
    if not files:
        raise InputError("backcheck run: missing argument 'FILE...' (see backcheck run --help)")
    if output == Format.HTML and len(files) > 1:
        raise InputError(f"-f html: {len(files)} files given; the report is for one file")
    if report is None:
        failures, worst = run_files(
            knowledge_of(ctx), files, output, sys.stdout, print_error, details=details, top=top
        )
    else:  # streamed into a new private file, put in place when every file is done
        with open_private(report, force=force) as private:
            sink = cast(TextIO, private)  # a text stream: write, flush, isatty
            failures, worst = run_files(
                knowledge_of(ctx), files, output, sink, print_error, details=details, top=top
            )
    if failures:
        raise typer.Exit(ExitStatus.USAGE)
    if exit_code and worst is not None:
        raise typer.Exit(VERDICT_EXIT[worst.value])


@app.command()
@handle_errors
def lookup(
    ctx: typer.Context,
    name: list[str] = typer.Argument(
        ..., metavar="NAME", help="A condition's name, id or alias; typos are forgiven."
    ),
) -> None:
    """Quick reference on a condition: symptoms, triggers, warning signs, tests, what helps."""
    from backcheck.lookup import find_condition
    from backcheck.output.reference import render_condition
    from backcheck.output.style import literal

    knowledge = knowledge_of(ctx)
    query = " ".join(name)
    result = find_condition(knowledge, query)
    if result.symptom is not None:
        out = stdout_console()
        symptom = literal(result.symptom)
        out.print(f"'{symptom}' is a symptom, not one condition. It can belong to:")
        for item in result.suggestions:
            out.print(f"  - {literal(item.name)} (backcheck lookup {literal(item.id)})")
        return
    if result.condition is None:
        hint = ", ".join(f"{c.name} ({c.id})" for c in result.suggestions)
        print_error(
            f"no condition matches {query!r}"
            + (f"; did you mean: {hint}?" if hint else "; see `backcheck conditions`")
        )
        raise typer.Exit(ExitStatus.ERROR)
    render_condition(stdout_console(), knowledge, result.condition)


@app.command()
@handle_errors
def conditions(ctx: typer.Context) -> None:
    """List every condition backcheck knows, by category."""
    from backcheck.output.reference import render_condition_list

    render_condition_list(stdout_console(), knowledge_of(ctx))


@app.command()
@handle_errors
def validate(
    ctx: typer.Context,
    file: Path | None = typer.Argument(
        None, metavar="[FILE]", help="The knowledge file to check (default: the one in use)."
    ),
) -> None:
    """Check a knowledge file: YAML, fields, ids and every reference."""
    from backcheck.knowledge.loading import load_knowledge

    path = file or ctx.ensure_object(dict).get("knowledge_path")
    knowledge = load_knowledge(path)
    typer.echo(
        f"OK: {one_line(knowledge.source)}: {len(knowledge.conditions)} conditions, "
        f"{len(knowledge.warning_signs)} warning signs, {len(knowledge.questions)} questions, "
        f"{len(knowledge.triggers)} triggers"
    )


class EvalFormat(StrEnum):
    """Output formats of `eval`."""

    rich = "rich"
    json = "json"


@app.command(name="eval")
@handle_errors
def eval_command(
    ctx: typer.Context,
    dirs: list[Path] = typer.Argument(
        ..., metavar="DIR...", help="Folders (or files) of vignettes."
    ),
    output: EvalFormat = typer.Option(EvalFormat.rich, "--format", "-f", help="rich or json."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a target is missed."),
) -> None:
    """Measure triage and ranking accuracy on vignettes, with the misses and why."""
    import json

    from backcheck.evaluation import eval_json, evaluate_vignettes, vignette_paths
    from backcheck.output.evaltable import render_eval

    knowledge = knowledge_of(ctx)
    sets = {str(d): evaluate_vignettes(knowledge, vignette_paths([d])) for d in dirs}
    if output == EvalFormat.json:
        from backcheck.output.jsonout import shown

        # written as it is encoded: the text of every miss (twice, in its set and
        # overall) is never held whole, so memory stays flat with the cases
        encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
        for piece in encoder.iterencode(eval_json(sets)):
            sys.stdout.write(shown(piece))
        sys.stdout.write("\n")
    else:
        render_eval(stdout_console(), sets)
    if check and any(e.missed_targets() for e in sets.values()):
        raise typer.Exit(ExitStatus.ERROR)


app.command()(handle_errors(questionnaire))
app.command()(handle_errors(schema))
app.command()(handle_errors(template))


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command that ``args`` name, when they plainly name one (after
    ``--knowledge FILE`` at most): typer then builds the parameters of that command alone,
    as the others would only cost start-up. typer still parses every argument. Anything
    else (--help, --version, a mistyped name) gets the whole app, so help lists every
    command and a typo gets its "did you mean"."""
    import copy

    at = 0
    if args[:1] == ["--knowledge"]:
        at = 2
    elif args[:1] and args[0].startswith("--knowledge="):
        at = 1
    name = args[at] if at < len(args) else "-"
    commands = [c for c in app.registered_commands if _name_of(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def _name_of(command: Any) -> str:
    """A registered command's name, as typer gives it."""
    if command.name:
        return str(command.name)
    return str(command.callback.__name__).lower().replace("_", "-")


def main() -> None:
    """Console-script entry point: the standard streams guarded (see cli/streams), then the
    app; a closed reader keeps the exit status, output that cannot be written exits 1."""
    from backcheck.cli import streams

    guarded = streams.guard()
    status: int | str | None
    try:
        app_for(sys.argv[1:])()
        status = ExitStatus.OK
    except SystemExit as exc:
        status = exc.code
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        status = ExitStatus.INTERRUPTED
    except BackcheckError as exc:  # raised outside a command, e.g. while printing --help
        print_error(*exc.lines())
        status = exc.exit_status
    if not streams.finish(guarded):
        status = ExitStatus.ERROR
    leave(status)


def leave(status: int | str | None) -> None:
    """Exit with ``status`` once a command is done, without tearing the interpreter down.

    Left to itself, the interpreter would free every module, class and object one by one
    (a tenth of a short command's instructions), work the operating system does at once
    when the process ends. So when only this thread runs and the status is a number, the
    exit handlers run as ``sys.exit`` would run them, the standard streams are flushed and
    the process ends at once; anything else exits the usual way.
    """
    threading = sys.modules.get("threading")
    alone = threading is None or threading.active_count() == 1
    if not isinstance(status, int) or not alone or sys.flags.inspect:
        sys.exit(status)
    import atexit
    import contextlib
    import os

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # closed, or None: nothing is left to keep
            stream.flush()
    os._exit(status)
