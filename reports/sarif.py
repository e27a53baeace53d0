"""The report as SARIF 2.1.0, so code review shows the findings inline.

One result per violated property, per property whose verdict is not the one expected (a hazard
not found, a vacuous verdict), per missing witness, one per cut-short search (its undecided
properties are not findings), one note per machine with transitions no included configuration
fired (or one per such transition with ``dead_transitions``), per conformance finding and per log that could not be checked to its end.
Locations are repository-relative: a property points at its catalogue entry in ``checks/``, a dead
transition at its declaration in ``spec/``, a finding at its log file and line; a counterexample is
also a code flow through the declared transitions it fired. Levels: ``error`` for a verdict not as
expected or an error finding, ``warning`` for a warning finding, ``note`` for what the
documentation itself admits (an expected hazard or obligation) and for dead transitions. Pure and
deterministic.
"""

from __future__ import annotations

import json
from typing import Any

from .escape import file_uri
from .steps import call_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VIOLATED = "violated"
HOLDS = "holds"
DEAD = "dead-transition"
INCOMPLETE = "incomplete-search"
UNDECIDED = "no violation within bound"
SRCROOT = "SRCROOT"
UNCHECKED = "conform-unchecked"


def _location(file: str, line: int | None, message: str | None = None, base: bool = True) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": file_uri(file)}
    if base:
        artifact["uriBaseId"] = SRCROOT
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line and line > 0:
        physical["region"] = {"startLine": int(line)}
    location: dict[str, Any] = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location


def _rule(rule_id: str, name: str, text: str, help_uri: str | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": rule_id, "name": name, "shortDescription": {"text": text}}
    if help_uri:
        rule["helpUri"] = help_uri
    return rule


def _code_flow(entry: dict[str, Any] | None, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The counterexample as one thread flow: each step at the transitions it fired."""
    if not steps:
        return []
    fired: dict[int, list[dict[str, Any]]] = {}
    for transition in (entry or {}).get("path", []):
        fired.setdefault(transition["step"], []).append(transition)
    locations = []
    for step in steps:
        text = f"{step['step']}. {call_text(step)}"
        transitions = fired.get(step["step"], [])
        if not transitions:
            locations.append({"location": {"message": {"text": text}}})
        for t in transitions:
            move = f"{t['component']}: {t['event']} {t['source']} -> {t['target']}"
            locations.append({"location": _location(t["file"], t["line"], f"{text} ({move})")})
    return [{"threadFlows": [{"locations": locations}]}]


def _property_result(config: str, prop: dict[str, Any], report: dict[str, Any]) -> dict[str, Any] | None:
    if prop["verdict"] == UNDECIDED:  # not a finding: the search's one incomplete-search result says it
        return None
    violated = prop["verdict"] == VIOLATED
    witness_missing = prop["kind"] == "witness" and prop["verdict"] != HOLDS
    if not (violated or witness_missing or not prop["as_expected"]):
        return None
    if prop["as_expected"]:
        level = "note"
        why = f"as the documentation admits ({prop['expected']})"
    else:
        level = "error"
        why = f"expected {prop['expected']}"
    what = "witness not found" if witness_missing else prop["verdict"]
    text = f"{prop['id']} {what} in configuration {config}, {why}: {prop['sentence']}"
    if prop.get("reason"):
        text += f" ({prop['reason']})"
    steps = (prop.get("counterexample") or []) + (prop.get("cycle") or [])
    if steps:
        text += f" Counterexample: {len(steps)} steps."
    where = report["locations"]["properties"].get(prop["id"])
    result: dict[str, Any] = {
        "ruleId": prop["id"], "level": level, "message": {"text": text},
        "locations": [_location(where["file"], where["line"])] if where else [],
        "properties": {"configuration": config, "verdict": prop["verdict"], "expected": prop["expected"],
                       "rules": list(prop["rules"])},
    }
    if not result["locations"]:
        del result["locations"]
    entry = next((e for e in report.get("counterexamples", [])
                  if e["config"] == config and e["property"] == prop["id"] and e["kind"] == "counterexample"), None)
    flows = _code_flow(entry, steps)
    if flows:
        result["codeFlows"] = flows
    return result


def _dead_by_machine(dead: list[dict[str, Any]], configs: list[str]) -> list[dict[str, Any]]:
    """One note per machine for its transitions no configuration fired, at the machine's first
    such declaration: code review sees that a machine has dead transitions, not hundreds of
    notes (``dead_transitions=True`` gives one result per transition)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in dead:
        machine = entry.get("machine") or entry["transition"].split(".")[0]
        groups.setdefault(machine, []).append(entry)
    results = []
    for machine, entries in groups.items():
        events = sorted({e.get("event") or e["transition"] for e in entries})
        shown = ", ".join(events[:8]) + (f" and {len(events) - 8} more" if len(events) > 8 else "")
        text = (f"{machine}: {len(entries)} declared transitions fired in none of the configurations "
                f"{', '.join(configs)} (events {shown}); `shadowspec report --format sarif "
                "--dead-transitions` lists each.")
        result: dict[str, Any] = {"ruleId": DEAD, "level": "note", "message": {"text": text},
                                  "properties": {"machine": machine, "transitions": len(entries)}}
        first = next((e for e in entries if e.get("file")), None)
        if first:
            result["locations"] = [_location(first["file"], first.get("line"))]
        results.append(result)
    return results


def _dead_result(dead: dict[str, Any], configs: list[str]) -> dict[str, Any]:
    text = f"Transition {dead['transition']} fired in none of the configurations {', '.join(configs)}."
    result: dict[str, Any] = {"ruleId": DEAD, "level": "note", "message": {"text": text}}
    if dead.get("file"):
        result["locations"] = [_location(dead["file"], dead.get("line"))]
    return result


def _finding_result(log: dict[str, Any], finding: dict[str, Any]) -> dict[str, Any]:
    rules = [str(r) for r in finding.get("rules", [])]
    allowed = finding.get("allowed") or []
    text = f"{finding.get('actor')}: {finding.get('call')}: {finding.get('message')}"
    if rules:
        text += f" [{', '.join(rules)}]"
    if allowed:
        text += f" The specification allowed: {', '.join(map(str, allowed))}."
    line = finding.get("line")
    return {
        "ruleId": f"conform-{finding.get('side', 'caller')}",
        "level": "error" if finding.get("severity") == "error" else "warning",
        "message": {"text": text},
        "locations": [_location(str(log["file"]), line if isinstance(line, int) else None, base=False)],
        "properties": {"side": finding.get("side"), "rules": rules, "severity": finding.get("severity"),
                       "strength": finding.get("strength"), "id": finding.get("id")},
    }


def render_dict(report: dict[str, Any], dead_transitions: bool = False) -> dict[str, Any]:
    """The SARIF log; ``dead_transitions``: one note per dead transition instead of per machine."""
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    configs = [check["config"]["name"] for check in report["checks"]]
    for check in report["checks"]:
        config = check["config"]["name"]
        for prop in check["properties"]:
            rules.setdefault(prop["id"], _rule(prop["id"], prop["slug"], prop["sentence"]))
            found = _property_result(config, prop, report)
            if found:
                results.append(found)
        if not check["exploration"]["complete"]:
            rules.setdefault(INCOMPLETE, _rule(INCOMPLETE, "incomplete_search",
                                               "The search was cut short; no property can be said to hold."))
            results.append({"ruleId": INCOMPLETE, "level": "error", "message": {
                "text": f"Exploration of configuration {config} stopped early "
                        f"({check['exploration'].get('stop_reason')}): verdicts are bounded."}})
    if report.get("dead_transitions"):
        rules[DEAD] = _rule(DEAD, "dead_transition", "A declared transition that no included configuration fired.")
        if dead_transitions:
            results += [_dead_result(dead, configs) for dead in report["dead_transitions"]]
        else:
            results += _dead_by_machine(report["dead_transitions"], configs)
    conform = report.get("conform")
    if conform:
        for side, text in (("caller", "The program's use of the API breaks a documented rule."),
                           ("api", "The API returned a result the documentation does not allow here."),
                           ("input", "A log line that cannot be used (malformed or out of range); the rest "
                                     "of the log was checked without it.")):
            rules[f"conform-{side}"] = _rule(f"conform-{side}", f"conformance_{side}", text)
        for log in conform.get("logs", []):
            results += [_finding_result(log, finding) for finding in log.get("findings", [])]
            if log.get("verdict") in ("unreadable", "incomplete"):
                rules.setdefault(UNCHECKED, _rule(UNCHECKED, "log_not_checked",
                                                  "A log could not be checked to its end."))
                why = log.get("error") or log.get("incomplete") or ""
                text = f"{log['file']}: {log.get('verdict')}: {why}".rstrip(": ")
                results.append({"ruleId": UNCHECKED, "level": "error", "message": {"text": text},
                                "locations": [_location(str(log["file"]), None, base=False)]})
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "shadowspec", "rules": [rules[k] for k in sorted(rules)]}},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: dict[str, Any], dead_transitions: bool = False) -> str:
    return json.dumps(render_dict(report, dead_transitions), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
