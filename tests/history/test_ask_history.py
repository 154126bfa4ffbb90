"""`backcheck ask` with the history: the opt-in asked once, --history/--no-history, and
--again starting from the last check's answers (prompt_toolkit's pipe input)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from backcheck.answers import load_answer_file
from backcheck.cli import history as kept
from backcheck.cli import terminal as term
from backcheck.cli.app import app
from backcheck.history.store import keeps_history, open_history, remember_choice
from backcheck.knowledge.model import Knowledge
from tests.cli.test_ask import BENIGN, BENIGN_ANSWERS, PLAIN
from tests.history.conftest import answer_file, day, invoke

ENTER = "\r"
pytestmark = pytest.mark.usefixtures("home")

# Every prompt of the benign interview, each kept as pre-set by pressing Enter.
KEEP_EVERY_ANSWER = ENTER * len(BENIGN)


@pytest.fixture
def pipe(monkeypatch: pytest.MonkeyPatch) -> Iterator[PipeInput]:
    """A terminal that reads its keys from this pipe."""
    monkeypatch.setattr(term, "is_terminal", lambda: True)
    monkeypatch.setattr(term, "stdout_is_terminal", lambda: True)
    with create_pipe_input() as keys, create_app_session(input=keys, output=DummyOutput()):
        yield keys


@pytest.fixture
def person_at_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The opt-in question may be put (a real terminal)."""
    monkeypatch.setattr(kept, "opt_in_possible", lambda: True)


@pytest.fixture
def never_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the opt-in question is put."""

    def fail() -> bool:
        raise AssertionError("the opt-in question was asked")

    monkeypatch.setattr(kept, "opt_in_possible", fail)


def ask(pipe: PipeInput, *keys: str, args: tuple[str, ...] = ()) -> Result:
    pipe.send_text("".join(keys))
    pipe.close()
    return CliRunner().invoke(app, ["ask", *args])


def kept_checks() -> list[dict[str, object]]:
    exported = invoke("history", "export")
    return [json.loads(line) for line in exported.stdout.splitlines()]


@pytest.mark.usefixtures("person_at_terminal")
def test_yes_to_the_opt_in_keeps_the_check_and_remembers(pipe: PipeInput, home: Path) -> None:
    result = ask(pipe, *BENIGN.values(), "y")
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    path = home / "history.sqlite3"
    assert f"readableonlybyyou:{path}" in "".join(out.split())  # rich may break the path
    assert "`backcheck history forget --all` deletes every check" in out
    assert "Kept as check 1 in your history" in out
    assert out.index("VERDICT: SELF-CARE") < out.index("readable only by you")  # after it
    assert keeps_history() is True
    checks = kept_checks()
    assert len(checks) == 1
    assert checks[0]["verdict"] == "self_care"
    assert checks[0]["source"] == "<ask>"


@pytest.mark.usefixtures("person_at_terminal")
def test_the_opt_in_defaults_to_no_and_keeps_nothing(pipe: PipeInput, home: Path) -> None:
    result = ask(pipe, *BENIGN.values(), ENTER)
    assert result.exit_code == 0, result.output
    assert "VERDICT: SELF-CARE" in result.stdout
    assert "Kept as check" not in result.stdout
    assert keeps_history() is False
    assert not (home / "history.sqlite3").exists()


@pytest.mark.usefixtures("never_asked")
def test_a_remembered_yes_keeps_every_check_without_asking(pipe: PipeInput) -> None:
    remember_choice(True)
    result = ask(pipe, *BENIGN.values())
    assert result.exit_code == 0, result.output
    assert "Kept as check 1" in result.stdout


@pytest.mark.usefixtures("never_asked")
def test_no_history_overrides_a_yes_once(pipe: PipeInput, home: Path) -> None:
    remember_choice(True)
    result = ask(pipe, *BENIGN.values(), args=("--no-history",))
    assert result.exit_code == 0, result.output
    assert not (home / "history.sqlite3").exists()
    assert keeps_history() is True


@pytest.mark.usefixtures("never_asked")
def test_history_overrides_a_no_once(pipe: PipeInput) -> None:
    remember_choice(False)
    result = ask(pipe, *BENIGN.values(), args=("--history",))
    assert result.exit_code == 0, result.output
    assert len(kept_checks()) == 1
    assert keeps_history() is False


def test_without_a_real_terminal_nothing_is_asked_or_kept(pipe: PipeInput, home: Path) -> None:
    result = ask(pipe, *BENIGN.values())
    assert result.exit_code == 0, result.output
    assert "Keep a private history" not in result.stdout
    assert not home.exists()


@pytest.mark.usefixtures("never_asked")
def test_again_starts_from_the_last_answers_and_ends_with_the_comparison(
    pipe: PipeInput, tmp_path: Path, knowledge: Knowledge
) -> None:
    added = invoke("history", "add", str(answer_file(tmp_path, "last")), "--date", "2025-03-01")
    assert added.exit_code == 0, added.output
    saved = tmp_path / "again.yaml"
    result = ask(pipe, KEEP_EVERY_ANSWER, args=("--again", "--history", "--save", str(saved)))
    assert result.exit_code == 0, result.output
    assert load_answer_file(str(saved), knowledge).answers == BENIGN_ANSWERS
    out = " ".join(result.stdout.split())
    assert out.index("VERDICT: SELF-CARE") < out.index("Since your last check")
    assert "againstcheck1onSaturday1March2025" in "".join(out.split())
    assert "The advice is the same: Self-care is likely to be enough." in out
    assert "No warning sign came or went." in out
    assert [c["number"] for c in kept_checks()] == [1, 2]


@pytest.mark.usefixtures("never_asked")
def test_again_with_a_changed_answer_says_what_changed(pipe: PipeInput, tmp_path: Path) -> None:
    invoke("history", "add", str(answer_file(tmp_path, "last")), "--date", "2025-03-01")
    keys = list(ENTER * len(BENIGN))
    keys[-1] = "\x1b[B" * 2 + ENTER  # impact: from "Mildly" two lines down to "Severely"
    result = ask(pipe, *keys, args=("--again", "--no-history"))
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "This check on" in out
    assert "Impact on daily life: was Mildly: no real interference; now Severely" in out
    assert "- worse." in out
    with open_history(create=False) as history:
        assert len(history.checks()) == 1  # --no-history: compared, not kept


def test_again_without_a_kept_check_is_an_error(pipe: PipeInput) -> None:
    result = ask(pipe, args=("--again",))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --again: no check is kept yet to start from; run `backcheck ask` and keep it\n"
    )


@pytest.mark.usefixtures("person_at_terminal")
def test_plain_opt_in_is_typed(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setattr(term, "is_terminal", lambda: True)
    typed = "\n".join([*PLAIN, "maybe", "yes"]) + "\n"
    result = CliRunner().invoke(app, ["ask", "--plain"], input=typed)
    assert result.exit_code == 0, result.output
    # stdout is not a terminal here: the questions go to stderr, the report to stdout
    assert result.stderr.count(f"{kept.OPT_IN_QUESTION} Type y or n (Enter: no)") == 2
    assert "Kept as check 1" in result.stderr
    assert "Keep a private" not in result.stdout
    assert keeps_history() is True


@pytest.mark.usefixtures("never_asked")
def test_a_damaged_history_still_shows_the_advice_then_one_error(
    pipe: PipeInput, home: Path, tmp_path: Path
) -> None:
    remember_choice(True)
    damaged = home / "history.sqlite3"
    damaged.write_bytes(b"not a database\n" * 100)
    saved = tmp_path / "me.yaml"
    result = ask(pipe, *BENIGN.values(), args=("--save", str(saved)))
    assert result.exit_code == 1
    assert "VERDICT: SELF-CARE" in result.stdout
    assert saved.exists()  # --save still kept the answers
    assert result.stderr.startswith(f"error: {damaged}: cannot be read as a backcheck history")
    assert result.stderr.count("\n") == 1
    assert damaged.read_bytes() == b"not a database\n" * 100


@pytest.mark.usefixtures("never_asked")
def test_again_in_plain_mode_keeps_every_answer_with_enter(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(term, "is_terminal", lambda: True)
    monkeypatch.setattr(term, "stdout_is_terminal", lambda: True)
    last = answer_file(tmp_path, "last", impact="moderate")
    assert invoke("history", "add", str(last), "--date", day(0)).exit_code == 0
    saved = tmp_path / "again.yaml"
    result = CliRunner().invoke(
        app,
        ["ask", "--plain", "--again", "--no-history", "--save", str(saved)],
        input="\n" * 30,  # Enter at every question: the last answers are kept
    )
    assert result.exit_code == 0, result.output
    assert "Enter keeps your last answer" in result.stdout
    assert "The advice is the same" in result.stdout
    again = yaml.safe_load(saved.read_text(encoding="utf-8"))["answers"]
    assert again == yaml.safe_load(last.read_text(encoding="utf-8"))["answers"]
