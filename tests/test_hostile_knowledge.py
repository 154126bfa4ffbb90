"""What `validate` accepts, every command can run: knowledge variants at the edges of what
validation allows run every command in every format without a crash, and every JSON
output is strict JSON (no NaN or Infinity)."""

from __future__ import annotations

import copy
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.knowledge.entries import MAX_FACTOR, MAX_PRIOR, MAX_WEIGHT, MIN_FACTOR, MIN_PRIOR
from backcheck.knowledge.loading import default_knowledge_path, load_knowledge
from tests.conftest import EXAMPLES, OWN_VIGNETTES

SHIPPED: dict[str, Any] = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))
ANSWERS = [str(p) for p in sorted(EXAMPLES.iterdir())]
VIGNETTES = [str(p) for p in sorted(OWN_VIGNETTES.glob("*.yaml"))[:8]]
EDGE = st.sampled_from(["low", "high", "same"])


def _edge(choice: str, value: float, low: float, high: float) -> float:
    return {"low": low, "high": high, "same": value}[choice]


@st.composite
def variants(draw: st.DrawFn) -> dict[str, Any]:
    """The shipped knowledge with some conditions and warning signs left out, and priors,
    age factors, weights and settings pushed to the limits validation allows."""
    data = copy.deepcopy(SHIPPED)
    ids = [c["id"] for c in data["conditions"]]
    kept = set(draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
    data["conditions"] = [c for c in data["conditions"] if c["id"] in kept]
    signs = [s["id"] for s in data["warning_signs"]]
    kept_signs = set(draw(st.lists(st.sampled_from(signs), unique=True)))
    kept_signs |= {c["warning_signs"][0] for c in data["conditions"]}  # one each is required
    data["warning_signs"] = [s for s in data["warning_signs"] if s["id"] in kept_signs]
    for sign in data["warning_signs"]:
        if "points_to" in sign:
            sign["points_to"] = [c for c in sign["points_to"] if c in kept]
            if not sign["points_to"]:
                del sign["points_to"]
    for condition in data["conditions"]:
        condition["warning_signs"] = [s for s in condition["warning_signs"] if s in kept_signs]
        condition["prior"] = _edge(draw(EDGE), condition["prior"], MIN_PRIOR, MAX_PRIOR)
        factor = draw(EDGE)
        for band in condition.get("age_odds", []):
            band["factor"] = _edge(factor, band["factor"], MIN_FACTOR, MAX_FACTOR)
        weight = draw(EDGE)
        for finding in condition["findings"]:
            finding["weight"] = _edge(weight, finding["weight"], 0.01, MAX_WEIGHT)
        for finding in condition["against"]:
            finding["weight"] = _edge(weight, finding["weight"], -0.01, -MAX_WEIGHT)
        for gate in condition.get("prior_given", []):
            gate["prior"] = _edge(draw(EDGE), gate["prior"], MIN_PRIOR, MAX_PRIOR)
    options = data["settings"]
    options["condition_raise_score"] = _edge(
        draw(EDGE), options["condition_raise_score"], 1e-9, 1.0
    )
    options["pointed_evidence"] = _edge(draw(EDGE), options.get("pointed_evidence", 2.7), 0, 30)
    age = next(q for q in data["questions"] if q["id"] == "age")
    age["min"], age["max"] = draw(st.sampled_from([(0, 120), (45, 45), (0, 0)]))
    return data


def _strict(line: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"not strict JSON: {constant}")

    value = json.loads(line, parse_constant=refuse)
    for score in _numbers(value):
        assert math.isfinite(score)
    return value


def _numbers(value: Any) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, float) else []


def _invoke(knowledge: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--knowledge", str(knowledge), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result.stdout


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # a long repr
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(variants())
def test_every_command_runs_on_every_knowledge_validate_accepts(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "knowledge.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        knowledge = load_knowledge(path)  # valid by construction: validate must accept it
        assert _invoke(path, "validate").startswith("OK: ")
        for line in _invoke(path, "run", "-f", "json", *ANSWERS).splitlines():
            for condition in _strict(line)["conditions"]:
                assert 0 < condition["score"] <= 1 or condition["score"] == 0.0
        for fmt in (["-f", "markdown"], [], ["--details"]):
            _invoke(path, "run", *fmt, *ANSWERS)
        first = next(iter(knowledge.conditions.values()))
        assert first.name in _invoke(path, "lookup", first.id).replace("\n", " ")
        _invoke(path, "lookup", first.name)
        _invoke(path, "conditions")
        _invoke(path, "eval", *VIGNETTES)
        report = _invoke(path, "eval", "-f", "json", *VIGNETTES)
        if report:
            _strict(report)
