"""Save or compare the JSON result of every vignette, to show a change keeps behaviour.

    python benchmarks/compare_json.py save DIR [FOLDER...]
    python benchmarks/compare_json.py compare DIR [FOLDER...]

Each answer file in the folders (default: tests/vignettes, ../shared/vignettes and
../shared/vignettes-v2) is run through ``backcheck run -f json``; ``save`` writes one
``.json`` file per vignette into DIR, ``compare`` runs them again and reports every
vignette whose JSON differs from the saved one (exit status 1), or that all are identical.
A file backcheck rejects (exit status 2) is saved as its error line, so a file that
starts or stops parsing is reported as a difference too.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = [
    ROOT / "tests" / "vignettes",
    ROOT.parent / "shared" / "vignettes",
    ROOT.parent / "shared" / "vignettes-v2",
]


def _key(path: Path) -> str:
    """The saved file's name: the folder's name and the vignette's, so folders never clash."""
    return f"{path.parent.name}__{path.stem}.json"


def _run(path: Path) -> str:
    """The JSON line of one file, or its error line when backcheck rejects it."""
    done = subprocess.run(
        ["backcheck", "run", "-f", "json", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return done.stdout
    return f"exit {done.returncode}: {done.stderr}"


def main(argv: list[str]) -> int:
    """Run ``save`` or ``compare``; return the exit status."""
    if len(argv) < 2 or argv[0] not in {"save", "compare"}:
        print(__doc__, file=sys.stderr)
        return 2
    mode, saved = argv[0], Path(argv[1])
    folders = [Path(f) for f in argv[2:]] or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    files = sorted(p for f in folders for p in f.iterdir() if p.suffix in {".yaml", ".json"})
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = dict(zip(files, pool.map(_run, files), strict=True))
    if mode == "save":
        saved.mkdir(parents=True, exist_ok=True)
        for path, out in outputs.items():
            (saved / _key(path)).write_text(out, encoding="utf-8")
        rejected = sum(out.startswith("exit ") for out in outputs.values())
        print(f"saved {len(outputs)} results ({rejected} rejected files) in {saved}")
        return 0
    differ = []
    for path, out in outputs.items():
        old = saved / _key(path)
        if not old.is_file() or old.read_text(encoding="utf-8") != out:
            differ.append(path)
    for path in differ:
        print(f"differs: {path}")
    print(f"{len(outputs) - len(differ)} of {len(outputs)} identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
