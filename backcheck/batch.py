"""Assess many answer files, in order, on every CPU core, in bounded memory.

JSON batches get a JSON line per file; Markdown, FHIR and the default format get each
file's report rendered in the workers, drawn for the main process's console.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import os
import signal
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from backcheck.errors import InputError, KnowledgeError
from backcheck.knowledge.model import Knowledge
from backcheck.pipeline import EncodedOutcome, JsonOutcome, json_bytes, json_line

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from rich.console import Console

    from backcheck.knowledge.model import Verdict
    from backcheck.output.summary import ConsoleSettings
    from backcheck.pipeline import Format

# Below this many files the worker start-up costs more than it saves.
PARALLEL_FROM = 200
# Files handed to the workers at a time: results wait in memory only within two windows
# (the one being written and the next, already at work).
WINDOW = 512
# Files a worker takes at a time: fewer, larger messages between the processes.
CHUNK = 32

T = TypeVar("T")
# What each file becomes: set in the parent before forking; inherited by workers.
_job: Callable[[str], Any] | None = None

Result = JsonOutcome
# One file's JSON line or error: the pipeline's, under the name batches have always used.
assess_to_json = json_line
# One file's rendered report and verdict, or the lines of its error.
TextOutcome = tuple[str, tuple[str, ...], "Verdict | None"]


def _in_worker(paths: list[str]) -> list[Any]:
    """One chunk of files: one message each way, not one per file."""
    if _job is None:  # only ordered_results starts workers, after setting it
        raise KnowledgeError("batch", ["a worker started without the knowledge"])
    return [_job(path) for path in paths]


def _start(pool: Pool, window: list[str]) -> Iterator[list[Any]]:
    chunks = [window[start : start + CHUNK] for start in range(0, len(window), CHUNK)]
    return pool.imap(_in_worker, chunks)


def _ignore_interrupts() -> None:
    # Stopping is the parent's job (Ctrl-C and SIGTERM reach the whole process group): a
    # worker killed in the middle of sending a result would leave the pool's queue half
    # written and the parent waiting for the rest for ever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def usable_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's under taskset or a
    container's CPU set)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


def json_results(
    knowledge: Knowledge, paths: Sequence[str], *, encoded: bool = False
) -> Generator[Result | EncodedOutcome, None, None]:
    """JSON lines in the order of ``paths`` (``encoded``: as UTF-8 bytes with their line
    break); parallel where fork is available and worth it."""
    job: Callable[[str], Result | EncodedOutcome] = functools.partial(
        json_bytes if encoded else assess_to_json, knowledge
    )
    yield from ordered_results(job, paths)


def text_results(
    knowledge: Knowledge,
    paths: Sequence[str],
    fmt: Format,
    today: dt.date,
    *,
    settings: ConsoleSettings | None = None,
    details: bool = False,
) -> Generator[TextOutcome, None, None]:
    """Each file's report as text (for the default format, drawn as a console with
    ``settings`` draws it), in the order of ``paths``; parallel where fork is available and
    worth it."""
    job = TextJob(knowledge, fmt, today, settings, details=details, many=len(paths) > 1)
    yield from ordered_results(job, paths)


class TextJob:
    """One file to its report as text: what a worker does for Markdown, FHIR or rich."""

    def __init__(
        self,
        knowledge: Knowledge,
        fmt: Format,
        today: dt.date,
        settings: ConsoleSettings | None,
        *,
        details: bool,
        many: bool,
    ) -> None:
        """``settings``: the console to draw for (the default format only)."""
        self.knowledge = knowledge
        self.fmt = fmt
        self.today = today
        self.settings = settings
        self.details = details
        self.many = many
        self.console: Console | None = None  # made on first use, in the process that draws

    def __call__(self, path: str) -> TextOutcome:
        """The report of the file at ``path``, or its error."""
        from backcheck.pipeline import assess_file, render_rich, render_text

        try:
            answer_file, result = assess_file(self.knowledge, path)
        except InputError as exc:
            return "", tuple(exc.lines()), None
        source = answer_file.source
        if self.settings is None:
            return render_text(result, source, self.fmt, self.today), (), result.verdict
        if self.console is None:
            from backcheck.output.summary import capture_console

            self.console = capture_console(self.settings)
        shown = source if self.many or source != "<stdin>" else ""
        render_rich(self.console, result, shown, details=self.details, today=self.today)
        out = self.console.file
        text = out.getvalue()  # type: ignore[attr-defined]  # capture_console's StringIO
        out.seek(0)
        out.truncate()
        return text, (), result.verdict


def ordered_results(job: Callable[[str], T], paths: Sequence[str]) -> Generator[T, None, None]:
    """``job(path)`` for every path, in the order of ``paths``; on a pool of forked workers
    where fork is available and the batch is large enough to be worth it."""
    global _job
    workers = min(usable_cpus(), 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        yield from (job(path) for path in paths)
        return
    import multiprocessing  # here: a batch of one file never pays for it

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from (job(path) for path in paths)
        return
    _job = job
    # The knowledge lives as long as the process: the garbage collector need not walk it
    # again, and the workers then never touch (and so copy) the pages that hold it.
    gc.collect()
    gc.freeze()
    context = multiprocessing.get_context("fork")
    # SIGTERM stops a batch as Ctrl-C does (KeyboardInterrupt, exit status 130).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    pool = context.Pool(workers, initializer=_ignore_interrupts)
    try:
        windows = (list(paths[at : at + WINDOW]) for at in range(0, len(paths), WINDOW))
        working = _start(pool, next(windows))
        for window in windows:  # the next window starts before this one is written
            following = _start(pool, window)
            for chunk in working:
                yield from chunk
            working = following
        for chunk in working:
            yield from chunk
    finally:
        # Done or stopped: the workers finish the files already handed out (two windows
        # at most) and leave; a second Ctrl-C meanwhile is ignored, as the batch is stopping.
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            pool.close()
            pool.join()
        finally:
            signal.signal(signal.SIGINT, interrupt)
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
