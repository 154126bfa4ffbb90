"""Bounded cost: what any knowledge or answer file can make backcheck do is limited by size,
by a count of every value, and by a cap on the "did you mean" hints. Figures for the worst
files are printed by benchmarks/bounded_cost.py; these tests hold the limits, not timings."""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.errors import KnowledgeError
from backcheck.knowledge.loading import default_knowledge_path
from backcheck.knowledge.validate import HINTS, build_knowledge
from backcheck.suggest import did_you_mean, listing
from backcheck.textfile import (
    MAX_ANSWER_FILE_BYTES,
    MAX_KNOWLEDGE_FILE_BYTES,
    MAX_NODES,
    parse_text,
)
from tests.conftest import EXAMPLES

SHIPPED: dict[str, Any] = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))


def _values(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(1 + _values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_values(v) for v in value)
    return 1


def test_the_limits_fit_real_files_with_room_to_grow() -> None:
    assert max(p.stat().st_size for p in EXAMPLES.iterdir()) < 2048 < MAX_ANSWER_FILE_BYTES
    assert default_knowledge_path().stat().st_size * 5 < MAX_KNOWLEDGE_FILE_BYTES
    assert _values(SHIPPED) * 10 < MAX_NODES


@pytest.mark.parametrize(
    "text",
    [
        "values:\n" + "- 1\n" * MAX_NODES,  # one-character scalars, block style
        "[" + "1," * MAX_NODES + "1]",  # the same as a JSON list
        "values: {" + ", ".join(f"k{i}: 1" for i in range(MAX_NODES // 2 + 1)) + "}",
    ],
    ids=["yaml-list", "json-list", "mapping"],
)
def test_the_value_limit_counts_scalars_and_keys(text: str) -> None:
    with pytest.raises(ValueError, match=f"holds too many values \\(more than {MAX_NODES:,}\\)"):
        parse_text(text, json_first=False)


def test_a_knowledge_file_over_the_size_limit_is_one_line(tmp_path: Path) -> None:
    big = tmp_path / "knowledge.yaml"
    big.write_text("# " + "x" * MAX_KNOWLEDGE_FILE_BYTES + "\n")
    result = CliRunner().invoke(app, ["validate", str(big)])
    assert result.exit_code == 1
    limit = MAX_KNOWLEDGE_FILE_BYTES // 1024
    assert result.stderr == f"error: {big}: larger than the {limit} KiB allowed\n"


def test_an_answer_file_over_the_size_limit_is_one_line(tmp_path: Path) -> None:
    big = tmp_path / "answers.yaml"
    big.write_text("answers: {}\n# " + "x" * MAX_ANSWER_FILE_BYTES + "\n")
    result = CliRunner().invoke(app, ["run", str(big)])
    assert result.exit_code == 2
    limit = MAX_ANSWER_FILE_BYTES // 1024
    assert result.stderr == f"error: {big}: larger than the {limit} KiB allowed\n"


def test_many_unknown_names_get_every_problem_but_a_bounded_number_of_hints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = copy.deepcopy(SHIPPED)
    data["conditions"][0]["warning_signs"] = [f"fevr{i}" for i in range(3000)]
    data["conditions"][1]["findings"][0]["when"] = {
        "sensation": [f"tinglin{i}" for i in range(3000)]
    }
    compared = []
    real = difflib.get_close_matches

    def counting(word: str, choices: list[str], *args: Any, **kwargs: Any) -> list[str]:
        compared.append(len(choices))
        return real(word, choices, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    with pytest.raises(KnowledgeError) as caught:
        build_knowledge(data, source="k.yaml")
    lines = caught.value.lines()
    assert sum("unknown warning sign 'fevr" in line for line in lines) == 3000
    assert sum("unknown option 'tinglin" in line for line in lines) == 3000
    assert len(compared) <= HINTS  # not one search per problem
    assert sum("did you mean" in line for line in lines) <= HINTS
    assert max(len(line) for line in lines) < 2000  # the allowed options are not repeated in full


def test_a_hint_is_cheap_whatever_the_word_or_the_choices() -> None:
    assert did_you_mean("x" * 10_000, ["x" * 10_000]) == ""  # too long to be a misspelt id
    many = [f"option_{i}" for i in range(100_000)]
    assert did_you_mean("option_99", many) == " (did you mean option_99?)"
    assert listing(many).endswith(" and 99,960 more")
    assert listing(["a", "b"]) == "a, b"
