"""The terminal side of `backcheck ask`: questionary prompts, the emergency advice, saving.

questionary (and prompt_toolkit under it, ~200 ms) is imported only when a prompt is
drawn, so the other commands stay fast. Every prompt uses ``unsafe_ask()``: Ctrl-C
raises KeyboardInterrupt, which the command turns into exit status 130.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcheck.interview import BACK, AfterEmergency, Back, Prompt, StepAnswers
from backcheck.knowledge import Knowledge, Question, Verdict
from backcheck.when import Answer, Answers

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.engine import Assessment

# Choice values that are not answers. Strings, because questionary turns value=None into the title.
NONE_OF_THESE = "__none_of_these__"
NOT_SURE = "__not_sure__"
GO_BACK = "__back__"
BACK_WORDS = ("b", "back")

SELECT_KEYS = "(↑/↓ and Enter)"
CHECKBOX_KEYS = "(↑/↓, Space to tick, Enter when done)"


def is_terminal() -> bool:
    """True when both stdin and stdout are a terminal (tests replace this)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def screen_answers(
    questions: Sequence[Question], ticked: Sequence[str], *, not_sure: bool
) -> dict[str, Answer | None]:
    """Answers from a checkbox of several questions.

    A yes/no question's line is ticked (yes) or not (no); a multi question's lines are
    ``"question:option"``. With ``not_sure``, what was left unticked stays unknown (None).
    """
    chosen = set(ticked)
    answers: dict[str, Answer | None] = {}
    for q in questions:
        if q.type == "yes_no":
            answers[q.id] = "yes" if q.id in chosen else (None if not_sure else "no")
        else:
            picked = tuple(o.id for o in q.options if f"{q.id}:{o.id}" in chosen)
            answers[q.id] = picked if picked or not not_sure else None
    return answers


def check_ticks(ticked: Sequence[str]) -> bool | str:
    """The checkbox rule: tick something; 'None of these' goes alone."""
    if GO_BACK in ticked:
        return True
    if not ticked:
        return "Tick at least one line (Space), or “None of these”, then press Enter."
    if NONE_OF_THESE in ticked and len(ticked) > 1:
        return "“None of these” can't be ticked together with other lines."
    return True


def parse_age(text: str, question: Question, *, can_go_back: bool) -> int | Back | str:
    """An age, BACK, or the message to show for anything else."""
    value = text.strip().lower()
    if can_go_back and value in BACK_WORDS:
        return BACK
    low, high = question.min or 0, question.max if question.max is not None else 150
    back = " (or b to go back)" if can_go_back else ""
    age = int(value) if value.isascii() and value.isdigit() else None
    if age is None or not low <= age <= high:
        return f"Type your age in whole years, {low} to {high}{back}."
    return age


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
            return self._screen(prompt)
        question = prompt.questions[0]
        self._intro(prompt, question.help)
        reply: Answer | Back | None
        if question.type == "integer":
            reply = self._age(prompt, question)
        elif question.type == "multi":
            reply = self._multi(prompt, question)
        else:
            reply = self._select(prompt, question)
        return reply if reply is BACK else {question.id: reply}

    def _intro(self, prompt: Prompt, help_text: str) -> None:
        from rich.markup import escape

        self.console.print(
            f"\n[dim]Question {prompt.number} of about {prompt.total}[/dim]  {escape(help_text)}"
        )

    def _select(self, prompt: Prompt, question: Question) -> str | Back | None:
        import questionary

        if question.type == "yes_no":
            choices: list[Any] = [questionary.Choice("Yes", "yes"), questionary.Choice("No", "no")]
        else:
            choices = [questionary.Choice(o.label, o.id) for o in question.options]
        choices += [questionary.Separator(), questionary.Choice("Not sure", NOT_SURE)]
        if prompt.can_go_back:
            choices.append(questionary.Choice("← Back", GO_BACK))
        default = _default_choice(choices, prompt.previous, question.id)
        value = questionary.select(
            question.text, choices=choices, default=default, instruction=SELECT_KEYS
        ).unsafe_ask()
        if value == GO_BACK:
            return BACK
        return None if value == NOT_SURE else str(value)

    def _multi(self, prompt: Prompt, question: Question) -> tuple[str, ...] | Back:
        import questionary

        before = prompt.previous.get(question.id)
        ticked = set(before) if isinstance(before, tuple) else set()
        choices: list[Any] = [
            questionary.Choice(o.label, o.id, checked=o.id in ticked) for o in question.options
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
        import questionary

        choices: list[Any] = []
        previous = prompt.previous
        for index, q in enumerate(prompt.questions):
            before = previous.get(q.id)
            if q.type == "yes_no":
                if index > 0 and prompt.questions[index - 1].type != "yes_no":
                    choices.append(questionary.Separator())
                choices.append(
                    questionary.Choice(q.text, q.id, checked=before == "yes", description=q.help)
                )
            else:
                choices.append(questionary.Separator(f"── {q.short} ──"))
                choices += [
                    questionary.Choice(
                        o.label,
                        f"{q.id}:{o.id}",
                        checked=isinstance(before, tuple) and o.id in before,
                    )
                    for o in q.options
                ]
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
        values = self._checkbox(prompt.step.text, choices, prompt)
        if values is BACK:
            return BACK
        return screen_answers(prompt.questions, values, not_sure=NOT_SURE in values)

    def _checkbox(self, message: str, choices: list[Any], prompt: Prompt) -> list[str] | Back:
        import questionary

        if prompt.can_go_back:
            choices.append(questionary.Choice("← Back", GO_BACK))
        values: list[str] = questionary.checkbox(
            message, choices=choices, validate=check_ticks, instruction=CHECKBOX_KEYS
        ).unsafe_ask()
        if GO_BACK in values:
            return BACK
        if len(values) > 1:  # questionary shows only "done (N selections)"; say which
            titles = {c.value: c.title for c in choices if not isinstance(c, questionary.Separator)}
            self.console.print("  → " + "; ".join(str(titles[v]) for v in values), markup=False)
        return values

    def _age(self, prompt: Prompt, question: Question) -> int | Back:
        import questionary

        def validate(text: str) -> bool | str:
            parsed = parse_age(text, question, can_go_back=prompt.can_go_back)
            return parsed if isinstance(parsed, str) else True

        before = prompt.previous.get(question.id)
        hint = "(years; b to go back)" if prompt.can_go_back else "(years)"
        text = questionary.text(
            question.text,
            default="" if before is None else str(before),
            validate=validate,
            instruction=hint,
        ).unsafe_ask()
        parsed = parse_age(str(text), question, can_go_back=prompt.can_go_back)
        assert not isinstance(parsed, str)  # the prompt's validation let only these through
        return parsed

    def after_emergency(self, assessment: Assessment) -> AfterEmergency:
        """Show the emergency advice at once, then ask whether to stop or finish."""
        import questionary

        show_emergency(self.console, self.knowledge, assessment)
        choice = questionary.select(
            "What would you like to do now?",
            choices=[
                questionary.Choice("Stop here and see the summary of my answers", "stop"),
                questionary.Choice(
                    "Finish the questions (a fuller summary to show the doctor)", "finish"
                ),
                questionary.Choice("← Back: I chose a wrong answer", "back"),
            ],
            instruction=SELECT_KEYS,
        ).unsafe_ask()
        return AfterEmergency(choice)


def _default_choice(choices: list[Any], previous: Answers, qid: str) -> Any:
    if qid not in previous:
        return None
    wanted = NOT_SURE if previous[qid] is None else previous[qid]
    return next((c for c in choices if getattr(c, "value", None) == wanted), None)


def show_emergency(console: Console, knowledge: Knowledge, assessment: Assessment) -> None:
    """The emergency advice: what to do now, the emergency number, and why."""
    from backcheck.render import bullets, render_verdict_banner

    console.print()
    render_verdict_banner(console, knowledge, Verdict.EMERGENCY)
    console.print("[bold]Because of your answers:[/bold]")
    bullets(
        console,
        [
            f"[bold]{r.title}[/bold]: {r.why}"
            for r in assessment.reasons
            if r.level == Verdict.EMERGENCY
        ],
    )
    console.print(
        "You can stop here and see the summary, or finish the questions first. "
        "Please get help now either way."
    )


def keep_answers(
    console: Console,
    path: Path,
    knowledge: Knowledge,
    answers: Answers,
    *,
    complete: bool,
    force: bool,
) -> None:
    """Save the answers for `backcheck run`; if that fails, print them so nothing is lost."""
    import yaml

    from backcheck.answers import answers_to_file_data
    from backcheck.errors import BackcheckError
    from backcheck.files import write_private

    data = answers_to_file_data(answers, knowledge, complete=complete)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)
    try:
        write_private(path, text, force=force)
    except (BackcheckError, OSError) as exc:
        sys.stdout.write(text)
        sys.stdout.flush()
        problem = str(exc) if isinstance(exc, BackcheckError) else f"{path}: {exc.strerror or exc}"
        raise BackcheckError(f"{problem}; the answers are printed above instead") from None
    note = " (marked incomplete)" if not complete else ""
    console.print(f"\nYour answers are saved in {path}{note}.", markup=False)
    console.print(f"See this summary again with: backcheck run {path}", markup=False)
