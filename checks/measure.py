"""What the regression gate reads off one kept exploration (``run.measure``): the facts that
name new or lost behaviour in words."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from .fingerprint import fingerprint, local_records, state_pairs, transition_counts
from .run import Measured


def component_facts(measured: Measured) -> dict[str, dict[str, int]]:
    """For each component: each ``variable=value`` and each pair of them that occurs in one of
    its local records, with the number of states where it occurs. The gate names new or lost
    behaviour by the smallest such facts."""
    facts: dict[str, dict[str, int]] = {}
    for component, records in local_records(measured.system, measured.exploration).items():
        found: dict[str, int] = {}
        for record, states in records.items():
            items = record.split("; ")
            for fact in items + [f"{a} & {b}" for a, b in combinations(items, 2)]:
                found[fact] = found.get(fact, 0) + states
        facts[component] = dict(sorted(found.items()))
    return facts


def together(measured: Measured) -> dict[str, int]:
    """Pairs of component control states that occur together, with their number of states."""
    return state_pairs(measured.system, measured.exploration)


def baseline_entry(measured: Measured) -> dict[str, Any]:
    """What the baseline records of one configuration (see ``checks.baseline``)."""
    report, exploration = measured.report, measured.exploration
    properties = {}
    for prop in report.properties:
        steps = prop.get("counterexample") or prop.get("witness") or []
        properties[prop["id"]] = {"verdict": prop["verdict"],
                                  "counterexample": len(steps) + len(prop.get("cycle") or [])}
    fired = {t: n for t, n in transition_counts(measured.system, exploration).items() if n}
    return {
        "states": len(exploration.states),
        "transitions": exploration.transitions,
        "depth": exploration.max_depth,
        "complete": exploration.complete,
        "fingerprint": fingerprint(measured.system, exploration),
        "properties": properties,
        "fired": dict(sorted(fired.items())),
        "facts": {c: sorted(f) for c, f in component_facts(measured).items()},
        "together": sorted(together(measured)),
    }


def current_counts(measured: Measured) -> dict[str, dict[str, int]]:
    """The number of states of each fact and each pair of control states (not stored in the
    baseline; the gate uses them to say how many new states a new fact accounts for)."""
    counts = {f"{c}: {fact}": n for c, facts in component_facts(measured).items() for fact, n in facts.items()}
    return {"facts": counts, "together": together(measured)}
