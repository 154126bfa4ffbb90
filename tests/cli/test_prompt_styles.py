"""The prompts of `backcheck ask` share one style: each looks as prompt_toolkit draws it."""

from __future__ import annotations

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.styles import Style

from backcheck.cli.prompts import _questionary

LOOKS = [
    "",
    "class:question",
    "class:qmark class:question",
    "class:pointer",
    "class:selected class:highlighted",
    "class:instruction",
    "class:answer",
    "bold #ff0000",
    "class:separator",
]


def test_prompts_share_one_style_that_looks_as_prompt_toolkit_draws_it() -> None:
    questionary = _questionary()
    with create_pipe_input() as keys, create_app_session(input=keys, output=DummyOutput()):
        apps = [
            questionary.select("Which?", choices=["one", "two"]).application,
            questionary.text("How old?").application,
            questionary.select("Which else?", choices=["three"]).application,
            questionary.checkbox("Which ones?", choices=["one", "two"]).application,
            questionary.checkbox("Which others?", choices=["three"]).application,
        ]
    styles = [app._merged_style._merged_style for app in apps]
    # the same rules are parsed once (a checkbox has one rule more than the others)
    assert styles[0] is styles[1] is styles[2]
    assert styles[3] is styles[4]
    for style in (styles[0], styles[3]):
        fresh = Style(list(style.style_rules))  # what prompt_toolkit makes of the same rules
        for look in LOOKS:
            assert style.get_attrs_for_style_str(look) == fresh.get_attrs_for_style_str(look)
            # and again, as kept
            assert style.get_attrs_for_style_str(look) == fresh.get_attrs_for_style_str(look)
