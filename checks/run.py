"""One ``shadowspec check``: configuration -> system -> exploration -> verdicts -> report data.

The result is plain data (``CheckReport``) so the renderers in ``reports`` need nothing else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from shadowspec.model.compiled import declared_transitions
from shadowspec.model.config import Config
from shadowspec.model.explorer import Exploration, explore
from shadowspec.model.system import MACHINES, System

from .catalogue import PROPERTIES, WITNESSES
from .decide import FAIRNESS, NOT_EXERCISED, Graph, Verdict, decide
from .trace import render

SCHEMA_VERSION = 1


@dataclass
class CheckReport:
    """Everything one check found, as plain data (see ``as_dict`` for the JSON schema)."""

    config: dict[str, Any]
    exploration: dict[str, Any]
    properties: list[dict[str, Any]]
    coverage: dict[str, Any]
    fairness: str = FAIRNESS
    passed: bool = False
    exit_code: int = 1
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self, with_timings: bool = True) -> dict[str, Any]:
        data = {
            "schema_version": SCHEMA_VERSION,
            "config": self.config,
            "exploration": dict(self.exploration),
            "properties": self.properties,
            "coverage": self.coverage,
            "fairness": self.fairness,
            "passed": self.passed,
        }
        if not with_timings:
            data["exploration"].pop("seconds", None)
            data["exploration"].pop("states_per_second", None)
        return data


def verdict_data(verdict: Verdict, graph: Graph) -> dict[str, Any]:
    prop = verdict.property
    data: dict[str, Any] = {
        "id": prop.id, "slug": prop.slug, "sentence": prop.sentence, "kind": prop.kind,
        "rules": list(prop.rules), "expected": prop.expected, "verdict": verdict.verdict,
        "as_expected": verdict.as_expected, "applied": verdict.applied,
    }
    if verdict.reason:
        data["reason"] = verdict.reason
    if verdict.trace:
        key = "witness" if prop.kind == "witness" else "counterexample"
        data[key] = [step.as_dict() for step in render(graph, verdict.trace)]
    if verdict.cycle:
        data["cycle"] = [step.as_dict() for step in render(graph, [(-1, verdict.trace[-1][1])] + verdict.cycle,
                                                           start=len(verdict.trace))]
    elif prop.kind == "leads_to" and verdict.trace:
        data["cycle"] = []
        data["stutter"] = "from the last state no fair step is enabled and the programs stop calling"
    return data


def coverage(system: System, exploration: Exploration) -> dict[str, Any]:
    """Which declared transitions fired in this exploration, and which did not (dead here)."""
    fired = {step.transition for label in exploration.labels for step in label.steps}
    declared = []
    for role in MACHINES:
        machine = system.compiled[role]
        declared.extend(declared_transitions(machine.cls, machine.name))
    dead = [t for t in declared if t not in fired]
    rules = sorted({r for t in fired for r in t.rules})
    return {
        "declared_transitions": len(declared),
        "fired_transitions": len(declared) - len(dead),
        "dead_transitions": [str(t) for t in dead],
        "rules_exercised": rules,
    }


@dataclass
class Measured:
    """One check together with the system and the explored graph it came from (the regression
    gate and the system diagrams need the graph, not only the report)."""

    report: CheckReport
    system: System
    exploration: Exploration


def measure(config: Config, replace: dict[type, type] | None = None,
            progress: Callable[[int, int, int, int], None] | None = None,
            build: Callable[[Config, dict[type, type] | None], System] = System) -> Measured:
    """Explore ``config`` (with declared classes swapped by ``replace``), decide everything, and
    keep the graph. ``build`` makes the system (``shadowspec mutate`` passes a composition with
    one cross-machine effect dropped)."""
    started = time.perf_counter()
    system = build(config, replace)
    exploration = explore([system.initial], system.successors, max_states=config.max_states,
                          max_depth=config.max_depth, progress=progress)
    graph = Graph(system, exploration)
    decided = time.perf_counter()
    verdicts = [decide(prop, graph) for prop in PROPERTIES + WITNESSES]
    properties = [verdict_data(v, graph) for v in verdicts]
    seconds = exploration.seconds
    report = CheckReport(
        config=config.describe(),
        exploration={
            "states": len(exploration.states), "transitions": exploration.transitions,
            "depth": exploration.max_depth, "complete": exploration.complete,
            "stop_reason": exploration.stop_reason, "seconds": round(seconds, 3),
            "states_per_second": round(len(exploration.states) / seconds) if seconds else 0,
        },
        properties=properties,
        coverage=coverage(system, exploration),
    )
    report.timings = {"explore": seconds, "decide": time.perf_counter() - decided,
                      "total": time.perf_counter() - started}
    mismatches = [v for v in verdicts if not v.as_expected]
    report.passed = exploration.complete and not mismatches
    report.exit_code = 0 if report.passed else 1
    report.exploration["exercised"] = sum(1 for v in verdicts if v.verdict != NOT_EXERCISED)
    return Measured(report, system, exploration)


def run_check(config: Config, replace: dict[type, type] | None = None,
              progress: Callable[[int, int, int, int], None] | None = None) -> CheckReport:
    """Explore ``config`` (with declared classes swapped by ``replace``) and decide everything."""
    return measure(config, replace, progress).report
