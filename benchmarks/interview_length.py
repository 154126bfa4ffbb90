"""How long is `backcheck ask`? Replays each vignette's answers through the interview flow.

    python benchmarks/interview_length.py [--dir DIR ...] [DIR ...]
        (default: ../shared/vignettes-v2; --dir may be given several times)

Prints the median and longest interview in prompts (a screen of several questions is
one prompt), the figures per expected verdict, and for each emergency vignette the
prompt whose answer brought up the emergency advice. Targets: median at most
15 prompts; every emergency vignette reaches the advice within its first 6 prompts.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from backcheck.answers import load_answer_file
from backcheck.interview import simulate
from backcheck.knowledge.loading import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "vignettes-v2"
MEDIAN_TARGET = 15
EMERGENCY_TARGET = 6


def main(argv: list[str]) -> int:
    """Print the figures; 1 when a target is missed."""
    parser = argparse.ArgumentParser(description="Interview length over vignette folders.")
    parser.add_argument("--dir", action="append", default=[], metavar="DIR", help="a folder")
    parser.add_argument("dirs", nargs="*", metavar="DIR", help="more folders")
    args = parser.parse_args(argv)
    knowledge = load_knowledge()
    dirs = [Path(a) for a in [*args.dir, *args.dirs]] or [DEFAULT_DIR]
    paths = sorted(p for d in dirs for p in sorted(d.glob("*.y*ml")))
    lengths: dict[str, list[int]] = {}
    emergencies: list[tuple[str, int | None]] = []
    everything: list[int] = []
    for path in paths:
        answer_file = load_answer_file(str(path), knowledge)
        expected = str(answer_file.raw.get("expect", {}).get("verdict", "?"))
        outcome = simulate(knowledge, answer_file.answers)
        lengths.setdefault(expected, []).append(outcome.prompts)
        everything.append(outcome.prompts)
        if expected == "emergency":
            emergencies.append((path.stem, outcome.emergency_at))
    if not everything:
        print("no vignettes found in", ", ".join(map(str, dirs)))
        return 1

    median = statistics.median(everything)
    print(f"vignettes: {len(everything)} ({', '.join(map(str, dirs))})")
    print(f"prompts per interview: median {median:g}, max {max(everything)}, min {min(everything)}")
    print("by expected verdict:")
    for verdict in ("emergency", "urgent", "see_doctor", "self_care"):
        if verdict in lengths:
            values = lengths[verdict]
            print(
                f"  {verdict:<11} n={len(values):<3} median {statistics.median(values):>4g}  "
                f"max {max(values)}"
            )
    print("emergency vignettes: prompt at which the emergency advice appeared")
    for name, at in emergencies:
        print(f"  {name}: {at if at is not None else 'never'}")
    late = [n for n, at in emergencies if at is None or at > EMERGENCY_TARGET]
    ok = median <= MEDIAN_TARGET and not late
    print(
        f"targets: median <= {MEDIAN_TARGET}: {'met' if median <= MEDIAN_TARGET else 'MISSED'}; "
        f"emergency advice by prompt {EMERGENCY_TARGET}: "
        + ("met" if not late else "MISSED for " + ", ".join(late))
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
