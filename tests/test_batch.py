"""Large JSON batches: run in parallel, yet in order, complete, and equal to one-by-one runs."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from backcheck import forked
from backcheck.batch import PARALLEL_FROM, assess_to_json
from backcheck.cli.app import app
from backcheck.knowledge.model import Knowledge
from backcheck.output import fhir
from tests.conftest import OWN_VIGNETTES


def test_a_large_batch_keeps_order_and_reports_bad_files(
    runner: CliRunner, tmp_path: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    real_in_order = forked.in_order

    def spy(work: Any, count: int, workers: int, **kwargs: Any) -> Any:
        pools.append(workers)
        return real_in_order(work, count, workers, **kwargs)

    monkeypatch.setattr(forked, "in_order", spy)
    sources = sorted(OWN_VIGNETTES.glob("*.yaml"))
    paths = []
    for index in range(PARALLEL_FROM + 50):
        answers = yaml.safe_load(sources[index % len(sources)].read_text(encoding="utf-8"))[
            "answers"
        ]
        answers["age"] = 18 + index % 70
        path = tmp_path / f"case-{index:04d}.yaml"
        path.write_text(yaml.safe_dump({"answers": answers}), encoding="utf-8")
        paths.append(str(path))
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers: {fever: sometimes}\n", encoding="utf-8")
    paths.insert(120, str(bad))

    result = runner.invoke(app, ["run", "-f", "json", *paths])

    assert result.exit_code == 2
    if (os.cpu_count() or 1) > 1 and hasattr(os, "fork"):
        assert pools, "a batch this size runs on several processes"
    assert (
        result.stderr.strip()
        == f"error: {bad}: fever: 'sometimes' is not an answer; allowed: yes, no"
    )
    lines = result.stdout.splitlines()
    good = [p for p in paths if p != str(bad)]
    assert [json.loads(line)["source"] for line in lines] == good
    for line, good_path in zip(lines[::37], good[::37], strict=True):
        expected, error, _ = assess_to_json(knowledge, good_path)
        assert error is None
        assert line == expected


class _Stream(io.StringIO):
    """Standard output: a file, or with ``terminal`` a terminal."""

    def __init__(self, *, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


class _Frozen(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Frozen:
        return cls(2026, 12, 1, 9, 30, tzinfo=tz)


def _mixed_files(tmp_path: Path) -> tuple[list[str], list[str]]:
    """More files than PARALLEL_FROM, every own vignette, with bad and missing files among
    them; and the errors expected, in order."""
    sources = sorted(OWN_VIGNETTES.glob("*.yaml")) + sorted(
        (OWN_VIGNETTES.parent / "vignettes-v2").glob("*.yaml")
    )
    paths = []
    errors = []
    for index in range(PARALLEL_FROM + 30):
        source = sources[index % len(sources)]
        path = tmp_path / f"{index:04d}-{'[b]' if index % 7 == 0 else ''}{source.name}"
        path.write_bytes(source.read_bytes())
        paths.append(str(path))
        if index % 60 == 1:  # bad files, the first before any good one has been written
            bad = tmp_path / f"{index:04d}-bad.yaml"
            bad.write_text("answers: {fever: sometimes}\n", encoding="utf-8")
            paths.append(str(bad))
            errors.append(f"{bad}: fever: 'sometimes' is not an answer; allowed: yes, no")
    paths.insert(0, str(tmp_path / "missing.yaml"))
    errors.insert(0, f"{tmp_path / 'missing.yaml'}: no such file")
    paths.insert(1, str(tmp_path / "0000-bad.yaml"))
    (tmp_path / "0000-bad.yaml").write_text("answers: [\n", encoding="utf-8")
    return paths, errors


@pytest.mark.parametrize(
    ("fmt", "details", "terminal"),
    [
        ("markdown", False, False),
        ("rich", False, False),
        ("rich", True, False),
        ("rich", False, True),
        ("fhir", False, False),
    ],
    ids=["markdown", "rich", "rich-details", "rich-terminal", "fhir"],
)
def test_a_large_text_batch_is_the_one_process_output_byte_for_byte(
    knowledge: Knowledge,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    details: bool,
    terminal: bool,
) -> None:
    from backcheck import batch
    from backcheck.pipeline import Format, run_files

    monkeypatch.setenv("COLUMNS", "90")  # a terminal's width, colours and frames
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)  # rich may take a terminal as one
    # Each FHIR Bundle is stamped with the time it is made (its ids too): one time for all.
    monkeypatch.setattr(fhir, "dt", SimpleNamespace(datetime=_Frozen, UTC=dt.UTC))
    paths, errors = _mixed_files(tmp_path)
    pools: list[int] = []
    real_in_order = forked.in_order

    def spy(work: Any, count: int, *rest: Any, **kwargs: Any) -> Any:
        pools.append(count)
        return real_in_order(work, count, *rest, **kwargs)

    def run() -> tuple[str, list[str], int, Any]:
        sink = _Stream(terminal=terminal)
        reported: list[str] = []
        failures, worst = run_files(
            knowledge, paths, Format(fmt), sink, reported.append, details=details
        )
        return sink.getvalue(), reported, failures, worst

    monkeypatch.setattr(forked, "in_order", spy)
    parallel = run()
    if (os.cpu_count() or 1) > 1 and hasattr(os, "fork"):
        assert pools, "a batch this size runs on several processes"
    monkeypatch.setattr(batch, "PARALLEL_FROM", len(paths) + 1)  # one process, as before
    pools.clear()
    one_process = run()
    assert not pools
    assert parallel == one_process
    text, reported, failures, _ = parallel
    assert reported[0] == errors[0]
    assert reported[1].startswith(f"{paths[1]}: not valid YAML")
    assert reported[2:] == errors[1:]
    assert failures == len(errors) + 1
    if terminal:
        assert "\x1b[" in text  # colours and frames, as on a terminal
        assert "╭" in text
    if fmt == "markdown":
        assert text.count("\n---\n\n# backcheck report: ") == len(paths) - failures
