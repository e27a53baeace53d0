"""JUnit XML: valid against the Jenkins junit-10.xsd, one test case per property and per log."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import xmlschema

from shadowspec.reports import junit

from .conftest import SCHEMAS, tiny_document


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


def test_valid_against_the_junit_schema(schema: xmlschema.XMLSchema) -> None:
    schema.validate(junit.render(tiny_document()))
    schema.validate(junit.render(tiny_document(conform=False)))


def test_one_case_per_property_and_per_log() -> None:
    root = ET.fromstring(junit.render(tiny_document()))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["shadowspec check tiny", "shadowspec conform"]
    cases = {c.get("name"): c for c in suites[0].findall("testcase")}
    assert len(cases) == 6
    assert cases["INV-30 slug_inv_30"].find("failure").get("message") == "expected HOLD, found violated"
    assert cases["INV-02 slug_inv_02"].find("skipped").get("message") == "needs 'context_calls' enabled"
    assert cases["INV-21 slug_inv_21"].find("failure") is None
    assert "ClusterClearBackupStateForSharedVolume" in cases["INV-21 slug_inv_21"].find("system-out").text
    assert "then forever (fair cycle)" in cases["LIV-05 slug_liv_05"].find("system-out").text
    logs = {c.get("name"): c for c in suites[1].findall("testcase")}
    assert list(logs) == ["logs/good.jsonl", "logs/bad.jsonl", "logs/broken.jsonl"]
    assert len(list(logs["logs/good.jsonl"])) == 0
    failure = logs["logs/bad.jsonl"].find("failure")
    assert failure.get("message") == "violates: 1 error(s), 1 warning(s)"
    assert "line 7: error (caller) node-2" in failure.text
    assert "allowed: ClusterPrepareSharedVolumeForBackup" in failure.text
    assert logs["logs/broken.jsonl"].find("error").get("message") == "logs/broken.jsonl:3: not JSON"
    assert (suites[0].get("tests"), suites[0].get("failures"), suites[0].get("skipped")) == ("6", "1", "1")
    assert (suites[1].get("failures"), suites[1].get("errors")) == ("1", "1")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("9", "2", "1")


def test_escapes_markup_and_control_characters(schema: xmlschema.XMLSchema) -> None:
    report = tiny_document()
    report["checks"][0]["properties"][2]["sentence"] = "a <b> & \"c\" \x01 end"
    text = junit.render(report)
    schema.validate(text)
    failure = ET.fromstring(text).find(".//failure")
    assert "a <b> & \"c\" ? end" in failure.text


def test_an_incomplete_search_is_a_failure() -> None:
    report = tiny_document(conform=False)
    report["checks"][0]["exploration"].update(complete=False, stop_reason="max_states")
    root = ET.fromstring(junit.render(report))
    names = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert "exploration complete" in names


def test_same_report_same_bytes() -> None:
    assert junit.render(tiny_document()) == junit.render(tiny_document())
    assert "time=" not in junit.render(tiny_document()) and "timestamp" not in junit.render(tiny_document())
