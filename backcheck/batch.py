"""Assess many answer files for JSON output, in order, on every CPU core, in bounded memory."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Generator

from backcheck.errors import KnowledgeError
from backcheck.knowledge.model import Knowledge
from backcheck.pipeline import JsonOutcome, json_line

# Below this many files the worker start-up costs more than it saves.
PARALLEL_FROM = 200
# Files handed to the workers at a time: results wait in memory only within one window.
WINDOW = 512

_knowledge: Knowledge | None = None  # set in the parent before forking; inherited by workers

Result = JsonOutcome
# One file's JSON line or error: the pipeline's, under the name batches have always used.
assess_to_json = json_line


def _in_worker(path: str) -> Result:
    if _knowledge is None:  # only json_results starts workers, after setting it
        raise KnowledgeError("batch", ["a worker started without the knowledge"])
    return assess_to_json(_knowledge, path)


def _ignore_interrupts() -> None:
    # Stopping is the parent's job (Ctrl-C and SIGTERM reach the whole process group): a
    # worker killed in the middle of sending a result would leave the pool's queue half
    # written and the parent waiting for the rest for ever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def json_results(knowledge: Knowledge, paths: list[str]) -> Generator[Result, None, None]:
    """Results in the order of ``paths``; parallel where fork is available and worth it."""
    global _knowledge
    workers = min(os.cpu_count() or 1, 8)
    if (
        len(paths) < PARALLEL_FROM
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for path in paths:
            yield assess_to_json(knowledge, path)
        return
    _knowledge = knowledge
    context = multiprocessing.get_context("fork")
    # SIGTERM stops a batch as Ctrl-C does (KeyboardInterrupt, exit status 130).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    pool = context.Pool(workers, initializer=_ignore_interrupts)
    try:
        for start in range(0, len(paths), WINDOW):
            yield from pool.imap(_in_worker, paths[start : start + WINDOW], chunksize=16)
    finally:
        # Done or stopped: the workers finish the files already handed out (one window at
        # most) and leave; a second Ctrl-C meanwhile is ignored, as the batch is stopping.
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
