"""Start-up time of backcheck against a minimal typer app, measured side by side.

The floor is a one-command typer app that imports yaml and prints one line with rich,
run by the same interpreter and typer (backcheck pins typer 0.25.x). backcheck is
measured as a user has it: built as a wheel and installed (with its bytecode compiled)
into a fresh virtual environment that shares this one's dependencies. Each round runs
every command once, in turn, so machine noise hits them alike. Prints medians, spread
and the median of the per-round ratios to the floor, with each command's target:
`lookup sciatica` and `run FILE` at most 1.0, `run -f json FILE` and `--version` at most
0.8, `--help` at most 0.7, and `ask` showing its first question (in a pseudo-terminal)
within 1.3; with no target, the time until its prompt takes keys (the question shows
while the prompt library loads). Exits 1 when a target is missed.

    python benchmarks/startup.py [--rounds 21]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_APP = """
import typer
import yaml
from rich.console import Console

app = typer.Typer()


@app.command()
def main() -> None:
    yaml.safe_load("a: 1")
    Console().print("[bold]hello[/bold] from a minimal app")


app()
"""


def install_wheel(work: Path) -> Path:
    """Build backcheck's wheel and install it into a new venv; returns that venv's python."""
    import sysconfig
    import venv

    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    wheel = next(dist.glob("backcheck-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
    )
    return python


FIRST_QUESTION = "How old are you?"  # the interview's first question (data/knowledge.yaml)
# What the prompt library draws with it: from then on keys are handled as they come (keys
# typed since the question showed are kept for it).
FIRST_PROMPT_READY = "(years)"
READY = "--until-the-prompt-is-ready"  # a marker for time_once, never passed on


def time_once(argv: list[str], env: dict[str, str]) -> float:
    if argv[-1] in ("ask", READY):  # until the first question is on a real terminal's screen
        import pexpect

        ready = argv[-1] == READY
        start = time.perf_counter()
        child = pexpect.spawn(argv[0], argv[1:-1] if ready else argv[1:], env=env, timeout=20)
        child.expect_exact(FIRST_QUESTION)
        if ready:  # and drawn by the prompt library, which then takes keys
            child.expect_exact(FIRST_PROMPT_READY)
        elapsed = time.perf_counter() - start
        child.terminate(force=True)
        return elapsed
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()

    import typer

    work = Path(tempfile.mkdtemp(prefix="backcheck-startup-"))
    minimal = work / "minimal.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    env = {**os.environ, "BACKCHECK_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    python = install_wheel(work)
    backcheck = [str(python.parent / "backcheck")]
    example = str(ROOT / "examples" / "sciatica.yaml")
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    env["TERM"] = "xterm"
    # name: (command, target ratio to the floor)
    commands: dict[str, tuple[list[str], float | None]] = {
        "minimal typer app (floor)": ([str(python), str(minimal)], 1.0),
        "backcheck lookup sciatica": ([*backcheck, "lookup", "sciatica"], 1.0),
        "backcheck run FILE": ([*backcheck, "run", example], 1.0),
        "backcheck run -f json FILE": ([*backcheck, "run", "-f", "json", example], 0.8),
        "backcheck --version": ([*backcheck, "--version"], 0.8),
        "backcheck --help": ([*backcheck, "--help"], 0.7),
        "backcheck ask (first question)": ([*backcheck, "ask"], 1.3),
        "  (its prompt ready for keys)": ([*backcheck, "ask", READY], None),
    }
    for argv, _ in commands.values():  # warm the OS file cache and the knowledge cache
        time_once(argv, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, (argv, _) in commands.items():
            times[name].append(time_once(argv, env))
    shutil.rmtree(work, ignore_errors=True)

    floor_times = times["minimal typer app (floor)"]
    cpu = os.cpu_count()
    print(
        f"Python {sys.version.split()[0]}, typer {typer.__version__}, {cpu} CPUs, "
        f"{args.rounds} rounds, load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'command':32} {'median':>8} {'min':>8} {'max':>8} {'IQR':>8} {'ratio':>6} {'target':>6}"
    )
    missed = []
    for name, values in times.items():
        q = statistics.quantiles(values, n=4)
        ratio = statistics.median(v / f for v, f in zip(values, floor_times, strict=True))
        target = commands[name][1]
        if target is not None and ratio > target:
            missed.append(name)
        shown = "" if target is None else f"{target:6.1f}"
        print(
            f"{name:32} {statistics.median(values) * 1000:7.1f}ms {min(values) * 1000:7.1f}ms "
            f"{max(values) * 1000:7.1f}ms {(q[2] - q[0]) * 1000:7.1f}ms {ratio:6.2f} "
            f"{shown:>6}"
        )
    print(f"targets missed: {', '.join(missed)}" if missed else "every target met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
