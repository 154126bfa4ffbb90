"""The JSON of every vignette stays byte-for-byte what it was (speed work must not change it).

``tests/golden/vignette_json.sha256`` holds, for every vignette of both contract versions
(ours and the shared development sets), the SHA-256 of the exact bytes that
``backcheck run -f json FILE`` prints when run in the vignette's folder. A change meant to
alter results (new knowledge, a new field) regenerates it on purpose:

    BACKCHECK_SHARED=../shared python -m tests.test_json_stable
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcheck import batch
from backcheck.cli.app import app
from tests.conftest import NEEDS_SHARED, OWN_VIGNETTES, SHARED

GOLDEN = Path(__file__).resolve().parent / "golden" / "vignette_json.sha256"
OWN = {
    "tests/vignettes": OWN_VIGNETTES,
    "tests/vignettes-v2": OWN_VIGNETTES.parent / "vignettes-v2",
}
DEV = {f"shared/{name}": SHARED / name for name in ("vignettes", "vignettes-v2")} if SHARED else {}


def _golden() -> dict[str, str]:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return {key: digest for digest, key in (line.split("  ", 1) for line in lines)}


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def _json_of(folder: Path, names: list[str]) -> bytes:
    """What `backcheck run -f json NAMES...` prints in ``folder`` (it must succeed)."""
    with _inside(folder):
        done = CliRunner().invoke(app, ["run", "-f", "json", *names])
    assert done.exit_code == 0, done.output
    return done.stdout_bytes


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.yaml"))


def _cases() -> list[object]:
    cases: list[object] = [pytest.param(key, folder, id=key) for key, folder in OWN.items()]
    for name in ("vignettes", "vignettes-v2"):
        key = f"shared/{name}"
        cases.append(pytest.param(key, DEV.get(key), id=key, marks=NEEDS_SHARED))
    return cases


@pytest.mark.parametrize(("key", "folder"), _cases())
def test_every_vignette_prints_the_json_it_always_did(key: str, folder: Path) -> None:
    golden = _golden()
    names = _files(folder)
    expected = {f"{key}/{name}": golden.get(f"{key}/{name}") for name in names}
    assert len(names) >= 40
    actual = {
        f"{key}/{name}": hashlib.sha256(_json_of(folder, [name])).hexdigest() for name in names
    }
    changed = sorted(k for k in actual if actual[k] != expected[k])
    assert not changed, f"JSON changed for {len(changed)} vignettes, first: {changed[:3]}"


@pytest.mark.parametrize(("key", "folder"), _cases())
def test_a_parallel_batch_prints_the_same_lines_in_order(
    key: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)  # every folder goes through the pool,
    monkeypatch.setattr(batch, "CHUNK", 3)  # in many chunks, the last one short,
    monkeypatch.setattr(batch, "IN_FLIGHT", 2)  # few of them handed out at a time
    golden = _golden()
    names = _files(folder)
    lines = _json_of(folder, names).splitlines(keepends=True)
    assert [hashlib.sha256(line).hexdigest() for line in lines] == [
        golden[f"{key}/{name}"] for name in names
    ]


def main() -> None:
    """Write the golden file from the current code (only for an intended change)."""
    if SHARED is None:
        sys.exit("set BACKCHECK_SHARED to the shared folder: the golden file covers both sets")
    rows = []
    for key, folder in {**OWN, **DEV}.items():
        for name in _files(folder):
            rows.append(f"{hashlib.sha256(_json_of(folder, [name])).hexdigest()}  {key}/{name}")
    GOLDEN.write_text("\n".join(sorted(rows, key=lambda r: r.split("  ")[1])) + "\n", "utf-8")
    print(f"wrote {len(rows)} digests to {GOLDEN}")


if __name__ == "__main__":
    main()
