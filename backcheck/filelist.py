"""A long list of answer-file names, read from a file and held compactly.

``backcheck run --files-from LIST`` reads one name a line (``-``: standard input). The
names stay in one block of bytes with their offsets, about 16 bytes a name, instead of
one Python string each: a batch of 50,000 files then starts in the memory of a batch of
1,000 (names given as arguments are kept by Python itself several times over).
"""

from __future__ import annotations

import bisect
import os
import sys
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from backcheck.errors import InputError
from backcheck.textfile import read_bytes

MAX_LIST_BYTES = 256 * 1024 * 1024  # about ten million names


class FileList(Sequence[str]):
    """File names, one a line in ``data`` (without the line breaks)."""

    def __init__(self, data: bytes) -> None:
        """``data``: the names, each ended by a newline (a last one may lack it); blank
        lines are skipped and a carriage return before the newline is dropped."""
        self._data = data
        self._starts = array("I")  # offsets under 4 GiB: the list is at most MAX_LIST_BYTES
        self._ends = array("I")  # offsets under 4 GiB: the list is at most MAX_LIST_BYTES
        at = 0
        size = len(data)
        while at < size:
            end = data.find(b"\n", at)
            if end < 0:
                end = size
            stop = end - 1 if end > at and data[end - 1] == 0x0D else end
            if stop > at:
                self._starts.append(at)
                self._ends.append(stop)
            at = end + 1

    def __len__(self) -> int:
        """How many names."""
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        """A name (as the command line would give it), or a list of them."""
        data = self._data
        if isinstance(index, slice):
            encoding, errors = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
            return [  # the offsets sliced as the names are: one of each per name
                data[start:end].decode(encoding, errors)
                for start, end in zip(self._starts[index], self._ends[index], strict=True)
            ]
        return os.fsdecode(data[self._starts[index] : self._ends[index]])

    def __contains__(self, value: object) -> bool:
        """Whether ``value`` is one of the names, found in the bytes (none is decoded)."""
        if not isinstance(value, str):
            return False
        try:
            wanted = os.fsencode(value)
        except UnicodeEncodeError:  # no bytes would name it
            return False
        if not wanted or b"\n" in wanted:
            return False
        starts, ends = self._starts, self._ends
        at = self._data.find(wanted)
        while at >= 0:  # a name if a name starts there and ends where the match ends
            place = bisect.bisect_left(starts, at)
            if place < len(starts) and starts[place] == at and ends[place] == at + len(wanted):
                return True
            at = self._data.find(wanted, at + 1)
        return False

    def __iter__(self) -> Iterator[str]:
        """Every name, in order (decoded a few thousand at a time)."""
        for start in range(0, len(self), 4096):
            yield from self[start : start + 4096]


def read_file_list(path: str) -> FileList:
    """The names in the list file at ``path`` (``-``: standard input); InputError if it
    cannot be read or holds no name."""
    label = f"--files-from {'<stdin>' if path == '-' else path}"
    if path != "-":
        data = read_bytes(path, label=label, limit=MAX_LIST_BYTES)
    elif sys.stdin is None:
        raise InputError(f"{label}: standard input is closed")
    else:
        try:
            data = sys.stdin.buffer.read(MAX_LIST_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
        if len(data) > MAX_LIST_BYTES:
            raise InputError(f"{label}: larger than the {MAX_LIST_BYTES // 1024} KiB allowed")
    if b"\x00" in data:
        raise InputError(f"{label}: is binary; expected one file name a line")
    names = FileList(data)
    if not names:
        raise InputError(f"{label}: holds no file name; expected one a line")
    return names
