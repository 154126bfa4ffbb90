"""Shared fixtures: the shipped knowledge, paths, and a CLI runner with plain output."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

# Rich reads the environment when a console is built; keep captured output free of colour codes.
os.environ["TTY_COMPATIBLE"] = "0"
os.environ.pop("FORCE_COLOR", None)
# Keep the knowledge cache of test runs out of the user's own cache folder.
os.environ["BACKCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="backcheck-test-cache-")

from typer.testing import CliRunner

from backcheck.knowledge.loading import load_knowledge
from backcheck.knowledge.model import Knowledge

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_VIGNETTES = SHARED / "vignettes"
OWN_VIGNETTES = ROOT / "tests" / "vignettes"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped knowledge file, loaded once."""
    return load_knowledge()


@pytest.fixture
def runner() -> CliRunner:
    """A typer test runner."""
    return CliRunner()


@pytest.fixture(scope="session")
def check_vignettes() -> ModuleType:
    """The contract's independent checker (shared/tools/check_vignettes.py), as a second opinion."""
    path = SHARED / "tools" / "check_vignettes.py"
    spec = importlib.util.spec_from_file_location("check_vignettes", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def contract(check_vignettes: ModuleType) -> Any:
    """The contract's ids as read by the independent checker."""
    return check_vignettes.parse_contract(str(SHARED / "interview.md"))


def full_answers(**overrides: Any) -> dict[str, Any]:
    """A complete, benign answer set (every red flag answered no), with overrides."""
    answers: dict[str, Any] = {
        "sensation": ("pain",),
        "location": ("lower_back",),
        "spread": "none",
        "onset": "gradual",
        "duration": "days",
        "course": "improving",
        "worse_with": ("bending_or_twisting",),
        "better_with": ("rest",),
        "triggers": ("heavy_lifting",),
        "bladder_bowel": "no",
        "saddle_numbness": "no",
        "leg_weakness": "no",
        "walking_balance": "no",
        "fever": "no",
        "injury": "none",
        "weight_loss": "no",
        "night_pain": "no",
        "other_symptoms": (),
        "history": (),
        "age": 35,
        "impact": "mild",
    }
    answers.update(overrides)
    return answers
