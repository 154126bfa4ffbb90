"""The private history of checks: one SQLite file in the user's data folder.

The folder is made with mode 0700 and the database file with 0600 (``O_CREAT | O_EXCL``)
before SQLite opens it, so its journal files, which SQLite creates with the file's mode, are
private too. ``BACKCHECK_HOME`` replaces the folder. The schema is numbered with
``PRAGMA user_version`` and brought up to date step by step (``MIGRATIONS``); the file is in
WAL mode with a busy timeout, so two backcheck processes writing at once both succeed. A file
that is not a backcheck history, is damaged or is newer than this backcheck is an error
naming it, and it is never written to, replaced or deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from backcheck.errors import BackcheckError
from backcheck.knowledge.model import Verdict
from backcheck.knowledge.rules import Answer, Answers
from backcheck.tuples import NamedTuple

ENV_HOME = "BACKCHECK_HOME"
DB_NAME = "history.sqlite3"
SETTINGS_NAME = "settings.json"
BUSY_MS = 15_000

# Each entry brings the schema from its index to the next version (user_version).
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the first history: the date, the answers, the verdict and the likeliest cause.
    """
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        day TEXT NOT NULL,
        answers TEXT NOT NULL,
        verdict TEXT NOT NULL,
        cause TEXT
    );
    """,
    # 1 -> 2: what a comparison and an export need, kept with each check.
    """
    ALTER TABLE checks ADD COLUMN recorded TEXT NOT NULL DEFAULT '';
    ALTER TABLE checks ADD COLUMN signs TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE checks ADD COLUMN check_days INTEGER;
    ALTER TABLE checks ADD COLUMN knowledge_version TEXT NOT NULL DEFAULT '';
    ALTER TABLE checks ADD COLUMN source TEXT NOT NULL DEFAULT '';
    ALTER TABLE checks ADD COLUMN result TEXT;
    ALTER TABLE checks ADD COLUMN answers_version INTEGER NOT NULL DEFAULT 2;
    CREATE INDEX checks_by_day ON checks (day, id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(BackcheckError):
    """The history file or folder cannot be used (exit status 1); it is left as it was."""


def home() -> Path:
    """The folder of the history and its settings: BACKCHECK_HOME, else the user data folder."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("backcheck", appauthor=False))


def database_path() -> Path:
    """Where the history database is (it may not exist yet)."""
    return home() / DB_NAME


class StoredCheck(NamedTuple):
    """One check as kept in the history."""

    id: int
    day: dt.date
    answers: dict[str, Answer | None]
    verdict: Verdict
    cause: str | None
    recorded: str  # when it was recorded (UTC, ISO 8601), '' for checks from schema 1
    signs: tuple[str, ...]
    check_days: int | None
    knowledge_version: str
    source: str
    result: dict[str, Any] | None  # the JSON result the person was given
    answers_version: int = 2  # the contract version the answers were given in


def _answers_from(text: str) -> dict[str, Answer | None]:
    raw = json.loads(text)
    if not isinstance(raw, dict):
        raise ValueError("answers are not a mapping")
    return {str(k): tuple(v) if isinstance(v, list) else v for k, v in raw.items()}


def _row(row: sqlite3.Row) -> StoredCheck:
    result = row["result"]
    return StoredCheck(
        id=int(row["id"]),
        day=dt.date.fromisoformat(row["day"]),
        answers=_answers_from(row["answers"]),
        verdict=Verdict(row["verdict"]),
        cause=row["cause"],
        recorded=row["recorded"],
        signs=tuple(json.loads(row["signs"])),
        check_days=row["check_days"],
        knowledge_version=row["knowledge_version"],
        source=row["source"],
        result=json.loads(result) if result else None,
        answers_version=int(row["answers_version"]),
    )


class History:
    """An open history database; use ``open_history`` (a context manager)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.db = connection

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that takes the write lock at once (waiting up to BUSY_MS)."""
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise HistoryError(
                f"{self.path}: a check in the history cannot be read ({exc}); "
                "the file was left as it is"
            ) from None

    def add(
        self,
        day: dt.date,
        answers: Answers,
        *,
        verdict: Verdict,
        cause: str | None,
        signs: tuple[str, ...],
        check_days: int | None,
        knowledge_version: str,
        source: str,
        result: str | None,
        answers_version: int = 2,
    ) -> int:
        """Keep one check; returns its number."""
        stored = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
        recorded = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._writing() as db:
            cursor = db.execute(
                "INSERT INTO checks (day, answers, verdict, cause, recorded, signs, check_days,"
                " knowledge_version, source, result, answers_version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    day.isoformat(),
                    json.dumps(stored, ensure_ascii=False),
                    verdict.value,
                    cause,
                    recorded,
                    json.dumps(list(signs)),
                    check_days,
                    knowledge_version,
                    source,
                    result,
                    answers_version,
                ),
            )
            number = cursor.lastrowid
        if number is None:  # an INSERT always sets it; never guess a number
            raise HistoryError("the history did not number the new check; it was not kept")
        return number

    def checks(self) -> list[StoredCheck]:
        """Every check, oldest first (by date, then as recorded)."""
        with self._errors():
            rows = self.db.execute("SELECT * FROM checks ORDER BY day, id").fetchall()
            return [_row(r) for r in rows]

    def get(self, number: int) -> StoredCheck | None:
        """Check ``number``, or None."""
        with self._errors():
            row = self.db.execute("SELECT * FROM checks WHERE id = ?", (number,)).fetchone()
            return _row(row) if row is not None else None

    def forget(self, number: int | None) -> int:
        """Delete check ``number`` (None: every check), then rebuild the file so nothing of
        them is left in it or in its journal; returns how many were deleted."""
        with self._writing() as db:
            if number is None:
                deleted = db.execute("DELETE FROM checks").rowcount
                db.execute("DELETE FROM sqlite_sequence WHERE name = 'checks'")
            else:
                deleted = db.execute("DELETE FROM checks WHERE id = ?", (number,)).rowcount
        with self._errors():
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted


def damaged(path: Path, exc: Exception) -> HistoryError:
    """The one error for a file SQLite cannot read as a backcheck history."""
    return HistoryError(
        f"{path}: cannot be read as a backcheck history ({exc}); it was left as it is. "
        "Move it away (or delete it) to start a new history"
    )


def _make_folder(folder: Path) -> None:
    try:
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)  # whatever the umask
    except FileExistsError:
        pass
    except OSError as exc:
        raise HistoryError(
            f"{folder}: the history folder cannot be made ({exc.strerror})"
        ) from None


def _create_private(path: Path) -> None:
    """Make an empty file only the user may read, before SQLite opens it; keep one that exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    except FileExistsError:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            raise HistoryError(
                f"{path}: is not a regular file (a link, folder or device); refused"
            ) from None
        return
    except OSError as exc:
        raise HistoryError(f"{path}: the history file cannot be made ({exc.strerror})") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


@contextlib.contextmanager
def open_history(path: Path | None = None, *, create: bool = True) -> Iterator[History]:
    """Open (and with ``create``, make) the history at ``path`` (default: ``database_path()``),
    with its schema brought up to date."""
    path = path or database_path()
    if create:
        _make_folder(path.parent)
        _create_private(path)
    elif not path.is_file():
        raise HistoryError(f"{path}: no history yet (nothing has been kept)")
    try:
        connection = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise damaged(path, exc) from None
    connection.row_factory = sqlite3.Row
    history = History(path, connection)
    try:
        with history._errors():
            connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            _check_and_migrate(path, connection)
        yield history
    finally:
        connection.close()


def _check_and_migrate(path: Path, db: sqlite3.Connection) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"{path}: made by a newer backcheck (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); it was left as it is"
        )
    if version == 0:
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise HistoryError(
                f"{path}: is an SQLite file but not a backcheck history; it was left as it is"
            )
    if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA secure_delete = ON")  # deleted checks are overwritten with zeros
    if version == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have brought it up to date while this one waited for the lock.
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {step + 1}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def settings_path() -> Path:
    """The small settings file beside the history (the opt-in choice)."""
    return home() / SETTINGS_NAME


def keeps_history() -> bool | None:
    """The person's choice to keep a history: True, False, or None when never asked."""
    path = settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise HistoryError(f"{path}: cannot be read ({exc}); delete it to be asked again") from None
    choice = raw.get("keep_history") if isinstance(raw, dict) else None
    return choice if isinstance(choice, bool) else None


def remember_choice(keep: bool) -> None:
    """Write the choice to the settings file (0600, in the 0700 folder)."""
    from backcheck.files import write_private

    path = settings_path()
    _make_folder(path.parent)
    write_private(path, json.dumps({"keep_history": keep}) + "\n", force=True)
