"""Installs: the wheel carries the knowledge, and `python -m backcheck` works."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backcheck", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("backcheck ")


@pytest.mark.slow
def test_the_wheel_ships_the_knowledge(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
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
    wheel = next(dist.glob("backcheck-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # Reuse this environment's dependencies (not its backcheck: a .pth line adds a plain path,
    # whose own .pth files, such as an editable install's, are not read).
    purelib = sysconfig.get_paths()["purelib"]
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(purelib + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": ""}
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import backcheck.knowledge.loading as s; print(s.default_knowledge_path())",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    assert str(env_dir) in where
    assert where.endswith("backcheck/data/knowledge.yaml")
    run = subprocess.run(
        [
            str(env_dir / "bin" / "backcheck"),
            "run",
            "--format",
            "json",
            str(EXAMPLES / "sciatica.yaml"),
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert '"verdict": "see_doctor"' in run.stdout
    short = subprocess.run(
        [str(env_dir / "bin" / "backcheck"), "run", str(EXAMPLES / "sciatica.yaml")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert short.returncode == 0, short.stderr
    assert "Do not stay in bed" in short.stdout  # the safety net ships in the wheel


def test_an_editable_install_reads_the_live_knowledge_file() -> None:
    """The README's test set-up installs with -e: edits to data/ must take effect at once."""
    import backcheck
    from backcheck.knowledge.loading import default_knowledge_path

    assert Path(backcheck.__file__).resolve().parent == ROOT / "backcheck"
    assert default_knowledge_path() == ROOT / "data" / "knowledge.yaml"
    assert not (ROOT / "backcheck" / "data").exists()  # no stale copy can shadow data/
