"""Both vignette sets: safety on every case, and the accuracy targets through `eval`."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.engine import assess
from backcheck.evaluation import TARGETS, evaluate_vignettes, load_case, vignette_paths
from backcheck.knowledge.model import Knowledge, Verdict
from tests.conftest import DEV_VIGNETTES, NEEDS_SHARED, OWN_VIGNETTES, SHARED

OWN_V2 = OWN_VIGNETTES.parent / "vignettes-v2"
DEV_V2 = DEV_VIGNETTES.parent / "vignettes-v2"
ALL = [
    *(vignette_paths([DEV_VIGNETTES, DEV_V2]) if SHARED else []),
    *vignette_paths([OWN_VIGNETTES, OWN_V2]),
]
DEV = pytest.param(DEV_VIGNETTES, marks=NEEDS_SHARED, id="dev")
DEV2 = pytest.param(DEV_V2, marks=NEEDS_SHARED, id="dev-v2")


def test_the_own_set_is_there() -> None:
    assert len(vignette_paths([OWN_VIGNETTES])) >= 60
    assert len(vignette_paths([OWN_V2])) >= 40


def test_the_vignettes_of_folders_and_files_come_in_order_by_name(tmp_path: Path) -> None:
    first, second = tmp_path / "b", tmp_path / "a"
    files = {first: ["z.yaml", "B.json", "a.yml", "notes.txt"], second: ["m.yaml"]}
    for folder, names in files.items():
        folder.mkdir()
        for name in names:
            (folder / name).write_text("answers: {}\n", encoding="utf-8")
    single = tmp_path / "one.yaml"
    single.write_text("answers: {}\n", encoding="utf-8")
    found = vignette_paths([first, single, second])
    expected = [first / "B.json", first / "a.yml", first / "z.yaml", single, second / "m.yaml"]
    assert list(found) == expected  # a folder's files sorted, then the file, the next folder
    assert list(found) == expected  # and again: it can be gone through more than once
    assert len(found) == 5
    assert single in found
    assert second / "m.yaml" in found
    assert first / "notes.txt" not in found
    assert second / "z.yaml" not in found
    assert list(found.texts()) == [str(path) for path in expected]  # what eval reads


def test_eval_names_a_vignette_as_given_and_grows_no_table_of_names(
    tmp_path: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = next(iter(vignette_paths([OWN_V2])))
    for index in range(300):
        (tmp_path / f"case{index:03d}.yaml").write_text(source.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    single = vignette_paths([Path("case000.yaml")])
    assert list(single.texts()) == ["case000.yaml"]  # no "./" before a file given alone
    made: list[object] = []
    real_truediv = Path.__truediv__

    def truediv(self: Path, key: str) -> Path:  # pathlib interns every part it parses
        made.append(key)
        return real_truediv(self, key)

    monkeypatch.setattr(Path, "__truediv__", truediv)
    evaluation = evaluate_vignettes(knowledge, vignette_paths([tmp_path]))
    assert evaluation.count == 300
    assert made == []  # read by name: no Path, so no part interned, for each of them


@NEEDS_SHARED
def test_the_development_set_is_there() -> None:
    assert len(vignette_paths([DEV_VIGNETTES])) >= 40


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_no_vignette_is_under_triaged(knowledge: Knowledge, path: Path) -> None:
    case = load_case(knowledge, path)
    assert case.given.rank >= case.expected.rank, [r.id for r in case.assessment.reasons]
    if case.expected == Verdict.EMERGENCY:
        assert case.given == Verdict.EMERGENCY


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_verdict_is_never_below_the_independent_floor(
    knowledge: Knowledge, check_vignettes: ModuleType, contract: Any, path: Path
) -> None:
    case = load_case(knowledge, path)
    answers = {
        k: list(v) if isinstance(v, tuple) else v for k, v in _answers(knowledge, path).items()
    }
    version = 2 if path.parent.name == "vignettes-v2" else 1
    floor, _ = check_vignettes.triage_floor(contract, answers, version)
    assert case.given.rank >= Verdict(floor).rank


def _answers(knowledge: Knowledge, path: Path) -> Any:
    from backcheck.answers import load_answer_file

    return load_answer_file(str(path), knowledge).answers


def test_own_vignettes_pass_the_contract_checker(check_vignettes: ModuleType) -> None:
    assert check_vignettes.main(["--quiet", str(OWN_VIGNETTES), str(OWN_V2)]) == 0


@pytest.mark.parametrize(
    "folder",
    [DEV, DEV2, pytest.param(OWN_VIGNETTES, id="own"), pytest.param(OWN_V2, id="own-v2")],
)
def test_eval_reaches_every_target(knowledge: Knowledge, folder: Path) -> None:
    evaluation = evaluate_vignettes(knowledge, vignette_paths([folder]))
    figures = evaluation.figures()
    missed = {name: figures[name] for name in evaluation.missed_targets()}
    assert not missed, (missed, evaluation.misses())
    assert set(TARGETS) <= set(figures)


@NEEDS_SHARED
def test_eval_command_reports_figures_confusion_and_misses(runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", str(DEV_VIGNETTES), str(OWN_VIGNETTES)])
    assert result.exit_code == 0, result.output
    for text in (
        "Emergency sensitivity",
        "Exact triage",
        "Safe triage",
        "Self-care over-triage",
        "Top-3",
        "Expected (rows)",
        "Misses",
    ):
        assert text in result.stdout
    data = json.loads(runner.invoke(app, ["eval", "-f", "json", str(DEV_VIGNETTES)]).stdout)
    assert data["overall"]["cases"] >= 40
    assert data["overall"]["figures"]["emergency_sensitivity"] == 1.0
    assert (
        sum(sum(row.values()) for row in data["overall"]["confusion"].values())
        == data["overall"]["cases"]
    )


@NEEDS_SHARED
def test_eval_shows_what_an_edit_changed(
    runner: CliRunner, tmp_path: Path, knowledge: Knowledge
) -> None:
    import yaml

    from backcheck.knowledge.loading import default_knowledge_path

    data = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))
    for sign in data["warning_signs"]:
        if sign["id"] == "bladder_bowel_change":
            sign["level"] = "see_doctor"
    edited = tmp_path / "k.yaml"
    edited.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["--knowledge", str(edited), "eval", "--check", str(DEV_VIGNETTES)])
    assert result.exit_code == 1
    assert "UNSAFE under-triage" in result.stdout
    assert assess(knowledge, {"bladder_bowel": "yes"}).verdict == Verdict.EMERGENCY
