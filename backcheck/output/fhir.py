"""HL7 FHIR R4 export: a Questionnaire of backcheck's questions, and a Bundle per result.

``questionnaire`` turns the knowledge's questions into a Questionnaire (`backcheck
questionnaire`); each option, yes and no included, is a coding in a system named after
its question, so an answer is always a coding or a whole number. ``bundle`` turns one
Result into a Bundle (type collection) of an anonymous Patient (backcheck knows no name
and no identifier), the QuestionnaireResponse with the answers, linked to that
Questionnaire, and a RiskAssessment with the verdict and every ranked condition, its score
as a probability. Plain dictionaries: writing them needs no FHIR library (the tests check
them with one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backcheck.knowledge.model import Knowledge
    from backcheck.knowledge.rules import Answer
    from backcheck.result import Result

QUESTIONNAIRE_URL = "urn:backcheck:fhir:Questionnaire:answers"
OPTION_SYSTEM = "urn:backcheck:fhir:option:"  # + the question id
CONDITION_SYSTEM = "urn:backcheck:fhir:condition"
VERDICT_SYSTEM = "urn:backcheck:fhir:verdict"
VERDICT_EXTENSION = "urn:backcheck:fhir:extension:verdict"
ID_NAMESPACE = uuid.UUID("5d1c3a8e-4b7f-5e2a-9c61-0b8f3e7a2d14")


def questionnaire(knowledge: Knowledge) -> dict[str, Any]:
    """The questions as a FHIR Questionnaire, in interview order."""
    from backcheck import __version__

    items = []
    for question in knowledge.questions.values():
        item: dict[str, Any] = {
            "linkId": question.id,
            "prefix": question.short,
            "text": question.text,
            "type": "integer" if question.type == "integer" else "choice",
        }
        if question.type == "multi":
            item["repeats"] = True
        if question.type == "integer":
            item["extension"] = [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": v}
                for v in (question.min,)
                if v is not None
            ] + [
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": v}
                for v in (question.max,)
                if v is not None
            ]
        else:
            item["answerOption"] = [
                {"valueCoding": _coding(question.id, o, question.label_of(o))}
                for o in question.option_ids
            ]
        items.append(item)
    return {
        "resourceType": "Questionnaire",
        "id": "backcheck-answers",
        "url": QUESTIONNAIRE_URL,
        "version": __version__,
        "name": "BackcheckAnswers",
        "title": "backcheck: questions about back symptoms",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "The questions of backcheck, an offline symptom checker for the back. "
        + knowledge.settings.disclaimer,
        "item": items,
    }


def _coding(question_id: str, code: str, display: str | None = None) -> dict[str, str]:
    coding = {"system": OPTION_SYSTEM + question_id, "code": code}
    if display is not None:
        coding["display"] = display
    return coding


def _answer(question_id: str, value: Answer) -> list[dict[str, Any]]:
    if isinstance(value, int):
        return [{"valueInteger": value}]
    values = value if isinstance(value, tuple) else (value,)
    return [{"valueCoding": _coding(question_id, v)} for v in values]


def bundle(result: Result, source: str, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The FHIR Bundle for one result; ids are derived from the answers and the time."""
    from backcheck import __version__

    knowledge = result.knowledge_version or "unversioned"
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    seed = json.dumps([source, when, sorted(result.answers.items())], default=str)
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    bundle_id, patient_id, response_id, risk_id = (
        str(uuid.uuid5(ID_NAMESPACE, f"{digest}:{n}")) for n in range(4)
    )
    patient_url, response_url, risk_url = (
        f"urn:uuid:{i}" for i in (patient_id, response_id, risk_id)
    )
    items = [
        # No `text`: a validator holds it to the Questionnaire's, which the Result lacks.
        {"linkId": line.id, "answer": _answer(line.id, value)}
        for line in result.answered
        # An empty list ("none of these") has no coding to send: the item is left out.
        if (value := result.answers[line.id]) is not None and value != ()
    ]
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "subject": {"reference": patient_url},
        "authored": when,
        "item": items,
    }
    predictions = [
        {
            "outcome": {
                "coding": [{"system": CONDITION_SYSTEM, "code": c.id, "display": c.name}],
                "text": c.name,
            },
            "probabilityDecimal": round(c.score, 4),
            "qualitativeRisk": {"text": c.strength},
            "rationale": "; ".join(
                f"{'for' if x.weight > 0 else 'against'}: {x.because}" for x in c.contributions
            )
            or "no finding either way",
        }
        for c in result.conditions
    ]
    verdict = {
        "coding": [
            {
                "system": VERDICT_SYSTEM,
                "code": result.verdict.value,
                "display": result.verdict_title,
            }
        ],
        "text": result.verdict_title,
    }
    notes = [f"Verdict: {result.verdict_title}. {result.advice}"]
    notes += [f"{r.title}: {r.why}" for r in result.reasons]
    notes += [f"Not assessed (not answered): {q.text}" for q in result.not_assessed]
    if result.not_asked:
        notes.append(result.not_asked_text())
    notes.append(result.disclaimer)
    risk = {
        "resourceType": "RiskAssessment",
        "id": risk_id,
        "extension": [{"url": VERDICT_EXTENSION, "valueCodeableConcept": verdict}],
        "status": "final",
        "code": {"text": "backcheck triage of back symptoms"},
        "method": {"text": f"backcheck {__version__}, knowledge {knowledge}"},
        "subject": {"reference": patient_url},
        "occurrenceDateTime": when,
        "basis": [{"reference": response_url}],
        "prediction": predictions,
        "mitigation": result.advice,
        "note": [{"text": text} for text in notes],
    }
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "type": "collection",
        "timestamp": when,
        "entry": [
            {"fullUrl": patient_url, "resource": {"resourceType": "Patient", "id": patient_id}},
            {"fullUrl": response_url, "resource": response},
            {"fullUrl": risk_url, "resource": risk},
        ],
    }


def bundle_line(result: Result, source: str, *, now: dt.datetime | None = None) -> str:
    """The Bundle as one line of JSON (one a line for several files)."""
    from backcheck.output.jsonout import shown  # the same JSON, nothing a terminal obeys

    return shown(json.dumps(bundle(result, source, now=now), ensure_ascii=False))
