"""Validation is not `assert`: the checks hold under `python -O`, and so do the results."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from typing import Any

import pytest

import backcheck
from backcheck.errors import InputError
from backcheck.knowledge.model import Knowledge
from tests.conftest import ROOT

PACKAGE = ROOT / "backcheck"


def test_the_package_checks_nothing_with_assert() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Assert)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"age": "40"}, "age: '40' is not a whole number"),
        ({"age": 500}, "age: 500 is out of range"),
        ({"age": True}, "age: True is not a whole number"),
        ({"sensation": "tingles"}, "sensation: 'tingles' is not an option"),
        ({"fever": "maybe"}, "fever: 'maybe' is not an answer"),
        ({"spread": ["one_leg"]}, "spread: expected one option id"),
        ({"no_such_question": "yes"}, "no_such_question: unknown question"),
        (["age", 40], "must be a mapping of question ids to answers, not list"),
    ],
)
def test_assess_refuses_answers_a_file_could_not_give(
    knowledge: Knowledge, answers: Any, problem: str
) -> None:
    with pytest.raises(InputError, match=problem):
        backcheck.assess(knowledge, answers)


def test_assess_takes_answers_in_their_checked_form_and_keeps_not_sure(
    knowledge: Knowledge,
) -> None:
    checked = backcheck.parse_answers({"sensation": ["tingling"], "age": 40}, knowledge)
    result = backcheck.assess(knowledge, {**checked, "fever": None})
    assert dict(result.answers) == {"sensation": ("tingling",), "age": 40, "fever": None}


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda k: backcheck.assess({"not": "knowledge"}, {}), "knowledge: must come from"),  # type: ignore[arg-type]
        (lambda k: backcheck.assess(k, {}, version=3), "version: 3; allowed: 1, 2"),
        (lambda k: backcheck.parse_answers(42, k), "must be a mapping or an answer file"),  # type: ignore[arg-type]
        (lambda k: backcheck.parse_answers({}, "k"), "knowledge: must come from"),  # type: ignore[arg-type]
        (lambda k: backcheck.to_dict({"verdict": "self_care"}), "result: must be a Result"),  # type: ignore[arg-type]
        (lambda k: backcheck.load_knowledge(7), "path: must be a file name"),  # type: ignore[arg-type]
    ],
)
def test_every_public_function_raises_backchecks_own_error(
    knowledge: Knowledge, call: Any, problem: str
) -> None:
    with pytest.raises(InputError, match=problem):
        call(knowledge)


def _backcheck(*args: str, optimize: bool) -> subprocess.CompletedProcess[str]:
    flags = ["-O"] if optimize else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "backcheck", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "BACKCHECK_NO_CACHE": "1"},
        check=False,
    )


def test_vignette_results_are_the_same_under_python_O() -> None:
    folders = ["tests/vignettes", "tests/vignettes-v2"]
    plain = _backcheck("eval", "-f", "json", *folders, optimize=False)
    optimized = _backcheck("eval", "-f", "json", *folders, optimize=True)
    assert plain.returncode == optimized.returncode == 0, optimized.stderr
    assert optimized.stdout == plain.stdout
    assert '"cases": 132' in plain.stdout  # both folders were read


def test_a_bad_answer_is_refused_under_python_O() -> None:
    code = (
        "import backcheck\n"
        "try:\n"
        "    backcheck.assess(backcheck.load_knowledge(), {'age': '40'})\n"
        "except backcheck.InputError as exc:\n"
        "    print('refused:', exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-O", "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.startswith("refused: answers: age: '40' is not a whole number")
