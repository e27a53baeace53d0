"""SARIF 2.1.0: valid against the committed schema; one result per finding, at its source line."""

from __future__ import annotations

import json

import jsonschema
import pytest

from shadowspec.reports import sarif

from .conftest import SCHEMAS, tiny_document


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def _results(report: dict) -> list[dict]:
    return json.loads(sarif.render(report))["runs"][0]["results"]


def _where(result: dict) -> tuple[str, int | None]:
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical.get("region", {}).get("startLine")


def test_valid_against_the_sarif_schema(validator: jsonschema.Draft4Validator) -> None:
    validator.validate(json.loads(sarif.render(tiny_document())))
    validator.validate(json.loads(sarif.render(tiny_document(conform=False))))


def test_the_schema_rejects_a_broken_log(validator: jsonschema.Draft4Validator) -> None:
    log = json.loads(sarif.render(tiny_document()))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(log)


def test_one_result_per_violation_dead_transition_and_finding() -> None:
    results = _results(tiny_document())
    by_rule: dict[str, list[dict]] = {}
    for result in results:
        by_rule.setdefault(result["ruleId"], []).append(result)
    # INV-21 and LIV-05 violated as expected (notes), INV-30 violated against HOLD (error);
    # INV-01 holds, INV-02 not exercised and WIT-01 found give no result.
    assert {k: [r["level"] for r in v] for k, v in by_rule.items()} == {
        "INV-21": ["note"], "INV-30": ["error"], "LIV-05": ["note"], "dead-transition": ["note"],
        "conform-caller": ["error"], "conform-api": ["warning"], "conform-unchecked": ["error"]}
    assert _where(by_rule["INV-30"][0]) == ("checks/catalogue.py", 30)
    assert _where(by_rule["dead-transition"][0]) == ("spec/mark.py", 44)
    assert _where(by_rule["conform-caller"][0]) == ("logs/bad.jsonl", 7)
    assert _where(by_rule["conform-api"][0]) == ("logs/bad.jsonl", 9)
    assert _where(by_rule["conform-unchecked"][0]) == ("logs/broken.jsonl", None)
    assert "ClusterPrepareSharedVolumeForBackup" in by_rule["conform-caller"][0]["message"]["text"]


def test_a_counterexample_is_a_code_flow_through_its_transitions() -> None:
    inv21 = next(r for r in _results(tiny_document()) if r["ruleId"] == "INV-21")
    flow = inv21["codeFlows"][0]["threadFlows"][0]["locations"]
    lines = [step["location"]["physicalLocation"]["region"]["startLine"] for step in flow]
    assert lines == [40, 44]
    assert flow[0]["location"]["message"]["text"].startswith("1. node-1: ClusterPrepareSharedVolumeForBackup(")


def test_missing_witness_and_hazard_not_found_are_errors() -> None:
    report = tiny_document(conform=False)
    props = {p["id"]: p for p in report["checks"][0]["properties"]}
    props["WIT-01"].update(verdict="violated", as_expected=False)
    props["WIT-01"].pop("witness")
    props["INV-21"].update(verdict="holds", as_expected=False)
    props["INV-21"].pop("counterexample")
    levels = {r["ruleId"]: r["level"] for r in _results(report)}
    assert levels["WIT-01"] == "error" and levels["INV-21"] == "error"
    text = next(r for r in _results(report) if r["ruleId"] == "WIT-01")["message"]["text"]
    assert "witness not found" in text


def test_locations_are_relative_and_output_deterministic() -> None:
    text = sarif.render(tiny_document())
    assert text == sarif.render(tiny_document())
    for result in json.loads(text)["runs"][0]["results"]:
        for location in result.get("locations", []):
            assert not location["physicalLocation"]["artifactLocation"]["uri"].startswith("/")
