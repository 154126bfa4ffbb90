"""The history file itself: where it lives, permissions, migrations, concurrent writers, a
damaged file, and forgetting that leaves nothing behind. Real SQLite files, no mocks."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from backcheck.history.store import (
    DB_NAME,
    SCHEMA_VERSION,
    HistoryError,
    database_path,
    keeps_history,
    open_history,
    remember_choice,
)
from tests.conftest import ROOT
from tests.history.conftest import FIXTURES, answer_file, day, invoke

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backcheck_home_holds_the_file_folder_0700_file_0600(home: Path, tmp_path: Path) -> None:
    assert database_path() == home / DB_NAME
    result = invoke("history", "add", str(answer_file(tmp_path, "a")), "--date", day(0))
    assert result.exit_code == 0, result.output
    assert mode(home) == 0o700
    assert mode(home / DB_NAME) == 0o600
    with open_history() as history:
        history.checks()
        wal = home / f"{DB_NAME}-wal"
        assert wal.exists()  # WAL mode, and its journal is as private as the file
        assert mode(wal) == 0o600
        assert history.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_file_is_private_even_with_a_permissive_umask(home: Path) -> None:
    import os

    old = os.umask(0)
    try:
        with open_history() as history:
            history.checks()
    finally:
        os.umask(old)
    assert mode(home) == 0o700
    assert mode(home / DB_NAME) == 0o600


def test_a_schema_1_file_is_migrated_and_its_checks_kept(home: Path) -> None:
    home.mkdir(mode=0o700)
    target = home / DB_NAME
    shutil.copyfile(FIXTURES / "history-v1.sqlite3", target)
    with sqlite3.connect(target) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    with open_history() as history:
        checks = history.checks()
        version = history.db.execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION == 2
    assert [(c.id, c.day, c.verdict.value, c.cause) for c in checks] == [
        (1, dt.date(2026, 9, 1), "self_care", "muscle_strain"),
        (2, dt.date(2026, 9, 15), "see_doctor", "muscle_strain"),
    ]
    assert checks[1].answers["impact"] == "severe"
    assert checks[0].signs == ()
    assert checks[0].result is None
    listed = invoke("history", "list")
    assert listed.exit_code == 0, listed.output
    assert "2026-09-15" in listed.stdout
    assert "Muscle strain" in listed.stdout


def test_a_newer_schema_is_refused_and_left_alone(home: Path) -> None:
    home.mkdir(mode=0o700)
    target = home / DB_NAME
    with sqlite3.connect(target) as db:
        db.execute("PRAGMA user_version = 99")
    before = target.read_bytes()
    result = invoke("history", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "newer backcheck" in result.stderr
    assert result.stderr.count("\n") == 1
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "broken-header"],
)
def test_a_damaged_file_gives_one_error_line_and_is_never_overwritten(
    home: Path, tmp_path: Path, content: bytes
) -> None:
    home.mkdir(mode=0o700)
    target = home / DB_NAME
    target.write_bytes(content)
    for args in (
        ["history", "list"],
        ["history", "add", str(answer_file(tmp_path, "a"))],
        ["history", "forget", "--all"],
    ):
        result = invoke(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith(f"error: {target}: cannot be read as a backcheck history")
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.output
    assert target.read_bytes() == content
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME]


def test_another_sqlite_file_is_not_taken_over(home: Path, tmp_path: Path) -> None:
    home.mkdir(mode=0o700)
    target = home / DB_NAME
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    before = target.read_bytes()
    result = invoke("history", "add", str(answer_file(tmp_path, "a")))
    assert result.exit_code == 1
    assert "not a backcheck history" in result.stderr
    assert target.read_bytes() == before


def test_a_link_in_place_of_the_file_is_refused(home: Path, tmp_path: Path) -> None:
    home.mkdir(mode=0o700)
    elsewhere = tmp_path / "elsewhere.sqlite3"
    (home / DB_NAME).symlink_to(elsewhere)
    with pytest.raises(HistoryError, match="not a regular file"), open_history():
        pass
    assert not elsewhere.exists()


WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    from backcheck.history.store import open_history
    from backcheck.knowledge.model import Verdict
    marker = sys.argv[1]
    for i in range(int(sys.argv[2])):
        with open_history() as history:
            history.add(dt.date(2025, 3, 1), {"note": f"{marker}-{i}"}, verdict=Verdict.SELF_CARE,
                        cause=None, signs=(), check_days=14, knowledge_version="x",
                        source=marker, result=None)
    """
)


def test_two_processes_writing_at_once_both_succeed(home: Path) -> None:
    count = 25
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(count)],
            cwd=str(ROOT),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("first", "second")
    ]
    outcomes = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0, err.decode()
    with open_history() as history:
        checks = history.checks()
    assert len(checks) == 2 * count
    assert sorted(c.source for c in checks) == ["first"] * count + ["second"] * count
    assert len({c.id for c in checks}) == 2 * count


def test_forget_all_leaves_no_answer_text_in_the_file(home: Path, tmp_path: Path) -> None:
    for i in range(6):
        path = answer_file(tmp_path, f"f{i}", triggers=("cold_exposure",), location=("buttock",))
        assert invoke("history", "add", str(path), "--date", day(i)).exit_code == 0
    target = home / DB_NAME
    words = (b"cold_exposure", b"buttock", b"bending_or_twisting")

    def kept_bytes() -> bytes:
        data = target.read_bytes()
        wal = home / f"{DB_NAME}-wal"
        return data + (wal.read_bytes() if wal.exists() else b"")

    assert all(w in kept_bytes() for w in words)  # the test can see answers when they are there
    result = invoke("history", "forget", "--all")
    assert result.exit_code == 0, result.output
    assert "6 deleted" in result.stdout
    data = kept_bytes()
    assert not any(w in data for w in words)
    assert mode(target) == 0o600
    with open_history() as history:
        assert history.checks() == []


def test_forget_one_check_keeps_the_others(home: Path, tmp_path: Path) -> None:
    for i in range(3):
        assert invoke("history", "add", str(answer_file(tmp_path, f"f{i}")), "--date", day(i))
    result = invoke("history", "forget", "2")
    assert result.exit_code == 0, result.output
    with open_history() as history:
        assert [c.id for c in history.checks()] == [1, 3]
    missing = invoke("history", "forget", "2")
    assert missing.exit_code == 2
    assert missing.stderr == "error: check 2: no such check; the checks kept: 1, 3\n"


def test_the_choice_is_remembered_privately(home: Path) -> None:
    assert keeps_history() is None
    remember_choice(True)
    assert keeps_history() is True
    remember_choice(False)
    assert keeps_history() is False
    assert mode(home / "settings.json") == 0o600
    assert mode(home) == 0o700
