"""`backcheck questionnaire`, `schema` and `template`: what other programs and editors read.

Registered on the typer app by backcheck.cli.app; each imports its output module only
when it runs, so start-up of the other commands stays as it was.
"""

from __future__ import annotations

import sys
from enum import StrEnum

import typer


class SchemaName(StrEnum):
    """The JSON Schemas `backcheck schema` prints."""

    answers = "answers"
    result = "result"
    eval = "eval"


def questionnaire(ctx: typer.Context) -> None:
    """Print backcheck's questions as an HL7 FHIR R4 Questionnaire (JSON)."""
    import json

    from backcheck.cli.app import knowledge_of
    from backcheck.output.fhir import questionnaire as build

    sys.stdout.write(json.dumps(build(knowledge_of(ctx)), ensure_ascii=False, indent=2) + "\n")


def schema(
    ctx: typer.Context,
    name: SchemaName = typer.Argument(
        ..., help="answers (answer files), result (run -f json) or eval (eval -f json)."
    ),
    version: int = typer.Option(
        2, "--version", min=1, max=2, help="The answer-file version (answers only)."
    ),
) -> None:
    """Print a JSON Schema (draft 2020-12): answer files, the JSON result or the eval output."""
    from backcheck.cli.app import knowledge_of
    from backcheck.output import schema as schemas

    if name == SchemaName.answers:
        data = schemas.answers_schema(knowledge_of(ctx), version)
    elif name == SchemaName.result:
        data = schemas.result_schema()
    else:
        data = schemas.eval_schema()
    sys.stdout.write(schemas.schema_text(data))


def template(
    ctx: typer.Context,
    version: int = typer.Option(
        2, "--version", min=1, max=2, help="The answer-file version: 2 asks every question."
    ),
) -> None:
    """Print an answer file to fill in: every question, its options and its help as comments."""
    from backcheck.cli.app import knowledge_of
    from backcheck.output.template import answer_template

    sys.stdout.write(answer_template(knowledge_of(ctx), version))
