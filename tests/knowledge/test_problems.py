"""Table-driven validation: one edit of the shipped knowledge, one problem reported by name."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from backcheck.errors import KnowledgeError
from backcheck.knowledge.loading import default_knowledge_path
from backcheck.knowledge.validate import build_knowledge

SHIPPED: dict[str, Any] = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))
Edit = Callable[[dict[str, Any]], None]


def _sign(d: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in d["warning_signs"] if s["id"] == sid)


def _question(d: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in d["questions"] if q["id"] == qid)


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        path(d)[key] = value

    return edit


def _del(path: Callable[[dict[str, Any]], dict[str, Any]], key: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        del path(d)[key]

    return edit


FEVER = lambda d: _sign(d, "fever")  # noqa: E731  # short names keep the table readable
AGE = lambda d: _question(d, "age")  # noqa: E731  # short names keep the table readable
SPREAD = lambda d: _question(d, "spread")  # noqa: E731  # short names keep the table readable


def FIRST_SPREAD_OPTION(d: dict[str, Any]) -> dict[str, Any]:  # a table name like the others
    option: dict[str, Any] = _question(d, "spread")["options"][0]
    return option


TOP = lambda d: d  # noqa: E731  # short names keep the table readable
SETTINGS = lambda d: d["settings"]  # noqa: E731  # short names keep the table readable
CONDITION = lambda d: d["conditions"][0]  # noqa: E731  # short names keep the table readable
FINDING = lambda d: d["conditions"][0]["findings"][0]  # noqa: E731  # short names keep the table readable
TRIGGER = lambda d: d["triggers"][0]  # noqa: E731  # short names keep the table readable

CASES: list[tuple[str, Edit, str]] = [
    # the rule language
    ("two keys", _set(FEVER, "when", {"fever": True, "injury": "fall"}), "exactly one key"),
    ("empty", _set(FEVER, "when", {}), "exactly one key"),
    ("list", _set(FEVER, "when", [{"fever": True}]), "exactly one key"),
    ("all empty", _set(FEVER, "when", {"all": []}), "must be a non-empty list of tests"),
    ("any not list", _set(FEVER, "when", {"any": {"fever": True}}), "non-empty list of tests"),
    ("bad part", _set(FEVER, "when", {"all": [{"fever": True}, {"fevr": True}]}), "fevr"),
    ("not bad", _set(FEVER, "when", {"not": {"fever": "maybe"}}), "is not an answer"),
    ("question", _set(FEVER, "when", {"fevr": True}), "unknown question 'fevr'"),
    ("yes/no", _set(FEVER, "when", {"fever": 3}), "3 is not an answer; allowed: true, false"),
    ("option", _set(FEVER, "when", {"injury": "falls"}), "unknown option 'falls'"),
    ("no option", _set(FEVER, "when", {"injury": []}), "must name at least one option"),
    ("range keys", _set(FEVER, "when", {"age": {"over": 3}}), "at_least and/or below"),
    ("range type", _set(FEVER, "when", {"age": {"below": "x"}}), "must be whole numbers"),
    ("group use", _set(FEVER, "when", {"spread": "serious_injury"}), "in group 'serious_injury'"),
    # option groups
    ("groups type", _set(TOP, "groups", ["fall"]), "groups: must be a mapping"),
    ("group name", _set(TOP, "groups", {"Bad": ["fall"]}), "lower_snake_case"),
    ("group clash", _set(TOP, "groups", {"fall": ["fall"]}), "already an option"),
    ("group word", _set(TOP, "groups", {"any": ["fall"]}), "already an option"),
    ("group empty", _set(TOP, "groups", {"g": []}), "non-empty list of option ids"),
    ("group member", _set(TOP, "groups", {"g": ["falls"]}), "unknown option 'falls'"),
    # sections and fields
    ("section", _set(TOP, "extras", 1), "extras: unknown section"),
    ("missing", _del(TOP, "triggers"), "triggers: missing section"),
    ("version", _set(TOP, "version", 2), "unsupported version 2"),
    ("score", _set(SETTINGS, "condition_raise_score", 2), "condition_raise_score"),
    ("level", _set(FEVER, "level", "urgentt"), "did you mean urgent?"),
    ("self care sign", _set(FEVER, "level", "self_care"), "sets at least see_doctor"),
    ("text", _set(FEVER, "title", ""), "must be non-empty text"),
    ("field", _set(FEVER, "conditions", ["x"]), "unknown field 'conditions'"),
    ("trigger answer", _set(TRIGGER, "answer", {"fever": True}), "unknown field 'answer'"),
    ("type", _set(SPREAD, "type", "many"), "unknown type 'many'"),
    ("type list", _set(SPREAD, "type", ["single"]), "unknown type"),
    ("options", _set(SPREAD, "options", []), "must be a non-empty list"),
    ("bounds", _del(AGE, "max"), "whole-number min and max"),
    ("age options", _set(AGE, "options", []), "takes no options"),
    ("red flag", _set(SPREAD, "red_flag", "yes"), "must be true or false"),
    ("asked_if", _set(SPREAD, "asked_if", {"nope": True}), "unknown question 'nope'"),
    ("prior", _set(CONDITION, "prior", 2), "must be a number from 0.000001 to 0.999999"),
    # what could give a score of 0, 1, NaN or infinity, or a question nobody can answer
    ("tiny prior", _set(CONDITION, "prior", 1e-320), "prior: 1e-320 must be a number from"),
    ("certain prior", _set(CONDITION, "prior", 1 - 1e-17), "prior: 1.0 must be a number from"),
    ("infinite factor", _set(CONDITION, "age_odds", [{"factor": float("inf"), "below": 9}]), "inf"),
    ("nan factor", _set(CONDITION, "age_odds", [{"factor": float("nan"), "below": 9}]), "nan"),
    (
        "empty band",
        _set(CONDITION, "age_odds", [{"factor": 2, "at_least": 60, "below": 50}]),
        "no age fits",
    ),
    ("nan weight", _set(FINDING, "weight", float("nan")), "must be above 0 and at most 3.0"),
    ("min above max", _set(AGE, "min", 130), "min 130 is above max 120: no answer fits"),
    ("no conditions", _set(TOP, "conditions", []), "conditions: must list at least one condition"),
    ("prevalence", _set(CONDITION, "prevalence", "often"), "prevalence"),
    ("category", _set(CONDITION, "category", "everydy"), "did you mean everyday?"),
    ("texts", _set(CONDITION, "symptoms", [1]), "must be a list of non-empty texts"),
    ("ref", _set(CONDITION, "warning_signs", ["fevr"]), "unknown warning sign 'fevr'"),
    ("age odds", _set(CONDITION, "age_odds", [{"factor": 0}]), "must be a number from 0.01 to 100"),
    ("age band", _set(CONDITION, "age_odds", [{"factor": 2}]), "at_least and/or below"),
    ("age list", _set(CONDITION, "age_odds", {"factor": 2}), "must be a list of age bands"),
    ("weight", _set(FINDING, "weight", 9), "must be above 0 and at most 3.0"),
    ("weight type", _set(FINDING, "weight", "x"), "must be a number"),
    ("findings", _set(CONDITION, "findings", []), "at least one"),
    ("entry", _set(TOP, "doctor_tests", [1]), "must be a mapping, not int"),
    ("entries", _set(TOP, "categories", {"a": 1}), "must be a list of entries"),
    ("id", _set(TRIGGER, "id", "Bad Id"), "must be lower_snake_case"),
    # what a warning sign points to, and where it comes from
    ("points to", _set(FEVER, "points_to", ["vertebral_osteomyelitiss"]), "unknown condition"),
    ("source", _set(FEVER, "source", ""), "source: must be non-empty text"),
    ("finding source", _set(FINDING, "source", 3), "must be non-empty text"),
    # prior gates
    ("gates", _set(CONDITION, "prior_given", {"when": {}}), "must be a list of gates"),
    ("gate", _set(CONDITION, "prior_given", [1]), "must be a mapping, not int"),
    (
        "gate prior",
        _set(CONDITION, "prior_given", [{"when": {"fever": True}, "prior": 1, "because": "x"}]),
        "must be a number from 0.000001 to 0.999999",
    ),
    (
        "gate test",
        _set(CONDITION, "prior_given", [{"when": {"fevr": True}, "prior": 0.5, "because": "x"}]),
        "unknown question 'fevr'",
    ),
    ("evidence", _set(SETTINGS, "pointed_evidence", -1), "must be a number from 0 to 30"),
    # options shown only where they apply
    ("shown_if", _set(FIRST_SPREAD_OPTION, "shown_if", {"sexx": "male"}), "sexx"),
    (
        "shown_if own",
        _set(FIRST_SPREAD_OPTION, "shown_if", {"spread": "one_leg"}),
        "may test only other questions",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_reported_by_name(edit: Edit, expected: str) -> None:
    data = copy.deepcopy(SHIPPED)
    edit(data)
    with pytest.raises(KnowledgeError) as caught:
        build_knowledge(data, source="k.yaml")
    assert any(expected in line for line in caught.value.lines()), caught.value.lines()


def test_the_shipped_knowledge_builds_and_a_group_means_its_options() -> None:
    knowledge = build_knowledge(copy.deepcopy(SHIPPED), source="k.yaml")
    serious = knowledge.warning_signs["serious_injury"].when
    assert getattr(serious, "values", None) == frozenset({"fall", "road_accident", "assault"})
    assert knowledge.warning_signs["saddle_numbness"].points_to == ("cauda_equina_syndrome",)


def test_a_top_level_that_is_not_a_mapping() -> None:
    with pytest.raises(KnowledgeError, match="mapping of sections"):
        build_knowledge([], source="k.yaml")
