"""The traceability matrix on hand-built check and conformance reports."""

from __future__ import annotations

from shadowspec.checks.rule_catalogue import BEHAVIOURAL, rules
from shadowspec.checks.traceability import (CHECKED_ONLY, ENCODED, NOT_ENCODED, property_citations,
                                            spec_citations, traceability)
from shadowspec.checks.unencoded import UNENCODED
from shadowspec.reports.traceability_markdown import render


def _report(name: str, rules_exercised: list[str], verdicts: dict[str, str]) -> dict:
    return {"config": {"name": name}, "coverage": {"rules_exercised": rules_exercised},
            "properties": [{"id": p, "verdict": v} for p, v in verdicts.items()]}


def _rows(matrix: dict) -> dict[str, dict]:
    return {row["id"]: row for row in matrix["rules"]}


def test_one_row_per_behavioural_rule_and_ambiguity() -> None:
    matrix = traceability([])
    expected = [r.id for r in rules() if r.family in BEHAVIOURAL + ("AMB",)]
    assert [row["id"] for row in matrix["rules"]] == expected
    assert matrix["summary"]["rules"] == len([i for i in expected if not i.startswith("AMB")])


def test_status_follows_the_citations() -> None:
    rows = _rows(traceability([]))
    spec, props = spec_citations(), property_citations()
    for rule_id, row in rows.items():
        if rule_id in spec:
            assert row["status"] == ENCODED, rule_id
        elif rule_id in props:
            assert row["status"] == CHECKED_ONLY, rule_id
        elif row["status"] == NOT_ENCODED:
            assert row["reason"] == UNENCODED[rule_id]
    assert rows["REQ-04"]["status"] == NOT_ENCODED and "restore" in rows["REQ-04"]["reason"]


def test_runs_fill_the_columns() -> None:
    some = next(iter(sorted(spec_citations())))
    prop_rule, prop_ids = next((r, p) for r, p in sorted(property_citations().items()) if not r.startswith("AMB"))
    reports = [_report("a", [some], {prop_ids[0]: "holds"}), _report("b", [some], {prop_ids[0]: "not exercised"})]
    matrix = traceability(reports, conform_report={"coverage": {"rules_exercised": [some]}},
                          hypothesis_rules={prop_rule})
    rows = _rows(matrix)
    assert rows[some]["exploration"] == ["a", "b"]
    assert rows[some]["logs"] is True and rows[prop_rule]["logs"] is (prop_rule == some)
    assert rows[prop_rule]["hypothesis"] is True and rows[some]["hypothesis"] is (prop_rule == some)
    assert rows[prop_rule]["decided"] == [{"property": prop_ids[0], "config": "a", "verdict": "holds"}]
    assert matrix["summary"]["checked"] >= 1
    untouched = _rows(traceability([]))[some]
    assert untouched["hypothesis"] is None and untouched["logs"] is None and untouched["exploration"] == []


def test_summary_shares() -> None:
    summary = traceability([])["summary"]
    assert summary["encoded"] + summary["checked_only"] + summary["not_encoded"] == summary["rules"]
    assert summary["share_encoded"] == round(summary["encoded"] / summary["rules"], 3)
    assert summary["checked"] == 0 and summary["share_checked"] == 0.0
    assert summary["unexplained"] == []
    assert f"{summary['encoded']} encoded" in summary["line"]


def test_markdown_has_a_row_per_rule_and_the_reasons() -> None:
    matrix = traceability([_report("default", [], {})])
    text = render(matrix)
    table = [line for line in text.splitlines() if line.startswith("| ")][1:]
    assert len(table) == len(matrix["rules"])
    assert any("REQ-04" in line and "not encoded: restore" in line for line in table)
    assert matrix["summary"]["line"] in text
    assert "NO REASON GIVEN" not in text


def test_the_conformance_reports_coverage_shape() -> None:
    # `shadowspec conform --format json` lists the exercised rules under coverage.rules
    some = sorted(spec_citations())[0]
    rows = _rows(traceability([], conform_report={"logs": [], "coverage": {"rules": [some]}}))
    assert rows[some]["logs"] is True
    assert sum(1 for row in rows.values() if row["logs"]) == 1
