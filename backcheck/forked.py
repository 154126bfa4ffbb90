"""Numbered pieces of work done on forked worker processes, their results back in order.

A lean pool for batches: the workers are forked once and inherit everything the work
needs (the knowledge, the list of files, the caches the main process filled), so a task
is only its number and a result comes back pickled through a pipe. The main process runs
no threads, reads the results as they come and hands each worker its next number as soon
as it answers, keeping two in hand so that a worker never waits for the main process.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from backcheck.errors import BackcheckError

T = TypeVar("T")

# Numbers a worker holds at a time: the one at work and the next.
HELD = 2
_STOP = -1
_HEAD = 8  # a result's length, before its pickled bytes
_STOPPING = {signal.SIGINT, signal.SIGTERM}  # what a worker leaves to the main process


class WorkerError(BackcheckError):
    """A worker stopped before it had answered for all of its work (killed for want of
    memory, say); ``number``: the first number whose result is lost."""

    def __init__(self, message: str, number: int) -> None:
        super().__init__(message)
        self.number = number


def in_order(
    work: Callable[[int], T], count: int, workers: int, ahead: int, *, first_here: bool = False
) -> Generator[T, None, None]:
    """``work(n)`` for n from 0 to ``count`` - 1, in that order, done on ``workers`` forked
    processes. Number n + ``ahead`` is handed out only once n - 1 has been yielded and the
    generator resumed: that bounds what waits in memory, and ``work`` may count on it.

    ``first_here``: number 0 is done in this process, once the first worker has been
    forked and before the others are. The others then begin with what it left (the caches
    it filled), while the first, which fills its own, is already at work on 1 and 2: no
    CPU waits for the first results.

    A worker starts with whatever this process held frozen (``gc.freeze``): its garbage
    collector never walks it, and so never copies the memory pages it lies on.

    An exception raised by ``work`` is raised here, at its place in the order. A worker
    that dies loses what it held: the results before the first of those still come, then
    WorkerError. Closed early, or stopped by an exception (Ctrl-C included), the generator
    kills its workers and waits for them, so none is left behind.
    """
    import pickle
    import select

    kids: list[_Worker] = []
    done = False
    try:
        here = first_here and count > 0
        waiting: dict[int, tuple[bool, Any]] = {}
        following = 0  # the next number to yield
        to_hand = 1 if here else 0  # the next number to hand out
        lost: _Worker | None = None  # the dead worker that held the first number lost

        def hand(kid: _Worker) -> None:
            nonlocal to_hand
            while (
                lost is None
                and len(kid.held) < HELD
                and to_hand < count
                and to_hand <= following + ahead
            ):
                kid.give(to_hand)
                to_hand += 1

        if here:
            kids.append(_Worker.fork(work, kids))
            hand(kids[0])
            value = work(0)
            following = 1
            yield value
        while len(kids) < workers:
            kids.append(_Worker.fork(work, kids))
            hand(kids[-1])
        alive = {kid.results: kid for kid in kids}
        while following < count:
            if following in waiting:
                ok, value = waiting.pop(following)
                following += 1
                if not ok:
                    raise value
                yield value
                for kid in alive.values():
                    hand(kid)
                continue
            if lost is not None and following == lost.held[0]:
                raise WorkerError(
                    f"a batch worker stopped before its work was done ({lost.how()})", following
                )
            if not alive:  # every worker died holding nothing: what is left has no taker
                raise WorkerError("the batch workers stopped before the work was done", following)
            ready, _, _ = select.select(list(alive), [], [])
            for fd in ready:
                kid = alive[fd]
                answer = kid.answer()
                if answer is None:  # it died
                    del alive[fd]
                    if kid.held and (lost is None or kid.held[0] < lost.held[0]):
                        lost = kid
                    continue
                number, ok, value = pickle.loads(answer)
                waiting[number] = ok, value
                hand(kid)
        done = True
    finally:
        # Done: each worker is told to stop and leaves. Stopped, or a worker failed: the
        # rest of the work is of no use, so the workers are killed at once (they write
        # nothing of their own: every result goes through this process). A second Ctrl-C
        # meanwhile is ignored: the batch is stopping already.
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        terminate = signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            for kid in kids:
                if done:
                    kid.stop()
                else:
                    kid.kill()
            for kid in kids:
                kid.wait()
        finally:
            signal.signal(signal.SIGINT, interrupt)
            signal.signal(signal.SIGTERM, terminate)


class _Worker:
    """A forked worker, from the main process's side: its pipes and what it holds."""

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid = pid
        self.tasks = tasks  # numbers to do go in here
        self.results = results  # pickled results come out of here
        self.held: list[int] = []  # handed to it, not answered yet, in order
        self.status: int | None = None

    @classmethod
    def fork(cls, work: Callable[[int], Any], others: list[_Worker]) -> _Worker:
        """A new worker doing ``work``; ``others``: the workers forked before it (it closes
        its copies of their pipes, so that each pipe has one reader and one writer)."""
        import gc

        task_in, task_out = os.pipe()
        result_in, result_out = os.pipe()
        # Frozen for the worker only (this process is as it was once it has forked): no
        # collection first, which would find next to nothing to free and cost milliseconds.
        frozen_before = gc.get_freeze_count()
        gc.freeze()
        # Ctrl-C and SIGTERM wait until the worker ignores them (stopping is the main
        # process's job: they reach the whole process group, and a worker stopped in the
        # middle of a result would leave it half written); the main process then gets
        # what came meanwhile.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            pid = os.fork()
            if pid == 0:  # the worker: it never returns
                status = 1
                try:
                    for signum in _STOPPING:
                        signal.signal(signum, signal.SIG_IGN)
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                    for fd in (task_out, result_in, *(fd for o in others for fd in o.fds())):
                        os.close(fd)
                    _serve(work, task_in, result_out)
                    status = 0
                finally:
                    os._exit(status)  # no exit handlers, no flushing of the parent's buffers
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            if not frozen_before:  # what the caller froze itself stays so
                gc.unfreeze()
        os.close(task_in)
        os.close(result_out)
        return cls(pid, task_out, result_in)

    def fds(self) -> tuple[int, int]:
        return self.tasks, self.results

    def give(self, number: int) -> None:
        """Hand this worker ``number`` (a few bytes: the pipe never makes this wait)."""
        # A worker that has died takes nothing: its results pipe, at its end, says how.
        with contextlib.suppress(BrokenPipeError):
            os.write(self.tasks, number.to_bytes(_HEAD, "little", signed=True))
        self.held.append(number)

    def answer(self) -> bytearray | None:
        """The next pickled result of this worker (its pipe is ready to read); None when
        the worker has died (waited for: ``how`` says how it ended)."""
        head = _read(self.results, _HEAD)
        if len(head) == _HEAD:
            size = int.from_bytes(head, "little")
            body = _read(self.results, size)
            if len(body) == size:
                self.held.pop(0)
                return body
        self.wait()
        return None

    def how(self) -> str:
        """How the worker ended, in words."""
        if self.status is None:
            return "still running"
        if os.WIFSIGNALED(self.status):
            return f"killed by signal {os.WTERMSIG(self.status)}"
        return f"exit status {os.waitstatus_to_exitcode(self.status)}"

    def stop(self) -> None:
        """Tell the worker there is no more work."""
        with contextlib.suppress(OSError):
            os.write(self.tasks, _STOP.to_bytes(_HEAD, "little", signed=True))
        self._close()

    def kill(self) -> None:
        """End the worker now."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        self._close()

    def wait(self) -> None:
        """Wait for the worker to end (once)."""
        if self.status is None:
            try:
                self.status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:  # already waited for elsewhere
                self.status = 0

    def _close(self) -> None:
        for fd in self.fds():
            with contextlib.suppress(OSError):
                os.close(fd)


def _serve(work: Callable[[int], Any], tasks: int, results: int) -> None:
    """In a worker: ``work`` on each number read from ``tasks``, each result (or the
    exception it raised) pickled into ``results``, until told to stop."""
    import pickle

    while True:
        head = _read(tasks, _HEAD)
        number = int.from_bytes(head, "little", signed=True) if len(head) == _HEAD else _STOP
        if number == _STOP:
            return
        try:
            answer = (number, True, work(number))
        except Exception as exc:  # raised again in the main process, in its place
            answer = (number, False, exc)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # what does not pickle goes back in words
            what = exc if answer[1] else answer[2]
            data = pickle.dumps((number, False, RuntimeError(f"in a batch worker: {what!r}")))
        try:
            _write(results, len(data).to_bytes(_HEAD, "little"), data)
        except BrokenPipeError:  # the main process has stopped reading
            return


def _read(fd: int, size: int) -> bytearray:
    """``size`` bytes from ``fd``, fewer only at its end (read in place: a pipe gives a
    large result a few pages at a time)."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        part = os.readv(fd, [view[got:]])
        if not part:
            break
        got += part
    view.release()
    del buffer[got:]
    return buffer


def _write(fd: int, *parts: bytes) -> None:
    """All of ``parts`` into ``fd``, in order."""
    views = [memoryview(part) for part in parts]
    while views:
        written = os.writev(fd, views)
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if views:
            views[0] = views[0][written:]
