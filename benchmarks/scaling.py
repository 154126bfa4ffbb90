"""How backcheck scales with the knowledge: today's, and ten times its conditions and findings.

Writes a knowledge file with every condition copied nine more times (new ids, names and
aliases; the same findings, so ten times the conditions and the findings), then measures
with each knowledge file:

- one `backcheck run FILE` (wall time, median of the rounds, the knowledge cache warm);
- the per-file scoring (`rank_conditions`, CPU time per answer file over the version-2
  vignettes, in this process, after one round that fills what is built on first use).

Targets: with 10 times the knowledge, one `run` at most 2 times as long and per-file
scoring at most 10 times (linear in the findings).

    python benchmarks/scaling.py [--rounds 9] [--factor 10]
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "data" / "knowledge.yaml"
CASES = sorted((ROOT / "tests" / "vignettes-v2").glob("*.yaml"))


def bigger_knowledge(factor: int) -> dict[str, Any]:
    """Today's knowledge with every condition there ``factor`` times."""
    data: dict[str, Any] = yaml.safe_load(KNOWLEDGE.read_text(encoding="utf-8"))
    originals = list(data["conditions"])
    for copy_number in range(1, factor):
        for condition in originals:
            twin = copy.deepcopy(condition)
            twin["id"] = f"{condition['id']}_copy{copy_number}"
            twin["name"] = f"{condition['name']} (copy {copy_number})"
            twin["aliases"] = [f"{a} copy {copy_number}" for a in condition.get("aliases", [])]
            if "keywords" in condition:
                twin["keywords"] = [f"copy{copy_number} {k}" for k in condition["keywords"]]
            data["conditions"].append(twin)
    return data


def run_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def scoring_cpu(path: Path | None, rounds: int) -> list[float]:
    """CPU µs per answer file of rank_conditions with the knowledge at ``path``, by round.

    Each round scores the vignettes over and over for at least 0.2 s of CPU time, so that
    a round is long next to the clock's noise."""
    from backcheck.answers import load_answer_file
    from backcheck.engine import rank_conditions
    from backcheck.knowledge.loading import load_knowledge

    knowledge = load_knowledge(path)
    answers = [load_answer_file(str(p), knowledge).answers for p in CASES]
    for item in answers:  # a first round works out what is built on first use
        rank_conditions(knowledge, item)
    start = time.process_time()
    for item in answers:
        rank_conditions(knowledge, item)
    repeats = max(1, round(0.2 / max(time.process_time() - start, 1e-6)))
    per_round = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeats):
            for item in answers:
                rank_conditions(knowledge, item)
        per_round.append((time.process_time() - start) / (repeats * len(answers)) * 1e6)
    return per_round


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {args.rounds} rounds, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="backcheck-scaling-"))
    try:
        big = tmp / "knowledge.yaml"
        big.write_text(yaml.safe_dump(bigger_knowledge(args.factor), sort_keys=False), "utf-8")
        env = {**os.environ, "BACKCHECK_CACHE_DIR": str(tmp / "cache")}
        script = Path(sys.executable).parent / "backcheck"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "backcheck"]
        case = str(ROOT / "examples" / "sciatica.yaml")
        today = [*command, "run", case]
        bigger = [*command, "--knowledge", str(big), "run", case]
        run_once(today, env)  # fill the knowledge cache for both
        run_once(bigger, env)
        small_runs, big_runs = [], []
        for _ in range(args.rounds):  # alternately, so noise hits both alike
            small_runs.append(run_once(today, env))
            big_runs.append(run_once(bigger, env))
        os.environ["BACKCHECK_CACHE_DIR"] = str(tmp / "cache")
        small_score = scoring_cpu(None, args.rounds)
        big_score = scoring_cpu(big, args.rounds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    run_ratio = statistics.median(b / s for s, b in zip(small_runs, big_runs, strict=True))
    score_ratio = statistics.median(big_score) / statistics.median(small_score)
    print("median (min-max) of the rounds")
    print(f"{'':28} {'today':>18} {f'{args.factor} x':>20} {'ratio':>7} {'target':>7}")
    print(
        f"{'one `run FILE`, ms':28} {spread([t * 1000 for t in small_runs]):>18} "
        f"{spread([t * 1000 for t in big_runs]):>20} {run_ratio:7.2f} {2.0:7.1f}"
    )
    print(
        f"{'scoring per file, CPU µs':28} {spread(small_score):>18} "
        f"{spread(big_score):>20} {score_ratio:7.2f} {float(args.factor):7.1f}"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
