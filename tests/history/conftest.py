"""Fixtures for the history: a private home folder per test and dated answer files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from typer.testing import CliRunner

from backcheck.cli.app import app
from tests.conftest import full_answers

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BACKCHECK_HOME for this test alone (not made yet: backcheck makes it)."""
    folder = tmp_path / "home"
    monkeypatch.setenv("BACKCHECK_HOME", str(folder))
    return folder


def answer_file(folder: Path, name: str, **overrides: Any) -> Path:
    """A benign version-2 answer file (conftest.full_answers) with ``overrides``."""
    answers = {
        k: list(v) if isinstance(v, tuple) else v for k, v in full_answers(**overrides).items()
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"version": 2, "answers": answers}), encoding="utf-8")
    return path


def day(offset: int) -> str:
    """A date ``offset`` days after 1 March 2025 (always in the past)."""
    return (dt.date(2025, 3, 1) + dt.timedelta(days=offset)).isoformat()


def invoke(*args: str) -> Result:
    """Run backcheck with these arguments."""
    return CliRunner().invoke(app, list(args))
