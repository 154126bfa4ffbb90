"""Point 6: patient-facing text at grade 8 or below (Flesch-Kincaid, textstat 0.7.4, offline).

Every text a person reads, in the knowledge and in the safety net, must pass: there is no
exception list.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

from backcheck.knowledge.model import Knowledge
from tests.conftest import ROOT


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "reading_level", ROOT / "benchmarks" / "reading_level.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _benchmark()


def test_the_grade_formula_works_offline_and_tells_plain_from_hard() -> None:
    import textstat  # type: ignore[import-untyped]  # textstat ships no type hints

    assert textstat.flesch_kincaid_grade("Keep moving. Do not stay in bed.") < 4
    hard = "Intervertebral disc herniation frequently necessitates multidisciplinary evaluation."
    assert textstat.flesch_kincaid_grade(hard) > 12


def test_safety_net_texts_are_grade_8_or_below(knowledge: Knowledge) -> None:
    rows = [r for r in BENCH.grades(knowledge) if r[1].startswith("safety_net.")]
    assert len(rows) > 60
    too_hard = [(grade, where) for grade, where, _ in rows if grade > BENCH.GRADE_LIMIT]
    assert too_hard == []


def test_every_patient_text_is_grade_8_or_below(knowledge: Knowledge) -> None:
    rows = BENCH.grades(knowledge)
    kinds = {where.split(".")[0] for _, where, _ in rows}
    # every kind of text is measured, so a text cannot pass by being left out
    assert {"questions", "warning_signs", "conditions", "triggers", "safety_net"} <= kinds
    assert len(rows) > 500
    too_hard = [(grade, where) for grade, where, _ in rows if grade > BENCH.GRADE_LIMIT]
    assert too_hard == []
