"""Assess many answer files for JSON output, in order, on every CPU core, in bounded memory."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator

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
    # Ctrl-C is handled once, in the parent, which then stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def json_results(knowledge: Knowledge, paths: list[str]) -> Iterator[Result]:
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
    with context.Pool(workers, initializer=_ignore_interrupts) as pool:
        for start in range(0, len(paths), WINDOW):
            yield from pool.imap(_in_worker, paths[start : start + WINDOW], chunksize=16)
