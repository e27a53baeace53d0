"""The one report object every ``shadowspec report`` format is rendered from.

A plain, JSON-ready dict (schema below, ``schema_version`` 1). It holds the check reports
(``CheckReport.as_dict(with_timings=False)``) as they are, the conformance report if any, and what
the renderers cannot compute as pure functions, gathered beforehand by
``shadowspec.report_inputs``: where each property and transition is written, the declared
transitions each counterexample fired, the diagrams, the traceability matrix.

    schema_version      1
    tool                "shadowspec"
    checks              [check report, ...]
    conform             conformance report (``logs``: [{file, verdict, findings: [...]}]) or null
    locations           {"properties": {id: {file, line}}}  (repository-relative)
    machines            [{name, file, line, doc, states, initial, transitions, mermaid?, svg?}]
    counterexamples     [{config, property, kind, path: [{step, component, machine, event, source,
                          target, index, result, rules, file, line}], path_error?,
                          diagrams?: [{component, machine, svg}]}]
    dead_transitions    [{transition, machine?, event?, source?, target?, result?, file?, line?}]
    traceability        the matrix of ``checks.traceability`` or null
    passed              every check passed and every log conforms

This module is pure: it only assembles and classifies plain data.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 1


class NotAReport(ValueError):
    """JSON that is neither a check report, a conformance report nor a report object."""


def kind_of(data: Any) -> str:
    """``check``, ``conform`` or ``report`` for a saved JSON object (what ``--from`` accepts)."""
    if isinstance(data, dict):
        if data.get("tool") == "shadowspec" and "checks" in data:
            return "report"
        if "properties" in data and "exploration" in data and "config" in data:
            return "check"
        if isinstance(data.get("logs"), list):
            return "conform"
    raise NotAReport("expected the JSON of `shadowspec check`, `shadowspec conform` or `shadowspec report`")


def errors_in(conform: dict[str, Any] | None) -> int:
    """Error findings (broken MUSTs) over all logs of a conformance report."""
    if not conform:
        return 0
    return sum(1 for log in conform.get("logs", []) for f in log.get("findings", [])
               if f.get("severity") == "error")


def assemble(checks: list[dict[str, Any]], conform: dict[str, Any] | None = None, *,
             locations: dict[str, Any] | None = None, machines: list[dict[str, Any]] | None = None,
             counterexamples: list[dict[str, Any]] | None = None,
             dead_transitions: list[dict[str, Any]] | None = None,
             traceability: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report object from its parts (every part but the checks may be left out)."""
    passed = all(check.get("passed") for check in checks) and errors_in(conform) == 0
    if conform is not None and any(log.get("verdict") != "conforms" for log in conform.get("logs", [])):
        passed = False
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "shadowspec",
        "checks": list(checks),
        "conform": conform,
        "locations": locations or {"properties": {}},
        "machines": machines or [],
        "counterexamples": counterexamples or [],
        "dead_transitions": dead_transitions or [],
        "traceability": traceability,
        "passed": passed,
    }


def counterexample_of(report: dict[str, Any], config: str, prop: str) -> dict[str, Any] | None:
    """The gathered path and diagrams of one property's counterexample or witness, if any."""
    for entry in report.get("counterexamples", []):
        if entry["config"] == config and entry["property"] == prop:
            return entry
    return None
