"""The public Python API, used only through `import backcheck`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import backcheck
from tests.conftest import EXAMPLES


def test_the_readme_example() -> None:
    knowledge = backcheck.load_knowledge()
    answers = backcheck.parse_answers(EXAMPLES / "emergency.yaml", knowledge)
    result = backcheck.assess(knowledge, answers)
    assert result.verdict is backcheck.Verdict.EMERGENCY
    assert isinstance(result, backcheck.Result)
    data = backcheck.to_dict(result, "emergency.yaml")
    assert data["verdict"] == "emergency"
    assert data["source"] == "emergency.yaml"
    assert json.loads(json.dumps(data))["conditions"][0]["id"] == result.conditions[0].id


def test_a_mapping_and_an_answer_file_mapping_give_the_same_answers() -> None:
    plain = backcheck.parse_answers({"sensation": ["tingling"], "age": 40})
    wrapped = backcheck.parse_answers(
        {"version": 1, "answers": {"sensation": "tingling", "age": 40}}
    )
    assert plain == wrapped == {"sensation": ("tingling",), "age": 40}


def test_every_problem_of_the_answers_is_reported_at_once() -> None:
    with pytest.raises(backcheck.InputError) as caught:
        backcheck.parse_answers({"age": 400, "sensation": ["x"], "fevr": True})
    lines = caught.value.lines()
    assert len(lines) == 3
    assert any("age: 400 is out of range" in line for line in lines)
    assert any("'x' is not an option" in line for line in lines)
    assert any("fevr: unknown question (did you mean fever?)" in line for line in lines)


def test_the_result_renders_without_the_knowledge() -> None:
    knowledge = backcheck.load_knowledge()
    result = backcheck.assess(knowledge, backcheck.parse_answers({"fever": "yes"}, knowledge))
    assert result.verdict_title == knowledge.verdicts[result.verdict].title
    assert result.reasons[0].title
    assert result.reasons[0].why
    assert result.conditions[0].contributions
    assert {q.id for q in result.not_assessed} >= {"bladder_bowel", "saddle_numbness"}
    assert result.not_asked == ()


def test_importing_backcheck_imports_nothing_else() -> None:
    code = "import sys, backcheck; print(sorted(m for m in sys.modules if 'backcheck' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['backcheck']"


def test_an_assessment_through_the_api_loads_no_code_generators() -> None:
    """dataclasses (with inspect, ast, dis and tokenize) costs about 20 ms to import: a
    program that only assesses answers never pays for it."""
    code = (
        "import sys, backcheck\n"
        "k = backcheck.load_knowledge()\n"
        "r = backcheck.assess(k, {'age': 40, 'sensation': ['pain'], 'location': ['lower_back']})\n"
        "print(r.verdict, sorted(m for m in ('dataclasses', 'inspect', 'ast') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "see_doctor []"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = backcheck.no_such_name
