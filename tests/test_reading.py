"""Reading an answer file: the whole of it, however the system hands it over, and a clear
one-line error for whatever is not a readable file of allowed size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backcheck.errors import InputError
from backcheck.textfile import read_bytes, read_text

TEXT = "version: 1\nanswers:\n  age: 44\n  location: [lower_back]\n"


def _in_parts(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Every read hands over at most ``size`` bytes, as a pipe may."""
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real(fd, min(n, size)))


def test_a_file_that_comes_in_parts_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(TEXT, encoding="utf-8")
    _in_parts(monkeypatch, 5)
    assert read_text(str(path), label="a.yaml") == TEXT


def test_a_file_over_the_limit_is_refused_even_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 101)
    assert read_bytes(str(path), label="big.yaml", limit=101) == b"x" * 101  # at the limit
    _in_parts(monkeypatch, 7)
    with pytest.raises(InputError, match=r"^big\.yaml: larger than the 0 KiB allowed$"):
        read_bytes(str(path), label="big.yaml", limit=100)


def test_an_empty_file_is_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert read_text(path, label="empty.yaml") == ""


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (IsADirectoryError, "is a directory, not a file"),  # a folder opens but cannot be read
        (PermissionError, "is a directory, not a file"),  # where a folder cannot be opened
    ],
)
def test_a_folder_is_named_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[OSError], message: str
) -> None:
    def refuse(path: str, flags: int) -> int:
        raise error(path)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match=f"^answers: {message}$"):
        read_bytes(str(tmp_path), label="answers", limit=100)


def test_a_folder_is_refused_as_the_system_refuses_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^answers: is a directory, not a file$"):
        read_bytes(str(tmp_path), label="answers", limit=100)


def test_an_unreadable_file_is_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(TEXT, encoding="utf-8")

    def refuse(path: str, flags: int) -> int:
        raise PermissionError(path)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match=r"^secret: permission denied$"):
        read_bytes(str(path), label="secret", limit=100)


def test_a_read_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(TEXT, encoding="utf-8")

    def broken(fd: int, n: int) -> bytes:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "read", broken)
    before = _open_files()
    for _ in range(50):  # a batch of such files never runs out of file handles
        with pytest.raises(InputError, match=r"^a: cannot be read \(Input/output error\)$"):
            read_bytes(str(path), label="a", limit=100)
    assert _open_files() == before


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
