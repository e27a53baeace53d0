"""The schemas of the JSON ``shadowspec report --from`` reads: saved check, conformance and report
output, validated field by field before any renderer or replay sees it.

A saved file is input like any other: it may have been edited, or crafted. Every field the report
uses is checked for its type (and the counts for their range), so a bad file is one line naming
the field. The derived parts of a saved report object (diagrams, SVG, paths, the traceability
matrix) are never trusted: ``report_command`` rebuilds them from the checks and the conformance
data, so no SVG or Mermaid from a file reaches a page.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from shadowspec.checks.schema_error import first_error

_TEXT = {"type": "string", "maxLength": 100_000}
_SHORT = {"type": "string", "maxLength": 1000}
_TEXTS = {"type": "array", "items": _SHORT, "maxItems": 100_000}
_COUNT = {"type": "integer", "minimum": 0}
_STEP = {
    "type": "object", "required": ["step", "actor", "call", "result"],
    "properties": {"step": _COUNT, "actor": _SHORT, "call": _SHORT, "result": _SHORT,
                   "arguments": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
                   "changes": {"type": "object", "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2}},
                   "rules": _TEXTS},
}
_STEPS = {"type": "array", "items": _STEP, "maxItems": 10_000}
CHECK_SCHEMA: dict[str, Any] = {
    # required: every field a check report always writes and a renderer reads without a default
    # (a saved check without "coverage" passed this schema and was a KeyError in the report)
    "type": "object", "required": ["config", "exploration", "properties", "coverage"],
    "properties": {
        "config": {"type": "object", "required": ["name"], "properties": {"name": _SHORT, "description": _TEXT}},
        "exploration": {"type": "object", "required": ["states", "transitions", "depth", "complete"],
                        "properties": {"states": _COUNT, "transitions": _COUNT, "depth": _COUNT,
                                       "complete": {"type": "boolean"}, "stop_reason": {"type": ["string", "null"]},
                                       "generated": _COUNT}},
        "properties": {"type": "array", "maxItems": 10_000, "items": {
            "type": "object", "required": ["id", "slug", "sentence", "kind", "rules", "expected", "verdict", "as_expected"],
            "properties": {"id": _SHORT, "slug": _SHORT, "sentence": _TEXT, "kind": _SHORT, "rules": _TEXTS,
                           "expected": _SHORT, "verdict": _SHORT, "as_expected": {"type": "boolean"},
                           "reason": _TEXT, "stutter": _TEXT, "counterexample": _STEPS, "witness": _STEPS,
                           "cycle": _STEPS}}},
        "coverage": {"type": "object",
                     "required": ["declared_transitions", "fired_transitions", "dead_transitions", "rules_exercised"],
                     "properties": {"declared_transitions": _COUNT, "fired_transitions": _COUNT,
                                    "dead_transitions": _TEXTS, "rules_exercised": _TEXTS}},
        "fairness": _TEXT,
        "passed": {"type": "boolean"},
    },
}
_FINDING = {
    "type": "object", "required": ["line", "actor", "call", "side", "severity", "message"],
    "properties": {"line": {"type": ["integer", "null"], "minimum": 0}, "actor": _SHORT, "call": _SHORT,
                   "side": _SHORT, "severity": _SHORT, "kind": _SHORT, "rules": _TEXTS, "message": _TEXT,
                   "allowed": _TEXTS, "sources": {"type": "object", "additionalProperties": _SHORT}},
}
CONFORM_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["logs"],
    "properties": {
        "logs": {"type": "array", "maxItems": 100_000, "items": {
            "type": "object", "required": ["file", "verdict", "findings"],
            "properties": {"file": _SHORT, "verdict": {"enum": ["conforms", "violates", "incomplete", "unreadable"]},
                           "findings": {"type": "array", "items": _FINDING, "maxItems": 100_000},
                           "error": _TEXT, "incomplete": _TEXT, "errors": _COUNT, "warnings": _COUNT,
                           "malformed_lines": _COUNT}}},
        "readings": {"type": "object", "additionalProperties": _SHORT},
        "coverage": {"type": "object", "properties": {"rules": _TEXTS}},
    },
}
REPORT_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["checks", "tool"],
    "properties": {"tool": {"const": "shadowspec"}, "checks": {"type": "array", "items": CHECK_SCHEMA, "maxItems": 1000},
                   "conform": {"anyOf": [{"type": "null"}, CONFORM_SCHEMA]}},
}
VALIDATORS = {kind: Draft202012Validator(schema) for kind, schema in
              (("check", CHECK_SCHEMA), ("conform", CONFORM_SCHEMA), ("report", REPORT_SCHEMA))}


def problem(kind: str, data: Any) -> str | None:
    """What is wrong with saved ``kind`` JSON (one line naming the field), or None."""
    return first_error(VALIDATORS[kind], data, "the top level")
