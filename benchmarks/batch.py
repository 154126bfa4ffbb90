"""Batch throughput, scaling over processes, memory, and where the time goes per file.

Writes N version-2 answer files (the version-2 vignettes, with ages varied so no two are
alike) to a temporary folder and runs one `backcheck run -f json` over them:

- written to a new file and, separately, through a pipe that this script drains (and to
  the file of the run before, replacing it, for what that adds);
- with one CPU and with two (the worker count follows the CPUs the process may use);
- at several sizes, with the peak memory of the run (it should stay flat as N grows),
  the names given as arguments and, separately, with --files-from.

Next to the 1 to 2 CPUs gain it measures the machine's own: two independent CPU-bound
processes at once against one alone; and the same batch's own: two whole one-CPU batches
at once, one on each CPU, against one alone (what two CPUs give this work, memory and
caches shared as they are, with no cost of splitting a batch).

Each figure is the median of the rounds with the spread (min to max). Then, in this
process, it times every stage per file (read, parse, validate, assess: warning signs,
scores, explanations; encode) next to the limit measured in the same run: read + parse +
encode of the same result with the fastest JSON encoder installed (orjson if present).
Targets: 4,000 files/s at 10,000 files on two cores, 1 to 2 CPUs at least 1.7x, peak
memory within 10% from 1,000 to 50,000 files, backcheck/limit at most 1.6; markdown and
the default format at least 1,500 files/s.

    python benchmarks/batch.py [--sizes 1000 10000 50000] [--rounds 3] [--sample 2000]
    python benchmarks/batch.py --text-only [--text-size 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT.parent / "shared" / "vignettes-v2").glob("*.yaml")),
    *sorted((ROOT / "tests" / "vignettes-v2").glob("*.yaml")),
]
# Runs the command with its output to a file or a drained pipe; prints seconds, peak KiB,
# exit status and the CPU seconds of every process of the run. The file is a new one each
# time: the last run's output is removed first, and its writing back finished, untimed.
# Replacing it in the run instead ("replace:PATH") also times the file system's work on
# the old file, not backcheck's: on ext4, truncating 190 MB and writing the new file out
# when it is closed (auto_da_alloc), about 0.1 s a run, with one CPU or two alike.
MEASURE = """\
import os, resource, subprocess, sys, time
mode, argv = sys.argv[1], sys.argv[2:]
if mode.startswith("replace:"):
    mode = mode.removeprefix("replace:")
elif mode != "pipe":
    try:
        os.unlink(mode)
    except FileNotFoundError:
        pass
    os.sync()
start = time.perf_counter()
if mode == "pipe":
    child = subprocess.Popen(argv, stdout=subprocess.PIPE)
    while child.stdout.read(1 << 16):
        pass
    status = child.wait()
else:
    with open(mode, "wb") as sink:
        status = subprocess.run(argv, stdout=sink).returncode
elapsed = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, used.ru_maxrss, status, used.ru_utime + used.ru_stime)
"""


def write_files(folder: Path, count: int) -> list[str]:
    """``count`` answer files named c00000.yaml... in ``folder`` (short names: long lists)."""
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in SOURCES]
    names = []
    for index in range(count):
        case = cases[index % len(cases)]
        answers = dict(case["answers"])
        # pregnancy is asked from 12 to 55 only: keep those ages in range
        oldest = 55 if "pregnancy" in answers else 95
        answers["age"] = 18 + (index // len(cases) * 7 + index) % (oldest - 17)
        name = f"c{index:05d}.yaml"
        text = yaml.safe_dump({"version": 2, "answers": answers}, sort_keys=False)
        (folder / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    """The median with the min to max range."""
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{fmt.format(mid)} ({fmt.format(low)}-{fmt.format(high)})"


def backcheck_command() -> list[str]:
    """How to run the backcheck installed beside this Python."""
    script = Path(sys.executable).parent / "backcheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "backcheck"]


def measured_run(
    command: list[str], names: list[str], folder: Path, sink: str, cpus: int | None, fmt: str
) -> tuple[float, float, float]:
    """Seconds, peak MiB and CPU seconds (every process) of one `run -f FMT` over ``names``."""
    prefix = ["taskset", "-c", ",".join(str(c) for c in range(cpus))] if cpus else []
    return _figures(_measuring([*prefix, *command, "run", "-f", fmt, *names], folder, sink))


def _figures(run: subprocess.Popen[str]) -> tuple[float, float, float]:
    """Seconds, peak MiB and CPU seconds that a MEASURE script printed, once it is done."""
    out = run.communicate()[0].split()
    if int(out[2]) != 0:
        raise SystemExit(f"backcheck exited with {out[2]}")
    return float(out[0]), int(out[1]) / 1024, float(out[3])


def _measuring(argv: list[str], folder: Path, sink: str) -> subprocess.Popen[str]:
    """The MEASURE script started on ``argv``, its figures to be read from its stdout."""
    return subprocess.Popen(
        [sys.executable, "-c", MEASURE, sink, *argv],
        stdout=subprocess.PIPE,
        text=True,
        cwd=folder,
        env={**os.environ, "BACKCHECK_CACHE_DIR": str(folder.parent / "cache")},
    )


def two_batches_at_once(command: list[str], names: list[str], folder: Path) -> float:
    """Seconds for two independent one-CPU batches of ``names`` at once, one on each CPU:
    the work of two batches, with no cost of splitting one (start-up, first files and
    copying paid twice, in parallel)."""
    start = time.perf_counter()
    runs = [
        _measuring(
            ["taskset", "-c", str(cpu), *command, "run", "-f", "json", *names],
            folder,
            str(folder.parent / f"out-{cpu}.jsonl"),
        )
        for cpu in (0, 1)
    ]
    for run in runs:
        _figures(run)
    return time.perf_counter() - start


def timed_run(
    command: list[str], names: list[str], folder: Path, sink: str, cpus: int | None, fmt: str
) -> tuple[float, float]:
    """Seconds and peak MiB of one `run -f FMT` over ``names``."""
    seconds, peak, _ = measured_run(command, names, folder, sink, cpus, fmt)
    return seconds, peak


SPIN = "x = 0\nfor i in range(20_000_000):\n    x += i\n"


def machine_ceiling() -> float:
    """How much more work two CPUs do than one on this machine now: one CPU-bound Python
    process alone, then two at once (the work of two in the time they take)."""

    def spin(count: int) -> float:
        start = time.perf_counter()
        children = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(count)]
        for child in children:
            child.wait()
        return time.perf_counter() - start

    alone = spin(1)
    return 2 * alone / spin(2)


def throughput(args: argparse.Namespace, folder: Path, names: list[str]) -> None:
    command = backcheck_command()
    out_file = str(folder.parent / "out.jsonl")
    timed_run(command, names[:200], folder, out_file, None, "json")  # warm the caches
    size = args.main_size
    print(f"\n`run -f json`, {size} files, median (min-max) of {args.rounds} rounds")
    print(f"{'output':28} {'files/s':>22} {'peak MiB':>10}")
    rates: dict[str, list[float]] = {}
    cases = [
        ("file, 1 CPU", out_file, 1),
        ("file, 2 CPUs", out_file, 2),
        ("drained pipe, 2 CPUs", "pipe", 2),
        ("file replaced, 1 CPU", f"replace:{out_file}", 1),
        ("file replaced, 2 CPUs", f"replace:{out_file}", 2),
    ]
    results: dict[str, tuple[list[float], list[float]]] = {c[0]: ([], []) for c in cases}
    workload: list[float] = []  # the same batch's own 1 to 2 CPUs, as two batches
    for _ in range(args.rounds):  # every case once per round: noise hits them alike
        for label, sink, cpus in cases:
            seconds, peak = timed_run(command, names[:size], folder, sink, cpus, "json")
            results[label][0].append(size / seconds)
            results[label][1].append(peak)
        alone = size / results["file, 1 CPU"][0][-1]
        workload.append(2 * alone / two_batches_at_once(command, names[:size], folder))
    for label, (rate, peaks) in results.items():
        rates[label] = rate
        print(f"{label:28} {spread(rate):>22} {max(peaks):10.1f}")

    def gain(output: str) -> str:  # round by round: noise hits both runs of a round alike
        one, two = rates[f"{output}, 1 CPU"], rates[f"{output}, 2 CPUs"]
        return spread([b / a for a, b in zip(one, two, strict=True)], "{:.2f}")

    print(f"1 to 2 CPUs: {gain('file')}x (target at least 1.7x)")
    print(
        f"the same, each run replacing the last one's output: {gain('file replaced')}x "
        "(the file system's work on the old file timed too)"
    )
    ceiling = [machine_ceiling() for _ in range(args.rounds)]
    print(
        f"the machine's own 1 to 2 CPUs: {spread(ceiling, '{:.2f}')}x "
        "(two independent CPU-bound processes against one alone)"
    )
    print(
        f"the same batch's own 1 to 2 CPUs: {spread(workload, '{:.2f}')}x (two whole batches "
        "at once, one a CPU, against one alone: what the machine gives this work)"
    )

    print("\npeak memory by batch size (`run -f json` to a file, 2 CPUs, 2 rounds)")
    print("(names as arguments, which Python keeps several times over, and --files-from)")
    listing = folder.parent / "names.txt"
    for n in args.sizes:
        listing.write_text("".join(f"{name}\n" for name in names[:n]), encoding="utf-8")
        for how, given in (("arguments", names[:n]), ("--files-from", [f"--files-from={listing}"])):
            runs = [timed_run(command, given, folder, out_file, 2, "json") for _ in range(2)]
            rate = [n / s for s, _ in runs]
            peak = max(p for _, p in runs)
            print(f"{n:7d} files, {how:12}: {spread(rate):>22} files/s, peak {peak:.1f} MiB")

    text_throughput(args, folder, names)


def text_throughput(args: argparse.Namespace, folder: Path, names: list[str]) -> None:
    """`run -f markdown` and the default format over ``--text-size`` files, to a file."""
    command = backcheck_command()
    out_file = str(folder.parent / "out.txt")
    size = args.text_size
    timed_run(command, names[:200], folder, out_file, None, "markdown")  # warm the caches
    print(f"\nother formats, {size} files to a file, 2 CPUs, median (min-max) of {args.rounds}")
    print("rounds (target 1,500 files/s)")
    print(f"{'':13} {'files/s':>22} {'CPU µs a file, all processes':>30}")
    # JSON alongside, for scale: the same files read and assessed, with no advice to pick
    rates: dict[str, tuple[list[float], list[float]]] = {
        fmt: ([], []) for fmt in ("markdown", "rich", "json")
    }
    for _ in range(args.rounds):  # every format once per round: noise hits them alike
        for fmt, (rate, cpu) in rates.items():
            seconds, _, cpu_seconds = measured_run(command, names[:size], folder, out_file, 2, fmt)
            rate.append(size / seconds)
            cpu.append(cpu_seconds / size * 1e6)
    for fmt, (rate, cpu) in rates.items():
        note = " (for scale)" if fmt == "json" else ""
        print(f"-f {fmt:10} {spread(rate):>22} {spread(cpu):>30}{note}")


def stages(folder: Path, names: list[str]) -> None:
    """Per-file time of every stage, in this process, against the limit."""
    from backcheck import engine
    from backcheck.answers import check_answer_file, read_answer_file
    from backcheck.knowledge.loading import load_knowledge
    from backcheck.output.jsonout import to_dict, to_json_line
    from backcheck.textfile import parse_text, read_text

    knowledge = load_knowledge()
    paths = [str(folder / n) for n in names]
    try:
        import orjson

        fastest: Callable[[Any], Any] = orjson.dumps
        encoder = f"orjson {orjson.__version__}"
    except ImportError:
        import json

        fastest, encoder = json.dumps, "json (orjson is not installed)"

    def per_file(step: Callable[[str], object]) -> float:
        # CPU time: on a shared machine it moves far less than wall time
        start = time.process_time()
        for path in paths:
            step(path)
        return (time.process_time() - start) / len(paths) * 1e6

    texts = {p: read_text(Path(p), label=p) for p in paths}
    raws = {p: read_answer_file(p) for p in paths}
    files = {p: check_answer_file(raws[p], knowledge) for p in paths}
    results = {p: engine.assess(knowledge, files[p].answers, 2, with_advice=False) for p in paths}
    signs = engine._index_of(knowledge).signs
    rows: dict[str, list[float]] = {}
    steps: dict[str, Callable[[str], object]] = {
        "read": lambda p: read_text(Path(p), label=p),
        "parse": lambda p: parse_text(texts[p], json_first=False),
        "validate": lambda p: check_answer_file(raws[p], knowledge),
        "assess (as for JSON)": lambda p: engine.assess(
            knowledge, files[p].answers, 2, with_advice=False
        ),
        # the first two work everything out afresh, as a reference; the ranking with its
        # explanations is what assess does, from what the engine keeps
        "  warning signs, afresh": lambda p: [check(files[p].answers) for _, check in signs],
        "  scores alone, afresh": lambda p: engine.score_conditions(knowledge, files[p].answers),
        "  ranking, as assess does": lambda p: engine.rank_conditions(knowledge, files[p].answers),
        "encode": lambda p: to_json_line(results[p], p),
        "limit: encode (fastest)": lambda p: fastest(to_dict(results[p], p)),
    }
    for _ in range(5):
        for label, step in steps.items():
            rows.setdefault(label, []).append(per_file(step))
    med = {label: statistics.median(v) for label, v in rows.items()}
    print(f"\nper file, in one process, {len(paths)} files, median (min-max) of 5 rounds, CPU µs")
    for label, values in rows.items():
        print(f"{label:28} {spread(values, '{:.1f}'):>24}")
    ours = (
        med["read"] + med["parse"] + med["validate"] + med["assess (as for JSON)"] + med["encode"]
    )
    limit = med["read"] + med["parse"] + med["limit: encode (fastest)"]
    print(f"backcheck (read+parse+validate+assess+encode): {ours:.1f} µs")
    print(f"limit (read+parse+encode with {encoder}): {limit:.1f} µs")
    print(f"ratio backcheck/limit: {ours / limit:.2f} (goal at most 1.6)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--main-size", type=int, default=10000)
    parser.add_argument("--text-size", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--stages-only", action="store_true")
    parser.add_argument("--no-stages", action="store_true", help="only the runs")
    parser.add_argument(
        "--text-only", action="store_true", help="only markdown and the default format"
    )
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="backcheck-batch-"))
    try:
        folder = tmp / "files"
        folder.mkdir()
        count = args.sample if args.stages_only else max(*args.sizes, args.main_size)
        if args.text_only:
            text_throughput(args, folder, write_files(folder, args.text_size))
        else:
            names = write_files(folder, count)
            if not args.stages_only:
                throughput(args, folder, names)
            if not args.no_stages:
                stages(folder, names[: args.sample])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
