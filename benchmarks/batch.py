"""Batch throughput and memory of `backcheck run --format json` over many answer files.

Writes N answer files (the vignettes, with ages varied so no two are alike) to a
temporary folder and runs one `backcheck run -f json` over all of them, for several N.
Prints files per second (median over rounds) and the peak memory of the run, which
should stay flat as N grows (results are streamed, not collected). Target: at least
2,000 files per second at 10,000 files.

    python benchmarks/batch.py [--sizes 1000 5000 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT.parent / "shared" / "vignettes").glob("*.yaml")),
    *sorted((ROOT / "tests" / "vignettes").glob("*.yaml")),
]
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(elapsed, peak, done.returncode)\n"
)


def write_files(folder: Path, count: int) -> list[str]:
    answers = [yaml.safe_load(p.read_text(encoding="utf-8"))["answers"] for p in SOURCES]
    paths = []
    for index in range(count):
        data = dict(answers[index % len(answers)])
        data["age"] = 18 + index % 80
        path = folder / f"case-{index:05d}.yaml"
        path.write_text(yaml.safe_dump({"answers": data}, sort_keys=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "backcheck"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "backcheck"]

    with tempfile.TemporaryDirectory(prefix="backcheck-batch-") as tmp:
        paths = write_files(Path(tmp), max(args.sizes))
        env = {**os.environ, "BACKCHECK_CACHE_DIR": str(Path(tmp) / "cache")}
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.rounds} rounds each")
        print(f"{'files':>7} {'median s':>9} {'files/s':>9} {'min files/s':>12} {'peak MiB':>9}")
        for size in args.sizes:
            rates, peaks, seconds = [], [], []
            for _ in range(args.rounds):
                out = subprocess.run(
                    [sys.executable, "-c", MEASURE, *command, "run", "-f", "json", *paths[:size]],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                ).stdout.split()
                elapsed, peak, status = float(out[0]), int(out[1]), int(out[2])
                if status != 0:
                    raise SystemExit(f"backcheck exited with {status}")
                seconds.append(elapsed)
                rates.append(size / elapsed)
                peaks.append(peak / 1024)
            print(
                f"{size:7d} {statistics.median(seconds):9.2f} {statistics.median(rates):9.0f} "
                f"{min(rates):12.0f} {max(peaks):9.1f}"
            )
    print("target: at least 2000 files/s at 10000 files, peak memory flat as files grow")


if __name__ == "__main__":
    time.sleep(0)
    main()
