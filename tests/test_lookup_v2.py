"""`lookup` finds the version-2 conditions by lay names and typos, and symptom words."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.knowledge.model import Knowledge
from backcheck.lookup import find_condition


@pytest.mark.parametrize(
    ("query", "condition"),
    [
        ("kidney stone", "kidney_stone"),
        ("kidny stone", "kidney_stone"),
        ("kidney infection", "kidney_infection"),
        ("heart attack", "heart_attack"),
        ("hart attack", "heart_attack"),
        ("aneurysm", "aortic_aneurysm"),
        ("AAA", "aortic_aneurysm"),
        ("blood clot in the lung", "pulmonary_embolism"),
        ("pancreatitis", "pancreatitis"),
        ("pancreatits", "pancreatitis"),
        ("pregnancy back pain", "pregnancy_back_pain"),
        ("pelvic girdle pain", "pregnancy_back_pain"),
        ("endometriosis", "endometriosis"),
        ("endometriossis", "endometriosis"),
        ("hip arthritis", "hip_osteoarthritis"),
        ("aortic dissection", "aortic_dissection"),
        ("epidural haematoma", "epidural_haematoma"),
    ],
)
def test_new_conditions_are_found_by_lay_names_and_typos(
    knowledge: Knowledge, query: str, condition: str
) -> None:
    found = find_condition(knowledge, query).condition
    assert found is not None
    assert found.id == condition


@pytest.mark.parametrize(
    ("word", "belongs_to"),
    [
        ("back spasm", {"muscle_strain", "cold_exposure_spasm"}),
        ("numbness", {"radiculopathy", "peripheral_neuropathy", "multiple_sclerosis"}),
        ("disc", {"herniated_disc", "sciatica"}),
        ("lumbago", {"muscle_strain", "facet_joint_syndrome"}),
        ("pinched nerve", {"radiculopathy", "sciatica"}),
    ],
)
def test_a_symptom_word_lists_the_conditions_it_belongs_to(
    knowledge: Knowledge, runner: CliRunner, word: str, belongs_to: set[str]
) -> None:
    result = find_condition(knowledge, word)
    assert result.condition is None
    assert belongs_to <= {c.id for c in result.suggestions}
    shown = runner.invoke(app, ["lookup", *word.split()])
    assert shown.exit_code == 0, shown.output
    assert "is a symptom" in shown.stdout
    for cid in belongs_to:
        assert f"backcheck lookup {cid}" in shown.stdout


def test_kidney_stone_no_longer_suggests_a_tumour(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lookup", "kidney", "stone"])
    assert result.exit_code == 0
    assert "kidney_stone" in result.stdout
    assert "spinal_tumor" not in result.stdout.split("\n")[0]
