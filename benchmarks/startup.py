"""Start-up time of backcheck against a minimal typer app, measured side by side.

The floor is a one-command typer app that imports yaml and prints one line with rich,
run by the same interpreter and typer (backcheck pins typer 0.25.x). backcheck is
measured as a user has it: built as a wheel and installed (with its bytecode compiled)
into a fresh virtual environment that shares this one's dependencies. Each round runs
every command once, in turn, so machine noise hits them alike. Prints medians, spread
and the median of the per-round ratios to the floor (target: at most 1.2).

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


def time_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
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
    commands = {
        "minimal typer app (floor)": [str(python), str(minimal)],
        "backcheck lookup sciatica": [*backcheck, "lookup", "sciatica"],
        "backcheck run (one file)": [*backcheck, "run", str(ROOT / "examples" / "sciatica.yaml")],
        "backcheck --help": [*backcheck, "--help"],
        "backcheck --version": [*backcheck, "--version"],
    }
    for argv in commands.values():  # warm the OS file cache and backcheck's knowledge cache
        time_once(argv, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, argv in commands.items():
            times[name].append(time_once(argv, env))
    shutil.rmtree(work, ignore_errors=True)

    floor_times = times["minimal typer app (floor)"]
    cpu = os.cpu_count()
    print(
        f"Python {sys.version.split()[0]}, typer {typer.__version__}, {cpu} CPUs, "
        f"{args.rounds} rounds"
    )
    print(f"{'command':32} {'median':>8} {'min':>8} {'max':>8} {'IQR':>8} {'ratio':>6}")
    for name, values in times.items():
        q = statistics.quantiles(values, n=4)
        ratio = statistics.median(v / f for v, f in zip(values, floor_times, strict=True))
        print(
            f"{name:32} {statistics.median(values) * 1000:7.1f}ms {min(values) * 1000:7.1f}ms "
            f"{max(values) * 1000:7.1f}ms {(q[2] - q[0]) * 1000:7.1f}ms {ratio:6.2f}"
        )
    print("target: lookup, run and --help each at most 1.20 x the floor")


if __name__ == "__main__":
    main()
