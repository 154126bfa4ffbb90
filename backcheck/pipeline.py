"""The per-file pipeline, once: read, parse, assess, render.

``run`` (every format), JSON batches, ``ask`` and ``eval`` all go through here, so a file
is read, checked and assessed the same way whichever command reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, TextIO

from backcheck.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.answers import AnswerFile
    from backcheck.knowledge.model import Knowledge, Verdict
    from backcheck.knowledge.rules import Answers
    from backcheck.result import Result

# A JSON line and its verdict, or the file's errors (one problem a line).
JsonOutcome = tuple[str | None, str | None, "Verdict | None"]
# The same with the line as UTF-8 bytes, its line break included.
EncodedOutcome = tuple[bytes | None, str | None, "Verdict | None"]


class Format(StrEnum):
    """Output formats of `run`."""

    RICH = "rich"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    FHIR = "fhir"


def assess_answers(
    knowledge: Knowledge,
    answers: Answers,
    version: int = 2,
    *,
    with_advice: bool = True,
    top: int | None = None,
) -> Result:
    """Assess answers already checked (from a version-``version`` file or the interview)."""
    from backcheck.engine import assess

    return assess(knowledge, answers, version, with_advice=with_advice, top=top)


def assess_file(
    knowledge: Knowledge, path: str, *, with_advice: bool = True, top: int | None = None
) -> tuple[AnswerFile, Result]:
    """Read and check one answer file and assess it; InputError names every problem.
    ``with_advice=False`` skips what only text formats show (see ``engine.assess``);
    ``top`` keeps only that many of the likeliest conditions (the verdict is unchanged)."""
    from backcheck.answers import load_answer_file

    answer_file = load_answer_file(path, knowledge)
    result = assess_answers(
        knowledge, answer_file.answers, answer_file.version, with_advice=with_advice, top=top
    )
    return answer_file, result


def json_line(knowledge: Knowledge, path: str, top: int | None = None) -> JsonOutcome:
    """One file as a JSON line with its verdict, or its error (``top``: see assess_file)."""
    from backcheck.output.jsonout import to_json_line

    try:
        answer_file, result = assess_file(knowledge, path, with_advice=False, top=top)
    except InputError as exc:  # its lines, each escaped: splitting them gives them back
        return None, "\n".join(exc.lines()), None
    return to_json_line(result, answer_file.source), None, result.verdict


def json_bytes(knowledge: Knowledge, path: str, top: int | None = None) -> EncodedOutcome:
    """``json_line`` as UTF-8 with its line break: what a batch worker hands back, so
    that the main process only copies it out (no decoding and encoding again)."""
    line, error, verdict = json_line(knowledge, path, top)
    data = None if line is None else (line + "\n").encode("utf-8", "backslashreplace")
    return data, error, verdict


def render_rich(
    console: Console, result: Result, source: str, *, details: bool = False, today: dt.date
) -> None:
    """The short summary of one result, or with ``details`` the full one."""
    if details:
        from backcheck.output.summary import render_summary

        render_summary(console, result, source)
    else:
        from backcheck.output.brief import render_brief

        render_brief(console, result, source, today)


def write_text(sink: TextIO, result: Result, source: str, fmt: Format, today: dt.date) -> None:
    """One result as a JSON line, a Markdown or HTML report, or a FHIR Bundle line."""
    sink.write(render_text(result, source, fmt, today))
    sink.flush()


def render_text(result: Result, source: str, fmt: Format, today: dt.date) -> str:
    """What ``write_text`` writes for one result."""
    if fmt == Format.JSON:
        from backcheck.output.jsonout import to_json_line

        return to_json_line(result, source) + "\n"
    if fmt == Format.HTML:
        from backcheck.output.html import render_html

        return render_html(result, source, today)
    if fmt == Format.FHIR:
        from backcheck.output.fhir import bundle_line

        return bundle_line(result, source) + "\n"
    from backcheck.output.markdown import render_markdown

    return render_markdown(result, source, today)


def run_files(
    knowledge: Knowledge,
    files: Sequence[str],
    fmt: Format,
    sink: TextIO,
    report_error: Callable[[str], None],
    *,
    details: bool = False,
    top: int | None = None,
) -> tuple[int, Verdict | None]:
    """Assess each file in turn, writing as it goes; returns the failures and the worst
    verdict. ``top``: list only that many of each file's likeliest conditions."""
    import contextlib

    from backcheck.answers import STDIN, read_stdin

    today = dt.date.today()
    failures = 0
    worst: Verdict | None = None
    if STDIN in files:  # read here, once, before any batch worker starts
        with contextlib.suppress(InputError):  # reported where `-` stands in the list
            read_stdin(again=True)  # this command's stdin, not an earlier one's
    if fmt == Format.JSON:
        # UTF-8 straight into the file or pipe when the sink takes it (see binary_writer)
        opener = getattr(sink, "binary_writer", None)
        write_bytes = opener() if opener is not None else None
        if write_bytes is not None:
            failures, worst = _json_runs(knowledge, files, write_bytes, report_error, top)
        else:
            failures, worst = _json_lines(knowledge, files, sink, report_error, top)
        sink.flush()
        return failures, worst

    console = None
    if fmt == Format.RICH:
        from backcheck.output.summary import console_for

        console = console_for(sink)
    from backcheck.batch import PARALLEL_FROM

    if len(files) >= PARALLEL_FROM and fmt != Format.HTML:
        return _run_batch(knowledge, files, fmt, sink, report_error, console, details, today, top)
    for index, path in enumerate(files):
        try:
            answer_file, result = assess_file(knowledge, path, top=top)
        except InputError as exc:
            for line in exc.lines():
                report_error(line)
            failures += 1
            continue
        worst = _worse(worst, result.verdict)
        source = answer_file.source
        if console is None:
            if index and fmt == Format.MARKDOWN:
                sink.write("\n---\n\n")
            write_text(sink, result, source, fmt, today)
        else:
            if index:
                from backcheck.output.style import heading

                heading(console)
            shown = source if len(files) > 1 or source != "<stdin>" else ""
            render_rich(console, result, shown, details=details, today=today)
        sink.flush()
    return failures, worst


def _worse(worst: Verdict | None, verdict: Verdict) -> Verdict:
    """The more urgent of the worst verdict so far (None: none yet) and ``verdict``."""
    return verdict if worst is None or verdict.rank > worst.rank else worst


def _json_runs(
    knowledge: Knowledge,
    files: Sequence[str],
    write_bytes: Callable[[bytes], None],
    report_error: Callable[[str], None],
    top: int | None,
) -> tuple[int, Verdict | None]:
    """``run_files`` for JSON into a sink that takes UTF-8: the lines in runs of files."""
    import contextlib

    from backcheck.batch import json_runs

    failures = 0
    worst: Verdict | None = None
    runs = json_runs(knowledge, files, top)
    # Closed on the way out, even on Ctrl-C, so that no worker is left behind.
    with contextlib.closing(runs):
        for data, verdicts, error in runs:
            if data:
                write_bytes(data)
            for verdict in verdicts:
                worst = _worse(worst, verdict)
            if error is not None:
                for message in error.splitlines():
                    report_error(message)
                failures += 1
    return failures, worst


def _json_lines(
    knowledge: Knowledge,
    files: Sequence[str],
    sink: TextIO,
    report_error: Callable[[str], None],
    top: int | None,
) -> tuple[int, Verdict | None]:
    """``run_files`` for JSON into any other text sink: line by line."""
    import contextlib

    from backcheck.batch import json_results

    failures = 0
    worst: Verdict | None = None
    results = json_results(knowledge, files, top)
    # Closed on the way out, even on Ctrl-C, so that no worker is left behind.
    with contextlib.closing(results):
        for line, error, verdict in results:
            if error is not None or line is None or verdict is None:
                for message in (error or "no result").splitlines():
                    report_error(message)
                failures += 1
                continue
            worst = _worse(worst, verdict)
            sink.write(f"{line}\n")
    return failures, worst


def _run_batch(
    knowledge: Knowledge,
    files: Sequence[str],
    fmt: Format,
    sink: TextIO,
    report_error: Callable[[str], None],
    console: Console | None,
    details: bool,
    today: dt.date,
    top: int | None,
) -> tuple[int, Verdict | None]:
    """``run_files`` for many files: each report drawn by a worker (for ``console``, as it
    would draw it), written here in the order of ``files``, with the same separators."""
    import contextlib

    from backcheck.batch import text_results

    failures = 0
    worst: Verdict | None = None
    out = sink if console is None else console.file  # console.file: spaces before newlines go
    separator = "\n---\n\n" if fmt == Format.MARKDOWN else ""
    settings = None
    if console is not None:  # drawn in the workers as ``console`` draws now
        from backcheck.output.style import heading
        from backcheck.output.summary import capture_console, settings_of

        settings = settings_of(console)
        drawn = capture_console(settings)
        heading(drawn)  # the rule between files, drawn once
        separator = drawn.file.getvalue()  # type: ignore[attr-defined]  # a StringIO
    results = text_results(
        knowledge, files, fmt, today, settings=settings, details=details, top=top
    )
    # Closed on the way out, even on Ctrl-C, so that no worker is left behind.
    with contextlib.closing(results):
        for index, (text, errors, verdict) in enumerate(results):
            if errors or verdict is None:
                for line in errors or ("no result",):
                    report_error(line)
                failures += 1
                continue
            worst = _worse(worst, verdict)
            if index:
                out.write(separator)
            out.write(text)
            sink.flush()
    return failures, worst
