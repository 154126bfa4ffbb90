"""Shared fixtures: the shipped knowledge, paths, and a CLI runner with plain output."""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
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
# And the history of checks out of the user's own data folder (see HOME_CHOICE below).
os.environ["BACKCHECK_HOME"] = tempfile.mkdtemp(prefix="backcheck-test-home-")

from typer.testing import CliRunner

from backcheck.knowledge.loading import load_knowledge
from backcheck.knowledge.model import Knowledge

_TEST_FOLDERS = (os.environ["BACKCHECK_CACHE_DIR"], os.environ["BACKCHECK_HOME"])
_TEST_PID = os.getpid()


@atexit.register
def _remove_test_folders() -> None:
    # A test run leaves nothing in the temporary folder (a forked child that exits
    # normally runs this too: only the process that made the folders removes them).
    if os.getpid() == _TEST_PID:
        for folder in _TEST_FOLDERS:
            shutil.rmtree(folder, ignore_errors=True)


# "No history" is chosen in the shared test home, so an interview in a real terminal is not
# asked the opt-in question (tests/history gives each test its own undecided folder).
HOME_CHOICE = Path(os.environ["BACKCHECK_HOME"], "settings.json")
HOME_CHOICE.write_text('{"keep_history": false}\n', encoding="utf-8")

ROOT = Path(__file__).resolve().parent.parent
# The shared material (development vignettes, the contract and its independent floor
# checker) lives outside this repository. CI passes its folder in BACKCHECK_SHARED and
# fails when it is missing; without the variable those tests are skipped, with a reason.
SHARED_REASON = "BACKCHECK_SHARED is not set (the shared vignettes and floor checker)"
_shared = os.environ.get("BACKCHECK_SHARED")
if _shared and not Path(_shared).is_dir():
    raise RuntimeError(f"BACKCHECK_SHARED={_shared}: no such folder")
SHARED = Path(_shared) if _shared else None
# A placeholder path when unset: every test that reads it is marked NEEDS_SHARED.
DEV_VIGNETTES = SHARED / "vignettes" if SHARED else ROOT / "missing-shared-vignettes"
NEEDS_SHARED = pytest.mark.skipif(SHARED is None, reason=SHARED_REASON)
OWN_VIGNETTES = ROOT / "tests" / "vignettes"
EXAMPLES = ROOT / "examples"


def children_of(pid: int) -> list[int]:
    """The processes ``pid`` has forked and not yet waited for (from Linux's /proc; none
    where there is no such file)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped knowledge file, loaded once."""
    return load_knowledge()


@pytest.fixture
def runner() -> CliRunner:
    """A typer test runner."""
    return CliRunner()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder from BACKCHECK_SHARED; the test is skipped, with a reason, without it."""
    if SHARED is None:
        pytest.skip(SHARED_REASON)
    return SHARED


@pytest.fixture(scope="session")
def check_vignettes(shared: Path) -> ModuleType:
    """The contract's independent checker (shared/tools/check_vignettes.py), as a second opinion."""
    path = shared / "tools" / "check_vignettes.py"
    spec = importlib.util.spec_from_file_location("check_vignettes", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def contract(check_vignettes: ModuleType, shared: Path) -> Any:
    """The contract's ids as read by the independent checker."""
    return check_vignettes.parse_contract(str(shared / "interview.md"))


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
        # contract version 2
        "sex": "male",
        "sexual_function": "no",
        "chest_symptoms": "no",
        "abdominal_pain": "no",
        "fainting": "no",
        "urinary_symptoms": "no",
        "colicky_pain": "no",
        "vomiting": "no",
    }
    answers.update(overrides)
    return answers
