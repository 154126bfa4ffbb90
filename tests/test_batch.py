"""Large JSON batches: run in parallel, yet in order, complete, and equal to one-by-one runs."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from backcheck.batch import PARALLEL_FROM, assess_to_json
from backcheck.cli.app import app
from backcheck.knowledge.model import Knowledge
from tests.conftest import OWN_VIGNETTES


def test_a_large_batch_keeps_order_and_reports_bad_files(
    runner: CliRunner, tmp_path: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    real_context = multiprocessing.get_context

    def spy(method: str) -> Any:
        context = real_context(method)
        real_pool = context.Pool

        def pool(processes: int, **kwargs: Any) -> Any:
            pools.append(processes)
            return real_pool(processes, **kwargs)

        monkeypatch.setattr(context, "Pool", pool)
        return context

    monkeypatch.setattr(multiprocessing, "get_context", spy)
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
    if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
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
