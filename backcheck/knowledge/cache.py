"""A cache of the validated knowledge, keyed by its content, so start-up skips YAML parsing.

The cache holds only the knowledge (no answers). A changed knowledge file, another
backcheck version or another Python gives another key. Files are private to the user and
are read only when the user owns them and nobody else can write them; any problem means
"no cache", never an error.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path

from backcheck import __version__
from backcheck.knowledge.model import Knowledge

ENV_DIR = "BACKCHECK_CACHE_DIR"
ENV_OFF = "BACKCHECK_NO_CACHE"
# The modules of this package that define or build the cached objects.
_BUILDERS = ("model.py", "rules.py", "fields.py", "entries.py", "validate.py", "safetynet.py")


def cache_dir() -> Path | None:
    """Where cached knowledge lives, or None when caching is switched off."""
    if os.environ.get(ENV_OFF):
        return None
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "backcheck"


def _code_stamp() -> str:
    """Size and time of the code that builds the cached objects: an edit there is a new key."""
    here = Path(__file__).resolve().parent
    stamps = []
    for name in _BUILDERS:
        try:
            info = (here / name).stat()
        except OSError:
            continue
        stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(stamps)


def cache_key(source: str, text: str) -> str:
    """A name that changes with the file's content, its path, the code, backcheck and Python."""
    # Two checksums of different kinds plus the length: an edit that kept all three would
    # be astronomically unlikely (this guards against stale data, not against an attacker).
    parts = [
        part.encode("utf-8", "surrogatepass")
        for part in (__version__, sys.version, _code_stamp(), source, text)
    ]
    data = b"\0".join(parts)
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def load_cached(key: str) -> Knowledge | None:
    """The cached knowledge for ``key``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"knowledge-{key}.pickle"
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
            # Only the user can have written this file, so unpickling it is as safe as the code.
            # The C unpickler alone: importing `pickle` would cost more than the load itself.
            import _pickle

            knowledge = _pickle.load(handle)
    except Exception:  # a damaged cache is never an error: the file is parsed instead
        return None
    return knowledge if isinstance(knowledge, Knowledge) else None


def store(key: str, knowledge: Knowledge) -> None:
    """Save the knowledge for next time; quietly does nothing when it cannot."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        final = folder / f"knowledge-{key}.pickle"
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        import pickle

        with os.fdopen(fd, "wb") as handle:
            pickle.dump(knowledge, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, final)
    except OSError:
        return
