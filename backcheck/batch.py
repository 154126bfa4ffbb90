"""Assess many answer files, in order, on every CPU core, in bounded memory.

JSON batches get a JSON line per file; Markdown, FHIR and the default format get each
file's report rendered in the workers, drawn for the main process's console.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import signal
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, TypeVar

from backcheck.errors import InputError
from backcheck.knowledge.model import Knowledge
from backcheck.pipeline import EncodedOutcome, JsonOutcome, json_bytes, json_line

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.knowledge.model import Verdict
    from backcheck.output.summary import ConsoleSettings
    from backcheck.pipeline import Format

# Below this many files the worker start-up costs more than it saves.
PARALLEL_FROM = 200
# Files a worker takes at a time: fewer, larger messages between the processes.
CHUNK = 64
# Chunks handed to the workers and not yet written, at most: results wait in memory only
# for these (and each has its slot in the spool: see _Spool).
IN_FLIGHT = 16

T = TypeVar("T")

Result = JsonOutcome
# One file's JSON line or error: the pipeline's, under the name batches have always used.
assess_to_json = json_line
# One file's rendered report and verdict, or the lines of its error.
TextOutcome = tuple[str, tuple[str, ...], "Verdict | None"]


# A chunk: its number in the batch (its first file's place over CHUNK) and its files.
Chunk = tuple[int, list[str]]


def usable_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's under taskset or a
    container's CPU set)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


def json_results(
    knowledge: Knowledge, paths: Sequence[str], top: int | None = None
) -> Generator[Result, None, None]:
    """JSON lines in the order of ``paths`` (for a sink that takes text only; see
    ``json_runs``; ``top``: see ``pipeline.assess_file``); parallel where fork is
    available and worth it."""
    yield from ordered_results(functools.partial(assess_to_json, knowledge, top=top), paths)


def text_results(
    knowledge: Knowledge,
    paths: Sequence[str],
    fmt: Format,
    today: dt.date,
    *,
    settings: ConsoleSettings | None = None,
    details: bool = False,
    top: int | None = None,
) -> Generator[TextOutcome, None, None]:
    """Each file's report as text (for the default format, drawn as a console with
    ``settings`` draws it), in the order of ``paths``; parallel where fork is available and
    worth it."""
    job = TextJob(knowledge, fmt, today, settings, details=details, many=len(paths) > 1, top=top)
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
        top: int | None = None,
    ) -> None:
        """``settings``: the console to draw for (the default format only); ``top``: see
        ``pipeline.assess_file``."""
        self.knowledge = knowledge
        self.fmt = fmt
        self.today = today
        self.settings = settings
        self.details = details
        self.many = many
        self.top = top
        self.console: Console | None = None  # made on first use, in the process that draws

    def __call__(self, path: str) -> TextOutcome:
        """The report of the file at ``path``, or its error."""
        from backcheck.pipeline import assess_file, render_rich, render_text

        try:
            answer_file, result = assess_file(self.knowledge, path, top=self.top)
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
    workers = _workers_for(paths)
    if workers is None:
        yield from (job(path) for path in paths)
        return
    chunks = _on_pool(workers, paths, lambda chunk: [job(path) for path in chunk[1]])
    with contextlib.closing(chunks):
        for chunk in chunks:
            yield from chunk


# One run of a JSON batch: the lines of consecutive files that were assessed (UTF-8, each
# with its line break), their verdicts, and the error of the file after them, if any.
Run = tuple[bytes, list["Verdict"], str | None]


def json_runs(
    knowledge: Knowledge, paths: Sequence[str], top: int | None = None
) -> Generator[Run, None, None]:
    """The JSON lines of ``paths`` as UTF-8, in order, in runs (see ``Run``); parallel
    where fork is available and worth it.

    A worker leaves each chunk's lines in a memory file shared with the main process and
    sends only their lengths and verdicts, so the main process copies the bytes out of
    that file (one read a chunk) and never receives or decodes them through the pool.
    """
    job = functools.partial(json_bytes, knowledge, top=top)
    workers = _workers_for(paths)
    if workers is None:
        for path in paths:
            data, error, verdict = job(path)
            if data is None or verdict is None:
                yield b"", [], error or "no result"
            else:
                yield data, [verdict], None
        return
    spool = _Spool.open()  # only now: a batch in one process never makes the memory file
    chunks = _on_pool(workers, paths, functools.partial(spool.fill, job))
    with contextlib.closing(chunks), spool:
        for number, inline, outcomes in chunks:
            data = spool.take(number, outcomes) if inline is None else inline
            start = at = 0
            verdicts: list[Verdict] = []
            for length, error, verdict in outcomes:
                if verdict is not None:
                    at += length
                    verdicts.append(verdict)
                    continue
                yield data[start:at], verdicts, error or "no result"
                start, verdicts = at, []
            if verdicts:
                yield data if start == 0 and at == len(data) else data[start:at], verdicts, None


# What a worker hands back for a chunk of a JSON batch: the chunk's number, its lines when
# they did not go through the spool, and each file's line length, error and verdict.
SpooledChunk = tuple[int, bytes | None, list[tuple[int, str | None, "Verdict | None"]]]


class _Spool:
    """A memory file with a slot for each chunk in flight, which the forked workers write
    and the main process reads: each chunk's slot is written once and read once, and
    reused only when its chunk has been read (see ``_on_pool``: chunk n + IN_FLIGHT is
    handed out once chunk n has been read)."""

    SLOT = 1 << 22  # far more than a chunk's lines; a chunk with more is sent whole

    def __init__(self, fd: int | None) -> None:
        """Slots in the memory file ``fd``; None: every chunk goes through the pool's pipe."""
        self.fd = fd

    @classmethod
    def open(cls) -> _Spool:
        """A spool in a new memory file, or without one where there are none."""
        create = getattr(os, "memfd_create", None)
        if create is None:  # not on every platform
            return cls(None)
        try:
            return cls(create("backcheck-batch", os.MFD_CLOEXEC))
        except OSError:  # no memory for it, or not allowed
            return cls(None)

    def fill(self, job: Callable[[str], EncodedOutcome], chunk: Chunk) -> SpooledChunk:
        """In a worker: ``job`` on the chunk's files, their lines into its slot, or handed
        back when they do not fit."""
        number, paths = chunk
        outcomes = []
        lines = []
        for path in paths:
            data, error, verdict = job(path)
            if data is not None:
                lines.append(data)
            outcomes.append((0 if data is None else len(data), error, verdict))
        size = sum(map(len, lines))
        if self.fd is not None and size <= self.SLOT:
            try:  # the lines as they are, without joining them into one more copy first
                if os.pwritev(self.fd, lines, self._offset(number)) == size:
                    return number, None, outcomes
            except OSError:  # no room in memory: the lines go through the pipe
                pass
        return number, b"".join(lines), outcomes

    def take(self, number: int, outcomes: list[tuple[int, str | None, Verdict | None]]) -> bytes:
        """In the main process: the lines of chunk ``number`` from its slot."""
        size = sum(length for length, _, _ in outcomes)
        if self.fd is None:  # fill never leaves lines in a slot then
            raise RuntimeError("a batch chunk came back without its lines")
        data = os.pread(self.fd, size, self._offset(number))
        if len(data) != size:  # the worker wrote it all before answering
            raise RuntimeError(f"a batch chunk came back short ({len(data)} of {size} bytes)")
        return data

    def _offset(self, number: int) -> int:
        return (number % IN_FLIGHT) * self.SLOT

    def close(self) -> None:
        """Free the memory file."""
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _workers_for(paths: Sequence[str]) -> int | None:
    """How many workers to fork for a batch of ``paths``; None when one process will do
    (a small batch, one CPU, no fork)."""
    workers = min(usable_cpus(), 8)
    if len(paths) < PARALLEL_FROM or workers < 2 or not hasattr(os, "fork"):
        return None
    return workers


def _on_pool(
    workers: int, paths: Sequence[str], work: Callable[[Chunk], T]
) -> Generator[T, None, None]:
    """``work`` on every chunk of ``paths``, in order, on ``workers`` forked workers."""
    from backcheck import forked

    def chunk(number: int) -> T:  # a worker has the paths from the fork
        return work((number, list(paths[number * CHUNK : (number + 1) * CHUNK])))

    # SIGTERM stops a batch as Ctrl-C does (KeyboardInterrupt, exit status 130).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        count = -(-len(paths) // CHUNK)
        # The first chunk in this process, while the first worker starts on the next two:
        # the workers forked after it begin with the caches it filled (the engine's, the
        # JSON's, the line reader's), as one process would, instead of each filling its own.
        yield from forked.in_order(chunk, count, workers, ahead=IN_FLIGHT - 1, first_here=True)
    except forked.WorkerError as exc:  # what was written stays; the rest is named
        lost = exc.number * CHUNK
        raise forked.WorkerError(
            f"{exc}: {paths[lost]} and the files after it ({len(paths) - lost:,} in all) were"
            " not assessed",
            exc.number,
        ) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
