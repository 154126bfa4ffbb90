"""Answer files: read, check against the questions, and normalise."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Mapping
from typing import Any

from backcheck.errors import AnswerError, InputError
from backcheck.knowledge.fields import Fields, is_whole, yes_no
from backcheck.knowledge.model import Knowledge, Question, QuestionType
from backcheck.knowledge.rules import Answer, Answers
from backcheck.records import Frozen
from backcheck.suggest import did_you_mean, listing
from backcheck.textfile import MAX_ANSWER_FILE_BYTES, decode, parse_text, read_text

# `id`, `story` and `expect` make every vignette a valid answer file; `run` ignores them.
TOP_LEVEL_KEYS = ("answers", "version", "id", "story", "expect", "complete")
STDIN = "-"
SUPPORTED_VERSIONS = (1, 2)


class AnswerFile(Frozen):
    """The answers read from one file, with where they came from."""

    __slots__ = ("answers", "raw", "source")
    _fields = ("source", "answers", "raw")
    __match_args__ = ("source", "answers", "raw")

    source: str
    answers: Answers
    raw: dict[str, Any]

    def __init__(self, source: str, answers: Answers, raw: dict[str, Any]) -> None:
        """The answers of the file at ``source``, and its top level as read."""
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "answers", answers)
        object.__setattr__(self, "raw", raw)

    @property
    def version(self) -> int:
        """The contract version the person was asked by (a file without one is version 1)."""
        return int(self.raw.get("version", 1))


# Standard input, read once (by the main process, before any batch worker starts, as
# workers see the null device there): its text, or the error reading it gave. Every `-`
# of a command gets the same.
_stdin: str | InputError | None = None


def read_stdin(*, again: bool = False) -> str:
    """The text on standard input, read on first use (or ``again``) and kept; InputError
    if it cannot be used."""
    global _stdin
    if _stdin is None or again:
        try:
            _stdin = _read_stdin()
        except InputError as exc:
            _stdin = exc
    if isinstance(_stdin, InputError):
        raise _stdin
    return _stdin


def _read_stdin() -> str:
    label = "<stdin>"
    if sys.stdin is None:
        raise InputError(f"{label}: standard input is closed; give an answer file instead")
    try:
        data = sys.stdin.buffer.read(MAX_ANSWER_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{label}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_ANSWER_FILE_BYTES:
        raise InputError(f"{label}: larger than the {MAX_ANSWER_FILE_BYTES // 1024} KiB allowed")
    return decode(data, label=label)


def read_answer_file(path: str) -> AnswerFile:
    """Read and check one answer file (``-`` is standard input)."""
    label = "<stdin>" if path == STDIN else path
    text = read_stdin() if path == STDIN else read_text(path, label=label)
    if not text.strip():
        raise InputError(f"{label}: is empty; expected a mapping with 'answers'")
    try:
        raw = parse_text(text, json_first=path.endswith(".json"))
    except ValueError as exc:
        raise InputError(f"{label}: {exc}") from None
    return AnswerFile(source=label, answers={}, raw=_top_level(raw, label))


def check_answer_file(file: AnswerFile, knowledge: Knowledge) -> AnswerFile:
    """Validate the answers against the knowledge's questions."""
    answers = parse_answers(file.raw["answers"], knowledge, file.source)
    return AnswerFile(source=file.source, answers=answers, raw=file.raw)


def load_answer_file(path: str, knowledge: Knowledge) -> AnswerFile:
    """Read and validate one answer file."""
    return check_answer_file(read_answer_file(path), knowledge)


def _top_level(raw: Any, label: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        kind = (
            "a list"
            if isinstance(raw, list)
            else f"'{raw}'"
            if isinstance(raw, str | int | float)
            else type(raw).__name__
        )
        raise InputError(f"{label}: the file holds {kind}; expected a mapping with 'answers'")
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            allowed = ", ".join(TOP_LEVEL_KEYS)
            raise InputError(
                f"{label}: unknown key {key!r}; allowed: {allowed}"
                + did_you_mean(key, TOP_LEVEL_KEYS)
            )
    if "answers" not in raw:
        raise InputError(f"{label}: missing 'answers' (a mapping of question ids to answers)")
    version = raw.get("version", 1)
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise InputError(f"{label}: version: {version!r} is not supported; allowed: 1, 2")
    if raw["answers"] is None:
        raw["answers"] = {}
    if not isinstance(raw["answers"], dict):
        raise InputError(f"{label}: answers: must be a mapping of question ids to answers")
    return raw


def parse_answers(raw: dict[Any, Any], knowledge: Knowledge, label: str) -> Answers:
    """Check every answer; every problem is reported at once, one line each naming the question."""
    fields = Fields(label)
    answers: dict[str, Answer] = {}
    accepted, wholes, many = _accepted_of(knowledge)
    for key, value in raw.items():
        kind = type(value)
        answer: Answer | None = None
        # the usual answers, taken as they are: an option id or yes/no as written, true or
        # false, a whole number in range, a list of option ids
        if kind is str or kind is bool:  # (a bool never meets a number here: see below)
            answer = accepted.get((key, value))
        elif kind is int:
            answer = wholes.get((key, value))
        elif kind is list and (options := many.get(key)) is not None:
            with contextlib.suppress(TypeError):  # an item that is no option id at all
                if options.issuperset(value):
                    answer = tuple(dict.fromkeys(value))
        if answer is not None:
            answers[key] = answer
            continue
        question = knowledge.questions.get(key) if isinstance(key, str) else None
        if question is None:
            allowed = listing(list(knowledge.questions))
            hint = did_you_mean(key, knowledge.questions)
            fields.problem(str(key), f"unknown question{hint}; allowed: {allowed}")
            continue
        if value is None:
            continue  # explicitly unknown: reported as not assessed, never read as "no"
        answer = parse_answer(question, value, fields)
        if answer is not None:
            answers[question.id] = answer
    if fields.problems:
        raise AnswerError(label, fields.problems)
    return answers


# Answers that ``parse_answer`` takes as they are, in their normal form: by question id
# and word (an option id, yes or no) or true/false; by question id and whole number (kept
# apart, as True == 1 in a key); and each multiple-choice question's options.
Accepted = tuple[
    dict[tuple[str, str | bool], Answer], dict[tuple[str, int], int], dict[str, frozenset[str]]
]


def _accepted_of(knowledge: Knowledge) -> Accepted:
    """The answers ``parse_answers`` takes without ``parse_answer`` (see ``Accepted``)."""
    global _accepted
    if _accepted is not None and _accepted[0] is knowledge:
        return _accepted[1]
    words: dict[tuple[str, str | bool], Answer] = {}
    wholes: dict[tuple[str, int], int] = {}
    many: dict[str, frozenset[str]] = {}
    for question in knowledge.questions.values():
        qid = question.id
        if question.type == QuestionType.INTEGER:
            low, high = question.min, question.max
            if low is not None and high is not None and high - low <= _WHOLES_MAX:
                wholes.update(((qid, n), n) for n in range(low, high + 1))
            continue
        if question.type == QuestionType.YES_NO:
            for flag in (True, False):
                word = yes_no(flag)
                if word is not None:
                    words[qid, flag] = word
        is_many = question.type == QuestionType.MULTI
        if is_many:
            many[qid] = frozenset(question.option_ids)
        for option in question.option_ids:
            words[qid, option] = (option,) if is_many else option
    _accepted = (knowledge, (words, wholes, many))
    return words, wholes, many


# The last knowledge's accepted answers: one knowledge at a time, in practice.
_accepted: tuple[Knowledge, Accepted] | None = None
_WHOLES_MAX = 1000  # a range of whole numbers this wide at most is listed in full


def check_answers(answers: object, knowledge: Knowledge, label: str = "answers") -> Answers:
    """Answers handed to the API, checked as an answer file's are (an InputError naming
    every problem), in their normal form; ``None`` (not sure) is kept."""
    if not isinstance(answers, Mapping):
        raise InputError(
            f"{label}: must be a mapping of question ids to answers, not {type(answers).__name__}"
        )
    raw = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
    parsed = parse_answers(raw, knowledge, label)
    return {k: parsed.get(k) for k in raw if k in parsed or raw[k] is None}


def parse_answer(question: Question, value: Any, fields: Fields) -> Answer | None:
    """One answer in its normal form (an option id, a tuple of them, an integer), or None
    with the problem recorded in ``fields``."""
    where = question.id
    if question.type == QuestionType.INTEGER:
        if not is_whole(value):
            fields.problem(
                where,
                f"{value!r} is not a whole number; allowed: {question.min} to {question.max}",
            )
            return None
        if (
            question.min is not None
            and question.max is not None
            and not question.min <= value <= question.max
        ):
            fields.problem(
                where, f"{value} is out of range; allowed: {question.min} to {question.max}"
            )
            return None
        return value
    if question.type == QuestionType.YES_NO:
        answer = yes_no(value)
        if answer is None:
            fields.problem(where, f"{value!r} is not an answer; allowed: yes, no")
        return answer
    options = question.option_ids
    if question.type == QuestionType.SINGLE:
        if isinstance(value, str) and value in options:
            return value
        if not isinstance(value, str):
            allowed = listing(options)
            fields.problem(where, f"expected one option id, got {_kind(value)}; allowed: {allowed}")
            return None
        return value if _check_option(question, value, fields) else None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        allowed = listing(options)
        fields.problem(
            where, f"expected a list of option ids, got {_kind(value)}; allowed: {allowed}"
        )
        return None
    if all(isinstance(item, str) and item in options for item in values):
        return tuple(dict.fromkeys(values))
    allowed = listing(options)
    good = True
    for item in values:
        if not isinstance(item, str):
            fields.problem(where, f"{item!r} is not an option id; allowed: {allowed}")
            good = False
        elif not _check_option(question, item, fields):  # names the option, with a hint
            good = False
    return tuple(dict.fromkeys(values)) if good else None


def _check_option(question: Question, value: str, fields: Fields) -> bool:
    if value in question.option_ids:
        return True
    allowed = listing(question.option_ids)
    hint = did_you_mean(value, question.option_ids)
    fields.problem(question.id, f"{value!r} is not an option{hint}; allowed: {allowed}")
    return False


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def answers_to_file_data(
    answers: Answers, knowledge: Knowledge, *, complete: bool = True
) -> dict[str, Any]:
    """The answer-file mapping for ``answers``, questions in interview order."""
    ordered: dict[str, Any] = {}
    for qid in knowledge.questions:
        if qid in answers:  # None is kept: asked, and left unanswered
            value = answers[qid]
            ordered[qid] = list(value) if isinstance(value, tuple) else value
    data: dict[str, Any] = {"version": 2, "answers": ordered}
    if not complete:
        data["complete"] = False
    return data
