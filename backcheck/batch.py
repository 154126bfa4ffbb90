"""Assess many answer files for JSON output, in order, on every CPU core, in bounded memory."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator

from backcheck.errors import InputError
from backcheck.knowledge.model import Knowledge, Verdict

# Below this many files the worker start-up costs more than it saves.
PARALLEL_FROM = 200
# Files handed to the workers at a time: results wait in memory only within one window.
WINDOW = 512

_knowledge: Knowledge | None = None  # set in the parent before forking; inherited by workers

Result = tuple[str | None, str | None, Verdict | None]  # (json line, error, verdict)


def assess_to_json(knowledge: Knowledge, path: str) -> Result:
    """One file: its JSON line and verdict, or its one-line error."""
    from backcheck.answers import load_answer_file
    from backcheck.engine import assess
    from backcheck.output.summary import render_json

    try:
        answer_file = load_answer_file(path, knowledge)
    except InputError as exc:
        return None, str(exc), None
    assessment = assess(knowledge, answer_file.answers)
    return render_json(knowledge, assessment, answer_file.source), None, assessment.verdict


def _in_worker(path: str) -> Result:
    assert _knowledge is not None
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
