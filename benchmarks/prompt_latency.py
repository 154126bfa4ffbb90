"""How fast does `backcheck ask` answer a key press? Drives a whole interview in a pty.

    python benchmarks/prompt_latency.py [--runs N] [--plain]

For each prompt, times from the key press that answers it (Enter) to the next prompt's
question on screen; the first is answered once the prompt library has drawn it (the
question shows while that library loads, and a person is still reading it then). Prints
the median and p90 in milliseconds with the machine.
Targets: median at most 20 ms, p90 at most 35 ms. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent
DOWN, ENTER, SPACE = "\x1b[B", "\r", " "
# (question on screen, keys before Enter) for a person with no warning sign
STEPS = [
    ("How old are you?", "35"),
    ("What sex is your body?", DOWN),
    ("What do you feel, and where in your back?", DOWN * 3 + SPACE + DOWN * 5 + SPACE),
    ("Do you have any of these right now?", DOWN * 8 + SPACE),
    ("anywhere in the body?", DOWN * 6 + SPACE),
    ("Does any of this apply to you?", "\x1b[A" * 3 + SPACE),
    ("Was your back hurt recently", ""),
    ("Does it spread anywhere?", ""),
    ("How did it start?", DOWN),
    ("How long have you had it?", DOWN),
    ("How is it changing?", ""),
    ("What makes it worse, and what makes it better?", DOWN * 2 + SPACE + DOWN * 7 + SPACE),
    ("In the days before it started", SPACE),
    ("How much does it affect your daily life?", ""),
]
# Drawn by the prompt library itself: the first prompt now takes keys (they are kept
# from the moment the question shows, but a person cannot answer that fast).
FIRST_PROMPT_READY = "(years)"
PLAIN = ["35", "2", "4 9", "0", "0", "0", "1", "1", "2", "2", "1", "3 10", "1", "1"]


def one_run(plain: bool) -> list[float]:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1", "TERM": "xterm"}
    # --no-history: no opt-in question after the summary
    args = ["-m", "backcheck", "ask", "--no-history", *(["--plain"] if plain else [])]
    child = pexpect.spawn(
        sys.executable,
        args,
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )
    child.delaybeforesend = None
    times: list[float] = []
    child.expect_exact(STEPS[0][0])
    if not plain:  # the question shows while the prompts load: a person reads it meanwhile
        child.expect_exact(FIRST_PROMPT_READY)
    for index, (_, keys) in enumerate(STEPS):
        reply = PLAIN[index] + "\r" if plain else keys + ENTER
        if not plain:
            child.send(keys)
            reply = ENTER
        start = time.perf_counter()
        child.send(reply)
        if index + 1 == len(STEPS):
            break  # the last answer leads to the summary, not a prompt
        child.expect_exact(STEPS[index + 1][0])
        times.append((time.perf_counter() - start) * 1000)
    child.expect(pexpect.EOF)
    child.close()
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plain", action="store_true")
    args = parser.parse_args(argv)
    times = [t for _ in range(args.runs) for t in one_run(args.plain)]
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1]
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} cpus={os.cpu_count()} "
        f"python {platform.python_version()}"
    )
    print(f"prompts timed: {len(times)} ({args.runs} interviews{', plain' if args.plain else ''})")
    print(f"key press to next prompt: median {median:.1f} ms, p90 {p90:.1f} ms")
    ok = median <= 20 and p90 <= 35
    print(f"targets (median <= 20 ms, p90 <= 35 ms): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
