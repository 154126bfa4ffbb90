"""The FHIR export, checked with a maintained FHIR library (fhir.resources).

fhir.resources 8 has no plain R4 package: R4B (4.3) is the nearest; Bundle,
Questionnaire, QuestionnaireResponse, RiskAssessment and Patient are the same there.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.riskassessment import RiskAssessment
from pydantic import ValidationError
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.knowledge.model import Knowledge
from backcheck.output.fhir import QUESTIONNAIRE_URL, bundle, questionnaire
from backcheck.pipeline import assess_file
from tests.conftest import EXAMPLES

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
ALL_EXAMPLES = sorted(EXAMPLES.iterdir())


def entries(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["resource"]["resourceType"]: e["resource"] for e in data["entry"]}


def test_the_questionnaire_is_valid_and_holds_every_question(knowledge: Knowledge) -> None:
    data = questionnaire(knowledge)
    parsed = Questionnaire.model_validate(data)
    assert parsed.url == QUESTIONNAIRE_URL
    items = {item["linkId"]: item for item in data["item"]}
    assert list(items) == list(knowledge.questions)
    for question in knowledge.questions.values():
        item = items[question.id]
        assert item["text"] == question.text
        if question.type == "integer":
            assert item["type"] == "integer"
            continue
        assert item["type"] == "choice"
        assert item.get("repeats", False) == (question.type == "multi")
        codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
        assert codes == list(question.option_ids)


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.name)
def test_each_bundle_is_valid_and_answers_only_what_the_questionnaire_offers(
    knowledge: Knowledge, path: Path
) -> None:
    _, result = assess_file(knowledge, str(path))
    data = bundle(result, str(path), now=NOW)
    parsed = Bundle.model_validate(data)
    assert parsed.type == "collection"
    assert parsed.entry is not None
    kinds = [e.resource.get_resource_type() for e in parsed.entry if e.resource is not None]
    assert kinds == ["Patient", "QuestionnaireResponse", "RiskAssessment"]
    found = entries(data)
    QuestionnaireResponse.model_validate(found["QuestionnaireResponse"])
    RiskAssessment.model_validate(found["RiskAssessment"])
    offered = {
        item["linkId"]: {(o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in
                         item.get("answerOption", [])}
        for item in questionnaire(knowledge)["item"]
    }  # fmt: skip
    response = found["QuestionnaireResponse"]
    assert response["questionnaire"] == QUESTIONNAIRE_URL
    for item in response["item"]:
        for answer in item["answer"]:
            if "valueCoding" in answer:
                coding = answer["valueCoding"]
                assert (coding["system"], coding["code"]) in offered[item["linkId"]]
            else:
                assert isinstance(answer["valueInteger"], int)
                assert not offered[item["linkId"]]


def test_the_bundle_carries_the_answers_verdict_and_ranking(knowledge: Knowledge) -> None:
    path = str(EXAMPLES / "sciatica.yaml")
    answer_file, result = assess_file(knowledge, path)
    data = bundle(result, path, now=NOW)
    found = entries(data)
    response = found["QuestionnaireResponse"]
    by_id = {item["linkId"]: item["answer"] for item in response["item"]}
    assert [a["valueCoding"]["code"] for a in by_id["location"]] == ["lower_back", "buttock"]
    assert by_id["below_knee"] == [
        {"valueCoding": {"system": "urn:backcheck:fhir:option:below_knee", "code": "yes"}}
    ]
    assert by_id["age"] == [{"valueInteger": 38}]
    assert "other_symptoms" not in by_id  # answered "none of these": no coding to send
    risk = found["RiskAssessment"]
    verdict = risk["extension"][0]["valueCodeableConcept"]["coding"][0]
    assert verdict["code"] == "see_doctor"
    predictions = risk["prediction"]
    assert [p["outcome"]["coding"][0]["code"] for p in predictions] == [
        c.id for c in result.conditions
    ]
    assert [p["probabilityDecimal"] for p in predictions] == [
        round(c.score, 4) for c in result.conditions
    ]
    assert all(0 <= p["probabilityDecimal"] <= 1 for p in predictions)
    assert risk["basis"] == [{"reference": data["entry"][1]["fullUrl"]}]
    assert risk["subject"] == response["subject"] == {"reference": data["entry"][0]["fullUrl"]}
    assert risk["note"][-1]["text"] == result.disclaimer
    patient = found["Patient"]
    assert set(patient) == {"resourceType", "id"}  # nothing that could identify anyone
    assert answer_file.answers == result.answers


def test_a_broken_bundle_is_rejected_by_the_library(knowledge: Knowledge) -> None:
    # The check has teeth: the same validation fails on a resource missing a required field.
    _, result = assess_file(knowledge, str(EXAMPLES / "sciatica.yaml"))
    data = bundle(result, "x", now=NOW)
    risk = entries(data)["RiskAssessment"]
    del risk["subject"]
    with pytest.raises(ValidationError):
        RiskAssessment.model_validate(risk)


def test_run_prints_one_bundle_a_line_and_questionnaire_prints_the_questions(
    runner: CliRunner,
) -> None:
    files = [str(EXAMPLES / "sciatica.yaml"), str(EXAMPLES / "emergency.yaml")]
    result = runner.invoke(app, ["run", "-f", "fhir", *files])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    verdicts = []
    for line in lines:
        data = json.loads(line)
        Bundle.model_validate(data)
        risk = entries(data)["RiskAssessment"]
        verdicts.append(risk["extension"][0]["valueCodeableConcept"]["coding"][0]["code"])
    assert verdicts == ["see_doctor", "emergency"]
    printed = runner.invoke(app, ["questionnaire"])
    assert printed.exit_code == 0
    Questionnaire.model_validate(json.loads(printed.stdout))
