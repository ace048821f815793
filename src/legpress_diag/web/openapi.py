"""The parts of the OpenAPI schema FastAPI cannot infer: the request bodies (read by
our own code, with the rule base's questions in them) and the problem answers."""

from __future__ import annotations

from typing import Any

from ..foundation.jsonvalue import JsonObject
from ..intake.questionnaire import SCREEN_PREFIX
from ..knowledge.rulebase import UNSURE_MARK, UNSURE_REST, QuestionType, RuleBase
from .models import InterviewIn, ProblemDetails, RecordIn
from .problems import MEDIA_TYPE, TYPES

JSON = "application/json"


def answers_schema(rb: RuleBase, interview: bool) -> JsonObject:
    """The record schema with the rule base's questions (generated, like `rules schema`)."""
    from ..authoring.schemas import answer_properties

    properties = answer_properties(rb)
    if interview:
        for qid, question in rb.questions.items():
            if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
                properties[qid] = {"anyOf": [properties[qid], {"const": "unsure"}]}
            elif question.words:  # a number a person cannot measure, in words
                words: JsonObject = {"enum": [label for label, _ in question.words]}
                properties[qid] = {"anyOf": [properties[qid], words]}
        for screen_id, screen_ in rb.screens.items():
            if screen_.style == "pick":  # a checklist: the items that happen
                items = list(screen_.question_ids)
                item: JsonObject = {
                    "enum": [*items, *(UNSURE_MARK + q for q in items), UNSURE_REST]
                }
                properties[SCREEN_PREFIX + screen_id] = {
                    "description": screen_.text,
                    "anyOf": [
                        {"type": "array", "items": item, "uniqueItems": True},
                        {"const": "unsure"},
                    ],
                }
                continue
            properties[SCREEN_PREFIX + screen_id] = {
                "description": screen_.text,
                "enum": ["yes", "no", "unsure", True, False],
            }
    return {"type": "object", "properties": properties, "additionalProperties": True}


def request_body(
    model: type[RecordIn] | type[InterviewIn], rb: RuleBase, many: bool
) -> dict[str, object]:
    schema = model.model_json_schema()
    schema["properties"]["answers"] = {
        **answers_schema(rb, model is InterviewIn),
        "description": schema["properties"]["answers"].get("description", ""),
    }
    if many:
        schema = {"anyOf": [schema, {"type": "array", "items": schema}]}
    return {"requestBody": {"required": True, "content": {JSON: {"schema": schema}}}}


def responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The OpenAPI entries of the problems a route may answer (problem+json, see
    ``problem_content``)."""
    return {
        status: {
            "model": ProblemDetails,
            "description": "; ".join(
                f"{t.title} ({t.uri})" for t in TYPES.values() if t.status == status
            ),
        }
        for status in statuses
    }


def problem_content(schema: dict[str, Any]) -> dict[str, Any]:
    """Error answers documented as what they are: application/problem+json."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if code[:1] in "45" and JSON in content:
                    answer["content"] = {MEDIA_TYPE: content[JSON]}
    return schema
