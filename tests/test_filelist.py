"""`run --files-from LIST`: answer-file names one a line, for batches too long to type."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.errors import InputError
from backcheck.filelist import FileList, read_file_list

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_names_are_read_one_a_line_as_the_command_line_gives_them() -> None:
    names = FileList(b"a.yaml\r\n\n  b c.yaml\nd\xff.yaml")
    assert list(names) == ["a.yaml", "  b c.yaml", os.fsdecode(b"d\xff.yaml")]
    assert len(names) == 3
    assert names[1] == "  b c.yaml"
    assert names[-1] == names[2]
    assert names[1:] == ["  b c.yaml", os.fsdecode(b"d\xff.yaml")]
    assert "a.yaml" in names
    assert "b.yaml" not in names


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "holds no file name"), (b"\n\r\n", "holds no file name"), (b"a\x00b", "is binary")],
)
def test_an_unusable_list_is_one_error_naming_it(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    listing = tmp_path / "list.txt"
    listing.write_bytes(content)
    with pytest.raises(InputError, match=f"--files-from {listing}: {problem}"):
        read_file_list(str(listing))
    with pytest.raises(InputError, match="no such file"):
        read_file_list(str(tmp_path / "missing"))
    with pytest.raises(InputError, match="is a directory"):
        read_file_list(str(tmp_path))


def test_run_reads_the_listed_files_and_the_good_ones_still_give_results(
    runner: CliRunner, tmp_path: Path
) -> None:
    good = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join([good[0], str(tmp_path / "gone.yaml"), *good[1:]]) + "\n")
    listed = runner.invoke(app, ["run", "-f", "json", "--files-from", str(listing)])
    given = runner.invoke(app, ["run", "-f", "json", *good])
    assert listed.exit_code == 2
    assert listed.stdout == given.stdout  # every good file, in order
    assert f"error: {tmp_path / 'gone.yaml'}: no such file" in listed.stderr
    from_stdin = runner.invoke(
        app, ["run", "-f", "json", good[0], "--files-from", "-"], input="\n".join(good[1:])
    )
    assert (from_stdin.exit_code, from_stdin.stdout) == (given.exit_code, given.stdout)


def test_run_without_files_or_a_list_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: backcheck run: missing argument 'FILE...' (see backcheck run --help)"
    )
