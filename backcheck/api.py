"""The public Python API behind ``backcheck.load_knowledge``, ``parse_answers``, ``assess``
and ``to_dict`` (see the package docstring)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backcheck.errors import InputError
from backcheck.knowledge.model import Knowledge
from backcheck.knowledge.rules import Answers
from backcheck.result import Result


def load_knowledge(path: str | Path | None = None) -> Knowledge:
    """The validated knowledge: the shipped file by default, or the one at ``path``.

    Raises ``KnowledgeError`` listing every problem of a broken file.
    """
    from backcheck.knowledge.loading import load_knowledge as load

    if path is not None and not isinstance(path, str | Path):
        raise InputError(f"path: must be a file name, not {type(path).__name__}")
    return load(Path(path) if path is not None else None)


def parse_answers(
    mapping_or_path: Mapping[str, Any] | str | Path, knowledge: Knowledge | None = None
) -> Answers:
    """Checked answers from an answer file's path, an answer-file mapping (with
    ``answers``) or a plain mapping of question ids to answers.

    ``knowledge`` defaults to the shipped one. Raises ``InputError`` (``AnswerError``
    with every problem at once for bad answers).
    """
    from backcheck.answers import load_answer_file
    from backcheck.answers import parse_answers as parse

    knowledge = _checked_knowledge(knowledge) if knowledge is not None else load_knowledge()
    if isinstance(mapping_or_path, str | Path):
        return load_answer_file(str(mapping_or_path), knowledge).answers
    if not isinstance(mapping_or_path, Mapping):
        raise InputError(
            "answers: must be a mapping or an answer file's path, "
            f"not {type(mapping_or_path).__name__}"
        )
    raw = mapping_or_path.get("answers", mapping_or_path)
    if not isinstance(raw, Mapping):
        raise InputError("answers: must be a mapping of question ids to answers")
    return parse(dict(raw), knowledge, "answers")


def assess(
    knowledge: Knowledge, answers: Answers, version: int = 2, *, top: int | None = None
) -> Result:
    """The self-contained result for checked ``answers``: verdict, reasons, ranking.

    ``version`` is the answer file's contract version: with 1, the version-2 red flags
    left unanswered are listed as not asked instead of raising the verdict. ``top``
    keeps only that many of the likeliest conditions (the verdict still weighs them all).
    """
    from backcheck.answers import check_answers
    from backcheck.engine import assess as run

    if isinstance(version, bool) or version not in (1, 2):
        raise InputError(f"version: {version!r}; allowed: 1, 2")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise InputError(f"top: {top!r}; allowed: a whole number from 1")
    knowledge = _checked_knowledge(knowledge)
    return run(knowledge, check_answers(answers, knowledge), version, top=top)


def to_dict(result: Result, source: str | None = None) -> dict[str, Any]:
    """The contract's JSON object (section 5) for ``result``; ``source`` names its file."""
    from backcheck.output.jsonout import to_dict as convert

    if not isinstance(result, Result):
        raise InputError(f"result: must be a Result from assess, not {type(result).__name__}")
    if source is not None and not isinstance(source, str):
        raise InputError(f"source: must be a string, not {type(source).__name__}")
    return convert(result, source)


def _checked_knowledge(knowledge: object) -> Knowledge:
    if not isinstance(knowledge, Knowledge):
        raise InputError(
            f"knowledge: must come from load_knowledge, not {type(knowledge).__name__}"
        )
    return knowledge
