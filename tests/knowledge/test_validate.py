"""The shipped knowledge is complete and consistent; broken copies are refused clearly."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcheck.errors import KnowledgeError
from backcheck.knowledge.loading import default_knowledge_path, load_knowledge
from backcheck.knowledge.model import Knowledge
from backcheck.knowledge.rules import questions_in

SHIPPED = default_knowledge_path()


def test_every_contract_question_and_option_is_in_the_data(
    knowledge: Knowledge, contract: Any
) -> None:
    for qid, q in contract.questions.items():
        assert qid in knowledge.questions, qid
        mine = knowledge.questions[qid]
        assert mine.type == q.type
        assert mine.red_flag == q.red_flag or qid == "weakness_progressing"
        if q.type in ("multi", "single"):
            assert list(mine.option_ids) == q.options
        if q.type == "integer":
            assert (mine.min, mine.max) == q.range


def test_every_contract_condition_has_every_field(knowledge: Knowledge, contract: Any) -> None:
    assert set(contract.conditions) <= set(knowledge.conditions)
    for cid in contract.conditions:
        c = knowledge.conditions[cid]
        assert c.name
        assert c.summary
        assert c.see_doctor_when
        for name in (
            "aliases",
            "symptoms",
            "findings",
            "triggers",
            "risk_factors",
            "warning_signs",
            "tests",
            "self_help",
        ):
            assert getattr(c, name), f"{cid} has no {name}"
        assert 0 < c.prior < 1


def test_branching_rules_match_the_contract(knowledge: Knowledge) -> None:
    below_knee = knowledge.questions["below_knee"].asked_if
    progressing = knowledge.questions["weakness_progressing"].asked_if
    assert below_knee is not None
    assert progressing is not None
    assert set(questions_in(below_knee)) == {"spread"}
    assert set(questions_in(progressing)) == {"leg_weakness"}


def test_the_shipped_file_sits_where_installs_find_it() -> None:
    assert SHIPPED.is_file()
    assert SHIPPED.parts[-2:] == ("data", "knowledge.yaml")


def _broken(tmp_path: Path, edit: Any) -> Path:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "knowledge.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(path)
    return str(info.value)


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("version: 1\nsettings: [unclosed\n", encoding="utf-8")
    message = _problems(path)
    assert str(path) in message
    assert "line" in message


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("version: 1\nversion: 1\n", encoding="utf-8")
    assert "duplicate key 'version'" in _problems(path)


def test_duplicate_condition_id(tmp_path: Path) -> None:
    path = _broken(tmp_path, lambda d: d["conditions"].append(copy.deepcopy(d["conditions"][0])))
    first = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["conditions"][0]["id"]
    assert f"duplicate id '{first}'" in _problems(path)


def test_finding_with_unknown_question(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["conditions"][0]["findings"][0]["when"] = {"sensations": ["tingling"]}

    message = _problems(_broken(tmp_path, edit))
    assert (
        "findings[0].when.sensations: unknown question 'sensations' (did you mean sensation?)"
        in message
    )


def test_finding_with_unknown_option(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["warning_signs"][0]["when"] = {"spread": "one_legg"}

    message = _problems(_broken(tmp_path, edit))
    assert "warning_signs: bladder_bowel_change.when.spread: unknown option 'one_legg'" in message
    assert "did you mean one_leg?" in message


def test_missing_field(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        del d["conditions"][2]["summary"]

    cid = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["conditions"][2]["id"]
    assert f"conditions: {cid}: missing field 'summary'" in _problems(_broken(tmp_path, edit))


def test_unknown_verdict_level(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["warning_signs"][1]["level"] = "see_gp"

    message = _problems(_broken(tmp_path, edit))
    assert "warning_signs: saddle_numbness.level: unknown verdict level 'see_gp'" in message


def test_unknown_reference_and_every_problem_at_once(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["conditions"][0]["tests"].append("xray")
        d["conditions"][1]["triggers"].append("lifting")

    message = _problems(_broken(tmp_path, edit))
    assert "unknown doctor test 'xray' (did you mean x_ray?)" in message
    assert "unknown trigger 'lifting'" in message


def test_weights_are_bounded(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["conditions"][0]["findings"][0]["weight"] = 9

    assert "must be above 0 and at most 3.0" in _problems(_broken(tmp_path, edit))


def test_a_source_is_kept_on_signs_and_findings(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["warning_signs"][0]["source"] = "NHS: Cauda equina syndrome"
        d["conditions"][0]["findings"][0]["source"] = "NICE CKS: Back pain - low"

    knowledge = load_knowledge(_broken(tmp_path, edit))
    sign = next(iter(knowledge.warning_signs.values()))
    assert sign.source == "NHS: Cauda equina syndrome"
    condition = next(iter(knowledge.conditions.values()))
    assert condition.findings[0].source == "NICE CKS: Back pain - low"


def test_an_empty_source_is_refused(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["warning_signs"][0]["source"] = ""

    assert "warning_signs: bladder_bowel_change.source: must be non-empty text" in _problems(
        _broken(tmp_path, edit)
    )
