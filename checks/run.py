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
from .decide import FAIRNESS, NOT_EXERCISED, UNKNOWN, Graph, Verdict, decide
from .trace import render

SCHEMA_VERSION = 1

EXIT_PASS, EXIT_MISMATCH, EXIT_INCOMPLETE = 0, 1, 1
"""Exit codes of a check: 0 every verdict as expected on a complete search; 1 a decided verdict
not as expected, or the search was cut short (a bound, a time limit, Ctrl-C) so that some
properties are undecided; 2 (from the CLI) a usage or input error. The project's contract is
0/1/2 (design notes; issues 11 and 12), so an incomplete search is told apart by its words
("INCOMPLETE: ...", never MISMATCH) and by ``exploration.complete`` in JSON, not by a code."""


def outcome(properties: list[dict[str, Any]], complete: bool) -> tuple[bool, int]:
    """(passed, exit code) of a check from its property data: an undecided property (no
    violation within a bound) is not a mismatch, it makes the check incomplete."""
    mismatches = [p for p in properties if not p["as_expected"] and p["verdict"] != UNKNOWN]
    if mismatches:
        return False, EXIT_MISMATCH
    if not complete:
        return False, EXIT_INCOMPLETE
    return True, EXIT_PASS


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
    engine: dict[str, Any] = field(default_factory=dict)

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


def rules_cited(transitions: Any) -> set[str]:
    """The documentation rules that ``transitions`` cite. Transitions may also cite the property
    they exist for (IVssAsync::Wait cites INV-26, a rejected BackupComplete INV-13): those are
    properties, not rules of the documentation, and are not counted as rules exercised, whichever
    engine (exploration or Hypothesis) fired the transition."""
    properties = {p.id for p in PROPERTIES + WITNESSES}
    return {r for t in transitions for r in t.rules if r not in properties}


def coverage(system: System, exploration: Exploration) -> dict[str, Any]:
    """Which declared transitions fired in this exploration, and which did not (dead here)."""
    fired = {step.transition for label in exploration.labels for step in label.steps}
    declared = []
    for role in MACHINES:
        machine = system.compiled[role]
        declared.extend(declared_transitions(machine.cls, machine.name))
    dead = [t for t in declared if t not in fired]
    rules = sorted(rules_cited(fired))
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


def explore_config(config: Config, replace: dict[type, type] | None = None,
                   progress: Callable[[int, int, int, int], None] | None = None,
                   engine: Any = None, generic: bool = False,
                   symmetry: bool = False) -> tuple[System, Exploration, dict[str, Any]]:
    """(system, exploration, engine figures) of ``config``: the packed engine
    (``model/packed_system.py``, one or more 64-bit words a state) unless ``generic``, or unless
    one action group's table would need a key of more than 63 bits (``VssSpace._slots`` and
    ``_Effects.publish`` raise ``ValueError``: the only case left for the generic explorer); the engine
    options (processes, Ray, checkpoints, time limit) run through ``model/engines.py``;
    ``symmetry``: one state per orbit of interchangeable actors (``model/packed_symmetry.py``)."""
    from shadowspec.model.packed_system import VssSpace

    if symmetry:
        return _explore_symmetric(config, replace, progress, engine, generic)
    info: dict[str, Any] = {"engine": "generic"}
    plain = engine is None or engine.plain
    if not generic:
        from shadowspec.model.packed_explore import explore_vss, from_packed

        try:
            space = VssSpace(config, replace, encoding="learnt" if plain else "declared")
            if plain:
                exploration = explore_vss(space, max_states=config.max_states, max_depth=config.max_depth,
                                          progress=progress)
                return space.system, exploration, {"engine": "packed", "bits": space.bits, "words": space.words}
        except ValueError as error:  # a table key wider than a word: the generic explorer
            info = {"engine": "generic", "why": str(error)}
            if not plain:
                from shadowspec.model.config import ConfigError
                raise ConfigError(f"{config.name}: the engine options need a packed state; {error}") from None
    if generic or info.get("why"):
        system = System(config, replace)
        exploration = explore([system.initial], system.successors, max_states=config.max_states,
                              max_depth=config.max_depth, progress=progress)
        return system, exploration, info
    from functools import partial

    from shadowspec.model.engines import explore_with
    from shadowspec.model.packed_system import vss_space

    if replace:
        from shadowspec.model.config import ConfigError
        raise ConfigError("engine options: not with variant classes")
    relay = (lambda p: progress(p.states, p.transitions, p.queue, p.depth)) if progress else None
    factory = partial(vss_space, config, space.closed(), space.word_bits)  # the workers' words are the coordinator's
    found = explore_with(factory, engine, max_states=config.max_states,
                         max_depth=config.max_depth, progress=relay)
    extra = found.extra
    figures: dict[str, Any] = {"engine": {"backend": extra.get("engine", "local"),
                                          "workers": extra.get("partitions", 1)}, "words": space.words}
    if "hash_compaction" in extra:
        figures["hash_compaction"] = extra["hash_compaction"]
    if engine.fingerprint_bits is not None:
        return space.system, _counts_only(found), figures
    return space.system, from_packed(space, found), figures


def _explore_symmetric(config: Config, replace: dict[type, type] | None,
                       progress: Callable[[int, int, int, int], None] | None, engine: Any,
                       generic: bool) -> tuple[System, Exploration, dict[str, Any]]:
    """The search stores one representative per orbit; the deciders then read every state of
    the explored orbits (``packed_symmetry.unfold``), so verdicts and counterexamples are those
    of the search without symmetry, in concrete actors."""
    import numpy as np

    from shadowspec.model.config import ConfigError
    from shadowspec.model.packed_explore import explore_vss, from_packed
    from shadowspec.model.packed_symmetry import SymmetricSpace, SymmetryError, figures, unfold
    from shadowspec.model.packed_system import VssSpace

    if generic:
        raise ConfigError("--symmetry: only with the packed engine (the generic explorer has no canonical form)")
    plain = engine is None or engine.plain
    if replace and not plain:
        raise ConfigError("engine options: not with variant classes")
    try:
        # a variant's declarations get their own group and commutation check (``Symmetry.check``)
        space = SymmetricSpace(VssSpace(config, replace, encoding="learnt" if plain else "declared"))
    except ValueError as error:
        raise ConfigError(f"{config.name}: --symmetry needs a packed state; {error}") from None
    if space.symmetry.order == 1:  # nothing to reduce: the search without symmetry, said so
        system, exploration, info = explore_config(config, replace, progress, engine, generic)
        info["symmetry"] = {"used": False, "group_order": 1,
                            "why": "no two requesters, nodes or volumes are interchangeable here"
                                   + (f" ({'; '.join(space.symmetry.refused)})" if space.symmetry.refused else "")}
        return system, exploration, info
    try:
        if plain:
            quotient = explore_vss(space, max_states=config.max_states, max_depth=config.max_depth,
                                   progress=progress)
            reps = space.symmetry.pack(np.array(quotient.states, dtype=np.int64).T.reshape(len(space.sizes), -1))
            depth = np.array(quotient.depth, dtype=np.int64)
            count, transitions = len(reps), quotient.transitions
            complete, stop, seconds = quotient.complete, quotient.stop_reason, quotient.seconds
            info: dict[str, Any] = {"engine": "packed", "bits": space.bits, "words": space.words}
        else:
            from functools import partial

            from shadowspec.model.engines import explore_with
            from shadowspec.model.packed_symmetry import symmetric_vss_space

            relay = (lambda p: progress(p.states, p.transitions, p.queue, p.depth)) if progress else None
            factory = partial(symmetric_vss_space, config, None, space.inner.word_bits)
            found = explore_with(factory, engine, max_states=config.max_states,
                                 max_depth=config.max_depth, progress=relay)
            offsets = found.depth_offsets
            count, transitions = found.count, found.transitions
            complete, stop, seconds = found.complete, found.stop_reason, found.seconds
            info = {"engine": {"backend": found.extra.get("engine", "local"),
                               "workers": found.extra.get("partitions", 1)}, "words": space.inner.words}
            if "hash_compaction" in found.extra:
                info["hash_compaction"] = found.extra["hash_compaction"]
            if engine.fingerprint_bits is not None:
                info["symmetry"] = {**figures(space.symmetry, count, count), "states": None, "reduction": None,
                                    "decided_on": "nothing: hash compaction keeps no graph"}
                return space.system, _counts_only(found), info
            reps = np.asarray(found.states, dtype=np.uint64)
            depth = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        space.symmetry.check(space.inner.codes(reps))
        full = unfold(space.symmetry, reps, depth, complete, stop, seconds)
    except SymmetryError as error:
        raise ConfigError(f"{config.name}: --symmetry: {error}") from None
    except ValueError as error:  # the learnt encoding outgrew one word: no canonical form off it
        raise ConfigError(f"{config.name}: --symmetry needs a packed state; {error}") from None
    exploration = from_packed(space.inner, full)
    info["symmetry"] = figures(space.symmetry, count, len(exploration.states))
    info["symmetry"]["transitions_explored"] = transitions
    return space.system, exploration, info


def _counts_only(found: Any) -> Exploration:
    """An exploration with the engine's figures and no graph (hash compaction keeps none)."""
    from array import array

    empty = array("q")
    x = Exploration(states=[], parent=empty, via=empty, depth=array("l"), labels=[], sources=empty,
                    targets=empty, edge_labels=empty, complete=False,
                    stop_reason=found.stop_reason or "hash compaction keeps no graph", seconds=found.seconds)
    x.count_override = (found.count, found.transitions, found.max_depth, found.complete)  # type: ignore[attr-defined]
    return x


def measure(config: Config, replace: dict[type, type] | None = None,
            progress: Callable[[int, int, int, int], None] | None = None,
            engine: Any = None, generic: bool = False,
            deciding: Callable[[int, int, str], None] | None = None,
            build: Callable[[Config, dict[type, type] | None], System] = System,
            symmetry: bool = False) -> Measured:
    """Explore ``config`` (with declared classes swapped by ``replace``), decide everything, and
    keep the graph. ``deciding(i, n, property id)`` is told before each property. ``build`` makes
    the system (``shadowspec mutate`` passes a composition with one cross-machine effect dropped;
    such a composition is explored by the generic explorer, whose successors are its own code)."""
    started = time.perf_counter()
    if build is System:
        system, exploration, figures = explore_config(config, replace, progress, engine, generic, symmetry)
    else:
        system = build(config, replace)
        exploration = explore([system.initial], system.successors, max_states=config.max_states,
                              max_depth=config.max_depth, progress=progress)
        figures = {"engine": "generic"}
    counted = getattr(exploration, "count_override", None)
    graph = Graph(system, exploration)
    decided = time.perf_counter()
    catalogue = PROPERTIES + WITNESSES
    verdicts = []
    for i, prop in enumerate(catalogue):
        if deciding is not None:
            deciding(i, len(catalogue), prop.id)
        if counted is not None:
            verdicts.append(_undecided(prop, config))
        else:
            verdicts.append(decide(prop, graph))
    properties = [verdict_data(v, graph) for v in verdicts]
    seconds = exploration.seconds
    states, transitions, depth, complete = counted or (len(exploration.states), exploration.transitions,
                                                       exploration.max_depth, exploration.complete)
    report = CheckReport(
        config=config.describe(),
        exploration={
            "states": states, "transitions": transitions,
            "depth": depth, "complete": exploration.complete,
            "stop_reason": exploration.stop_reason, "seconds": round(seconds, 3),
            "states_per_second": round(states / seconds) if seconds else 0,
        },
        properties=properties,
        coverage=coverage(system, exploration),
    )
    report.engine = figures
    if figures.get("why"):  # the packed engine could not hold a state: say so, never silently slower
        report.exploration["explorer"] = {"name": "generic", "why": figures["why"]}
    elif figures.get("words", 1) > 1:  # wider than one word: said, so a slower run is explained
        report.exploration["explorer"] = {"name": "packed", "words": figures["words"]}
    for key in ("engine", "hash_compaction", "symmetry"):  # only the engine options add these
        if isinstance(figures.get(key), dict):
            report.exploration[key] = figures[key]
    report.timings = {"explore": seconds, "decide": time.perf_counter() - decided,
                      "total": time.perf_counter() - started}
    report.passed, report.exit_code = outcome(properties, exploration.complete)
    report.exploration["exercised"] = sum(1 for v in verdicts if v.verdict != NOT_EXERCISED)
    return Measured(report, system, exploration)


def _undecided(prop: Any, config: Config) -> Verdict:
    reason = prop.needs(config)
    if reason:
        return Verdict(prop, NOT_EXERCISED, reason)
    return Verdict(prop, UNKNOWN, "hash compaction keeps no graph to decide on; run without --fingerprint-bits")


def run_check(config: Config, replace: dict[type, type] | None = None,
              progress: Callable[[int, int, int, int], None] | None = None,
              engine: Any = None, generic: bool = False,
              deciding: Callable[[int, int, str], None] | None = None,
              symmetry: bool = False) -> CheckReport:
    """Explore ``config`` (with declared classes swapped by ``replace``) and decide everything."""
    return measure(config, replace, progress, engine, generic, deciding, symmetry=symmetry).report
