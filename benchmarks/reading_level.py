"""Reading level of every patient-facing text in the knowledge and the safety net.

    python benchmarks/reading_level.py [KNOWLEDGE_FILE]

Lists the ten hardest texts with their Flesch-Kincaid grade (textstat 0.7.4, which counts
syllables with pyphen and works offline). The target is grade 8 or below. Names, titles and
option labels are left out: they are a few words, often a medical name, where the formula
means little.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

GRADE_LIMIT = 8.0


def patient_texts(knowledge: object) -> Iterator[tuple[str, str]]:
    """(where, text) for every sentence a person reads: questions, advice, the safety net."""
    from backcheck.knowledge.model import Knowledge

    assert isinstance(knowledge, Knowledge)
    k = knowledge
    yield "settings.emergency_hint", k.settings.emergency_hint
    yield "settings.disclaimer", k.settings.disclaimer
    for v in k.verdicts.values():
        yield f"verdicts.{v.id.value}.advice", v.advice
    for q in k.questions.values():
        yield f"questions.{q.id}.text", q.text
        yield f"questions.{q.id}.help", q.help
    for step in k.interview:
        if step.is_screen:
            yield f"interview.{step.id}.text", step.text
            yield f"interview.{step.id}.help", step.help
    for s in k.warning_signs.values():
        yield f"warning_signs.{s.id}.why", s.why
    for t in k.triggers.values():
        yield f"triggers.{t.id}.summary", t.summary
    for d in k.doctor_tests.values():
        yield f"doctor_tests.{d.id}.what", d.what
    for c in k.conditions.values():
        yield f"conditions.{c.id}.summary", c.summary
        for n, tip in enumerate(c.self_help):
            yield f"conditions.{c.id}.self_help.{n}", tip
        yield f"conditions.{c.id}.see_doctor_when", c.see_doctor_when
    net = k.safety_net
    if net is None:
        return
    for verdict, entry in net.verdicts.items():
        where = f"safety_net.verdicts.{verdict.value}"
        yield f"{where}.now", entry.now
        for n, text in enumerate((*entry.meantime, *entry.avoid)):
            yield f"{where}.meantime_avoid.{n}", text
        if entry.check_again:
            yield f"{where}.check_again", entry.check_again.replace("{date}", "Monday 1 June")
    for sid, sign in net.signs.items():
        yield f"safety_net.warning_signs.{sid}", sign.line
    for cid, course in net.courses.items():
        yield f"safety_net.conditions.{cid}.course", course.course


def grades(knowledge: object) -> list[tuple[float, str, str]]:
    """(grade, where, text) for every text, hardest first."""
    import textstat  # type: ignore[import-untyped]  # textstat ships no type hints

    rows = [
        (float(textstat.flesch_kincaid_grade(text)), where, text)
        for where, text in patient_texts(knowledge)
        if text.strip()
    ]
    return sorted(rows, key=lambda row: (-row[0], row[1]))


def main(argv: list[str]) -> int:
    from backcheck.knowledge.loading import load_knowledge

    knowledge = load_knowledge(Path(argv[0]) if argv else None)
    rows = grades(knowledge)
    over = sum(1 for grade, _, _ in rows if grade > GRADE_LIMIT)
    print(f"{len(rows)} texts, {over} above grade {GRADE_LIMIT:g}; the ten hardest:")
    for grade, where, text in rows[:10]:
        short = text if len(text) <= 60 else text[:57] + "..."
        print(f"{grade:5.1f}  {where}\n       {short}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
