"""`backcheck template`: an answer file to fill in, each question with its options and help.

Every question of the chosen answer-file version is there, in interview order, left
empty (not known) under comments that say what it asks, how to answer and which option
ids are allowed. Filled in, `backcheck run` accepts it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcheck.knowledge.model import Knowledge, Question

FORMS = {
    "multi": "a list of option ids, like [a, b]; [] means none of them",
    "single": "one option id",
    "yes_no": "yes or no",
    "integer": "a whole number",
}


def _comment(text: str, prefix: str = "  # ") -> str:
    return prefix + " ".join(text.split())


def _form(question: Question) -> str:
    if question.type == "integer" and question.min is not None and question.max is not None:
        return f"{FORMS['integer']} from {question.min} to {question.max}"
    return FORMS[question.type]


def answer_template(knowledge: Knowledge, version: int = 2) -> str:
    """YAML text: each question of ``version`` empty under its comments."""
    lines = [
        "# A backcheck answer file. Write each answer after its colon, then run:",
        "#   backcheck run THIS_FILE",
        "# An answer left empty counts as not known. A warning-sign question left empty is",
        "# reported as not assessed, never read as no: answer all of them if you can.",
        f"# Editors can check this file against schemas/answers-v{version}.schema.json",
        "# (`backcheck schema answers` prints it; see the README).",
        f"version: {version}",
        "answers:",
    ]
    for question in knowledge.questions.values():
        if question.since > version:
            continue
        lines.append("")
        warning = " (warning sign)" if question.red_flag else ""
        lines.append(_comment(f"{question.short}: {question.text}{warning}"))
        if question.help:
            lines.append(_comment(question.help))
        lines.append(_comment(f"Answer: {_form(question)}."))
        if question.asked_if is not None:
            lines.append(
                _comment("Asked only after some answers; leave it empty if it does not apply.")
            )
        for option in question.options:
            lines.append(_comment(f"{option.id}: {option.label}", "  #   - "))
        lines.append(f"  {question.id}:")
    return "\n".join(lines) + "\n"
