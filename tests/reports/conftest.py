"""Hand-built report objects for the renderer tests: small, written here, not copied from output.

``tiny_report`` covers every case a renderer distinguishes: a property that holds, an expected
hazard with its counterexample, a HOLD property violated (a mismatch), one not exercised, a
liveness lasso with a cycle, a witness, a dead transition, and logs that conform, violate and
cannot be read. Texts carry characters each format must escape (``<``, ``&``, ``|``, quotes).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from shadowspec.reports.document import assemble

SCHEMAS = Path(__file__).parent / "schemas"


def step(number: int, actor: str, call: str, result: str, changes: dict[str, list[Any]] | None = None,
         **arguments: Any) -> dict[str, Any]:
    return {"step": number, "actor": actor, "call": call, "arguments": arguments, "result": result,
            "changes": changes or {}, "rules": ["NODE-02"]}


def prop(pid: str, verdict: str, expected: str = "HOLD", as_expected: bool = True, kind: str = "edge",
         **extra: Any) -> dict[str, Any]:
    return {"id": pid, "slug": f"slug_{pid.lower().replace('-', '_')}",
            "sentence": f"Sentence of {pid} with <b> & \"q\" | pipe.",
            "kind": kind, "rules": ["NODE-11"], "expected": expected, "verdict": verdict,
            "as_expected": as_expected, "applied": 3, **extra}


HAZARD_STEPS = [
    step(1, "node-1", "ClusterPrepareSharedVolumeForBackup", "ERROR_SUCCESS",
         {"volume-1.mark": ["off", "on"]}, lpszFileName="volume-1"),
    step(2, "node-2", "ClusterClearBackupStateForSharedVolume", "ERROR_SUCCESS",
         {"volume-1.mark": ["on", "off"]}, lpszVolumePathName="volume-1"),
]


def tiny_check(name: str = "tiny") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "config": {"name": name, "description": "two nodes & one volume"},
        "exploration": {"states": 12, "transitions": 30, "depth": 4, "complete": True, "stop_reason": None},
        "properties": [
            prop("INV-01", "holds"),
            prop("INV-21", "violated", expected="HAZARD", counterexample=copy.deepcopy(HAZARD_STEPS)),
            prop("INV-30", "violated", as_expected=False,
                 counterexample=[step(1, "requester-1", "IUnknown::Release", "S_OK")]),
            prop("INV-02", "not exercised", reason="needs 'context_calls' enabled"),
            prop("LIV-05", "violated", expected="HAZARD", kind="leads_to",
                 counterexample=[step(1, "requester-1", "CreateVssBackupComponents", "S_OK", privileged=True)],
                 cycle=[step(2, "vss", "tick", "S_OK")]),
            prop("WIT-01", "holds", kind="witness",
                 witness=[step(1, "requester-1", "CreateVssBackupComponents", "S_OK", privileged=True)]),
        ],
        "coverage": {"declared_transitions": 5, "fired_transitions": 4,
                     "dead_transitions": ["Mark.clear: on -> off [ERROR_SUCCESS]"], "rules_exercised": ["NODE-11"]},
        "fairness": "the cluster is strongly fair",
        "passed": False,
    }


def tiny_conform() -> dict[str, Any]:
    finding = {"line": 7, "actor": "node-2", "call": "ClusterClearBackupStateForSharedVolume", "side": "caller",
               "severity": "error", "rules": ["NODE-11"], "message": "clears <another> node's backup & more",
               "allowed": ["ClusterPrepareSharedVolumeForBackup"]}
    warning = {**finding, "line": 9, "severity": "warning", "side": "api", "message": "AMB reading", "allowed": []}
    return {"schema_version": 1, "logs": [
        {"file": "logs/good.jsonl", "verdict": "conforms", "findings": []},
        {"file": "logs/bad.jsonl", "verdict": "violates", "findings": [finding, warning]},
        {"file": "logs/broken.jsonl", "verdict": "unreadable", "error": "logs/broken.jsonl:3: not JSON",
         "findings": []},
    ], "coverage": {"rules": ["NODE-11"]}}


def tiny_svg(label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
            f'<g id="graph0"><rect width="120" height="40" fill="#eee"/><text x="4" y="20">{label}</text></g></svg>')


def tiny_document(conform: bool = True) -> dict[str, Any]:
    check = tiny_check()
    return assemble(
        [check], tiny_conform() if conform else None,
        locations={"properties": {"INV-01": {"file": "checks/catalogue.py", "line": 10},
                                  "INV-21": {"file": "checks/catalogue.py", "line": 21},
                                  "INV-30": {"file": "checks/catalogue.py", "line": 30},
                                  "LIV-05": {"file": "checks/catalogue.py", "line": 55},
                                  "WIT-01": {"file": "checks/catalogue.py", "line": 99}}},
        machines=[{"name": "Mark", "file": "spec/mark.py", "line": 3, "doc": "A mark.", "states": ["off", "on"],
                   "initial": "off", "transitions": 5, "mermaid": "stateDiagram-v2\n    off --> on\n",
                   "svg": tiny_svg("Mark")}],
        counterexamples=[{"config": "tiny", "property": "INV-21", "kind": "counterexample", "path": [
            {"step": 1, "component": "volume-1.mark", "machine": "Mark", "event": "prepare", "source": "off",
             "target": "on", "index": 0, "result": "ERROR_SUCCESS", "rules": ["NODE-02"],
             "file": "spec/mark.py", "line": 40},
            {"step": 2, "component": "volume-1.mark", "machine": "Mark", "event": "clear", "source": "on",
             "target": "off", "index": 0, "result": "ERROR_SUCCESS", "rules": ["NODE-11"],
             "file": "spec/mark.py", "line": 44},
        ], "diagrams": [{"component": "volume-1.mark", "machine": "Mark", "svg": tiny_svg("path")}]}],
        dead_transitions=[{"transition": "Mark.clear: on -> off [ERROR_SUCCESS]", "machine": "Mark", "event": "clear",
                           "source": "on", "target": "off", "result": "ERROR_SUCCESS",
                           "file": "spec/mark.py", "line": 44}],
        traceability={"rules": [{"id": "NODE-11", "kind": "MUST", "title": "Clear is cluster-wide", "url": "",
                                 "spec": ["Mark.clear"], "properties": ["INV-21"],
                                 "decided": [{"property": "INV-21", "config": "tiny", "verdict": "violated"}],
                                 "exploration": ["tiny"], "hypothesis": None, "logs": True, "status": "encoded"}],
                      "summary": {"line": "1 rules: 1 encoded (100.0%)"},
                      "sources": {"checks": ["tiny"], "hypothesis": False, "logs": True}},
    )


@pytest.fixture
def document() -> dict[str, Any]:
    return tiny_document()
