"""The command line builds only the command it runs; it must behave as the whole app does."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from backcheck.cli.app import _name_of, app, app_for

NAMES = [_name_of(c) for c in app.registered_commands] + [g.name for g in app.registered_groups]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("tail", [["--help"], ["--no-such-option"]])
def test_each_command_alone_answers_as_in_the_whole_app(
    runner: CliRunner, name: str, tail: list[str]
) -> None:
    args = [name, *tail]
    lean = app_for(args)
    assert lean is not app
    alone, whole = runner.invoke(lean, args), runner.invoke(app, args)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["rn"], [], ["--knowledge"], ["--help", "run"]]
)
def test_anything_but_a_plain_command_name_gets_the_whole_app(args: list[str]) -> None:
    assert app_for(args) is app


def test_a_knowledge_file_before_the_command_is_passed_over() -> None:
    for args in (["--knowledge", "k.yaml", "lookup", "x"], ["--knowledge=k.yaml", "lookup"]):
        lean = app_for(args)
        assert [_name_of(c) for c in lean.registered_commands] == ["lookup"]
