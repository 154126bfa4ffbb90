"""The interactive interview's flow: which step comes next, going back, the emergency exit.

Pure: no terminal, no questionary. The order and the branching come from the
knowledge file's ``interview:`` steps and each question's ``asked_if``. Whatever
asks the questions is passed in (an ``Ask`` callable), so tests script the person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import TYPE_CHECKING

from backcheck.knowledge.model import Knowledge, Option, Question, Step, Verdict
from backcheck.knowledge.rules import (
    AllOf,
    Answer,
    Answers,
    AnyOf,
    Match,
    Not,
    When,
    evaluate,
    questions_in,
)
from backcheck.records import Frozen, Record

if TYPE_CHECKING:
    from backcheck.result import Result

StepAnswers = Mapping[str, Answer | None]


class Back(Enum):
    """The person chose "← Back": undo the previous step and ask it again."""

    BACK = "back"


BACK = Back.BACK


class AfterEmergency(Enum):
    """What the person chose once the emergency advice was shown."""

    STOP = "stop"
    FINISH = "finish"
    BACK = "back"


class Prompt(Frozen):
    """One step to put to the person, with what an asker needs to draw it."""

    __slots__ = ("known", "number", "previous", "questions", "step", "total")
    _fields = ("step", "questions", "number", "total", "previous", "known")
    __match_args__ = ("step", "questions", "number", "total", "previous", "known")

    step: Step
    questions: tuple[Question, ...]  # the step's questions that are due, in order
    number: int  # 1 for the first prompt
    total: int  # prompts so far plus the steps that may still come (an upper bound)
    previous: Answers  # this step's answers before the person went back, to pre-select
    known: Answers  # every answer given before this step

    def __init__(
        self,
        step: Step,
        questions: tuple[Question, ...],
        number: int,
        total: int,
        previous: Answers,
        known: Answers | None = None,
    ) -> None:
        """The prompt for ``step``; ``known`` defaults to no answers."""
        self._set(
            step=step,
            questions=questions,
            number=number,
            total=total,
            previous=previous,
            known={} if known is None else known,
        )

    @property
    def can_go_back(self) -> bool:
        """False on the first prompt."""
        return self.number > 1

    def options_of(self, question: Question) -> tuple[Option, ...]:
        """The question's options to show: those whose ``shown_if`` is not false."""
        return shown_options(question, self.known)


Ask = Callable[[Prompt], StepAnswers | Back]
Warn = Callable[["Result"], AfterEmergency]


def shown_options(question: Question, answers: Answers) -> tuple[Option, ...]:
    """Options that can apply to the person; an unknown answer hides nothing."""
    return tuple(
        o
        for o in question.options
        if o.shown_if is None or evaluate(o.shown_if, answers) is not False
    )


def is_due(question: Question, answers: Answers) -> bool:
    """A question is asked when its ``asked_if`` holds; unknown is not enough."""
    return question.asked_if is None or evaluate(question.asked_if, answers) is True


def may_be_due(question: Question, answers: Answers) -> bool:
    """True while the question may still be asked: due, or waiting on questions not asked yet."""
    if question.asked_if is None:
        return True
    if all(qid in answers for qid in questions_in(question.asked_if)):
        return is_due(question, answers)
    return evaluate(question.asked_if, answers) is not False


def due_questions(knowledge: Knowledge, step: Step, answers: Answers) -> tuple[Question, ...]:
    """The step's questions still to ask: not answered yet, and due.

    A screen also asks a question whose condition waits on a question that may still be
    asked later (the signs in pregnancy, before the pregnancy question), so that a warning
    sign is never held back behind it.
    """
    questions = (knowledge.questions[qid] for qid in step.questions)
    return tuple(
        q
        for q in questions
        if q.id not in answers
        and (is_due(q, answers) or (step.is_screen and _may_come(knowledge, q, answers)))
    )


def _may_come(knowledge: Knowledge, question: Question, answers: Answers) -> bool:
    """True when the question is due, or waits on unanswered questions that may come."""
    if question.asked_if is None:
        return True
    truth = evaluate(question.asked_if, answers)
    if truth is not None:
        return truth
    waiting = {qid for qid in questions_in(question.asked_if) if qid not in answers}
    return any(_may_come(knowledge, knowledge.questions[qid], answers) for qid in waiting)


def next_step(knowledge: Knowledge, answers: Answers, asked: tuple[str, ...]) -> Step | None:
    """The next step to ask; None when the interview is done.

    Steps come in the knowledge file's order, except that once the step named by
    ``settings.settle_first_after`` is asked, a step that can complete an emergency
    warning sign already partly met by a symptom (fever ticked: the health history; belly
    pain: the age) comes first: the emergency advice should not wait behind questions
    about posture. An age alone does not start a sign.
    """
    due = [
        step
        for step in knowledge.interview
        if step.id not in asked and due_questions(knowledge, step, answers)
    ]
    if not due:
        return None
    if knowledge.settings.settle_first_after in asked:
        pending = _pending_questions(knowledge, answers)
        for step in due:
            if pending.intersection(q.id for q in due_questions(knowledge, step, answers)):
                return step
    return due[0]


def _pending_questions(knowledge: Knowledge, answers: Answers) -> set[str]:
    """Unanswered questions read by an emergency sign that is still open and partly met."""
    pending: set[str] = set()
    for sign in knowledge.warning_signs.values():
        if sign.level != Verdict.EMERGENCY or evaluate(sign.when, answers) is not None:
            continue
        started = (
            evaluate(test, answers) is True
            for test in _plain_tests(sign.when)
            if knowledge.questions[test.question].type != "integer"  # an age is not a sign
        )
        if any(started):
            pending.update(_open_questions(sign.when, answers))
    return pending


def _plain_tests(test: When) -> Iterator[Match]:
    """The tests of a rule that count towards it when they hold (none under a ``not``)."""
    if isinstance(test, Match):
        yield test
    elif isinstance(test, AllOf | AnyOf):
        for part in test.parts:
            yield from _plain_tests(part)


def _open_questions(test: When, answers: Answers) -> Iterator[str]:
    """The unanswered questions whose answers can still change the rule's outcome."""
    if evaluate(test, answers) is not None:
        return
    if isinstance(test, Match):
        yield test.question
    elif isinstance(test, Not):
        yield from _open_questions(test.part, answers)
    elif isinstance(test, AllOf | AnyOf):  # an `unless` is never open: it is never unknown
        for part in test.parts:
            yield from _open_questions(part, answers)


def steps_left(knowledge: Knowledge, answers: Answers, asked: tuple[str, ...]) -> int:
    """How many steps may still come (some may turn out not to be due)."""
    return sum(
        1
        for step in knowledge.interview
        if step.id not in asked
        and any(
            qid not in answers and may_be_due(knowledge.questions[qid], answers)
            for qid in step.questions
        )
    )


class Answered(Frozen):
    """One step as the person answered it."""

    __slots__ = ("answers", "step")
    _fields = ("step", "answers")
    __match_args__ = ("step", "answers")

    step: Step
    answers: StepAnswers

    def __init__(self, step: Step, answers: StepAnswers) -> None:
        """``step`` with its ``answers``."""
        self._set(step=step, answers=answers)


class Interview(Record):
    """The steps answered so far; going back drops the last one."""

    _fields = ("knowledge", "done", "warned", "_undone")
    __match_args__ = ("knowledge", "done", "warned", "_undone")
    __hash__ = None  # type: ignore[assignment]  # it changes as answers come in

    def __init__(
        self,
        knowledge: Knowledge,
        done: list[Answered] | None = None,
        warned: bool = False,
        _undone: dict[str, StepAnswers] | None = None,
    ) -> None:
        """An interview on ``knowledge``; ``_undone``: answers each step starts from."""
        self.knowledge = knowledge
        self.done: list[Answered] = [] if done is None else done
        self.warned = warned  # the emergency advice was shown for the current answers
        self._undone: dict[str, StepAnswers] = {} if _undone is None else _undone

    @property
    def answers(self) -> dict[str, Answer | None]:
        """Every answer so far, question id -> answer (None: asked, not sure)."""
        merged: dict[str, Answer | None] = {}
        for item in self.done:
            merged.update(item.answers)
        return merged

    @property
    def asked(self) -> tuple[str, ...]:
        """The ids of the steps answered so far, in order."""
        return tuple(item.step.id for item in self.done)

    def prompt(self) -> Prompt | None:
        """The next step to ask, or None when nothing is left."""
        answers = self.answers
        step = next_step(self.knowledge, answers, self.asked)
        if step is None:
            return None
        return Prompt(
            step=step,
            questions=due_questions(self.knowledge, step, answers),
            number=len(self.done) + 1,
            total=len(self.done) + steps_left(self.knowledge, answers, self.asked),
            previous=self._undone.get(step.id, {}),
            known=answers,
        )

    def record(self, prompt: Prompt, answers: StepAnswers) -> None:
        """Keep the answers to ``prompt``; only its due questions are kept."""
        wanted = {q.id for q in prompt.questions}
        self.done.append(Answered(prompt.step, {q: a for q, a in answers.items() if q in wanted}))

    def back(self) -> None:
        """Undo the last step; its answers become the defaults when it is asked again."""
        if self.done:
            last = self.done.pop()
            self._undone[last.step.id] = last.answers
        if self.warned and self.assessment().verdict != Verdict.EMERGENCY:
            self.warned = False

    def assessment(self) -> Result:
        """The verdict and ranking for the answers so far."""
        from backcheck.engine import assess  # here: the first question is drawn without it

        return assess(self.knowledge, self.answers)

    def needs_warning(self) -> bool:
        """True once, as soon as the answers set the emergency verdict."""
        return not self.warned and self.assessment().verdict == Verdict.EMERGENCY


class Outcome(Frozen):
    """How the interview ended."""

    __slots__ = ("answers", "complete", "emergency_at", "prompts")
    _fields = ("answers", "complete", "prompts", "emergency_at")
    __match_args__ = ("answers", "complete", "prompts", "emergency_at")

    answers: dict[str, Answer | None]
    complete: bool  # every due step was answered
    prompts: int  # prompts answered, counting re-asks after going back
    emergency_at: int | None  # the prompt whose answer first set the emergency verdict

    def __init__(
        self,
        answers: dict[str, Answer | None],
        complete: bool,
        prompts: int,
        emergency_at: int | None,
    ) -> None:
        """The answers, whether every due step was answered, and how it went."""
        self._set(answers=answers, complete=complete, prompts=prompts, emergency_at=emergency_at)


def run_interview(interview: Interview, ask: Ask, warn: Warn) -> Outcome:
    """Ask step after step until none is left or the person stops after the emergency advice.

    ``interview`` is updated as answers come in, so a caller that catches Ctrl-C
    still has the answers given so far.
    """
    prompts = 0
    emergency_at: int | None = None
    while (prompt := interview.prompt()) is not None:
        reply = ask(prompt)
        prompts += 1
        if reply is BACK:
            interview.back()
            continue
        interview.record(prompt, reply)
        if interview.needs_warning():
            interview.warned = True
            emergency_at = emergency_at or prompts
            choice = warn(interview.assessment())
            if choice is AfterEmergency.STOP:
                return Outcome(interview.answers, False, prompts, emergency_at)
            if choice is AfterEmergency.BACK:
                interview.back()
    return Outcome(interview.answers, True, prompts, emergency_at)


def simulate(knowledge: Knowledge, person: Answers) -> Outcome:
    """Run the interview for someone who answers as in ``person`` and finishes after a warning.

    A question ``person`` leaves out is answered "not sure", unless it does not apply to
    them on their whole answers (signs in pregnancy for someone not pregnant, asked
    before the pregnancy question): then they tick none. Used by the benchmark and tests.
    """

    def answer(question: Question) -> Answer | None:
        if question.id in person or is_due(question, person):
            return person.get(question.id)
        return () if question.type == "multi" else ("no" if question.type == "yes_no" else None)

    def ask(prompt: Prompt) -> StepAnswers:
        return {q.id: answer(q) for q in prompt.questions}

    return run_interview(Interview(knowledge), ask, lambda _: AfterEmergency.FINISH)
