"""`run --files-from LIST`: answer-file names one a line, for batches too long to type."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


LINES = st.lists(
    st.sampled_from(["a", "b.yaml", "a b", " ", "\r", "\xff", "é", "ab\rc", ""]).map(
        lambda s: s.encode("utf-8", "surrogateescape") if s != "\xff" else b"\xff"
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(LINES, st.sampled_from(["\n", "\r\n"]), st.booleans(), st.data())
def test_a_list_holds_the_names_its_lines_hold(
    lines: list[bytes], end: str, last_end: bool, data: st.DataObject
) -> None:
    """Slices and membership give what the names one by one give, however the lines end."""
    text = end.encode().join(lines) + (end.encode() if last_end and lines else b"")
    names = FileList(text)
    one_by_one = [names[i] for i in range(len(names))]
    assert list(names) == one_by_one
    start, stop, step = (data.draw(st.integers(-8, 8) | st.none()) for _ in range(3))
    if step != 0:
        assert names[start:stop:step] == one_by_one[start:stop:step]
    for probe in ["a", "b.yaml", "a b", " ", "ab", "ab\rc", "a\r", "", "\n", "yaml", "\ud800", 3]:
        assert (probe in names) == (probe in one_by_one), probe


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
