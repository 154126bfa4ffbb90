"""Compiled `when` tests and the JSON-only assessment agree with the plain ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.answers import load_answer_file
from backcheck.engine import assess
from backcheck.evaluation import vignette_paths
from backcheck.knowledge.model import Knowledge
from backcheck.knowledge.rules import Answers, When, compile_when, evaluate
from tests.conftest import OWN_VIGNETTES

PATHS = vignette_paths([OWN_VIGNETTES, OWN_VIGNETTES.parent / "vignettes-v2"])


def _tests(knowledge: Knowledge) -> list[When]:
    tests: list[When] = [s.when for s in knowledge.warning_signs.values()]
    for condition in knowledge.conditions.values():
        tests += [f.when for f in (*condition.findings, *condition.against)]
        tests += [g.when for g in condition.prior_given]
    tests += [q.asked_if for q in knowledge.questions.values() if q.asked_if is not None]
    return tests


def _answer_sets(knowledge: Knowledge) -> list[Answers]:
    return [load_answer_file(str(p), knowledge).answers for p in PATHS]


def test_every_test_in_the_knowledge_compiles_to_the_same_truth(knowledge: Knowledge) -> None:
    tests = _tests(knowledge)
    assert len(tests) > 500
    for answers in _answer_sets(knowledge):
        partial = dict(list(answers.items())[::2])  # unanswered questions: unknown, not "no"
        for test in tests:
            check = compile_when(test)
            assert check(answers) is evaluate(test, answers)
            assert check(partial) is evaluate(test, partial)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_answers_give_the_same_truth(knowledge: Knowledge, data: st.DataObject) -> None:
    answers: dict[str, object] = {}
    for question in knowledge.questions.values():
        choice = data.draw(st.integers(0, 3))
        if choice == 0 or question.type == "integer":
            if choice == 0:
                continue
            answers[question.id] = data.draw(st.integers(0, 120))
        elif question.type == "multi":
            answers[question.id] = tuple(
                data.draw(st.lists(st.sampled_from(question.option_ids), unique=True))
            )
        else:
            answers[question.id] = data.draw(st.sampled_from(question.option_ids))
    for test in _tests(knowledge):
        assert compile_when(test)(answers) is evaluate(test, answers)  # type: ignore[arg-type]  # drawn answers have the Answers shape


def test_a_json_only_assessment_differs_only_in_what_json_leaves_out(
    knowledge: Knowledge,
) -> None:
    for answers in _answer_sets(knowledge):
        full = assess(knowledge, answers)
        lean = assess(knowledge, answers, with_advice=False)
        assert full.safety_net is not None
        assert lean.safety_net is None
        assert lean.answered == ()
        assert lean == full._replace(safety_net=None, answered=())
