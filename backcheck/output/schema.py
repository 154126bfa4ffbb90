"""JSON Schemas (draft 2020-12) for answer files, the JSON result and the eval output.

Each is built from the definitions the code checks and writes with: the knowledge's
questions (types, option ids, ranges, the version that first asks them), the answer
file's top-level keys and versions, the verdict levels, the reason kinds, the result's
schema version, the eval targets and figures. ``schemas/`` holds them as committed files;
a test fails when one is stale. Regenerate them with ``python -m backcheck.output.schema``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backcheck.knowledge.model import Knowledge, Question

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "urn:backcheck:schema:"
NAMES = ("answers", "result", "eval")
# The words `yes_no` in backcheck.knowledge.fields accepts, in any case, with spaces.
YES_NO_PATTERN = r"^\s*([Yy][Ee][Ss]|[Nn][Oo])\s*$"


def file_name(name: str, version: int | None = None) -> str:
    """The committed file of a schema: answers-v2.schema.json, result.schema.json."""
    return f"{name}-v{version}.schema.json" if version is not None else f"{name}.schema.json"


def schema_files(knowledge: Knowledge) -> dict[str, dict[str, Any]]:
    """Every committed schema by file name."""
    from backcheck.answers import SUPPORTED_VERSIONS

    files = {file_name("answers", v): answers_schema(knowledge, v) for v in SUPPORTED_VERSIONS}
    files[file_name("result")] = result_schema()
    files[file_name("eval")] = eval_schema()
    return files


def schema_text(data: dict[str, Any]) -> str:
    """A schema as the committed file holds it."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def answer_value_schema(question: Question) -> dict[str, Any]:
    """What `run` accepts as an answer to ``question`` (null: not known)."""
    from backcheck.knowledge.model import QuestionType

    value: dict[str, Any]
    if question.type == QuestionType.INTEGER:
        value = {"type": "integer"}
        if question.min is not None and question.max is not None:
            value |= {"minimum": question.min, "maximum": question.max}
    elif question.type == QuestionType.YES_NO:
        value = {
            "anyOf": [
                {"type": "boolean"},
                {"enum": list(question.option_ids)},
                {"type": "string", "pattern": YES_NO_PATTERN},
            ]
        }
    elif question.type == QuestionType.SINGLE:
        value = {"enum": list(question.option_ids)}
    else:
        one = {"enum": list(question.option_ids)}
        value = {"anyOf": [{"type": "array", "items": one}, one]}
    options = "; ".join(f"{o.id}: {o.label}" for o in question.options)
    description = " ".join(
        part
        for part in (
            question.text,
            question.help,
            "(A warning sign: leave it empty only if you do not know.)"
            if question.red_flag
            else "",
            f"Options: {options}." if options else "",
            "(Asked from answer-file version 2 on.)" if question.since > 1 else "",
        )
        if part
    )
    return {"description": description, "anyOf": [value, {"type": "null"}]}


# What each top-level key of an answer file holds (backcheck.answers.TOP_LEVEL_KEYS).
TOP_LEVEL: dict[str, dict[str, Any]] = {
    "answers": {
        "type": ["object", "null"],
        "description": "Question ids and their answers; an answer left empty is not known.",
    },
    "version": {"description": "The answer-file version: which questions were asked."},
    "id": {"description": "A vignette's id (run ignores it)."},
    "story": {"description": "A vignette's story (run ignores it)."},
    "expect": {"description": "A vignette's expected result, read by eval (run ignores it)."},
    "complete": {"description": "false when the interview was stopped before the end."},
}


def answers_schema(knowledge: Knowledge, version: int) -> dict[str, Any]:
    """An answer file of ``version`` (a version-1 file may leave out `version`)."""
    from backcheck.answers import TOP_LEVEL_KEYS
    from backcheck.knowledge.model import Verdict

    missing = set(TOP_LEVEL_KEYS) ^ set(TOP_LEVEL)
    if missing:
        raise RuntimeError(f"schema: top-level keys out of step: {sorted(missing)}")
    properties = {key: dict(TOP_LEVEL[key]) for key in TOP_LEVEL_KEYS}
    properties["version"]["const"] = version
    properties["answers"] |= {
        "properties": {q.id: answer_value_schema(q) for q in knowledge.questions.values()},
        "additionalProperties": False,
    }
    verdict = {"enum": [v.value for v in Verdict]}
    properties["expect"] |= {
        "type": "object",
        "properties": {
            "verdict": {"anyOf": [verdict, {"type": "array", "items": verdict, "minItems": 1}]},
            "top3_any": {
                "type": "array",
                "items": {"enum": list(knowledge.conditions)},
                "minItems": 1,
                "maxItems": 3,
            },
            "top1": {"enum": list(knowledge.conditions)},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}{file_name('answers', version)}",
        "title": f"backcheck answer file, version {version}",
        "description": "Fill in with `backcheck template`; check with `backcheck run FILE`.",
        "type": "object",
        "properties": properties,
        "required": ["answers"] if version == 1 else ["answers", "version"],
        "additionalProperties": False,
    }


def _strengths() -> list[str]:
    from backcheck.result import strength_of

    return list(dict.fromkeys(strength_of(i / 1000) for i in range(1000, -1, -1)))


def result_schema() -> dict[str, Any]:
    """The object `backcheck run -f json` prints per answer file."""
    from backcheck.knowledge.model import Verdict
    from backcheck.output.jsonout import SCHEMA_VERSION
    from backcheck.result import ReasonKind

    verdict = {"enum": [v.value for v in Verdict]}
    text = {"type": "string"}
    texts = {"type": "array", "items": text}
    reason = _object(
        kind={"enum": [k.value for k in ReasonKind]}, id=text, level=verdict, title=text, why=text
    )
    contribution = _object(
        because=text,
        weight={"type": "number"},
        answers={"type": "object", "description": "The answers the finding rests on."},
    )
    condition = _object(
        id=text,
        name=text,
        score={"type": "number", "minimum": 0, "maximum": 1},
        strength={"enum": _strengths()},
        why={"type": "array", "items": contribution},
    )
    properties = {
        "schema_version": {"const": SCHEMA_VERSION},
        "source": {"type": ["string", "null"]},
        "verdict": verdict,
        "verdict_title": text,
        "advice": text,
        "emergency_hint": {"type": ["string", "null"]},
        "reasons": {"type": "array", "items": reason},
        "not_assessed": texts,
        "answers_version": {"enum": [1, 2]},
        "not_asked": texts,
        "not_ruled_out": {
            "type": "array",
            "items": _object(id=text, level=verdict, title=text),
        },
        "conditions": {"type": "array", "items": condition},
        "disclaimer": text,
    }
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}{file_name('result')}",
        "title": "backcheck result (run -f json), one per answer file",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        # Fields may be added in a later schema version, none removed.
        "additionalProperties": True,
    }


def _object(**properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these properties, all required."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def eval_schema() -> dict[str, Any]:
    """The object `backcheck eval -f json` prints."""
    from backcheck.evaluation import EVAL_SCHEMA_VERSION, TARGETS, Evaluation
    from backcheck.knowledge.model import Verdict

    verdicts = [v.value for v in Verdict]
    share = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
    counts = {
        "type": "object",
        "properties": {v: {"type": "integer", "minimum": 0} for v in verdicts},
        "required": verdicts,
        "additionalProperties": False,
    }
    one = _object(
        cases={"type": "integer", "minimum": 0},
        figures=_object(**{key: dict(share) for key in Evaluation().figures()}),
        missed_targets={"type": "array", "items": {"enum": list(TARGETS)}},
        confusion=_object(**{v: dict(counts) for v in verdicts}),
        misses={
            "type": "array",
            "items": _object(
                id={"type": "string"},
                source={"type": "string"},
                problems={"type": "array", "items": {"type": "string"}, "minItems": 1},
            ),
        },
    )
    return {
        "$schema": DRAFT,
        "$id": f"{BASE}{file_name('eval')}",
        "title": "backcheck eval -f json",
        "type": "object",
        "properties": {
            "schema_version": {"const": EVAL_SCHEMA_VERSION},
            "targets": _object(**{key: {"type": "number"} for key in TARGETS}),
            "sets": {"type": "object", "additionalProperties": {"$ref": "#/$defs/set"}},
            "overall": {"$ref": "#/$defs/set"},
        },
        "required": ["schema_version", "targets", "sets", "overall"],
        "additionalProperties": False,
        "$defs": {"set": one},
    }


def write_all(folder: Path, knowledge: Knowledge) -> list[Path]:
    """Write every schema into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in schema_files(knowledge).items():
        path = folder / name
        path.write_text(schema_text(data), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # python -m backcheck.output.schema [FOLDER]: regenerate schemas/
    from backcheck.knowledge.loading import load_knowledge

    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        sys.exit("usage: python -m backcheck.output.schema [FOLDER]  (default: schemas)")
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")
    for path in write_all(target, load_knowledge()):
        print(path)
