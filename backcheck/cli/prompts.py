"""The terminal side of `backcheck ask`: questionary prompts, the emergency advice, saving.

questionary (and prompt_toolkit under it, ~200 ms) is imported only when a prompt is
drawn, so the other commands stay fast. Every prompt uses ``unsafe_ask()``: Ctrl-C
raises KeyboardInterrupt, which the command turns into exit status 130.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from backcheck.interview import BACK, AfterEmergency, Back, Prompt, StepAnswers
from backcheck.knowledge.model import Knowledge, Question, Verdict
from backcheck.knowledge.rules import Answer, Answers

if TYPE_CHECKING:
    from rich.console import Console

    from backcheck.result import Result

# Choice values that are not answers. Strings, because questionary turns value=None into the title.
NONE_OF_THESE = "__none_of_these__"
NOT_SURE = "__not_sure__"
GO_BACK = "__back__"
BACK_WORDS = ("b", "back")

SELECT_KEYS = "(↑/↓ and Enter)"
CHECKBOX_KEYS = "(↑/↓, Space to tick, Enter when done)"


def is_terminal() -> bool:
    """True when stdin is a terminal, so keys can be read (tests replace this)."""
    return sys.stdin.isatty()


def stdout_is_terminal() -> bool:
    """False when stdout is redirected (`ask > out.txt`): the questions then go to the terminal."""
    return sys.stdout.isatty()


def screen_console(*, plain: bool = False) -> Console:
    """A console that writes to the terminal itself (stderr), leaving stdout for the result."""
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False, no_color=plain or None)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP during the interview: handled like Ctrl-C (answers kept with --save)."""


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into Stopped while the interview runs, then restore the handlers.

    The exception unwinds through prompt_toolkit, which puts the terminal back as it was.
    """
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signal.Signals(signum).name)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


@contextmanager
def prompt_session(*, redirected: bool) -> Iterator[None]:
    """Draw the prompts on the terminal even when stdout is redirected."""
    if not redirected:
        yield
        return
    from prompt_toolkit.application import create_app_session, get_app_session
    from prompt_toolkit.output import DummyOutput, create_output

    current = get_app_session()
    if isinstance(current._output, DummyOutput):  # a test already chose where prompts go
        yield
        return
    with create_app_session(output=create_output(always_prefer_tty=True)):
        yield


def escape_markup(text: str) -> str:
    """Text shown literally by rich."""
    from rich.markup import escape

    return escape(text)


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
    # a long paste is refused before int() (which refuses over 4,300 digits with an error)
    age = int(value) if len(value) <= 3 and value.isascii() and value.isdigit() else None
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
        import questionary

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
        import questionary

        choices: list[Any] = []
        previous = prompt.previous
        for index, q in enumerate(prompt.questions):
            before = previous.get(q.id)
            if q.type == "yes_no":
                if index > 0 and prompt.questions[index - 1].type != "yes_no":
                    choices.append(questionary.Separator())
                # the short name in the list; its plain-words meaning is printed above
                choices.append(questionary.Choice(q.short, q.id, checked=before == "yes"))
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
        self._meanings(prompt)
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
        if NOT_SURE in values:
            return self._each_unticked(prompt, values)
        return screen_answers(prompt.questions, values, not_sure=False)

    def _meanings(self, prompt: Prompt) -> None:
        """What each yes/no line of a screen means, all visible at once (wrapped, never cut)."""
        lines = [q for q in prompt.questions if q.type == "yes_no"]
        for q in lines:
            self.console.print(
                f"  [bold]{escape_markup(q.short)}[/bold]: [dim]{escape_markup(q.help)}[/dim]"
            )

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
        import questionary

        if help_text:
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

    def _checkbox(self, message: str, choices: list[Any], prompt: Prompt) -> list[str] | Back:
        import questionary

        if prompt.can_go_back:
            choices.append(questionary.Choice("← Back", GO_BACK))
        question = questionary.checkbox(
            message, choices=choices, validate=check_ticks, instruction=CHECKBOX_KEYS
        )
        if prompt.can_go_back:
            _enter_on_back_goes_back(question)
        values: list[str] = _ask(question)
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
        text = _ask(
            questionary.text(
                question.text,
                default="" if before is None else str(before),
                validate=validate,
                instruction=hint,
            )
        )
        parsed = parse_age(str(text), question, can_go_back=prompt.can_go_back)
        assert not isinstance(parsed, str)  # the prompt's validation let only these through
        return parsed

    def after_emergency(self, assessment: Result) -> AfterEmergency:
        """Show the emergency advice at once, then ask whether to stop or finish."""
        import questionary

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


def _ask(question: Any) -> Any:
    """Ask a questionary prompt; Ctrl-D stops like Ctrl-C (EOFError) on every kind of prompt."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()

    @bindings.add(Keys.ControlD, eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=EOFError())

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])
    return question.unsafe_ask()


def _enter_on_back_goes_back(question: Any) -> None:
    """Enter on the "← Back" line of a checkbox goes back at once, without ticking it."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.keys import Keys
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next(
        w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl)
    )
    bindings = KeyBindings()

    @bindings.add(Keys.ControlM, eager=True, filter=Condition(lambda: _pointed(control) == GO_BACK))
    def _(event: Any) -> None:
        control.is_answered = True
        event.app.exit(result=[GO_BACK])

    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])


def _pointed(control: Any) -> Any:
    choice = control.get_pointed_at()
    return getattr(choice, "value", None)


def _default_choice(choices: list[Any], previous: Answers, qid: str) -> Any:
    if qid not in previous:
        return None
    wanted = NOT_SURE if previous[qid] is None else previous[qid]
    return next((c for c in choices if getattr(c, "value", None) == wanted), None)


def show_emergency(console: Console, knowledge: Knowledge, assessment: Result) -> None:
    """The emergency advice: what to do now, the emergency number, and why."""
    from backcheck.output.summary import bullets, render_verdict_banner

    console.print()
    render_verdict_banner(console, assessment)
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


# --- the plain asker: numbered lists, typed answers, no cursor movement -------------------------


class PlainAsker:
    """Asks each prompt as a numbered list read with input(): for screen readers and TERM=dumb.

    Output goes top to bottom with no colour, boxes or cursor movement. Typed answers:
    an option's number (several, separated by spaces or commas, in a tick list), ``0`` for
    none of these, ``?`` for not sure, ``b`` to go back.
    """

    def __init__(self, knowledge: Knowledge, out: TextIO | None = None) -> None:
        self.knowledge = knowledge
        self.out = out or sys.stdout

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self, hint: str) -> str:
        self.out.write(f"{hint}> ")
        self.out.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.strip().lower()[:200]

    def __call__(self, prompt: Prompt) -> StepAnswers | Back:
        step = prompt.step
        self.say()
        self.say(f"Question {prompt.number} of about {prompt.total}")
        if step.is_screen:
            return self._ticks(prompt, step.text, step.help, list(prompt.questions))
        question = prompt.questions[0]
        if question.type == "multi":
            return self._ticks(prompt, question.text, question.help, [question])
        if question.type == "integer":
            return self._age(prompt, question)
        return self._one(prompt, question)

    def _one(self, prompt: Prompt, question: Question) -> StepAnswers | Back:
        self.say(question.text)
        self.say(question.help)
        if question.type == "yes_no":
            lines = [("yes", "Yes"), ("no", "No")]
        else:
            lines = [(o.id, o.label) for o in prompt.options_of(question)]
        for number, (_, label) in enumerate(lines, 1):
            self.say(f"  {number}. {label}")
        self.say("  ?. Not sure" + ("   b. Back" if prompt.can_go_back else ""))
        while True:
            reply = self.read("Type a number")
            if reply == "?":
                return {question.id: None}
            if prompt.can_go_back and reply in BACK_WORDS:
                return BACK
            if reply.isascii() and reply.isdigit() and 1 <= int(reply) <= len(lines):
                return {question.id: lines[int(reply) - 1][0]}
            self.say(f"Type one number from 1 to {len(lines)}, or ? if you are not sure.")

    def _ticks(
        self, prompt: Prompt, text: str, help_text: str, questions: list[Question]
    ) -> StepAnswers | Back:
        self.say(text)
        self.say(help_text)
        lines: list[tuple[Question, str | None, str]] = []
        for q in questions:
            if q.type == "yes_no":
                lines.append((q, None, q.text))
            else:
                lines += [(q, o.id, o.label) for o in prompt.options_of(q)]
        for number, (q, _, label) in enumerate(lines, 1):
            prefix = f"{q.short}: " if len(questions) > 1 and q.type == "multi" else ""
            self.say(f"  {number}. {prefix}{label}")
        self.say(
            "  0. None of these   ?. Not sure about some"
            + ("   b. Back" if prompt.can_go_back else "")
        )
        while True:
            reply = self.read("Numbers of all that apply")
            if prompt.can_go_back and reply in BACK_WORDS:
                return BACK
            parts = reply.replace(",", " ").split()
            if parts == ["0"]:
                return screen_answers(questions, [], not_sure=False)
            unsure = "?" in parts
            numbers = [p for p in parts if p != "?"]
            valid = all(p.isascii() and p.isdigit() and 1 <= int(p) <= len(lines) for p in numbers)
            if valid and (numbers or unsure):
                break
            self.say(
                f"Type the numbers (1 to {len(lines)}) with spaces between, "
                "0 for none, ? if not sure."
            )
        ticked = {int(p) - 1 for p in numbers}
        keys = [
            q.id if o is None else f"{q.id}:{o}" for i, (q, o, _) in enumerate(lines) if i in ticked
        ]
        if not unsure:
            return screen_answers(questions, keys, not_sure=False)
        self.say("Then each line you did not tick, one by one (1 yes, 2 no, ? not sure):")
        verdicts: dict[int, str | None] = {}
        for index, (_, _, label) in enumerate(lines):
            if index in ticked:
                continue
            while True:
                reply = self.read(f"  {label}")
                if reply in ("1", "2", "?"):
                    verdicts[index] = {"1": "yes", "2": "no", "?": None}[reply]
                    break
                self.say("  Type 1 for yes, 2 for no, ? if not sure.")
        answers: dict[str, Answer | None] = {}
        for q in questions:
            mine = [i for i, (lq, _, _) in enumerate(lines) if lq.id == q.id]
            if q.type == "yes_no":
                i = mine[0]
                answers[q.id] = "yes" if i in ticked else verdicts[i]
                continue
            picked = {lines[i][1] for i in mine if i in ticked or verdicts.get(i) == "yes"}
            any_unsure = any(i not in ticked and verdicts.get(i) is None for i in mine)
            answers[q.id] = (
                tuple(o.id for o in q.options if o.id in picked)
                if picked or not any_unsure
                else None
            )
        return answers

    def _age(self, prompt: Prompt, question: Question) -> StepAnswers | Back:
        self.say(question.text)
        self.say(question.help)
        while True:
            parsed = parse_age(self.read("Years"), question, can_go_back=prompt.can_go_back)
            if not isinstance(parsed, str):
                return parsed if parsed is BACK else {question.id: parsed}
            self.say(parsed)

    def after_emergency(self, assessment: Result) -> AfterEmergency:
        """The emergency advice in plain lines, then stop, finish or go back."""
        info = self.knowledge.verdicts[Verdict.EMERGENCY]
        self.say()
        self.say(f"VERDICT: {info.title.upper()}")
        self.say(info.advice)
        self.say(self.knowledge.settings.emergency_hint)
        self.say("Because of your answers:")
        for r in assessment.reasons:
            if r.level == Verdict.EMERGENCY:
                self.say(f"  - {r.title}: {r.why}")
        self.say("What would you like to do now?")
        self.say("  1. Stop here and see the summary of my answers")
        self.say("  2. Finish the questions (a fuller summary to show the doctor)")
        self.say("  3. Back: I chose a wrong answer")
        while True:
            reply = self.read("Type a number")
            if reply in ("1", "2", "3"):
                return AfterEmergency(("stop", "finish", "back")[int(reply) - 1])
            self.say("Type 1, 2 or 3.")


def wants_plain(plain: bool) -> bool:
    """--plain, or a terminal that cannot draw (TERM=dumb)."""
    import os

    return plain or os.environ.get("TERM", "") in ("dumb", "unknown")


def check_encoding(knowledge: Knowledge, stream: TextIO) -> str | None:
    """A one-line problem when the terminal's encoding cannot show the questions, else None."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    texts = ["← “”", *(q.text + q.help for q in knowledge.questions.values())]
    texts += [o.label for q in knowledge.questions.values() for o in q.options]
    try:
        for text in texts:
            text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return (
            f"the terminal's character encoding ({encoding}) cannot show the questions; "
            "use a UTF-8 locale, for example LANG=C.UTF-8 backcheck ask"
        )
    return None
