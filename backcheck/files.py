"""Files backcheck writes: private to the user (0600) and never replaced without --force."""

from __future__ import annotations

import os
from pathlib import Path

from backcheck.errors import InputError


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse up front, before any work, a path that exists (without force) or is a folder."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name")
    if path.exists() and not force:
        raise InputError(f"{path}: already exists; use --force to replace it")
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist")


def write_private(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to a new file readable only by its owner."""
    check_writable(path, force=force)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise InputError(f"{path}: already exists; use --force to replace it") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        if hasattr(os, "fchmod"):  # POSIX: a file replaced with --force keeps no wider mode
            os.fchmod(handle.fileno(), 0o600)
        handle.write(text)
