"""Writing files never hurts: whole or nothing, never through a link, one error line."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcheck import files
from backcheck.cli.app import app
from backcheck.errors import BackcheckError, InputError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples"


def _example() -> str:
    return str(sorted(EXAMPLE.glob("*.yaml"))[0])


def test_force_replaces_a_symlink_itself_not_its_target(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    files.write_private(link, "new\n", force=True)
    assert target.read_text() == "keep me\n"
    assert not link.is_symlink()
    assert link.read_text() == "new\n"
    assert stat.S_IMODE(link.stat().st_mode) == 0o600


def test_a_symlink_without_force_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "dangling")
    with pytest.raises(InputError, match="already exists"):
        files.write_private(link, "new\n", force=False)
    assert not (tmp_path / "dangling").exists()


def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(BackcheckError, match="not a regular file"):
        files.write_private(fifo, "x", force=True)


def test_a_device_is_refused() -> None:
    with pytest.raises(BackcheckError, match="not a regular file"):
        files.write_private(Path("/dev/null"), "x", force=True)


def test_a_full_disk_leaves_the_earlier_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.md"
    report.write_text("earlier report\n")

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(BackcheckError, match="no space left") as caught:
        files.write_private(report, "new\n", force=True)
    assert caught.value.exit_status == 1
    assert report.read_text() == "earlier report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_short_write_is_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:3])))
    files.write_private(tmp_path / "r.md", "a longer report\n", force=False)
    assert (tmp_path / "r.md").read_text() == "a longer report\n"


@pytest.mark.parametrize("case", ["missing", "too_long", "read_only"])
def test_cli_write_failures_are_one_error_line_and_exit_1(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if case == "missing":
        target = tmp_path / "nowhere" / "r.md"
    elif case == "too_long":
        target = tmp_path / ("x" * 300)
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        target = folder / "r.md"
        if os.geteuid() == 0:  # root writes anyway: simulate a read-only file system
            monkeypatch.setattr(os, "open", _raise(errno.EROFS, "Read-only file system"))
    result = CliRunner().invoke(app, ["run", "-f", "markdown", "-o", str(target), _example()])
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


def _raise(code: int, text: str) -> Callable[..., int]:
    def fail(*args: object, **kwargs: object) -> int:
        raise OSError(code, text)

    return fail


def test_permission_denied_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "open", _raise(errno.EACCES, "Permission denied"))
    with pytest.raises(BackcheckError, match="permission denied") as caught:
        files.write_private(tmp_path / "r.md", "x", force=False)
    assert caught.value.exit_status == 1
