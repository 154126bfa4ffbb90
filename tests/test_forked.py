"""The batch's worker processes: results in order, errors in their place, a bounded number
handed out ahead, and no worker left behind however the work ends."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcheck import forked
from tests.conftest import children_of

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _square_with_pid(number: int) -> tuple[int, int, int]:
    if number % 7 == 0:
        time.sleep(0.01)  # some work takes longer, so answers come back out of order
    return number, number * number, os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_back_in_order_from_every_worker(workers: int) -> None:
    results = list(forked.in_order(_square_with_pid, 200, workers, ahead=5))
    assert [(n, square) for n, square, _ in results] == [(n, n * n) for n in range(200)]
    pids = {pid for _, _, pid in results}
    assert os.getpid() not in pids
    assert len(pids) == workers
    assert children_of(os.getpid()) == []


def test_no_work_forks_workers_that_stop_at_once() -> None:
    assert list(forked.in_order(_square_with_pid, 0, 2, ahead=3)) == []
    assert children_of(os.getpid()) == []


@pytest.mark.parametrize("first_here", [False, True])
def test_no_more_than_ahead_numbers_are_handed_out_beyond_the_next(
    monkeypatch: pytest.MonkeyPatch, first_here: bool
) -> None:
    yielded = 0
    handed: list[tuple[int, int]] = []
    real_give = forked._Worker.give

    def give(self: forked._Worker, number: int) -> None:
        handed.append((number, yielded))
        real_give(self, number)

    monkeypatch.setattr(forked._Worker, "give", give)
    for number, _, _ in forked.in_order(_square_with_pid, 100, 2, ahead=4, first_here=first_here):
        assert number == yielded
        time.sleep(0.002)  # the workers get ahead of the reader
        yielded += 1
    assert sorted(n for n, _ in handed) == list(range(1 if first_here else 0, 100))
    assert all(number <= done + 4 for number, done in handed)
    assert max(number - done for number, done in handed) == 4  # the bound is reached


_WARM: dict[str, object] = {}


def _warming(number: int) -> tuple[int, int, bool]:
    """Number 0 leaves a mark (as a batch's first chunk fills the caches), and sees how
    many workers are running meanwhile."""
    if number == 0:
        _WARM["workers meanwhile"] = len(children_of(os.getpid()))
        _WARM["warm"] = True
    return number, os.getpid(), "warm" in _WARM


def test_with_first_here_number_0_is_done_here_while_the_first_worker_runs() -> None:
    _WARM.clear()
    try:
        results = list(forked.in_order(_warming, 60, 3, ahead=8, first_here=True))
        meanwhile = _WARM["workers meanwhile"]
    finally:
        _WARM.clear()
    assert [n for n, _, _ in results] == list(range(60))
    assert results[0][1] == os.getpid()
    assert meanwhile == 1  # the first worker is already at work
    seen: dict[int, set[bool]] = {}
    for _, pid, warm in results[1:]:
        seen.setdefault(pid, set()).add(warm)
    assert os.getpid() not in seen
    # the first worker was forked before number 0 was done, the others after it
    assert sorted(tuple(warm) for warm in seen.values()) == [(False,), (True,), (True,)]
    assert children_of(os.getpid()) == []


def _fails_at_0(number: int) -> int:
    if number == 0:
        raise ValueError("no work for 0")
    return number


def test_with_first_here_an_error_in_number_0_is_raised_and_no_worker_is_left() -> None:
    with pytest.raises(ValueError, match="no work for 0"):
        list(forked.in_order(_fails_at_0, 10, 2, ahead=3, first_here=True))
    assert children_of(os.getpid()) == []


def test_the_callers_objects_are_not_left_frozen() -> None:
    # frozen for the workers only: in this process the collector still frees them
    import gc

    gc.unfreeze()  # as a program that never froze anything (an earlier test may have)
    assert len(list(forked.in_order(_square_with_pid, 30, 2, ahead=3, first_here=True))) == 30
    assert gc.get_freeze_count() == 0


def _fails_at_13(number: int) -> int:
    if number == 13:
        raise ValueError(f"no work for {number}")
    return number


def _drain(results: Iterator[int], seen: list[int]) -> None:
    for number in results:
        seen.append(number)


def test_an_exception_in_the_work_is_raised_in_its_place() -> None:
    seen: list[int] = []
    with pytest.raises(ValueError, match="no work for 13"):
        _drain(forked.in_order(_fails_at_13, 100, 2, ahead=8), seen)
    assert seen == list(range(13))
    assert children_of(os.getpid()) == []


class _Unpicklable(Exception):
    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("cannot pickle this one")


def _fails_oddly(number: int) -> int:
    if number == 3:
        raise _Unpicklable("odd")
    return number


def test_an_exception_that_cannot_be_pickled_is_raised_in_words() -> None:
    with pytest.raises(RuntimeError, match=r"in a batch worker: _Unpicklable\('odd'\)"):
        list(forked.in_order(_fails_oddly, 10, 2, ahead=3))
    assert children_of(os.getpid()) == []


def _dies_at_9(number: int) -> int:
    if number == 9:
        os._exit(3)
    return number


def test_a_worker_that_dies_is_reported_and_the_others_are_stopped() -> None:
    seen: list[int] = []
    stopped = r"stopped before its work was done \(exit status 3\)"
    with pytest.raises(forked.WorkerError, match=stopped):
        _drain(forked.in_order(_dies_at_9, 100, 2, ahead=8), seen)
    assert seen == list(range(9))
    assert children_of(os.getpid()) == []


def _killed_at_4(number: int) -> int:
    if number == 4:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_worker_killed_by_a_signal_says_so() -> None:
    with pytest.raises(forked.WorkerError, match="killed by signal 9"):
        list(forked.in_order(_killed_at_4, 20, 2, ahead=3))
    assert children_of(os.getpid()) == []


def _slow(number: int) -> int:
    time.sleep(0.05)
    return number


def test_closing_early_leaves_no_worker_behind() -> None:
    results = forked.in_order(_slow, 1000, 2, ahead=10)
    assert next(results) == 0
    workers = children_of(os.getpid())
    assert len(workers) == 2
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < 1  # killed, not left to finish their work
    assert children_of(os.getpid()) == []
    assert not [w for w in workers if Path(f"/proc/{w}").exists()]


def _pid_and_signals(number: int) -> tuple[int, bool, bool]:
    return (
        os.getpid(),
        signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
        signal.getsignal(signal.SIGTERM) is signal.SIG_IGN,
    )


def test_workers_ignore_the_signals_that_stop_a_batch() -> None:
    # Ctrl-C reaches the whole process group: stopping is the main process's job.
    results = list(forked.in_order(_pid_and_signals, 4, 2, ahead=3))
    assert all(ignores_int and ignores_term for _, ignores_int, ignores_term in results)
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # the main process's own


def _large(number: int) -> bytes:
    return bytes([number]) * (3 << 20)  # far more than a pipe holds at once


def test_results_larger_than_a_pipe_come_back_whole() -> None:
    results = list(forked.in_order(_large, 6, 2, ahead=2))
    assert [len(r) for r in results] == [3 << 20] * 6
    assert [r[0] for r in results] == list(range(6))
    assert [r[-1] for r in results] == list(range(6))
