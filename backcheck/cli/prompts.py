"""The questionary prompts of `backcheck ask`, imported (~200 ms) only when a prompt is drawn.

Every prompt uses ``unsafe_ask()``: Ctrl-C raises KeyboardInterrupt (exit status 130).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backcheck.cli.terminal import (
    GO_BACK,
    NONE_OF_THESE,
    NOT_SURE,
    check_ticks,
    early_question,
    escape_markup,
    load_questionary,
    parse_age,
    print_light,
    screen_answers,
    show_emergency,
)
from backcheck.errors import InputError
from backcheck.interview import BACK, AfterEmergency, Back, Prompt, StepAnswers
from backcheck.knowledge.model import Knowledge, Question
from backcheck.knowledge.rules import Answer, Answers

SHOW_MEANINGS = "?meanings"  # the checkbox was left with "?": show every line's meaning

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.result import Result

SELECT_KEYS = "(↑/↓ and Enter)"
MEANINGS_HINT = "Press ? to see what every line means."
CHECKBOX_KEYS = "(↑/↓, Space to tick, Enter when done)"


class TerminalAsker:
    """Asks each prompt with questionary; help text and progress are printed above it."""

    def __init__(self, console: Console, knowledge: Knowledge) -> None:
        self.console = console
        self.knowledge = knowledge

    def __call__(self, prompt: Prompt) -> StepAnswers | Back:
        """Ask one step; returns its answers or BACK."""
        step = prompt.step
        if step.is_screen:
            self._intro(prompt, step.help)
            self._load(step.text)
            return self._screen(prompt)
        question = prompt.questions[0]
        self._intro(prompt, question.help)
        self._load(question.text)
        reply: Answer | Back | None
        if question.type == "integer":
            reply = self._age(prompt, question)
        elif question.type == "multi":
            reply = self._multi(prompt, question)
        else:
            reply = self._select(prompt, question)
        return reply if reply is BACK else {question.id: reply}

    def _load(self, text: str) -> None:
        """The prompt library, loaded (the first time) with the question ``text`` on screen,
        and with it the engine for the interview's first assessment, so that no later key
        press waits for an import."""
        if "questionary" not in sys.modules:
            with early_question(self.console, text):
                _questionary()
                import gc

                import backcheck.engine  # noqa: F401

                # What is loaded now lives as long as the interview: left to the garbage
                # collector, a full collection would walk it all again between two prompts
                # (about 25 ms, after the third answer).
                gc.freeze()

    def _intro(self, prompt: Prompt, help_text: str) -> None:
        head = f"Question {prompt.number} of about {prompt.total}"
        if print_light(self.console, [("\n", False), (head, True), (f"  {help_text}", False)]):
            return
        from rich.markup import escape

        self.console.print(f"\n[dim]{head}[/dim]  {escape(help_text)}")

    def _select(self, prompt: Prompt, question: Question) -> str | Back | None:
        questionary = _questionary()

        if question.type == "yes_no":
            choices: list[Any] = [questionary.Choice("Yes", "yes"), questionary.Choice("No", "no")]
        else:
            choices = [questionary.Choice(o.label, o.id) for o in prompt.options_of(question)]
        choices += [questionary.Separator(), questionary.Choice("Not sure", NOT_SURE)]
        if prompt.can_go_back:
            choices.append(questionary.Choice("← Back", GO_BACK))
        default = _default_choice(choices, prompt.previous, question.id)
        value = _ask(
            questionary.select(
                question.text, choices=choices, default=default, instruction=SELECT_KEYS
            )
        )
        if value == GO_BACK:
            return BACK
        return None if value == NOT_SURE else str(value)

    def _multi(self, prompt: Prompt, question: Question) -> tuple[str, ...] | Back:
        questionary = _questionary()

        before = prompt.previous.get(question.id)
        ticked = set(before) if isinstance(before, tuple) else set()
        choices: list[Any] = [
            questionary.Choice(o.label, o.id, checked=o.id in ticked)
            for o in prompt.options_of(question)
        ]
        choices += [
            questionary.Separator(),
            questionary.Choice("None of these", NONE_OF_THESE, checked=before == ()),
        ]
        values = self._checkbox(question.text, choices, prompt)
        if values is BACK:
            return BACK
        return tuple(o.id for o in question.options if o.id in values)

    def _screen(self, prompt: Prompt) -> StepAnswers | Back:
        questionary = _questionary()

        choices: list[Any] = []
        previous = prompt.previous
        for index, q in enumerate(prompt.questions):
            before = previous.get(q.id)
            if q.type == "yes_no":
                if index > 0 and prompt.questions[index - 1].type != "yes_no":
                    choices.append(questionary.Separator())
                # the short name in the list; the pointed line's meaning shows below the
                # list, and "?" prints every meaning at once
                choices.append(
                    questionary.Choice(
                        q.short, q.id, checked=before == "yes", description=self._wrapped(q.help)
                    )
                )
            else:
                choices.append(questionary.Separator(f"── {q.short} ──"))
                choices += [
                    questionary.Choice(
                        o.label,
                        f"{q.id}:{o.id}",
                        checked=isinstance(before, tuple) and o.id in before,
                    )
                    for o in prompt.options_of(q)
                ]
        meanings = self._meanings(prompt)
        if meanings and not print_light(self.console, [("  ", False), (MEANINGS_HINT, True)]):
            self.console.print(f"  [dim]{MEANINGS_HINT}[/dim]")
        answered = [previous.get(q.id, "") for q in prompt.questions]
        choices += [
            questionary.Separator(),
            questionary.Choice(
                "None of these",
                NONE_OF_THESE,
                checked=bool(previous) and all(a in ("no", ()) for a in answered),
            ),
            questionary.Choice("Not sure about some of these", NOT_SURE, checked=None in answered),
        ]
        values = self._checkbox(prompt.step.text, choices, prompt, meanings != "")
        while values is not BACK and SHOW_MEANINGS in values:
            self._meanings_page(meanings)
            ticked = set(values)
            for choice in choices:
                if not isinstance(choice, questionary.Separator):
                    choice.checked = choice.value in ticked
            values = self._checkbox(prompt.step.text, choices, prompt, True)
        if values is BACK:
            return BACK
        if NOT_SURE in values:
            return self._each_unticked(prompt, values)
        return screen_answers(prompt.questions, values, not_sure=False)

    def _meanings(self, prompt: Prompt) -> str:
        """What each yes/no line of a screen means, wrapped to the terminal ("" if none)."""
        return "\n".join(
            self._wrapped(f"{q.short}: {q.help}", margin=1)
            for q in prompt.questions
            if q.type == "yes_no"
        )

    def _meanings_page(self, meanings: str) -> None:
        """Every line's meaning on a screen of its own, until a key is pressed."""
        import questionary

        self.console.clear()
        self.console.print("What each line means:\n", markup=False)
        self.console.print(meanings, markup=False, highlight=False)
        _ask(questionary.press_any_key_to_continue("Press any key to go back to the list."))

    def _wrapped(self, text: str, indent: str = "", margin: int = 16) -> str:
        """``text`` wrapped to fit the terminal less ``margin`` columns, never cut."""
        import textwrap

        width = max(self.console.width - len(indent) - margin, 30)
        return textwrap.fill(
            text, width, initial_indent=indent, subsequent_indent=indent + "  "
        ).lstrip()

    def _each_unticked(self, prompt: Prompt, ticked: Sequence[str]) -> StepAnswers:
        """ "Not sure about some of these": ask each line left unticked on its own."""
        chosen = set(ticked)
        self.console.print("Then each line you did not tick, one by one:", markup=False)
        answers: dict[str, Answer | None] = {}
        for q in prompt.questions:
            if q.type == "yes_no":
                answers[q.id] = "yes" if q.id in chosen else self._yes_no_unsure(q.text, q.help)
                continue
            picked = {o.id for o in q.options if f"{q.id}:{o.id}" in chosen}
            unsure = False
            for o in prompt.options_of(q):
                if o.id in picked:
                    continue
                reply = self._yes_no_unsure(f"{q.short}: {o.label}?", "")
                if reply == "yes":
                    picked.add(o.id)
                unsure = unsure or reply is None
            answers[q.id] = (
                tuple(o.id for o in q.options if o.id in picked) if picked or not unsure else None
            )
        return answers

    def _yes_no_unsure(self, message: str, help_text: str) -> str | None:
        questionary = _questionary()

        if help_text and not print_light(self.console, [("  ", False), (help_text, True)]):
            self.console.print(f"  [dim]{escape_markup(help_text)}[/dim]")
        value = _ask(
            questionary.select(
                message,
                choices=[
                    questionary.Choice("Yes", "yes"),
                    questionary.Choice("No", "no"),
                    questionary.Choice("Not sure", NOT_SURE),
                ],
                instruction=SELECT_KEYS,
            )
        )
        return None if value == NOT_SURE else str(value)

    def _checkbox(
        self, message: str, choices: list[Any], prompt: Prompt, meanings: bool = False
    ) -> list[str] | Back:
        questionary = _questionary()

        if prompt.can_go_back and not any(getattr(c, "value", None) == GO_BACK for c in choices):
            choices.append(questionary.Choice("← Back", GO_BACK))
        question = questionary.checkbox(
            message, choices=choices, validate=check_ticks, instruction=CHECKBOX_KEYS
        )
        if prompt.can_go_back:
            _enter_on_back_goes_back(question)
        if meanings:
            _question_mark_shows_meanings(question)
        values: list[str] = _ask(question)
        if GO_BACK in values:
            return BACK
        if SHOW_MEANINGS in values:
            return values
        if len(values) > 1:  # questionary shows only "done (N selections)"; say which
            titles = {c.value: c.title for c in choices if not isinstance(c, questionary.Separator)}
            ticked = "  → " + "; ".join(str(titles[v]) for v in values)
            if not print_light(self.console, [(ticked, False)]):
                self.console.print(ticked, markup=False)
        return values

    def _age(self, prompt: Prompt, question: Question) -> int | Back:
        questionary = _questionary()

        def validate(text: str) -> bool | str:
            parsed = parse_age(text, question, can_go_back=prompt.can_go_back)
            return parsed if isinstance(parsed, str) else True

        before = prompt.previous.get(question.id)
        hint = "(years; b to go back)" if prompt.can_go_back else "(years)"
        text = _ask(
            questionary.text(
                question.text,
                default="" if before is None else str(before),
                validate=validate,
                instruction=hint,
            )
        )
        parsed = parse_age(str(text), question, can_go_back=prompt.can_go_back)
        if isinstance(parsed, str):  # the prompt's validation lets none through; never guess
            raise InputError(f"{question.id}: {parsed}")
        return parsed

    def after_emergency(self, assessment: Result) -> AfterEmergency:
        """Show the emergency advice at once, then ask whether to stop or finish."""
        questionary = _questionary()

        show_emergency(self.console, self.knowledge, assessment)
        choice = _ask(
            questionary.select(
                "What would you like to do now?",
                choices=[
                    questionary.Choice("Stop here and see the summary of my answers", "stop"),
                    questionary.Choice(
                        "Finish the questions (a fuller summary to show the doctor)", "finish"
                    ),
                    questionary.Choice("← Back: I chose a wrong answer", "back"),
                ],
                instruction=SELECT_KEYS,
            )
        )
        return AfterEmergency(choice)


# prompt_toolkit's functions that build the same key bindings for every prompt (about
# 1,750 of them, most of a prompt's start-up); they hold no state of their own (every
# handler acts on the application it is called for), so they are built once and reused.
_SHARED_BINDINGS = (
    ("prompt_toolkit.application.application", "load_key_bindings"),
    ("prompt_toolkit.application.application", "load_page_navigation_bindings"),
    ("prompt_toolkit.shortcuts.prompt", "load_auto_suggest_bindings"),
    ("prompt_toolkit.shortcuts.prompt", "load_open_in_editor_bindings"),
)


@functools.cache  # once: every prompt asks for it, and the bindings are wrapped only once
def _questionary() -> Any:
    """questionary, with prompt_toolkit's default key bindings built once for all prompts."""
    import importlib

    questionary = load_questionary()
    for module_name, name in _SHARED_BINDINGS:
        module = importlib.import_module(module_name)
        build = getattr(module, name, None)
        if callable(build):  # another prompt_toolkit version: its own way, unchanged
            setattr(module, name, functools.cache(build))
    _share_merged_styles()
    return questionary


def _share_merged_styles() -> None:
    """Every prompt merges the same styles: prompt_toolkit would parse their 340-odd rules
    into a new style for each one and work out the look of every piece of text again. The
    same rules now give the same style, which keeps the looks it has worked out (a style
    never changes once made)."""
    from prompt_toolkit.styles import DEFAULT_ATTRS, Attrs, Style
    from prompt_toolkit.styles import style as module

    merged = getattr(module, "_MergedStyle", None)
    if merged is None or not isinstance(getattr(merged, "_merged_style", None), property):
        return  # another prompt_toolkit version: its own way, unchanged

    class KeptLooks(Style):
        def __init__(self, rules: list[tuple[str, str]]) -> None:
            super().__init__(rules)
            self._looks: dict[tuple[str, Attrs], Attrs] = {}

        def get_attrs_for_style_str(self, style_str: str, default: Attrs = DEFAULT_ATTRS) -> Attrs:
            key = (style_str, default)
            look = self._looks.get(key)
            if look is None:
                look = self._looks[key] = super().get_attrs_for_style_str(style_str, default)
            return look

    styles: dict[tuple[tuple[str, str], ...], KeptLooks] = {}

    def shared(self: Any) -> KeptLooks:
        rules = tuple(self.style_rules)
        style = styles.get(rules)
        if style is None:
            style = styles[rules] = KeptLooks(list(rules))
        return style

    merged._merged_style = property(shared)


@functools.cache
def _stop_on_ctrl_d() -> Any:
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()

    @bindings.add(Keys.ControlD, eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError())

    return bindings


def _ask(question: Any) -> Any:
    """Ask a questionary prompt; Ctrl-D stops like Ctrl-C (EOFError) on every kind of prompt."""
    from prompt_toolkit.key_binding import merge_key_bindings

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, _stop_on_ctrl_d()])
    return question.unsafe_ask()


def _enter_on_back_goes_back(question: Any) -> None:
    """Enter on the "← Back" line of a checkbox goes back at once, without ticking it."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.keys import Keys

    app = question.application
    control = _inquirer_control(question)
    bindings = KeyBindings()

    @bindings.add(Keys.ControlM, eager=True, filter=Condition(lambda: _pointed(control) == GO_BACK))
    def _(event: Any) -> None:
        control.is_answered = True
        event.app.exit(result=[GO_BACK])

    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])


def _question_mark_shows_meanings(question: Any) -> None:
    """ "?" leaves the checkbox with SHOW_MEANINGS and what is ticked so far."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    control = _inquirer_control(question)
    bindings = KeyBindings()

    @bindings.add("?", eager=True)
    def _(event: Any) -> None:
        control.is_answered = True
        event.app.exit(result=[SHOW_MEANINGS, *control.selected_options])

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])


def _inquirer_control(question: Any) -> Any:
    from questionary.prompts.common import InquirerControl

    app = question.application
    return next(
        w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl)
    )


def _pointed(control: Any) -> Any:
    choice = control.get_pointed_at()
    return getattr(choice, "value", None)


def _default_choice(choices: list[Any], previous: Answers, qid: str) -> Any:
    if qid not in previous:
        return None
    wanted = NOT_SURE if previous[qid] is None else previous[qid]
    return next((c for c in choices if getattr(c, "value", None) == wanted), None)
