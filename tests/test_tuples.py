"""backcheck.tuples.NamedTuple makes the classes typing.NamedTuple makes, more cheaply."""

from __future__ import annotations

import copy
import inspect
import pickle
import typing
from typing import Any

import pytest

from backcheck.knowledge.model import Knowledge, Option, Question, QuestionType
from backcheck.knowledge.rules import AllOf, AnyOf, Match
from backcheck.tuples import NamedTuple


def _pair(base: Any) -> tuple[Any, Any]:
    class Choice(base):  # type: ignore[misc]
        """One choice."""

        id: str
        label: str
        shown_if: str | None = None

        @property
        def short(self) -> str:
            return str(self.label.split(":", 1)[0])

    class Single(base):  # type: ignore[misc]
        part: str

    return Choice, Single


TYPING, FAST = _pair(typing.NamedTuple), _pair(NamedTuple)


@pytest.mark.parametrize("index", [0, 1])
def test_the_class_matches_typing_namedtuple(index: int) -> None:
    ours, theirs = FAST[index], TYPING[index]
    for name in ("_fields", "_field_defaults", "__match_args__", "__slots__", "__doc__"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert type(ours) is type(theirs) is type
    assert ours.__mro__[1:] == theirs.__mro__[1:] == (tuple, object)
    assert [str(p) for p in inspect.signature(ours).parameters.values()] == [
        str(p).replace("ForwardRef(", "").replace("')", "'")
        for p in inspect.signature(theirs).parameters.values()
    ]
    assert ours.__new__.__doc__ == theirs.__new__.__doc__


def test_instances_behave_alike() -> None:
    (ours, _), (theirs, _) = FAST, TYPING
    a, b = ours("x", "Tingling: pins"), theirs("x", "Tingling: pins")
    assert a == b == ("x", "Tingling: pins", None)
    assert hash(a) == hash(b)
    assert repr(a) == repr(b) == "Choice(id='x', label='Tingling: pins', shown_if=None)"
    assert repr(FAST[1]("p")) == repr(TYPING[1]("p")) == "Single(part='p')"
    assert (a.id, a.label, a.shown_if, a.short) == ("x", "Tingling: pins", None, "Tingling")
    assert a._replace(label="b") == ours("x", "b")
    assert a._asdict() == b._asdict()
    assert ours._make(["a", "b", "c"]) == ours(id="a", label="b", shown_if="c")
    assert copy.copy(a) == copy.deepcopy(a) == a
    match a:
        case ours(id, label):
            assert (id, label) == ("x", "Tingling: pins")


@pytest.mark.parametrize(
    "misuse",
    [
        lambda c: c(),
        lambda c: c(1, 2, 3, 4),
        lambda c: c(1, 2, nope=3),
        lambda c: c._make([1]),
        lambda c: c("a", "b")._replace(nope=1),
        lambda c: setattr(c("a", "b"), "id", "c"),
        lambda c: c("a", "b").__dict__,
    ],
)
def test_misuse_fails_with_the_same_error(misuse: Any) -> None:
    errors = []
    for cls in (FAST[0], TYPING[0]):
        with pytest.raises(Exception) as caught:  # noqa: PT011  # compared below
            misuse(cls)
        errors.append((type(caught.value), str(caught.value)))
    assert errors[0] == errors[1]


def test_a_default_before_a_field_without_one_is_refused() -> None:
    with pytest.raises(TypeError):

        class Bad(NamedTuple):
            a: int = 1
            b: int  # type: ignore[misc]


def test_knowledge_entries_pickle_and_compare_as_before(knowledge: Knowledge) -> None:
    assert pickle.loads(pickle.dumps(knowledge, protocol=pickle.HIGHEST_PROTOCOL)) == knowledge
    question = next(iter(knowledge.questions.values()))
    assert type(question) is Question
    assert isinstance(question.type, QuestionType)
    assert pickle.loads(pickle.dumps(Option("a", "b"))) == Option("a", "b")
    # rule nodes of different kinds are never equal, even with the same parts
    parts = (Match("age", frozenset()),)
    other: Any = AnyOf(parts)
    assert tuple(AllOf(parts)) == tuple(other)
    assert AllOf(parts) != other
    assert AllOf(parts) == AllOf(parts)
    assert hash(AllOf(parts)) != hash(other)
