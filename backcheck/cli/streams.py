"""Standard streams that a closed pipe, a closed descriptor or a full device cannot crash.

- A reader that goes away (``backcheck run ... | head -1``) is not an error: the rest of the
  output is dropped quietly and the exit status is what it would have been (with
  ``--exit-code``, still the verdict).
- Output that cannot be written (standard output closed with ``>&-``, ``/dev/full``, an I/O
  error) is one ``error:`` line and exit status 1: the result was lost, and a script must
  not read the status as a verdict.
- A closed standard input reads as closed (``sys.stdin`` stays ``None``; readers say so in
  one line), and a closed standard error drops the error lines but keeps the exit status.

Closed descriptors 0 to 2 are pointed at the null device first, so that no file backcheck
opens later can take their place.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable
from typing import TextIO

from backcheck.errors import OutputError

_DESCRIPTORS = ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY))


class GuardedOutput(io.TextIOBase):
    """Standard output: a closed reader is dropped quietly, any other failure is an
    ``OutputError`` raised once (later writes are dropped)."""

    def __init__(self, stream: TextIO | None, name: str = "standard output") -> None:
        """Write to ``stream`` (None when the descriptor was closed)."""
        super().__init__()
        self._stream = stream
        self._name = name
        self.broken = False  # the reader went away: nothing more is written
        self.failed = False  # writing failed and was reported

    @property
    def encoding(self) -> str:  # type: ignore[override]  # a read-only attribute on TextIOBase
        """The underlying stream's encoding."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        """The underlying stream's error handler."""
        return getattr(self._stream, "errors", None)

    def writable(self) -> bool:
        """Always: failures are reported when they happen."""
        return True

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        return self._stream is not None and not self.broken and self._stream.isatty()

    def fileno(self) -> int:
        """The descriptor of the underlying stream."""
        if self._stream is None:
            raise io.UnsupportedOperation("standard output is closed")
        return self._stream.fileno()

    def write(self, text: str) -> int:
        """Write ``text``, or drop it once the reader has gone or writing failed."""
        if not isinstance(text, str):  # click tells text from binary streams this way
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.broken or self.failed or not text:  # and probes them with write("")
            return len(text)
        if self._stream is None:
            self._fail(OSError(errno.EBADF, "it is closed"))
        try:
            return self._stream.write(text)  # type: ignore[union-attr]  # not None here
        except BrokenPipeError:
            self._drop()
            return len(text)
        except OSError as exc:
            self._fail(exc)
        return len(text)

    def binary_writer(self) -> Callable[[bytes], None] | None:
        """A writer of UTF-8 bytes straight into the stream's buffer (a batch's JSON lines
        then skip a decoding and an encoding), failing as ``write`` does; None when the
        stream has no buffer or writes another encoding."""
        import codecs

        buffer = getattr(self._stream, "buffer", None)
        if buffer is None or codecs.lookup(self.encoding).name != "utf-8":
            return None
        self.flush()  # what was written as text goes first

        def write(data: bytes) -> None:
            if self.broken or self.failed:
                return
            try:
                buffer.write(data)
            except BrokenPipeError:
                self._drop()
            except OSError as exc:
                self._fail(exc)

        return write

    def flush(self) -> None:
        """Flush; a closed reader is dropped, a failure raised once."""
        if self.broken or self.failed or self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._drop()
        except OSError as exc:
            self._fail(exc)

    def _drop(self) -> None:
        self.broken = True
        _to_null(1)  # what Python still holds for it is flushed into the null device

    def _fail(self, exc: OSError) -> None:
        self.failed = True
        _to_null(1)
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write to {self._name}: {reason}")


class QuietErrors(io.TextIOBase):
    """Standard error that never raises: with nowhere to report, the exit status remains."""

    def __init__(self, stream: TextIO | None) -> None:
        """Write to ``stream`` (None when the descriptor was closed)."""
        super().__init__()
        self._stream = stream

    def writable(self) -> bool:
        """Always."""
        return True

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        try:
            return self._stream is not None and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        """The descriptor of the underlying stream."""
        if self._stream is None:
            raise io.UnsupportedOperation("standard error is closed")
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The underlying stream's encoding."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        """Write ``text`` if it can be written."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._stream is not None:
            try:
                self._stream.write(text)
            except (OSError, ValueError):
                self._stream = None
                _to_null(2)
        return len(text)

    def flush(self) -> None:
        """Flush if it can be flushed."""
        if self._stream is not None:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._stream = None
                _to_null(2)


def _to_null(fd: int) -> None:
    """Point descriptor ``fd`` at the null device (quietly: this is a last resort)."""
    try:
        null = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
    except OSError:
        return
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def _closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def guard() -> GuardedOutput | None:
    """Make the standard streams safe for the command line; returns the guarded stdout
    (None when stdout is a terminal, which needs no guard)."""
    for fd, _flags in _DESCRIPTORS:
        if _closed(fd):
            _to_null(fd)
    sys.stderr = QuietErrors(sys.stderr)
    if sys.stdout is not None and _isatty(sys.stdout):
        return None
    guarded = GuardedOutput(sys.stdout)
    sys.stdout = guarded
    return guarded


def finish(guarded: GuardedOutput | None) -> bool:
    """Flush what is left; False (after one ``error:`` line) when it could not be written."""
    if guarded is None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _to_null(1)
        except OSError as exc:
            _report(OutputError(f"cannot write to standard output: {exc.strerror or exc}"))
            _to_null(1)
            return False
        return True
    try:
        guarded.flush()
    except OutputError as exc:
        _report(exc)
        return False
    return not guarded.failed


def _report(exc: OutputError) -> None:
    from backcheck.errors import one_line

    sys.stderr.write(f"error: {one_line(str(exc))}\n")
    sys.stderr.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False
