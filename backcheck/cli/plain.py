"""The plain asker of `backcheck ask --plain`: numbered lists, typed answers, no cursor movement."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from backcheck.cli.terminal import BACK_WORDS, parse_age, screen_answers
from backcheck.interview import BACK, AfterEmergency, Back, Prompt, StepAnswers
from backcheck.knowledge.model import Knowledge, Question, Verdict
from backcheck.knowledge.rules import Answer

if TYPE_CHECKING:
    from backcheck.result import Result


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
        from backcheck.errors import one_line  # control characters from a file are shown

        self.out.write("\n".join(one_line(line) for line in text.split("\n")) + "\n")
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
        kept = self._kept(prompt, [question])
        while True:
            reply = self.read("Type a number")
            if reply == "" and kept is not None:
                return kept
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
        kept = self._kept(prompt, questions)
        while True:
            reply = self.read("Numbers of all that apply")
            if reply == "" and kept is not None:
                return kept
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

    def _kept(self, prompt: Prompt, questions: list[Question]) -> StepAnswers | None:
        """The earlier answers to these questions (going back, `ask --again`), which Enter
        keeps; said on screen. None when there are none."""
        earlier = prompt.previous
        if not questions or not all(q.id in earlier for q in questions):
            return None
        from backcheck.engine import answer_words

        words = [
            "not sure" if (value := earlier[q.id]) is None else answer_words(q, value)
            for q in questions
        ]
        self.say("  Enter keeps your last answer: " + "; ".join(words))
        return {q.id: earlier[q.id] for q in questions}

    def _age(self, prompt: Prompt, question: Question) -> StepAnswers | Back:
        self.say(question.text)
        self.say(question.help)
        kept = self._kept(prompt, [question])
        while True:
            reply = self.read("Years")
            if reply == "" and kept is not None:
                return kept
            parsed = parse_age(reply, question, can_go_back=prompt.can_go_back)
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
