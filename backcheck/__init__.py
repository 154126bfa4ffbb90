"""backcheck: an offline command-line symptom checker for back symptoms.

The public Python API (imported lazily, so the command line starts as fast as before)::

    import backcheck

    knowledge = backcheck.load_knowledge()
    answers = backcheck.parse_answers({"sensation": ["tingling"], "age": 40}, knowledge)
    result = backcheck.assess(knowledge, answers)
    print(result.verdict, result.conditions[0].name)
    backcheck.to_dict(result)  # the contract's JSON object
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "BackcheckError",
    "ConditionScore",
    "Contribution",
    "InputError",
    "Knowledge",
    "KnowledgeError",
    "QuestionRef",
    "Reason",
    "ReasonKind",
    "Result",
    "SignRef",
    "Verdict",
    "__version__",
    "assess",
    "load_knowledge",
    "parse_answers",
    "to_dict",
]

if TYPE_CHECKING:
    from backcheck.api import assess, load_knowledge, parse_answers, to_dict
    from backcheck.errors import AnswerError, BackcheckError, InputError, KnowledgeError
    from backcheck.knowledge.model import Knowledge, Verdict
    from backcheck.result import (
        ConditionScore,
        Contribution,
        QuestionRef,
        Reason,
        ReasonKind,
        Result,
        SignRef,
    )

_WHERE = {
    "assess": "backcheck.api",
    "load_knowledge": "backcheck.api",
    "parse_answers": "backcheck.api",
    "to_dict": "backcheck.api",
    "AnswerError": "backcheck.errors",
    "BackcheckError": "backcheck.errors",
    "InputError": "backcheck.errors",
    "KnowledgeError": "backcheck.errors",
    "Knowledge": "backcheck.knowledge.model",
    "Verdict": "backcheck.knowledge.model",
    "ConditionScore": "backcheck.result",
    "Contribution": "backcheck.result",
    "QuestionRef": "backcheck.result",
    "Reason": "backcheck.result",
    "ReasonKind": "backcheck.result",
    "Result": "backcheck.result",
    "SignRef": "backcheck.result",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562), keeping start-up unchanged."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'backcheck' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
