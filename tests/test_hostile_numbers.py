"""Numbers mean what they say: YAML 1.1 conversions are refused, never applied silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcheck.answers import load_answer_file
from backcheck.errors import InputError, KnowledgeError
from backcheck.knowledge.loading import default_knowledge_path, load_knowledge
from backcheck.knowledge.model import Knowledge
from backcheck.textfile import parse_text


@pytest.mark.parametrize(
    "age",
    [
        "050",
        "1:05",
        "0x20",
        "0o40",
        "0b1",
        "1_000",
        "40.0",
        ".inf",
        "-.inf",
        ".nan",
        "true",
        "1.0e400",
        "2020-01-01",
        "!!int 050",
        "!!float 40",
    ],
)
def test_an_age_in_a_yaml_1_1_form_is_refused_naming_the_question(
    tmp_path: Path, knowledge: Knowledge, age: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(f"answers:\n  age: {age}\n")
    with pytest.raises(InputError) as caught:
        load_answer_file(str(path), knowledge)
    message = str(caught.value)
    assert "age" in message
    assert "\n" not in message


@pytest.mark.parametrize(("age", "value"), [("50", 50), ("0", 0), ("+7", 7)])
def test_a_plain_decimal_age_is_read_as_written(
    tmp_path: Path, knowledge: Knowledge, age: str, value: int
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(f"answers:\n  age: {age}\n")
    assert load_answer_file(str(path), knowledge).answers["age"] == value


@pytest.mark.parametrize(
    "text",
    ['{"answers": {"age": NaN}}', '{"answers": {"age": 1e400}}', '{"answers": {"age": Infinity}}'],
)
def test_json_non_finite_numbers_are_refused(
    tmp_path: Path, knowledge: Knowledge, text: str
) -> None:
    path = tmp_path / "a.json"
    path.write_text(text)
    with pytest.raises(InputError):
        load_answer_file(str(path), knowledge)


@pytest.mark.parametrize(
    ("written", "read"), [("yes", "yes"), ("no", "no"), ("true", "yes"), ("false", "no")]
)
def test_yes_no_accepts_the_contract_spellings(
    tmp_path: Path, knowledge: Knowledge, written: str, read: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(f"answers:\n  fever: {written}\n")
    assert load_answer_file(str(path), knowledge).answers["fever"] == read


@pytest.mark.parametrize("written", ["on", "off", "y", "n", "1", "0"])
def test_other_yaml_1_1_booleans_are_refused_for_yes_no(
    tmp_path: Path, knowledge: Knowledge, written: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(f"answers:\n  fever: {written}\n")
    with pytest.raises(InputError, match="fever"):
        load_answer_file(str(path), knowledge)


def test_yaml_1_1_types_stay_strings_in_every_file() -> None:
    data = parse_text("a: [050, 0x20, 1:05, on, 2020-01-01, 12, true, ~]", json_first=False)
    assert data == {"a": ["050", "0x20", "1:05", "on", "2020-01-01", 12, True, None]}


def test_a_knowledge_bound_in_octal_is_refused_with_the_entry(tmp_path: Path) -> None:
    text = default_knowledge_path().read_text()
    assert "at_least: 50}" in text
    broken = tmp_path / "k.yaml"
    broken.write_text(text.replace("at_least: 50}", "at_least: 050}", 1))
    with pytest.raises(KnowledgeError, match="whole numbers"):
        load_knowledge(broken)
