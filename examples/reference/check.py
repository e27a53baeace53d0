"""``shadowspec check --spec reference``: the benchmark reference model, same report as the real check.

Explores the packed reference space (``checks.explore_space``), decides REF-A/B/C from the
exploration's per-level invariant scan (the first violation in breadth-first order has a shortest
path), renders counterexamples in concrete actors, and reports coverage of the declared
transitions, all in the shape of ``CheckReport``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np

from shadowspec.checks.decide import HOLDS, UNKNOWN, VACUOUS, VIOLATED
from shadowspec.checks.explore_space import ExploreOptions, explore_space
from shadowspec.checks.run import CheckReport, outcome
from shadowspec.model.compiled import TransitionId, declared_transitions
from shadowspec.model.fingerprint import path_exploration
from shadowspec.model.packed_space import PackedExploration

from .counterexample import concrete_path
from .machines import ReferenceRequester, ReferenceVolume
from .packed import ReferenceSpace, reference_space
from .properties import PROPERTIES, ReferenceProperty

FAIRNESS = "not applicable: the reference model's properties are invariants (safety only)"


def _steps(space: ReferenceSpace, exploration: PackedExploration, index: int) -> list[dict[str, Any]]:
    system = space.system
    path = concrete_path(space, exploration, index)
    steps, previous = [], None
    for label, state in path:
        flat = {}
        for name, record in system.records(state).items():
            for key, value in record.items():
                flat[name if key == "state" else f"{name}.{key}"] = value
        if label is not None and previous is not None:
            rules = tuple(dict.fromkeys(r for t in label.transitions for r in t.rules))
            steps.append({"step": len(steps) + 1, "actor": label.actor, "call": label.call,
                          "arguments": dict(label.arguments), "result": label.result,
                          "changes": {k: [previous[k], v] for k, v in flat.items() if previous[k] != v},
                          "rules": list(rules)})
        previous = flat
    return steps


def _verdict(prop: ReferenceProperty, space: ReferenceSpace, exploration: PackedExploration) -> dict[str, Any]:
    observed = exploration.extra.get("observed")
    applied = observed["applied"].get(prop.id, 0) if observed else \
        sum(space.applies(prop.id, exploration.states[i:i + (1 << 22)]) for i in range(0, exploration.count, 1 << 22))
    found = exploration.violations.get(prop.id)
    if found is not None:
        verdict = VIOLATED
    elif not exploration.complete:
        verdict = UNKNOWN
    else:
        verdict = VACUOUS if applied == 0 else HOLDS
    as_expected = verdict == (VIOLATED if prop.expected in ("HAZARD", "OBLIG") else HOLDS)
    data: dict[str, Any] = {
        "id": prop.id, "slug": prop.slug, "sentence": prop.sentence, "kind": prop.kind,
        "rules": list(prop.rules), "expected": prop.expected, "verdict": verdict,
        "as_expected": as_expected, "applied": applied,
    }
    if found is not None:
        if not len(exploration.states):  # hash compaction: rebuild the path's states
            data["counterexample"] = _steps(space, *path_exploration(space, exploration, found))
        else:
            data["counterexample"] = _steps(space, exploration, found)
    return data


def observe(space: ReferenceSpace, states: np.ndarray) -> dict[str, Any]:
    """What the verdicts and the coverage need from every state, for engines that keep no states
    (hash compaction): how many states each property applies to, and the local codes and pairs of
    codes that occur (``fired_transitions``). Added up over levels and partitions."""
    occurs, pairs = _occurrences(space, states)
    return {"applied": {p.id: space.applies(p.id, states) for p in PROPERTIES},
            "codes": {(i, c) for i, codes in enumerate(occurs) for c in codes},
            "pairs": {(a, b, x, y) for (a, b), seen in pairs.items() for x, y in seen}}


def _observed_occurrences(space: ReferenceSpace, observed: dict[str, Any]) -> tuple[list, dict]:
    occurs: list[set[int]] = [set() for _ in space.system.machines]
    pairs: dict[tuple[int, int], set[tuple[int, int]]] = {
        (r, space.requesters + v): set() for r in range(space.requesters) for v in range(space.volumes)}
    for i, code in observed["codes"]:
        occurs[i].add(code)
    for a, b, x, y in observed["pairs"]:
        pairs[(a, b)].add((x, y))
    return occurs, pairs


def fired_transitions(space: ReferenceSpace, states: np.ndarray) -> set[TransitionId]:
    """The declared transitions some explored state fires, from the local codes (and, for actions
    on two components, the pairs of codes) that occur in ``states``."""
    return _fired(space, *_occurrences(space, states))


def _occurrences(space: ReferenceSpace, states: np.ndarray) -> tuple[list, dict]:
    system = space.system
    R, V = space.requesters, space.volumes
    occurs = [set() for _ in system.machines]
    pairs: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for start in range(0, len(states), 1 << 22):
        block = states[start:start + (1 << 22)]
        codes = [space.field(block, i) for i in range(R + V)]
        for i, c in enumerate(codes):
            occurs[i].update(np.flatnonzero(np.bincount(c)).tolist())
        width = len(system.volume_machine.locals)
        for r in range(R):
            for v in range(V):
                joint = np.flatnonzero(np.bincount(codes[r] * width + codes[R + v]))
                pairs.setdefault((r, R + v), set()).update((int(j) // width, int(j) % width) for j in joint)
    return occurs, pairs


def _fired(space: ReferenceSpace, occurs: list, pairs: dict) -> set[TransitionId]:
    system = space.system
    R, V = space.requesters, space.volumes
    fired: set[TransitionId] = set()
    for a, action in enumerate(system.actions):
        compiled = space.compiled[a]
        comps = [f.component for f in action.fires]
        if len(comps) == 1:
            combos = [(c,) for c in occurs[comps[0]]]
        else:
            combos = sorted(pairs[(comps[0], comps[1])])
        for combo in combos:
            if any(table[code] < 0 for (_, table), code in zip(compiled.updates, combo)):
                continue
            for fire, code in zip(action.fires, combo):
                fired.add(system.machines[fire.component].step(code, fire.event, fire.arguments)[2])
            if action.snapshot_of >= 0:
                for v in range(V):
                    for rc, vc in pairs[(action.snapshot_of, R + v)]:
                        if rc == combo[0] and compiled.held[rc, v]:
                            fired.add(system.volume_machine.step(vc, "snapshot_taken")[2])
    return fired


def _coverage(space: ReferenceSpace, exploration: PackedExploration) -> dict[str, Any]:
    declared = declared_transitions(ReferenceRequester) + declared_transitions(ReferenceVolume)
    observed = exploration.extra.get("observed")
    fired = _fired(space, *_observed_occurrences(space, observed)) if observed else \
        fired_transitions(space, exploration.states)
    dead = [t for t in declared if t not in fired]
    return {"declared_transitions": len(declared), "fired_transitions": len(declared) - len(dead),
            "dead_transitions": [str(t) for t in dead],
            "rules_exercised": sorted({r for t in fired for r in t.rules})}


def engine_figures(exploration: PackedExploration) -> dict[str, Any]:
    """Which engine explored (unless the single-process default), and under hash compaction its
    fingerprint width and probability of a missed state."""
    extra, figures = exploration.extra, {}
    if extra.get("engine") not in (None, "frontier"):
        figures["engine"] = {"backend": extra["engine"], "workers": extra.get("partitions", 1)}
    if "hash_compaction" in extra:
        figures["hash_compaction"] = extra["hash_compaction"]
    return figures


def run_reference_check(requesters: int, volumes: int, symmetry: bool = False,
                        options: ExploreOptions = ExploreOptions()) -> CheckReport:
    """Explore the reference model for ``requesters`` x ``volumes`` and decide REF-A/B/C."""
    started = time.perf_counter()
    space = reference_space(requesters, volumes, symmetry)
    options = replace(options, factory=partial(reference_space, requesters, volumes, symmetry),
                      observer=observe if options.engine.fingerprint_bits is not None else None)
    exploration = explore_space(space, options)
    decided = time.perf_counter()
    properties = [_verdict(p, space, exploration) for p in PROPERTIES]
    seconds = exploration.seconds
    initial = exploration.depth_offsets[1] if len(exploration.depth_offsets) > 1 else 0
    report = CheckReport(
        config={"spec": "reference", "name": f"reference-r{requesters}-v{volumes}"
                + ("-symmetry" if symmetry else ""),
                "description": "The benchmark reference model of ../shared/bench/README.md: "
                               f"{requesters} requester(s), each on its own node, and {volumes} "
                               "cluster shared volume(s)"
                               + ("; interchangeable requesters and volumes explored once "
                                  "(symmetry reduction)" if symmetry else ""),
                "requesters": requesters, "volumes": volumes, "symmetry": symmetry,
                "max_states": options.max_states, "max_depth": options.max_depth},
        exploration={
            "states": exploration.count, "transitions": exploration.transitions,
            "generated": exploration.transitions + initial,
            "depth": exploration.max_depth, "complete": exploration.complete,
            "stop_reason": exploration.stop_reason, "seconds": round(seconds, 3),
            "states_per_second": round(exploration.count / seconds) if seconds else 0,
            **engine_figures(exploration),
        },
        properties=properties,
        coverage=_coverage(space, exploration),
        fairness=FAIRNESS,
    )
    report.timings = {"explore": seconds, "decide": time.perf_counter() - decided,
                      "total": time.perf_counter() - started}
    report.passed, report.exit_code = outcome(properties, exploration.complete)
    report.exploration["exercised"] = len(properties)
    return report
