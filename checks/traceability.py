"""The traceability matrix: for each rule of rules.md, what encodes it, what checks it, what ran it.

One row per behavioural rule (REQ, ASY, WRT, CSV, NODE, DATA) and per ambiguity (AMB):

* ``spec``: the declared transitions whose result, guards or effects cite it (``Machine.event``
  with the number of transitions), and the configuration readings for an ambiguity;
* ``properties``: the catalogue's properties citing it, and ``decided``: those a given check
  report decided (holds or violated, as opposed to not exercised);
* ``exploration``: the configurations whose exploration fired a transition citing it;
  ``hypothesis`` and ``logs``: whether Hypothesis runs or the conformance logs exercised it
  (None when they were not run);
* ``status``: ``encoded`` (a declaration cites it), ``checked only`` (only a property cites it),
  or ``not encoded`` with the reason from ``checks.unencoded``.

INV/LIV rows are the properties themselves and appear in the ``properties`` column.
"""

from __future__ import annotations

from typing import Any, Iterable

from shadowspec.model.compiled import cited_rules
from shadowspec.model.config import READINGS
from shadowspec.model.system import MACHINES

from .catalogue import PROPERTIES, WITNESSES
from .decide import HOLDS, VIOLATED
from .rule_catalogue import BEHAVIOURAL, Rule, rules
from .unencoded import UNENCODED

SCHEMA_VERSION = 1
ENCODED, CHECKED_ONLY, NOT_ENCODED = "encoded", "checked only", "not encoded"


def spec_citations(machines: Iterable[type] = MACHINES) -> dict[str, dict[str, int]]:
    """Rule id -> {``Machine.event``: number of transitions citing it}."""
    cited: dict[str, dict[str, int]] = {}
    for cls in machines:
        for tid, rule_ids in cited_rules(cls).items():
            for rule_id in rule_ids:
                element = f"{tid.machine}.{tid.event}"
                cited.setdefault(rule_id, {})
                cited[rule_id][element] = cited[rule_id].get(element, 0) + 1
    return cited


def property_citations() -> dict[str, list[str]]:
    """Rule id -> the ids of the properties (and witnesses) citing it."""
    cited: dict[str, list[str]] = {}
    for prop in PROPERTIES + WITNESSES:
        for rule_id in prop.rules:
            cited.setdefault(rule_id, []).append(prop.id)
    return cited


def _log_rules(conform_report: dict[str, Any] | None) -> set[str] | None:
    """The rules the conformance report's coverage section says the logs exercised."""
    if conform_report is None:
        return None
    coverage = conform_report.get("coverage") or {}
    found = coverage.get("rules_exercised", coverage.get("rules", []))
    return {str(r) for r in found}


def _row(rule: Rule, spec: dict[str, int], properties: list[str], decided: list[dict[str, str]],
         exploration: list[str], hypothesis: bool | None, logs: bool | None) -> dict[str, Any]:
    elements = [f"{element} ×{count}" if count > 1 else element for element, count in sorted(spec.items())]
    if rule.id in READINGS:
        elements.append(f"reading {rule.id} ({'|'.join(READINGS[rule.id][0])})")
    status = ENCODED if elements else CHECKED_ONLY if properties else NOT_ENCODED
    row: dict[str, Any] = {
        "id": rule.id, "kind": rule.kind, "title": rule.title, "source": rule.source, "url": rule.url,
        "spec": elements, "properties": properties, "decided": decided, "exploration": exploration,
        "hypothesis": hypothesis, "logs": logs, "status": status,
    }
    if status == NOT_ENCODED:
        row["reason"] = UNENCODED.get(rule.id, "")
    return row


def traceability(check_reports: list[dict[str, Any]], conform_report: dict[str, Any] | None = None,
                 hypothesis_rules: set[str] | None = None) -> dict[str, Any]:
    """The matrix for the given check reports (JSON objects of ``shadowspec check``), conformance
    report and the rules Hypothesis runs exercised (None: not run)."""
    spec = spec_citations()
    properties = property_citations()
    log_rules = _log_rules(conform_report)
    fired: dict[str, list[str]] = {}
    verdicts: dict[str, list[dict[str, str]]] = {}
    for report in check_reports:
        name = report["config"]["name"]
        for rule_id in report.get("coverage", {}).get("rules_exercised", []):
            fired.setdefault(rule_id, []).append(name)
        for prop in report["properties"]:
            if prop["verdict"] in (HOLDS, VIOLATED):
                verdicts.setdefault(prop["id"], []).append({"property": prop["id"], "config": name,
                                                            "verdict": prop["verdict"]})
    rows = []
    for rule in rules():
        if rule.family not in BEHAVIOURAL + ("AMB",):
            continue
        cited_by = properties.get(rule.id, [])
        decided = [v for prop_id in cited_by for v in verdicts.get(prop_id, [])]
        rows.append(_row(rule, spec.get(rule.id, {}), cited_by, decided, fired.get(rule.id, []),
                         None if hypothesis_rules is None else rule.id in hypothesis_rules,
                         None if log_rules is None else rule.id in log_rules))
    return {"schema_version": SCHEMA_VERSION, "rules": rows, "summary": summary(rows),
            "sources": {"checks": [r["config"]["name"] for r in check_reports],
                        "hypothesis": hypothesis_rules is not None, "logs": log_rules is not None}}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and shares over the behavioural rules, and the ambiguities apart."""
    behavioural = [r for r in rows if r["id"].split("-")[0] in BEHAVIOURAL]
    ambiguities = [r for r in rows if r["id"].startswith("AMB-")]
    encoded = sum(1 for r in behavioural if r["status"] == ENCODED)
    checked = sum(1 for r in behavioural if r["decided"])
    explored = sum(1 for r in behavioural if r["exploration"])
    unexplained = [r["id"] for r in rows if r["status"] == NOT_ENCODED and not r.get("reason")]
    line = (f"{len(behavioural)} rules: {encoded} encoded ({_share(encoded, len(behavioural)):.1%}), "
            f"{checked} checked by a decided property ({_share(checked, len(behavioural)):.1%}), "
            f"{explored} exercised by exploration; "
            f"{sum(1 for r in ambiguities if r['status'] == ENCODED)} of {len(ambiguities)} ambiguities encoded")
    return {
        "rules": len(behavioural), "encoded": encoded, "checked": checked, "explored": explored,
        "checked_only": sum(1 for r in behavioural if r["status"] == CHECKED_ONLY),
        "not_encoded": sum(1 for r in behavioural if r["status"] == NOT_ENCODED),
        "share_encoded": _share(encoded, len(behavioural)), "share_checked": _share(checked, len(behavioural)),
        "ambiguities": len(ambiguities),
        "ambiguities_encoded": sum(1 for r in ambiguities if r["status"] == ENCODED),
        "unexplained": unexplained, "line": line,
    }
