"""Assess many answer files for JSON output, in order, on every CPU core, in bounded memory."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

from backcheck.errors import KnowledgeError
from backcheck.knowledge.model import Knowledge
from backcheck.pipeline import JsonOutcome, json_line

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

# Below this many files the worker start-up costs more than it saves.
PARALLEL_FROM = 200
# Files handed to the workers at a time: results wait in memory only within two windows
# (the one being written and the next, already at work).
WINDOW = 512
# Files a worker takes at a time: fewer, larger messages between the processes.
CHUNK = 32

_knowledge: Knowledge | None = None  # set in the parent before forking; inherited by workers

Result = JsonOutcome
# One file's JSON line or error: the pipeline's, under the name batches have always used.
assess_to_json = json_line


def _in_worker(paths: list[str]) -> list[Result]:
    """One chunk of files: one message each way, not one per file."""
    if _knowledge is None:  # only json_results starts workers, after setting it
        raise KnowledgeError("batch", ["a worker started without the knowledge"])
    return [assess_to_json(_knowledge, path) for path in paths]


def _start(pool: Pool, window: list[str]) -> Iterator[list[Result]]:
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


def json_results(knowledge: Knowledge, paths: list[str]) -> Generator[Result, None, None]:
    """Results in the order of ``paths``; parallel where fork is available and worth it."""
    global _knowledge
    workers = min(usable_cpus(), 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        yield from (assess_to_json(knowledge, path) for path in paths)
        return
    import multiprocessing  # here: a batch of one file never pays for it

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from (assess_to_json(knowledge, path) for path in paths)
        return
    _knowledge = knowledge
    # The knowledge lives as long as the process: the garbage collector need not walk it
    # again, and the workers then never touch (and so copy) the pages that hold it.
    gc.collect()
    gc.freeze()
    context = multiprocessing.get_context("fork")
    # SIGTERM stops a batch as Ctrl-C does (KeyboardInterrupt, exit status 130).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    pool = context.Pool(workers, initializer=_ignore_interrupts)
    try:
        windows = (paths[start : start + WINDOW] for start in range(0, len(paths), WINDOW))
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
