"""`rules schema`: JSON Schemas for rule files, answer records and diagnoses.

Written with draft-07 keywords (``definitions``, not ``$defs``), which every editor
and validator understands. The answers schema is built from the loaded rule base,
so it lists the real questions, choices and ranges.
"""

from __future__ import annotations

import json

from ..foundation.jsonvalue import JsonObject
from ..knowledge.rulebase import QuestionType, RuleBase

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
KINDS = ("rules", "answers", "diagnosis")


def _draft07(schema: JsonObject, title: str) -> JsonObject:
    text = json.dumps(schema).replace('"#/$defs/', '"#/definitions/')
    converted: JsonObject = json.loads(text)
    if "$defs" in converted:
        converted["definitions"] = converted.pop("$defs")
    return {"$schema": DRAFT_07, "title": title, **converted}


def rules_schema() -> JsonObject:
    from ..knowledge.schema_models import RuleFileModel

    return _draft07(RuleFileModel.model_json_schema(by_alias=True), "legpress-diag rule file")


def diagnosis_schema() -> JsonObject:
    from ..presentation.output_model import json_schema

    return _draft07(json_schema(), "legpress-diag diagnosis")


def answer_properties(rb: RuleBase) -> JsonObject:
    """The schema of each question's answer in a record, by question id."""
    properties: JsonObject = {}
    for question in rb.questions.values():
        spec: JsonObject = {}
        if question.type is QuestionType.YES_NO:
            # 1 and 0 (1.0 and 0.0 too: one number), as a checkbox column writes them.
            spec["enum"] = ["yes", "no", "unsure", True, False, None, 1, 0]
        elif question.type is QuestionType.CHOICE:
            spec["enum"] = [*question.choice_values, None]
        elif question.type is QuestionType.MULTI:
            spec["type"] = ["array", "null"]
            spec["items"] = {"enum": list(question.choice_values)}
        else:
            spec["type"] = ["number", "null"]
            spec["minimum"], spec["maximum"] = question.minimum, question.maximum
        unit = f" ({question.unit})" if question.unit else ""
        properties[question.id] = {"description": question.text + unit, **spec}
    return properties


def answers_schema(rb: RuleBase) -> JsonObject:
    properties = answer_properties(rb)
    return {
        "$schema": DRAFT_07,
        "title": f"legpress-diag answer record ({rb.name} {rb.version})",
        "type": "object",
        "properties": {
            "id": {"type": ["string", "integer"], "description": "echoed back in the result"},
            "answers": {
                "type": "object",
                "properties": properties,
                "description": "question id -> answer; unknown ids warn (fail with --strict)",
            },
        },
        "required": ["answers"],
        "additionalProperties": False,
    }


def schema(kind: str, rb: RuleBase) -> JsonObject:
    if kind == "rules":
        return rules_schema()
    if kind == "answers":
        return answers_schema(rb)
    return diagnosis_schema()


def schema_text(kind: str, rb: RuleBase) -> str:
    return json.dumps(schema(kind, rb), indent=2, ensure_ascii=False) + "\n"
