"""A cache of the validated knowledge, keyed by its content, so start-up skips YAML parsing.

The cache holds only the knowledge (no answers). A changed knowledge file, another
backcheck (any module), PyYAML or Python gives another key. The folder and its files are
used only when the user owns them and nobody else can write them, files are opened without
following links or waiting on a FIFO, and old entries are pruned; any problem means "no
cache", never an error.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import zlib
from pathlib import Path

from backcheck import __version__
from backcheck.knowledge.model import Knowledge

ENV_DIR = "BACKCHECK_CACHE_DIR"
ENV_OFF = "BACKCHECK_NO_CACHE"
# How many entries are kept: one per knowledge file in use, with room for a few edits.
KEEP = 8
_PREFIX, _SUFFIX = "knowledge-", ".pickle"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FLAGS = getattr(os, "O_CLOEXEC", 0) | _NOFOLLOW


def cache_dir() -> Path | None:
    """Where cached knowledge lives, or None when caching is switched off."""
    if os.environ.get(ENV_OFF):
        return None
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "backcheck"


def _code_files() -> list[str]:
    """Every module of the package: an edit anywhere in backcheck is a new key."""
    found: list[str] = []
    folders = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.endswith(".py") and entry.is_file():
                    found.append(entry.path)
                elif entry.is_dir() and not entry.name.startswith((".", "__pycache__")):
                    folders.append(entry.path)
    return sorted(found)


def _yaml_version() -> str:
    """The installed PyYAML's version, read without importing it (start-up stays fast)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("yaml")
        origin = spec.origin if spec is not None else None
        if origin is None:
            return "no yaml"
        with open(origin, "rb") as handle:
            head = handle.read(4096)
    except (OSError, ImportError, ValueError):
        return "unknown yaml"
    for line in head.splitlines():
        if line.startswith(b"__version__"):
            return line.decode("ascii", "replace")
    return f"yaml of {len(head)} bytes"


def _code_stamp() -> str:
    """Size and time of every module, and the PyYAML version: any change is a new key."""
    stamps = [_yaml_version()]
    for path in _code_files():
        try:
            info = os.stat(path)
        except OSError:
            continue
        stamps.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(stamps)


def cache_key(source: str, text: str) -> str:
    """A name that changes with the file's content, its path, the code, backcheck, PyYAML
    and Python."""
    # Two checksums of different kinds plus the length: an edit that kept all three would
    # be astronomically unlikely (this guards against stale data, not against an attacker:
    # only the user can write the files that are read, see _private).
    parts = [
        part.encode("utf-8", "surrogatepass")
        for part in (__version__, sys.version, _code_stamp(), source, text)
    ]
    data = b"\0".join(parts)
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _private(info: os.stat_result, kind: int) -> bool:
    """Of this kind (a folder or a regular file), owned by the user, and not writable by
    group or others."""
    return (
        stat.S_IFMT(info.st_mode) == kind
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _open_folder(folder: Path) -> int | None:
    """The cache folder, opened without following a link, if it is private to the user."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _FLAGS)
    except OSError:
        return None
    try:
        if _private(os.fstat(fd), stat.S_IFDIR):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def load_cached(key: str) -> Knowledge | None:
    """The cached knowledge for ``key``, or None.

    Read only from a private folder (see ``_private``) and a private regular file, opened
    without following a link and without waiting (a FIFO planted there is skipped).
    """
    folder = cache_dir()
    if folder is None or not hasattr(os, "getuid"):
        return None
    folder_fd = _open_folder(folder)
    if folder_fd is None:
        return None
    try:
        fd = os.open(
            f"{_PREFIX}{key}{_SUFFIX}",
            os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _FLAGS,
            dir_fd=folder_fd,
        )
    except OSError:
        return None
    finally:
        os.close(folder_fd)
    try:
        with os.fdopen(fd, "rb") as handle:
            if not _private(os.fstat(fd), stat.S_IFREG):
                return None
            # Only the user can have written this file, so unpickling it is as safe as the code.
            # The C unpickler alone: importing `pickle` would cost more than the load itself.
            import _pickle

            knowledge = _pickle.load(handle)
    except Exception:  # a damaged cache is never an error: the file is parsed instead
        return None
    return knowledge if isinstance(knowledge, Knowledge) else None


def store(key: str, knowledge: Knowledge) -> None:
    """Save the knowledge for next time, and prune old entries; quietly does nothing when it
    cannot, or when the folder is not private to the user."""
    folder = cache_dir()
    if folder is None or not hasattr(os, "getuid"):
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    folder_fd = _open_folder(folder)
    if folder_fd is None:
        return
    try:
        _write(folder_fd, key, knowledge)
        _prune(folder_fd, keep=f"{_PREFIX}{key}{_SUFFIX}")
    except OSError:
        return
    finally:
        os.close(folder_fd)


def _write(folder_fd: int, key: str, knowledge: Knowledge) -> None:
    import pickle
    import secrets

    temporary = f".{key}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS
    fd = os.open(temporary, flags, 0o600, dir_fd=folder_fd)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(knowledge, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(
            temporary, f"{_PREFIX}{key}{_SUFFIX}", src_dir_fd=folder_fd, dst_dir_fd=folder_fd
        )
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        raise


def _prune(folder_fd: int, *, keep: str) -> None:
    """Remove all but the KEEP newest entries, and temporary files left over an hour ago;
    only the user's own regular files are touched."""
    import time

    entries: list[tuple[int, str]] = []
    for name in os.listdir(folder_fd):
        try:
            info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            continue
        if name.startswith(_PREFIX) and name.endswith(_SUFFIX) and name != keep:
            entries.append((info.st_mtime_ns, name))
        elif name.endswith(".tmp") and info.st_mtime < time.time() - 3600:
            entries.append((-1, name))  # always removed
    entries.sort(reverse=True)  # the newest first; leftover temporary files last
    kept = 1  # the entry just written
    for mtime, name in entries:
        if mtime >= 0 and kept < KEEP:
            kept += 1
            continue
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder_fd)
