"""Files backcheck writes: private to the user (0600), whole or not at all, never through a link.

Every write goes to a new temporary file in the same folder (created with O_EXCL and
O_NOFOLLOW, mode 0600), is flushed to disk and then renamed into place, so a full disk or a
crash never leaves a truncated file and never changes an earlier one. The final path is never
followed: a symlink there is refused, or with --force replaced itself; a folder, device, FIFO
or socket is always refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from backcheck.errors import BackcheckError, InputError


class WriteError(BackcheckError):
    """A file could not be written (exit status 1); any earlier file is left as it was."""


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "the folder is on a read-only file system"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return str(exc.strerror or exc)


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse up front, before any work, a path that cannot or must not be written."""
    if not isinstance(path, Path):
        raise InputError(f"{path!r}: expected a file path")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({_describe(exc)})") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise WriteError(f"{path}: is a directory; give a file name")
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            raise WriteError(f"{path}: is not a regular file (a device, FIFO or socket); refused")
        if not force:
            raise InputError(f"{path}: already exists; use --force to replace it")
    parent = path.parent
    if not parent.is_dir():
        raise WriteError(f"{path}: the folder {parent} does not exist")
    if len(os.fsencode(path.name)) > 255:
        raise WriteError(f"{path}: cannot be written (the file name is too long)")


class PrivateFile(io.TextIOBase):
    """A text stream into the temporary file of ``open_private``, written in blocks as it
    comes; a failed write is a ``WriteError`` naming the final path."""

    BLOCK = 1 << 16

    def __init__(self, fd: int, path: Path) -> None:
        """Write UTF-8 text to descriptor ``fd`` (closed by ``finish`` or ``discard``)."""
        super().__init__()
        self._fd: int | None = fd
        self._path = path
        self._pending = bytearray()

    def writable(self) -> bool:
        """Always."""
        return True

    def isatty(self) -> bool:
        """Never a terminal."""
        return False

    def write(self, text: str) -> int:
        """Write ``text``; it reaches the file a block at a time."""
        self._pending += text.encode("utf-8")
        if len(self._pending) >= self.BLOCK:
            self.flush()
        return len(text)

    def binary_writer(self) -> Callable[[bytes], None]:
        """A writer of UTF-8 bytes, into the same blocks as ``write``."""

        def write(data: bytes) -> None:
            self._pending += data
            if len(self._pending) >= self.BLOCK:
                self.flush()

        return write

    def flush(self) -> None:
        """Write what is pending to the file."""
        if self._fd is None or not self._pending:
            return
        data = bytes(self._pending)
        self._pending.clear()
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError as exc:
            raise _failed(self._path, exc) from None

    def finish(self) -> None:
        """Write everything, flush it to the disk and close."""
        self.flush()
        try:
            if self._fd is not None:
                os.fsync(self._fd)
        except OSError as exc:
            raise _failed(self._path, exc) from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Close without writing what is pending (open_private removes the file)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def _failed(path: Path, exc: OSError) -> WriteError:
    return WriteError(
        f"{path}: cannot be written ({_describe(exc)}); any earlier file is unchanged"
    )


@contextlib.contextmanager
def open_private(path: Path, *, force: bool) -> Iterator[PrivateFile]:
    """A stream whose text becomes ``path`` (mode 0600) when the block ends without an
    error, written as it comes (nothing is held in memory); on an error or Ctrl-C any
    earlier file is left as it was and nothing is left behind."""
    check_writable(path, force=force)
    temporary, fd = _create_temporary(path)
    stream = PrivateFile(fd, path)
    try:
        try:
            yield stream
            stream.finish()
        finally:
            stream.discard()
        try:
            _put_in_place(temporary, path, force=force)
        except OSError as exc:
            raise _failed(path, exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _create_temporary(path: Path) -> tuple[Path, int]:
    """A new private file beside ``path`` (O_EXCL, O_NOFOLLOW, mode 0600) and its descriptor."""
    import secrets  # here: hashlib and random cost start-up on every run without --output

    temporary = path.parent / f".backcheck-{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({_describe(exc)})") from None
    if hasattr(os, "fchmod"):  # POSIX: no wider mode whatever the umask
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o600)
    return temporary, fd


def write_private(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` atomically, readable only by its owner."""
    if not isinstance(text, str):
        raise InputError("write_private: the text to write must be a string")
    check_writable(path, force=force)
    data = text.encode("utf-8")
    temporary, fd = _create_temporary(path)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        _put_in_place(temporary, path, force=force)
    except OSError as exc:
        raise WriteError(
            f"{path}: cannot be written ({_describe(exc)}); any earlier file is unchanged"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _put_in_place(temporary: Path, path: Path, *, force: bool) -> None:
    """Rename the finished file into place; without force, never over a file that appeared."""
    if force:
        info = _lstat(path)
        if info is not None and not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            raise WriteError(f"{path}: is not a regular file; refused")
        os.replace(temporary, path)  # replaces a symlink itself, never what it points to
        return
    try:
        os.link(temporary, path, follow_symlinks=False)  # fails if anything is there now
    except FileExistsError:
        raise InputError(f"{path}: already exists; use --force to replace it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if _lstat(path) is not None:  # a file system without hard links
            raise InputError(f"{path}: already exists; use --force to replace it") from None
        os.replace(temporary, path)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
