"""History facts in the knowledge file: only warning signs may test them, never under `not`."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from backcheck.errors import KnowledgeError
from backcheck.knowledge.loading import default_knowledge_path
from backcheck.knowledge.validate import build_knowledge

SHIPPED: dict[str, Any] = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))


def problems(edit: Any) -> list[str]:
    data = copy.deepcopy(SHIPPED)
    edit(data)
    with pytest.raises(KnowledgeError) as caught:
        build_knowledge(data, source="k.yaml")
    return caught.value.problems


def test_the_shipped_facts_are_read_and_are_not_questions() -> None:
    knowledge = build_knowledge(copy.deepcopy(SHIPPED), source="k.yaml")
    assert set(knowledge.history_facts) == {
        "history_days",
        "history_worse_impact",
        "history_new_spread",
        "history_new_sign",
        "history_repeats",
    }
    assert not set(knowledge.history_facts) & set(knowledge.questions)


def test_a_fact_under_not_is_refused() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["warning_signs"][-1]["when"] = {"not": {"history_repeats": {"at_least": 3}}}

    assert problems(edit) == [
        "warning_signs: history_keeps_coming_back.when: history fact 'history_repeats' "
        "may not be under 'not'"
    ]


def test_a_finding_may_not_test_a_fact() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["conditions"][0]["findings"][0]["when"] = {"history_new_sign": True}

    found = problems(edit)
    assert len(found) == 1
    assert "unknown question 'history_new_sign'" in found[0]


def test_an_answer_file_may_not_give_a_fact(tmp_path: Any, knowledge: Any) -> None:
    from backcheck.answers import load_answer_file
    from backcheck.errors import AnswerError

    path = tmp_path / "a.yaml"
    path.write_text("version: 2\nanswers:\n  history_repeats: 5\n", encoding="utf-8")
    with pytest.raises(AnswerError, match="history_repeats: unknown question"):
        load_answer_file(str(path), knowledge)


def test_a_fact_of_an_unknown_type_or_named_like_a_question() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["history_facts"] += [
            {"id": "history_mood", "type": "single", "text": "x"},
            {"id": "impact", "type": "yes_no", "text": "x"},
        ]

    assert problems(edit) == [
        "history_facts: history_mood.type: unknown type 'single'; allowed: yes_no, integer",
        "history_facts: impact: 'impact' is already a question or a keyword",
    ]
