"""Gathering from a real check (cluster-2008r2, about half a second): paths, lines, diagrams."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from shadowspec.checks.replay import config_of
from shadowspec.checks.run import run_check
from shadowspec.model.compiled import declared_transitions
from shadowspec.model.config import shipped
from shadowspec.model.system import MACHINES, System
from shadowspec.report_inputs import build


@pytest.fixture(scope="module")
def check() -> dict[str, Any]:
    return run_check(shipped()["cluster-2008r2"]).as_dict(with_timings=False)


@pytest.fixture(scope="module")
def report(check: dict[str, Any]) -> dict[str, Any]:
    return build([check])


def test_each_counterexample_path_explains_its_state_changes(check: dict[str, Any], report: dict[str, Any]) -> None:
    shown = {(e["config"], e["property"]): e for e in report["counterexamples"]}
    with_trace = [p for p in check["properties"] if p.get("counterexample") or p.get("witness")]
    assert with_trace and set(shown) == {("cluster-2008r2", p["id"]) for p in with_trace}
    components = {c.name for c in System(config_of(check)).components}
    declared = {(t.machine, t.event, t.source, t.target) for cls in MACHINES for t in declared_transitions(cls)}
    for prop in with_trace:
        entry = shown[("cluster-2008r2", prop["id"])]
        assert "path_error" not in entry
        path = entry["path"]
        steps = (prop.get("counterexample") or prop.get("witness")) + (prop.get("cycle") or [])
        assert {t["step"] for t in path} <= {s["step"] for s in steps}
        for t in path:
            assert (t["machine"], t["event"], t["source"], t["target"]) in declared
            assert t["file"].startswith("spec/") and t["line"] > 0
        for s in steps:
            for name, (before, after) in s["changes"].items():
                if name not in components:
                    continue    # a variable, not a control state
                moved = [t for t in path if t["step"] == s["step"] and t["component"] == name]
                assert moved and (moved[0]["source"], moved[-1]["target"]) == (before, after), (prop["id"], s)


def test_a_replay_that_does_not_fit_is_reported_not_raised(check: dict[str, Any]) -> None:
    broken = {**check, "properties": [dict(p) for p in check["properties"]]}
    prop = next(p for p in broken["properties"] if p.get("counterexample"))
    prop["counterexample"] = [{**prop["counterexample"][0], "result": "NOT_A_RESULT"}]
    entry = next(e for e in build([broken], with_svg=False)["counterexamples"] if e["property"] == prop["id"])
    assert entry["path"] == [] and "not possible here" in entry["path_error"]


def test_machines_locations_dead_transitions_and_matrix(check: dict[str, Any], report: dict[str, Any]) -> None:
    assert [m["name"] for m in report["machines"]] == [cls.__name__ for cls in MACHINES]
    assert all(m["mermaid"].startswith("stateDiagram-v2") for m in report["machines"])
    # A text may repeat (guards differ): each is its own dead transition, so the report counts
    # what `check --format json` counts (a set once said 131 where the JSON listed 140).
    dead = check["coverage"]["dead_transitions"]
    assert [d["transition"] for d in report["dead_transitions"]] == dead
    assert len(dead) > len(set(dead))
    coverage = check["coverage"]
    assert len(report["dead_transitions"]) == coverage["declared_transitions"] - coverage["fired_transitions"]
    assert all(d["file"].startswith("spec/") for d in report["dead_transitions"])
    assert report["locations"]["properties"]["INV-21"]["file"] == "checks/catalogue.py"
    assert report["traceability"]["summary"]["line"]


def test_diagrams_are_drawn_with_graphviz(report: dict[str, Any]) -> None:
    assert shutil.which("dot"), "Graphviz `dot` is required (.ci/run installs it)"
    assert all(m["svg"].startswith("<svg") for m in report["machines"])
    for entry in report["counterexamples"]:
        assert entry["diagrams"] and all(d["svg"].startswith("<svg") for d in entry["diagrams"])


def test_log_paths_become_relative(check: dict[str, Any], tmp_path: Any) -> None:
    conform = {"logs": [{"file": str(tmp_path / "logs" / "a.jsonl"), "verdict": "conforms", "findings": []},
                        {"file": "/elsewhere/b.jsonl", "verdict": "conforms", "findings": []}]}
    built = build([check], conform, with_svg=False, base=str(tmp_path))
    assert [log["file"] for log in built["conform"]["logs"]] == ["logs/a.jsonl", "b.jsonl"]
