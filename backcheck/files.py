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
import os
import stat
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


def write_private(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` atomically, readable only by its owner."""
    if not isinstance(text, str):
        raise InputError("write_private: the text to write must be a string")
    check_writable(path, force=force)
    data = text.encode("utf-8")
    import secrets  # here: hashlib and random cost start-up on every run without --output

    temporary = path.parent / f".backcheck-{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({_describe(exc)})") from None
    try:
        try:
            if hasattr(os, "fchmod"):  # POSIX: no wider mode whatever the umask
                os.fchmod(fd, 0o600)
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
