"""Bounded cost: the time and peak memory of `backcheck validate` on knowledge files made
to be expensive, each as large as backcheck accepts, and of `run` on the largest answer file.

    python benchmarks/bounded_cost.py [--only NAME]

Each case runs in a fresh process (no cache), so the figures are what a user would see. The
guarantee (README, "Reliability") is under 10 s and 1 GiB per knowledge file and under 1 s
per answer file; this script prints the figures and does not judge them.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backcheck.textfile import MAX_ANSWER_FILE_BYTES, MAX_KNOWLEDGE_FILE_BYTES  # noqa: E402

SHIPPED: dict[str, Any] = yaml.safe_load((ROOT / "data" / "knowledge.yaml").read_text())
LIMIT = MAX_KNOWLEDGE_FILE_BYTES - 4096  # just under the limit


def _fill(make: Callable[[int], str], limit: int = LIMIT) -> str:
    """The largest text ``make(n)`` under ``limit`` bytes (sizes grow about linearly in n)."""
    small, large = len(make(100).encode()), len(make(1100).encode())
    per_unit = max((large - small) / 1000, 1e-3)
    n = max(int(100 + (limit - small) / per_unit), 1)
    text = make(n)
    while len(text.encode()) >= limit and n > 1:
        n = int(n * 0.99)
        text = make(n)
    return text


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, width=10**6)


def _replicated(n: int) -> dict[str, Any]:
    data = copy.deepcopy(SHIPPED)
    base = data["conditions"]
    for copy_number in range(n):
        for condition in base[:5]:
            twin = copy.deepcopy(condition)
            twin["id"] = f"{condition['id']}_{copy_number}"
            data["conditions"].append(twin)
    return data


def replicated(n: int) -> str:
    """Valid knowledge: five shipped conditions copied n times under new ids."""
    return _dump(_replicated(n))


def unknown_references(n: int) -> str:
    """One condition naming n warning signs that do not exist (each gets a did-you-mean)."""
    data = copy.deepcopy(SHIPPED)
    data["conditions"][0]["warning_signs"] = [f"fevr{i}" for i in range(n)]
    return _dump(data)


def many_entries(n: int) -> str:
    """n triggers (each id checked for duplicates and every reference resolved)."""
    data = copy.deepcopy(SHIPPED)
    text = "a trigger with a long enough name"
    data["triggers"] += [{"id": f"t{i}", "name": text, "summary": text} for i in range(n)]
    data["conditions"][0]["triggers"] = [f"t{i}" for i in range(n)]
    return _dump(data)


def duplicate_ids(n: int) -> str:
    """n triggers with the same id."""
    data = copy.deepcopy(SHIPPED)
    text = "a trigger with a long enough name"
    data["triggers"] += [{"id": "dup", "name": text, "summary": text} for _ in range(n)]
    return _dump(data)


def many_options(n: int) -> str:
    """A question with n options, and a finding testing them all."""
    data = copy.deepcopy(SHIPPED)
    question = next(q for q in data["questions"] if q["id"] == "sensation")
    question["options"] += [{"id": f"o{i}", "label": "an option label"} for i in range(n)]
    data["conditions"][0]["findings"][0]["when"] = {"sensation": [f"o{i}" for i in range(n)]}
    return _dump(data)


def unknown_options(n: int) -> str:
    """A finding testing n options that do not exist."""
    data = copy.deepcopy(SHIPPED)
    data["conditions"][0]["findings"][0]["when"] = {"sensation": [f"tinglin{i}" for i in range(n)]}
    return _dump(data)


def unknown_fields(n: int) -> str:
    """A condition with n unknown fields."""
    data = copy.deepcopy(SHIPPED)
    data["conditions"][0].update({f"nam{i}": 1 for i in range(n)})
    return _dump(data)


def long_names(n: int) -> str:
    """An unknown section and an unknown reference, each one very long name."""
    data = copy.deepcopy(SHIPPED)
    data["conditions"][0]["warning_signs"] = ["fever" + "x" * n]
    data["settings" + "s" * n] = 1
    return _dump(data)


def tiny_scalars(n: int) -> str:
    """n one-character values: as many nodes as bytes allow."""
    return "version: 1\nmore:\n" + "- 1\n" * n


def flow_scalars(n: int) -> str:
    """n one-character values in a flow list (JSON is tried first)."""
    return "[" + "1," * n + "1]"


def replicated_json(n: int) -> str:
    """The replicated knowledge as JSON."""
    return json.dumps(_replicated(n))


CASES: dict[str, Callable[[int], str]] = {
    "replicated": replicated,
    "unknown_references": unknown_references,
    "many_entries": many_entries,
    "duplicate_ids": duplicate_ids,
    "many_options": many_options,
    "unknown_options": unknown_options,
    "unknown_fields": unknown_fields,
    "long_names": long_names,
    "tiny_scalars": tiny_scalars,
    "flow_scalars": flow_scalars,
    "replicated_json": replicated_json,
}

PROBE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "took = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "lines = (done.stdout + done.stderr).splitlines()\n"
    "print(f'{took:.2f}\\t{peak:.0f}\\t{done.returncode}\\t{len(lines)}\\t' + "
    "(lines[0][:90] if lines else ''))\n"
)


def measure(args: list[str]) -> list[str]:
    """Seconds, peak MiB, exit status, output lines and the first line of one run."""
    env = {**os.environ, "BACKCHECK_NO_CACHE": "1"}
    command = [sys.executable, "-c", PROBE, sys.executable, "-m", "backcheck", *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return result.stdout.rstrip("\n").split("\t")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES), help="run one case")
    options = parser.parse_args()
    print(f"knowledge files up to {MAX_KNOWLEDGE_FILE_BYTES // 1024} KiB (backcheck validate)")
    print(f"{'case':<20} {'KiB':>6} {'s':>6} {'MiB':>6} {'exit':>4} {'lines':>6}  first line")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CASES.items():
            if options.only and name != options.only:
                continue
            started = time.perf_counter()
            text = _fill(make)
            suffix = ".json" if name.endswith("json") else ".yaml"
            path = Path(folder) / f"{name}{suffix}"
            path.write_text(text)
            made = time.perf_counter() - started
            took, peak, status, lines, first = measure(["validate", str(path)])
            size = len(text.encode()) // 1024
            print(f"{name:<20} {size:>6} {took:>6} {peak:>6} {status:>4} {lines:>6}  {first}")
            print(f"{'':<20} (made in {made:.1f} s)", file=sys.stderr)
        if not options.only:
            answers = Path(folder) / "answers.yaml"
            many = lambda n: "answers:\n  sensation: [pain" + ", tingling" * n + "]\n"  # noqa: E731
            answers.write_text(_fill(many, MAX_ANSWER_FILE_BYTES))
            took, peak, status, lines, first = measure(["run", "-f", "json", str(answers)])
            size = answers.stat().st_size // 1024
            print(f"\nanswer files up to {MAX_ANSWER_FILE_BYTES // 1024} KiB (backcheck run)")
            print(f"{'largest accepted':<20} {size:>6} {took:>6} {peak:>6} {status:>4} {lines:>6}")


if __name__ == "__main__":
    main()
