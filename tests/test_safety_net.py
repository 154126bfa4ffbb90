"""data/safety_net.yaml: complete for the shipped knowledge, and every problem named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcheck.errors import KnowledgeError
from backcheck.knowledge.loading import SAFETY_NET_NAME, default_knowledge_path, load_knowledge
from backcheck.knowledge.model import Knowledge, Verdict
from backcheck.knowledge.safetynet import build_safety_net

SHIPPED = default_knowledge_path().parent / SAFETY_NET_NAME
RAW = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
V2_CONDITIONS = {
    "epidural_haematoma",
    "aortic_aneurysm",
    "aortic_dissection",
    "heart_attack",
    "pulmonary_embolism",
    "kidney_stone",
    "kidney_infection",
    "pancreatitis",
    "pregnancy_back_pain",
    "endometriosis",
    "hip_osteoarthritis",
}


def problems(raw: Any, knowledge: Knowledge, *, strict: bool = True) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        build_safety_net(raw, knowledge, source="net.yaml", strict=strict)
    return caught.value.problems


def test_the_shipped_net_covers_every_verdict_sign_and_condition(knowledge: Knowledge) -> None:
    net = knowledge.safety_net
    assert net is not None
    assert set(net.verdicts) == set(Verdict)
    assert set(net.signs) == set(knowledge.warning_signs)
    assert set(net.courses) >= set(knowledge.conditions)
    assert set(RAW["conditions"]) >= V2_CONDITIONS  # written ahead for contract version 2
    for entry in (*RAW["verdicts"].values(), *RAW["warning_signs"].values()):
        assert "NICE" in entry["source"] or "NHS" in entry["source"]
    for entry in RAW["conditions"].values():
        assert "NICE" in entry["source"] or "NHS" in entry["source"]


def test_the_net_never_advises_bed_rest(knowledge: Knowledge) -> None:
    net = knowledge.safety_net
    assert net is not None
    for verdict in (Verdict.SEE_DOCTOR, Verdict.SELF_CARE):
        assert any("bed rest" in t.lower() for t in net.verdicts[verdict].avoid)
    assert "Do not drive yourself." in net.verdicts[Verdict.EMERGENCY].avoid


def test_unknown_ids_are_refused_with_a_hint(knowledge: Knowledge) -> None:
    raw = copy.deepcopy(RAW)
    raw["warning_signs"]["saddle_numbnes"] = raw["warning_signs"].pop("saddle_numbness")
    raw["conditions"]["madeup"] = {"course": "x", "check_days": 3, "source": "NHS"}
    found = problems(raw, knowledge)
    assert (
        "warning_signs.saddle_numbnes: unknown warning sign id (did you mean saddle_numbness?)"
        in found
    )
    assert "warning_signs.saddle_numbness: missing entry for the warning sign" in found
    assert "conditions.madeup: unknown condition id" in found


def test_pending_entries_wait_for_their_condition(knowledge: Knowledge) -> None:
    raw = copy.deepcopy(RAW)
    entry = {"course": "It gets better.", "check_days": 7, "source": "NHS"}
    raw["conditions"]["future_condition"] = dict(entry)
    assert problems(raw, knowledge) == ["conditions.future_condition: unknown condition id"]
    raw["conditions"]["future_condition"] = {**entry, "pending": True}
    net = build_safety_net(raw, knowledge, source="net.yaml", strict=True)
    assert "future_condition" not in net.courses  # until the knowledge has it


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda r: r["verdicts"]["self_care"].update(check_days=0),
            "verdicts.self_care.check_days: must be a whole number of days, 1 to 90",
        ),
        (
            lambda r: r["verdicts"]["self_care"].update(check_again="see a doctor"),
            "verdicts.self_care.check_again: must contain {date}",
        ),
        (
            lambda r: r["verdicts"]["urgent"].update(check_days=3),
            "verdicts.urgent.check_days: only see_doctor and self_care have a date",
        ),
        (
            lambda r: r["warning_signs"]["fever"].pop("then"),
            "warning_signs.fever: missing field 'then'",
        ),
        (
            lambda r: r["conditions"]["sciatica"].update(course=""),
            "conditions.sciatica.course: must be non-empty text",
        ),
        (lambda r: r.update(extra=1), "extra: unknown section"),
        (lambda r: r.pop("verdicts"), "verdicts: missing section"),
        (lambda r: r.update(version=2), "version: unsupported version 2; allowed: 1"),
        (lambda r: r.update(conditions=[]), "conditions: must be a mapping of ids, not list"),
        (lambda r: r.update(groups={}), "groups: must be a list, not dict"),
        (
            lambda r: r["conditions"]["sciatica"].update(pending="yes"),
            "conditions.sciatica.pending: must be true or false",
        ),
        (
            lambda r: r["groups"][0].update(conditions=["sciatca"]),
            "groups[0].conditions: unknown condition id 'sciatca' (did you mean sciatica?)",
        ),
        (
            lambda r: r["groups"].append({"id": "g", "label": "G", "conditions": ["sciatica"]}),
            "groups[1].conditions: 'sciatica' is already in group nerve_root",
        ),
    ],
)
def test_each_problem_is_named(knowledge: Knowledge, edit: Any, expected: str) -> None:
    raw = copy.deepcopy(RAW)
    edit(raw)
    assert expected in problems(raw, knowledge)


def test_a_broken_net_beside_a_knowledge_file_is_a_one_line_error(
    tmp_path: Path, runner: Any
) -> None:
    from backcheck.cli.app import app

    (tmp_path / "knowledge.yaml").write_text(
        default_knowledge_path().read_text(encoding="utf-8"), encoding="utf-8"
    )
    raw = copy.deepcopy(RAW)
    raw["verdicts"].pop("urgent")
    (tmp_path / SAFETY_NET_NAME).write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = runner.invoke(app, ["--knowledge", str(tmp_path / "knowledge.yaml"), "validate"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {tmp_path / SAFETY_NET_NAME}: verdicts.urgent: missing entry for the verdict"
    )


def test_another_knowledge_file_uses_the_shipped_net_for_the_ids_it_has(tmp_path: Path) -> None:
    data = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))
    data["conditions"] = [c for c in data["conditions"] if c["id"] != "shingles"]
    for sign in data["warning_signs"]:
        if "points_to" in sign:
            kept = [c for c in sign["points_to"] if c != "shingles"]
            sign["points_to"] = kept
            if not kept:
                sign.pop("points_to")
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    knowledge = load_knowledge(path)
    assert knowledge.safety_net is not None
    assert "shingles" not in knowledge.safety_net.courses
    assert knowledge.safety_net.source == str(SHIPPED)
