"""The report object: what ``--from`` accepts, and when a report passes."""

from __future__ import annotations

import pytest

from shadowspec.reports.document import SCHEMA_VERSION, NotAReport, assemble, errors_in, kind_of

from .conftest import tiny_check, tiny_conform, tiny_document


def test_kinds_of_saved_json() -> None:
    assert kind_of(tiny_check()) == "check"
    assert kind_of(tiny_conform()) == "conform"
    assert kind_of(tiny_document()) == "report"
    for wrong in ({}, [], {"logs": "x"}, {"properties": []}, "text"):
        with pytest.raises(NotAReport):
            kind_of(wrong)


def test_passed_needs_every_check_and_every_log() -> None:
    good = {**tiny_check(), "passed": True}
    assert assemble([good])["passed"] is True
    assert assemble([good, tiny_check()])["passed"] is False
    assert assemble([good], tiny_conform())["passed"] is False
    conforming = {"logs": [{"file": "a.jsonl", "verdict": "conforms", "findings": []}]}
    assert assemble([good], conforming)["passed"] is True
    incomplete = {"logs": [{"file": "a.jsonl", "verdict": "incomplete", "findings": []}]}
    assert assemble([good], incomplete)["passed"] is False


def test_errors_count_only_error_findings() -> None:
    assert errors_in(tiny_conform()) == 1
    assert errors_in(None) == 0


def test_schema_version_and_parts() -> None:
    report = tiny_document()
    assert report["schema_version"] == SCHEMA_VERSION
    assert report["tool"] == "shadowspec"
    assert [c["config"]["name"] for c in report["checks"]] == ["tiny"]
    bare = assemble([tiny_check()])
    assert bare["conform"] is None and bare["machines"] == [] and bare["traceability"] is None
