"""`backcheck ask` driven through prompt_toolkit's pipe input: every prompt type, going back,
the emergency advice, Ctrl-C, --save and the refusal without a terminal."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console
from typer.testing import CliRunner

from backcheck import files
from backcheck.answers import load_answer_file
from backcheck.cli import plain
from backcheck.cli import terminal as term
from backcheck.cli.app import app
from backcheck.cli.prompts import TerminalAsker
from backcheck.cli.terminal import check_ticks, parse_age, screen_answers
from backcheck.engine import assess
from backcheck.interview import BACK, AfterEmergency, Back, Prompt, due_questions, shown_options
from backcheck.knowledge.model import Knowledge, Step
from tests.conftest import ROOT, full_answers

DOWN, UP, ENTER, SPACE, BACKSPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x7f", "\x03"


def select(position: int) -> str:
    """Choose the line at ``position`` (0 = first) of a select."""
    return DOWN * position + ENTER


def checkbox(*positions: int) -> str:
    """Tick the lines at ``positions`` of a checkbox, then confirm."""
    keys, at = "", 0
    for position in sorted(positions):
        keys += DOWN * (position - at) + SPACE
        at = position
    return keys + ENTER


# The shipped interview for someone answering as conftest.full_answers(): every prompt's keys.
BENIGN = {
    "age": "35" + ENTER,
    "sex": select(1),  # Male: the pregnancy questions are skipped
    "feel_where": checkbox(3, 8),  # Pain; Lower back (after the 6 feelings)
    "red_flags": checkbox(8),  # None of these (after the 8 yes/no lines of the spine)
    "body_flags": checkbox(6),  # None of these (after the 6 yes/no lines of the body)
    "background": checkbox(23),  # None of these (after 8 + 15 options)
    "injury": select(0),  # No injury
    "spread": select(0),  # No, it stays where it is
    "onset": select(1),  # Gradually
    "duration": select(1),  # 1 to 7 days
    "course": select(0),  # Getting better
    # Bending or twisting; Rest (after 9 "worse" options: "Around my period" is hidden for male)
    "worse_better": checkbox(2, 9),
    "triggers": checkbox(0),  # Heavy lifting
    "impact": select(0),  # Mildly
}
BENIGN_ANSWERS = full_answers()


def flat(text: str) -> str:
    """Output with its line wrapping and panel borders undone, to find a sentence rich wrapped."""
    return " ".join(text.translate(str.maketrans("│╭╮╰╯", "     ")).split())


@pytest.fixture
def pt_input() -> Iterator[PipeInput]:
    """Every questionary prompt built inside the test reads keys from this pipe."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let `ask` run as if stdin and stdout were a terminal."""
    monkeypatch.setattr(term, "is_terminal", lambda: True)
    monkeypatch.setattr(term, "stdout_is_terminal", lambda: True)


@pytest.fixture
def redirected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let `ask` run as if stdin were a terminal and stdout went to a file."""
    monkeypatch.setattr(term, "is_terminal", lambda: True)
    monkeypatch.setattr(term, "stdout_is_terminal", lambda: False)


def type_keys(pipe: PipeInput, *keys: str) -> None:
    pipe.send_text("".join(keys))
    pipe.close()  # a prompt left without keys now fails with EOFError instead of hanging


def ask(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["ask", *args])


# --- whole interviews through the command -------------------------------------------


@pytest.mark.usefixtures("terminal")
def test_a_whole_interview_is_saved_and_run_replays_it_identically(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path, knowledge: Knowledge
) -> None:
    saved = tmp_path / "me.yaml"
    type_keys(pt_input, *BENIGN.values())
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 0, result.output

    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert "complete" not in data
    assert load_answer_file(str(saved), knowledge).answers == BENIGN_ANSWERS

    replay = runner.invoke(app, ["run", str(saved)])
    assert replay.exit_code == 0
    shown = result.stdout[result.stdout.index("VERDICT:") :]
    assert "VERDICT: SELF-CARE" in shown
    assert replay.stdout[replay.stdout.index("VERDICT:") :] in shown  # same verdict and ranking

    as_json = runner.invoke(app, ["run", "--format", "json", str(saved)])
    expected = assess(knowledge, BENIGN_ANSWERS)
    got = yaml.safe_load(as_json.stdout)
    assert got["verdict"] == expected.verdict.value
    assert [c["id"] for c in got["conditions"]] == [c.id for c in expected.conditions]


@pytest.mark.usefixtures("terminal")
def test_each_prompt_shows_its_help_and_progress(
    runner: CliRunner, pt_input: PipeInput, knowledge: Knowledge
) -> None:
    type_keys(pt_input, *BENIGN.values())
    out = flat(ask(runner).stdout)
    for step in knowledge.interview:
        if step.id in ("below_knee", "weakness_progressing", "pregnancy", "pregnancy_signs"):
            continue  # not asked: it does not spread, no leg weakness, and sex is male
        help_text = step.help or knowledge.questions[step.questions[0]].help
        assert flat(help_text) in out, step.id
    assert "Question 1 of about" in out
    assert "Question 14 of about 14" in out


@pytest.mark.usefixtures("terminal")
def test_going_back_changes_an_earlier_answer(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path, knowledge: Knowledge
) -> None:
    saved = tmp_path / "me.yaml"
    steps = list(BENIGN.values())
    type_keys(
        pt_input,
        *steps[:3],
        UP + ENTER,  # red flags: "← Back" is the last line, and Enter on it goes back
        # what and where again, "Lower back" still ticked: untick it, tick "Buttock"
        DOWN * 8 + SPACE + DOWN + SPACE + ENTER,
        *steps[3:7],
        select(1),  # spread: down one leg
        select(1),  # below the knee: no
        *steps[8:],
    )
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 0, result.output
    answers = load_answer_file(str(saved), knowledge).answers
    assert answers == {
        **BENIGN_ANSWERS,
        "location": ("buttock",),
        "spread": "one_leg",
        "below_knee": "no",
    }


@pytest.mark.usefixtures("terminal")
def test_emergency_advice_comes_at_once_and_stopping_still_summarises(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path, knowledge: Knowledge
) -> None:
    saved = tmp_path / "me.yaml"
    type_keys(
        pt_input,
        BENIGN["age"],
        BENIGN["sex"],
        BENIGN["feel_where"],
        checkbox(0),  # red flags: new bladder or bowel trouble
        select(0),  # "Stop here and see the summary"
    )
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    advice = out.index("VERDICT: EMERGENCY")
    assert "Question 5" not in out  # nothing more was asked
    assert out.index(flat(knowledge.settings.emergency_hint)) > advice
    assert out.index("New trouble with bladder or bowel", advice) < out.index("Your summary")
    summary = out[out.index("Your summary") :]
    assert "VERDICT: EMERGENCY" in summary
    # The short summary names first what the warning sign points to, with no match label.
    assert "Cauda equina syndrome - the warning sign points to this" in summary
    assert "--details" in summary

    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["complete"] is False
    assert data["answers"]["bladder_bowel"] == "yes"
    replay = runner.invoke(app, ["run", "--format", "json", str(saved)])
    assert yaml.safe_load(replay.stdout)["verdict"] == "emergency"


@pytest.mark.usefixtures("terminal")
def test_after_the_emergency_advice_the_person_may_finish(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path, knowledge: Knowledge
) -> None:
    saved = tmp_path / "me.yaml"
    steps = list(BENIGN.values())
    type_keys(pt_input, *steps[:3], checkbox(1), select(1), *steps[4:])  # saddle numbness
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert out.index("VERDICT: EMERGENCY") < out.index("Question 5") < out.index("Your summary")
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert "complete" not in data
    assert load_answer_file(str(saved), knowledge).answers == {
        **BENIGN_ANSWERS,
        "saddle_numbness": "yes",
    }


# --- Ctrl-C, end of input, saving -------------------------------------------------------


@pytest.mark.usefixtures("terminal")
@pytest.mark.parametrize("answered", [0, 2, 6])  # at the age text prompt, a checkbox, a select
def test_ctrl_c_exits_130_and_saves_what_was_answered(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path, answered: int
) -> None:
    saved = tmp_path / "me.yaml"
    type_keys(pt_input, *list(BENIGN.values())[:answered], CTRL_C)
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 130
    assert "Traceback" not in result.output
    assert "Aborted" not in result.output
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["complete"] is False
    expected_keys = list(BENIGN_ANSWERS)
    if answered == 2:
        assert list(data["answers"]) == ["age", "sex"]
    elif answered == 6:
        assert set(data["answers"]) == set(expected_keys) - {
            "injury",
            "spread",
            "onset",
            "duration",
            "course",
            "worse_with",
            "better_with",
            "triggers",
            "impact",
        }
    else:
        assert data["answers"] == {}


@pytest.mark.usefixtures("terminal")
def test_ctrl_c_without_save_exits_130_and_says_nothing_was_kept(
    runner: CliRunner, pt_input: PipeInput
) -> None:
    type_keys(pt_input, BENIGN["age"], CTRL_C)
    result = ask(runner)
    assert result.exit_code == 130
    assert "Traceback" not in result.output
    assert "Nothing was kept" in result.output


@pytest.mark.usefixtures("redirected")
@pytest.mark.parametrize("output", ["json", "markdown", "rich"])
def test_with_stdout_redirected_only_the_result_goes_to_stdout(
    runner: CliRunner, pt_input: PipeInput, knowledge: Knowledge, output: str
) -> None:
    type_keys(pt_input, *BENIGN.values())
    result = ask(runner, "--format", output)
    assert result.exit_code == 0, result.output
    assert "Question 1 of about" in result.stderr  # the questions stay on the terminal
    assert "Question 1 of about" not in result.stdout
    expected = assess(knowledge, BENIGN_ANSWERS)
    if output == "json":
        got = json.loads(result.stdout)
        assert got["verdict"] == expected.verdict.value
        assert [c["id"] for c in got["conditions"]] == [c.id for c in expected.conditions]
    elif output == "markdown":
        assert result.stdout.lstrip().startswith("#")
        assert "SELF-CARE" in result.stdout.upper()
    else:
        assert "VERDICT: SELF-CARE" in result.stdout


@pytest.mark.usefixtures("terminal")
def test_input_that_ends_early_is_treated_like_ctrl_c(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path
) -> None:
    saved = tmp_path / "me.yaml"
    type_keys(pt_input, BENIGN["age"])
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 130
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["answers"] == {"age": 35}


@pytest.mark.usefixtures("terminal")
def test_save_refuses_an_existing_file_before_asking(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path
) -> None:
    saved = tmp_path / "me.yaml"
    saved.write_text("keep me\n", encoding="utf-8")
    type_keys(pt_input)
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert str(saved) in result.stderr
    assert "--force" in result.stderr
    assert "Question" not in result.stdout
    assert saved.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.usefixtures("terminal")
def test_save_refuses_a_missing_folder_before_asking(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path
) -> None:
    type_keys(pt_input)
    result = ask(runner, "--save", str(tmp_path / "nowhere" / "me.yaml"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


@pytest.mark.usefixtures("terminal")
def test_force_replaces_a_file_and_makes_it_private(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path, knowledge: Knowledge
) -> None:
    saved = tmp_path / "me.yaml"
    saved.write_text("old\n", encoding="utf-8")
    saved.chmod(0o644)
    type_keys(pt_input, *BENIGN.values())
    result = ask(runner, "--save", str(saved), "--force")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert load_answer_file(str(saved), knowledge).answers == BENIGN_ANSWERS
    assert [p.name for p in tmp_path.iterdir()] == ["me.yaml"]  # no temporary file left


@pytest.mark.usefixtures("terminal")
def test_answers_are_printed_when_the_file_cannot_be_saved(
    runner: CliRunner, pt_input: PipeInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "me.yaml"
    monkeypatch.setattr(files, "check_writable", lambda path, force: None)
    saved.write_text("appeared meanwhile\n", encoding="utf-8")
    type_keys(pt_input, *BENIGN.values())
    result = ask(runner, "--save", str(saved))
    assert result.exit_code == 1
    assert str(saved) in result.stderr
    assert "sensation: [pain]" in result.stdout  # nothing lost
    assert saved.read_text(encoding="utf-8") == "appeared meanwhile\n"


def test_without_a_terminal_ask_points_to_run(runner: CliRunner) -> None:
    result = ask(runner)  # CliRunner's stdin and stdout are not terminals
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "terminal" in result.stderr
    assert "backcheck run FILE" in result.stderr


@pytest.mark.parametrize(("stdin", "stdout", "ok"), [(1, 1, True), (0, 1, False), (1, 0, True)])
def test_is_terminal_needs_a_terminal_stdin_only(
    monkeypatch: pytest.MonkeyPatch, stdin: int, stdout: int, ok: bool
) -> None:
    class Stream(io.StringIO):
        def __init__(self, tty: int) -> None:
            super().__init__()
            self.tty = bool(tty)

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.setattr(sys, "stdin", Stream(stdin))
    monkeypatch.setattr(sys, "stdout", Stream(stdout))
    assert term.is_terminal() is ok


def _fresh_python(code: str) -> str:
    """What ``code`` prints in a new interpreter started in the project's folder."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_other_commands_do_not_import_questionary() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from backcheck.cli.app import app; "
        "CliRunner().invoke(app, ['run', 'examples/strain.json']); "
        "print(sorted(m for m in ('questionary', 'prompt_toolkit') if m in sys.modules))"
    )
    assert _fresh_python(code).strip() == "[]"


def test_the_first_question_needs_neither_the_engine_nor_the_summary() -> None:
    # what `ask` loads before drawing its first question; the rest comes while it is read
    code = (
        "import sys; from backcheck.cli import ask, plain, prompts, terminal; "
        "from backcheck.cli.app import stdout_console; from backcheck.interview import Interview; "
        "from backcheck.knowledge.loading import load_knowledge; "
        "Interview(load_knowledge()).prompt(); stdout_console(); "
        "print(sorted(m for m in ('backcheck.engine', 'backcheck.result', "
        "'backcheck.output.summary') if m in sys.modules))"
    )
    assert _fresh_python(code).strip() == "[]"


def test_questionary_is_loaded_without_tls_and_ssl_stays_importable() -> None:
    code = (
        "import sys; from backcheck.cli.terminal import load_questionary; "
        "q = load_questionary(); print(callable(q.text), 'ssl' in sys.modules); "
        "import ssl; print(ssl.create_default_context() is not None)"
    )
    assert _fresh_python(code).split() == ["True", "False", "True"]


# --- each prompt type, through the questionary asker ----------------------------------------


def prompt_for(
    knowledge: Knowledge, step_id: str, *, number: int = 2, previous: dict[str, Any] | None = None
) -> Prompt:
    # a question that is asked inside a screen is tried on its own as a one-question step
    step = next((s for s in knowledge.interview if s.id == step_id), Step(step_id, (step_id,)))
    questions = tuple(knowledge.questions[q] for q in step.questions)
    return Prompt(step, questions, number, 14, previous or {})


def asker(knowledge: Knowledge) -> tuple[TerminalAsker, io.StringIO]:
    out = io.StringIO()
    return TerminalAsker(Console(file=out, width=100), knowledge), out


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (checkbox(0, 3), ("tingling", "pain")),
        (checkbox(6), ()),  # None of these
        (ENTER + checkbox(1), ("numbness",)),  # Enter with nothing ticked is refused
        (checkbox(0, 6) + SPACE + ENTER, ("tingling",)),  # "None of these" goes alone
    ],
)
def test_multi_is_a_checkbox_with_none_of_these(
    pt_input: PipeInput, knowledge: Knowledge, keys: str, expected: tuple[str, ...]
) -> None:
    ask_step, out = asker(knowledge)
    type_keys(pt_input, keys)
    assert ask_step(prompt_for(knowledge, "sensation", number=1)) == {"sensation": expected}
    assert knowledge.questions["sensation"].help in out.getvalue()


def test_multi_shows_what_was_ticked(pt_input: PipeInput, knowledge: Knowledge) -> None:
    ask_step, out = asker(knowledge)
    type_keys(pt_input, checkbox(0, 3))
    ask_step(prompt_for(knowledge, "sensation", number=1))
    assert "Tingling: pins and needles, crawling; Pain: aching, sharp or shooting" in out.getvalue()


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (select(0), {"spread": "none"}),
        (select(2), {"spread": "both_legs"}),
        (select(7), {"spread": None}),  # Not sure
        (select(8), BACK),
    ],
)
def test_single_is_a_select_with_not_sure_and_back(
    pt_input: PipeInput, knowledge: Knowledge, keys: str, expected: Any
) -> None:
    ask_step, _ = asker(knowledge)
    type_keys(pt_input, keys)
    assert ask_step(prompt_for(knowledge, "spread")) == expected


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (select(0), {"below_knee": "yes"}),
        (select(1), {"below_knee": "no"}),
        (select(2), {"below_knee": None}),  # Not sure: unknown, never "no"
        (select(3), BACK),
    ],
)
def test_yes_no_is_a_select_of_yes_no_not_sure(
    pt_input: PipeInput, knowledge: Knowledge, keys: str, expected: Any
) -> None:
    ask_step, _ = asker(knowledge)
    type_keys(pt_input, keys)
    assert ask_step(prompt_for(knowledge, "below_knee")) == expected


def test_a_previous_answer_is_preselected(pt_input: PipeInput, knowledge: Knowledge) -> None:
    ask_step, _ = asker(knowledge)
    type_keys(pt_input, ENTER, ENTER, ENTER)
    prompt = prompt_for(knowledge, "spread", previous={"spread": "one_leg"})
    assert ask_step(prompt) == {"spread": "one_leg"}
    prompt = prompt_for(knowledge, "location", previous={"location": ("buttock",)})
    assert ask_step(prompt) == {"location": ("buttock",)}
    assert ask_step(prompt_for(knowledge, "age", previous={"age": 61})) == {"age": 61}


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("42" + ENTER, {"age": 42}),
        ("forty" + ENTER + BACKSPACE * 5 + "40" + ENTER, {"age": 40}),  # asked again
        ("121" + ENTER + BACKSPACE * 3 + "0" + ENTER, {"age": 0}),
        (ENTER + "-3" + ENTER + BACKSPACE * 2 + "7" + ENTER, {"age": 7}),
        ("b" + ENTER, BACK),
        (" Back " + ENTER, BACK),
    ],
)
def test_age_is_validated_text(
    pt_input: PipeInput, knowledge: Knowledge, keys: str, expected: Any
) -> None:
    ask_step, _ = asker(knowledge)
    type_keys(pt_input, keys)
    assert ask_step(prompt_for(knowledge, "age")) == expected


def test_age_messages(knowledge: Knowledge) -> None:
    age = knowledge.questions["age"]
    assert parse_age("35", age, can_go_back=True) == 35
    for odd in ("²", "3.5", "1e2", "", "thirty", "+5"):
        assert isinstance(parse_age(odd, age, can_go_back=True), str), odd
    assert parse_age("b", age, can_go_back=False) == (
        "Type your age in whole years, 0 to 120."  # nothing to go back to
    )
    assert parse_age("130", age, can_go_back=True) == (
        "Type your age in whole years, 0 to 120 (or b to go back)."
    )


RED_FLAG_SCREEN = ("bladder_bowel", "saddle_numbness", "leg_weakness", "walking_balance")


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (checkbox(2, 3), {"leg_weakness": "yes", "walking_balance": "yes"}),  # others: no
        (checkbox(8), {}),  # None of these: every one no
        # "Not sure about some of these": each unticked line is asked on its own
        (checkbox(0, 9) + select(2) * 7, {"bladder_bowel": "yes", "else": None}),
        (
            checkbox(9) + select(0) + select(1) + select(2) * 6,
            {"bladder_bowel": "yes", "saddle_numbness": "no", "else": None},
        ),
        (ENTER + checkbox(8), {}),  # nothing ticked is refused
        (checkbox(10), BACK),
        (DOWN * 10 + ENTER, BACK),  # Enter on "← Back" goes back without ticking it
    ],
)
def test_red_flag_screen_is_one_checkbox(
    pt_input: PipeInput, knowledge: Knowledge, keys: str, expected: Any
) -> None:
    ask_step, _ = asker(knowledge)
    type_keys(pt_input, keys)
    prompt = prompt_for(knowledge, "red_flags", number=5)
    reply = ask_step(prompt)
    if expected is BACK:
        assert reply is BACK
        return
    default = expected.pop("else", "no")
    assert reply == {q.id: expected.get(q.id, default) for q in prompt.questions}


def test_a_screen_with_multi_questions(pt_input: PipeInput, knowledge: Knowledge) -> None:
    ask_step, _ = asker(knowledge)
    n_other = len(knowledge.questions["other_symptoms"].options)
    n_history = len(knowledge.questions["history"].options)
    not_sure = n_other + n_history + 1
    type_keys(
        pt_input,
        checkbox(1, 11),
        # Not sure: every option asked on its own; the first "other symptom" is a yes
        checkbox(not_sure) + select(0) + select(2) * (n_other - 1) + select(1) * n_history,
        # cancer ticked, not sure about the rest: the other symptoms all no, history unsure
        checkbox(11, not_sure) + select(1) * n_other + select(2) * (n_history - 1),
    )
    prompt = prompt_for(knowledge, "background")
    assert ask_step(prompt) == {
        "other_symptoms": ("widespread_pain_fatigue",),
        "history": ("cancer",),
    }
    assert ask_step(prompt) == {"other_symptoms": ("rash_or_blisters",), "history": ()}
    assert ask_step(prompt) == {"other_symptoms": (), "history": ("cancer",)}


def test_screen_answers_and_tick_rules(knowledge: Knowledge) -> None:
    questions = [knowledge.questions[q] for q in ("fever", "history")]
    assert screen_answers(questions, ["fever", "history:cancer"], not_sure=False) == {
        "fever": "yes",
        "history": ("cancer",),
    }
    assert screen_answers(questions, [], not_sure=True) == {"fever": None, "history": None}
    assert check_ticks([]) is not True
    assert check_ticks([term.NONE_OF_THESE, "fever"]) is not True
    assert check_ticks([term.GO_BACK, "fever"]) is True
    assert check_ticks([term.NOT_SURE]) is True


def test_the_first_prompt_offers_no_back(pt_input: PipeInput, knowledge: Knowledge) -> None:
    ask_step, _ = asker(knowledge)
    # on the first prompt "None of these" is the last line: Up from the top wraps to it
    type_keys(pt_input, UP + SPACE + ENTER)
    assert ask_step(prompt_for(knowledge, "sensation", number=1)) == {"sensation": ()}


def test_the_emergency_choice(pt_input: PipeInput, knowledge: Knowledge) -> None:
    ask_step, out = asker(knowledge)
    type_keys(pt_input, select(0), select(1), select(2))
    answers = {**BENIGN_ANSWERS, "saddle_numbness": "yes"}
    assessment = assess(knowledge, answers)
    assert ask_step.after_emergency(assessment) is AfterEmergency.STOP
    assert ask_step.after_emergency(assessment) is AfterEmergency.FINISH
    assert ask_step.after_emergency(assessment) is AfterEmergency.BACK
    text = flat(out.getvalue())
    assert "Get emergency care now" in text
    assert flat(knowledge.settings.emergency_hint) in text
    assert "Numbness in the saddle area" in text


def test_due_questions_feed_the_screen(knowledge: Knowledge) -> None:
    """The screen lists only what is due: a question answered elsewhere is left out."""
    step = next(s for s in knowledge.interview if s.id == "red_flags")
    due = due_questions(knowledge, step, {"fever": "no"})
    assert "fever" not in [q.id for q in due]


# --- options that cannot apply are hidden -------------------------------------------------


def test_an_option_that_cannot_apply_is_hidden(pt_input: PipeInput, knowledge: Knowledge) -> None:
    ask_step, _ = asker(knowledge)
    # the 10th line is "Around my period" for a woman; for a man that option is hidden and
    # the 10th line is the first of "better with" (Rest)
    type_keys(pt_input, checkbox(9), checkbox(9))
    for sex, expected in (("female", ("periods",)), ("male", ())):
        prompt = prompt_for(knowledge, "worse_better")
        prompt = Prompt(prompt.step, prompt.questions, 9, 15, {}, {"sex": sex})
        reply = ask_step(prompt)
        assert not isinstance(reply, Back)
        assert reply["worse_with"] == expected, sex
        assert reply["better_with"] == (() if expected else ("rest",)), sex
    # unknown sex hides nothing
    shown = shown_options(knowledge.questions["worse_with"], {"sex": None})
    assert "periods" in [o.id for o in shown]


def test_shown_if_is_checked_at_load(knowledge: Knowledge, tmp_path: Path) -> None:
    from backcheck.errors import KnowledgeError
    from backcheck.knowledge.validate import build_knowledge

    raw = yaml.safe_load((ROOT / "data" / "knowledge.yaml").read_text(encoding="utf-8"))
    worse = next(q for q in raw["questions"] if q["id"] == "worse_with")
    worse["options"][0]["shown_if"] = {"sexx": "male"}
    worse["options"][1]["shown_if"] = {"worse_with": "cold"}
    with pytest.raises(KnowledgeError) as caught:
        build_knowledge(raw, source="k.yaml")
    text = str(caught.value)
    assert "options[0].shown_if" in text
    assert "sexx" in text
    assert "options[1].shown_if: may test only other questions" in text


# --- --plain: numbered lists answered by typing -------------------------------------------------

PLAIN = ["35", "2", "4 9", "0", "0", "0", "1", "1", "2", "2", "1", "3 10", "1", "1"]


@pytest.mark.usefixtures("terminal")
def test_plain_interview_by_numbers(
    runner: CliRunner, tmp_path: Path, knowledge: Knowledge
) -> None:
    saved = tmp_path / "me.yaml"
    typed = ["forty", *PLAIN]  # a wrong age is asked again
    result = runner.invoke(app, ["ask", "--plain", "--save", str(saved)], input="\n".join(typed))
    assert result.exit_code == 0, result.output
    assert load_answer_file(str(saved), knowledge).answers == BENIGN_ANSWERS
    out = result.stdout
    assert "\x1b" not in out  # no colour or cursor movement
    assert not set("│╭╮╰╯─━┃") & set(out)  # no boxes
    assert "  1. No, it stays where it is" in out
    assert "Type your age in whole years" in out
    assert "SELF-CARE" in out.upper()


@pytest.mark.usefixtures("terminal")
def test_plain_is_automatic_with_term_dumb(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "dumb")
    result = runner.invoke(app, ["ask"], input="\n".join(PLAIN))
    assert result.exit_code == 0, result.output
    assert "Question 14 of about 14" in result.stdout
    assert "  0. None of these" in result.stdout


@pytest.mark.usefixtures("terminal")
def test_plain_not_sure_asks_each_unticked_line(runner: CliRunner, tmp_path: Path) -> None:
    saved = tmp_path / "me.yaml"
    # red flags: line 1 ticked, "?" for the rest: line 2 yes, others not sure, then stop
    typed = [*PLAIN[:3], "1 ?", "1", *["?"] * 6, "1"]
    result = runner.invoke(app, ["ask", "--plain", "--save", str(saved)], input="\n".join(typed))
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))["answers"]
    assert answers["bladder_bowel"] == "yes"
    assert answers["saddle_numbness"] == "yes"
    assert answers["leg_weakness"] is None


@pytest.mark.usefixtures("terminal")
def test_plain_end_of_input_is_like_ctrl_c(runner: CliRunner, tmp_path: Path) -> None:
    saved = tmp_path / "me.yaml"
    result = runner.invoke(app, ["ask", "--plain", "--save", str(saved)], input="35\n")
    assert result.exit_code == 130
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data == {"version": 2, "answers": {"age": 35}, "complete": False}


def test_an_encoding_that_cannot_show_the_questions_stops_before_asking(
    knowledge: Knowledge,
) -> None:
    class Ascii(io.StringIO):
        encoding = "ascii"

    problem = plain.check_encoding(knowledge, Ascii())
    assert problem is not None
    assert "LANG=C.UTF-8" in problem
    assert plain.check_encoding(knowledge, io.TextIOWrapper(io.BytesIO(), "utf-8")) is None


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("screen", ["red_flags", "body_flags"])
def test_on_a_warning_sign_screen_one_key_shows_every_meaning(
    pt_input: PipeInput, knowledge: Knowledge, width: int, screen: str
) -> None:
    out = io.StringIO()
    ask_step = TerminalAsker(Console(file=out, width=width), knowledge)
    prompt = prompt_for(knowledge, screen, number=5)
    lines = sum(q.type == "yes_no" for q in prompt.questions)
    # tick the first line, "?" for the meanings, any key, then tick the second as well
    type_keys(pt_input, SPACE, "?", ENTER, checkbox(1))
    reply = ask_step(prompt)
    assert not isinstance(reply, Back)
    assert [q for q, a in reply.items() if a == "yes"] == [q.id for q in prompt.questions[:2]]
    text = out.getvalue()
    assert "Press ? to see what every line means." in flat(text)
    assert all(len(line) <= width for line in text.splitlines())
    page = text[text.index("What each line means:") : text.index("  → ")]
    for q in prompt.questions[:lines]:  # the plain-words meaning of every line, after one key
        assert flat(q.help) in flat(page), q.id
    assert len(page.splitlines()) <= 22  # with the key hint, on one 24-row screen
    # the list itself: each line is the short name (pointer, tick box and name fit in 60)
    assert all(len(q.short) + 6 <= 60 for q in prompt.questions)


@pytest.mark.usefixtures("terminal")
def test_plain_enter_keeps_the_earlier_answer_after_going_back(
    runner: CliRunner, tmp_path: Path, knowledge: Knowledge
) -> None:
    saved = tmp_path / "me.yaml"
    # age, sex, then back from what-and-where: the sex question again, Enter keeps "Male"
    typed = [PLAIN[0], PLAIN[1], "b", "", *PLAIN[2:]]
    result = runner.invoke(app, ["ask", "--plain", "--save", str(saved)], input="\n".join(typed))
    assert result.exit_code == 0, result.output
    assert "Enter keeps your last answer: Male" in result.stdout
    assert load_answer_file(str(saved), knowledge).answers == BENIGN_ANSWERS
