"""Every answer is checked the same way, whether it is one of the usual ones that the
checker takes at a glance (an option id, true or false, a whole number in range, a list
of option ids) or goes through the full check: the same normal form, the same problem."""

from __future__ import annotations

from typing import Any

import pytest

from backcheck.answers import parse_answer, parse_answers
from backcheck.errors import AnswerError
from backcheck.knowledge.fields import Fields
from backcheck.knowledge.model import Knowledge, Question


def _values(question: Question) -> list[Any]:
    """Answers of every kind a file can hold, good and bad, for ``question``."""
    options = list(question.option_ids)
    values: list[Any] = [True, False, None, 0, 1, -1, 40, 1.5, "", "yes", "no", " Yes ", "zzz"]
    values += [[], ["zzz"], [1], [True], [[]], [{}], {"a": 1}, ["yes", "yes"]]
    values += options + [[o] for o in options] + [options, options + options[:1]]
    values += [[*options[:1], "zzz"], [*options[:1], ["nested"]], [*options[:1], None]]
    if question.min is not None and question.max is not None:
        low, high = question.min, question.max
        values += [low - 1, low, low + 1, high - 1, high, high + 1, float(low), str(low)]
    return values


def _one_by_one(question: Question, value: Any) -> tuple[Any, list[str]]:
    """The full check alone: the normal form, or the problems."""
    fields = Fields("f.yaml")
    answer = parse_answer(question, value, fields)
    return answer, list(fields.problems)


def test_every_answer_gets_the_full_checks_result(knowledge: Knowledge) -> None:
    checked = 0
    for question in knowledge.questions.values():
        for value in _values(question):
            if value is None:  # not sure: kept out of the answers, never read as "no"
                assert parse_answers({question.id: None}, knowledge, "f.yaml") == {}
                continue
            expected, problems = _one_by_one(question, value)
            if problems:
                with pytest.raises(AnswerError) as caught:
                    parse_answers({question.id: value}, knowledge, "f.yaml")
                assert caught.value.problems == problems, (question.id, value)
            else:
                got = parse_answers({question.id: value}, knowledge, "f.yaml")
                assert got == {question.id: expected}, (question.id, value)
                assert type(got[question.id]) is type(expected), (question.id, value)
            checked += 1
    assert checked > 500


def test_true_is_never_taken_for_one(knowledge: Knowledge) -> None:
    """In Python True == 1: a yes/no answer of 1 and an age of True are both refused."""
    yes_no = next(q.id for q in knowledge.questions.values() if q.type == "yes_no")
    with pytest.raises(AnswerError, match="1 is not an answer; allowed: yes, no"):
        parse_answers({yes_no: 1}, knowledge, "f.yaml")
    with pytest.raises(AnswerError, match="True is not a whole number"):
        parse_answers({"age": True}, knowledge, "f.yaml")
    assert parse_answers({yes_no: True, "age": 1}, knowledge, "f.yaml") == {
        yes_no: "yes",
        "age": 1,
    }
