"""JSON batches whose lines come back through the shared memory file: the same bytes,
errors in the same places, whether the lines fit their slot, do not, or there is no
memory file at all."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from backcheck import batch
from backcheck.knowledge.model import Knowledge
from backcheck.pipeline import Format, run_files
from tests.conftest import OWN_VIGNETTES

PARALLEL = (os.cpu_count() or 1) > 1 and hasattr(os, "fork")


class _Sink:
    """A sink that takes UTF-8, logging what is written and what is reported, in order."""

    def __init__(self, *, slow: bool = False) -> None:
        """``slow``: the first write once the workers are at work (after the first chunk,
        which the main process assesses itself) takes a while, so they run ahead."""
        self.events: list[tuple[str, bytes | str]] = []
        self.slow = slow
        self.lines = 0

    def binary_writer(self) -> Callable[[bytes], None]:
        def write(data: bytes) -> None:
            self.lines += bytes(data).count(b"\n")
            if self.slow and self.lines > batch.CHUNK:
                time.sleep(0.5)  # the workers fill every slot they may meanwhile
                self.slow = False
            self.events.append(("out", bytes(data)))

        return write

    def write(self, text: str) -> int:
        raise AssertionError("a sink that takes UTF-8 gets no text")

    def flush(self) -> None:
        pass

    def report(self, message: str) -> None:
        self.events.append(("error", message))

    def stream(self) -> list[tuple[str, bytes | str]]:
        """The events with consecutive writes joined: what a reader of both streams sees."""
        joined: list[tuple[str, bytes | str]] = []
        for kind, value in self.events:
            if kind == "out" and joined and joined[-1][0] == "out":
                joined[-1] = ("out", joined[-1][1] + value)  # type: ignore[operator]
            else:
                joined.append((kind, value))
        return joined


def _files(tmp_path: Path, count: int) -> list[str]:
    """``count`` answer files from the own vignettes, with bad and missing ones among them
    (two in a row, and one as the very first file)."""
    sources = sorted(OWN_VIGNETTES.glob("*.yaml")) + sorted(
        (OWN_VIGNETTES.parent / "vignettes-v2").glob("*.yaml")
    )
    paths = [str(tmp_path / "missing.yaml")]
    for index in range(count):
        path = tmp_path / f"{index:04d}-{sources[index % len(sources)].name}"
        path.write_bytes(sources[index % len(sources)].read_bytes())
        paths.append(str(path))
        if index % 45 in (3, 4):
            bad = tmp_path / f"{index:04d}-bad.yaml"
            bad.write_text("answers: {fever: sometimes}\n", encoding="utf-8")
            paths.append(str(bad))
    return paths


def _run(
    knowledge: Knowledge, paths: list[str], *, slow: bool = False
) -> tuple[list[tuple[str, bytes | str]], int]:
    sink = _Sink(slow=slow)
    failures, _ = run_files(knowledge, paths, Format.JSON, sink, sink.report)  # type: ignore[arg-type]
    return sink.stream(), failures


@pytest.mark.parametrize("case", ["in-slots", "too-large-for-a-slot", "no-memory-file"])
def test_a_json_batch_through_the_spool_is_the_one_process_output(
    knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    # More chunks than there are slots: slots are reused
    paths = _files(tmp_path, (batch.IN_FLIGHT + 2) * batch.CHUNK + 40)
    taken: list[int] = []
    real_take = batch._Spool.take

    def take(self: batch._Spool, number: int, outcomes: list) -> bytes:  # type: ignore[type-arg]
        taken.append(number)
        return real_take(self, number, outcomes)

    monkeypatch.setattr(batch._Spool, "take", take)
    if case == "too-large-for-a-slot":
        monkeypatch.setattr(batch._Spool, "SLOT", 1000)  # smaller than any chunk's lines
    if case == "no-memory-file":
        monkeypatch.delattr(os, "memfd_create", raising=False)
    parallel = _run(knowledge, paths, slow=True)
    if PARALLEL and case == "in-slots":
        assert len(taken) == -(-(len(paths)) // batch.CHUNK)  # every chunk, by its slot
        assert max(taken) >= batch.IN_FLIGHT  # slots were reused
    else:
        assert not taken

    monkeypatch.setattr(batch, "PARALLEL_FROM", len(paths) + 1)  # one process, as before
    assert _run(knowledge, paths) == parallel

    stream, failures = parallel
    errors = [value for kind, value in stream if kind == "error"]
    assert errors[0] == f"{paths[0]}: no such file"
    assert failures == len(errors) == 1 + len([p for p in paths if p.endswith("-bad.yaml")])
    lines = b"".join(value for kind, value in stream if kind == "out").splitlines()  # type: ignore[misc]
    assert len(lines) == len(paths) - failures
