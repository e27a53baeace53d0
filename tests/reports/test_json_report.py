"""JSON: the report object itself, stable bytes."""

from __future__ import annotations

import json

from shadowspec.reports import json_report

from .conftest import tiny_document


def test_round_trip_and_stable_bytes() -> None:
    report = tiny_document()
    text = json_report.render(report)
    assert json.loads(text) == report
    assert text == json_report.render(json.loads(text))
    assert json.loads(text)["schema_version"] == 1
    assert "\u2192" in json_report.render({"a": "\u2192"})
