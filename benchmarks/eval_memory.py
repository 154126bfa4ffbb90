"""Peak memory and time of `backcheck eval` over 1,000 and 10,000 vignettes.

The vignettes are copies of the version-2 sets (the shared development set when it is
beside the project, and ours), each under its own id, written to a temporary folder.
`eval` keeps a few hundred bytes per case, so its memory should stay nearly flat.

    python benchmarks/eval_memory.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT.parent / "shared" / "vignettes-v2", ROOT / "tests" / "vignettes-v2"]


def write_copies(folder: Path, count: int) -> None:
    """``count`` vignettes in ``folder``, cycling through the version-2 sets."""
    texts = [
        p.read_text(encoding="utf-8")
        for s in SOURCES
        if s.is_dir()
        for p in sorted(s.glob("*.yaml"))
    ]
    for index in range(count):
        text = texts[index % len(texts)].replace("\nid: ", f"\nid: copy{index}-", 1)
        if text.startswith("id: "):
            text = f"id: copy{index}-" + text[4:]
        (folder / f"case{index:06d}.yaml").write_text(text, encoding="utf-8")


def peak_of(folder: Path) -> tuple[float, float]:
    """Peak resident memory (MiB; ru_maxrss is in KiB on Linux) and wall time (s) of one
    `backcheck eval -f json`."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "backcheck", "eval", "-f", "json", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"backcheck eval failed on {folder}")
    return usage.ru_maxrss / 1024, elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()}  cpus={os.cpu_count()} python {platform.python_version()}"
    )
    peaks: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            write_copies(folder, size)
            peak, elapsed = peak_of(folder)
            peaks.append(peak)
            print(f"{size:>7} vignettes: peak {peak:6.1f} MiB, {elapsed:5.1f} s")
    if len(peaks) > 1:
        print(f"growth from the smallest to the largest: {peaks[-1] / peaks[0]:.2f}x")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average after: {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
