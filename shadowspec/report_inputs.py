"""What a report needs beyond the check and conformance data, gathered from the declarations.

``reports.document`` is pure; this module does the impure part for it: it reads where each
property and transition is written (``shadowspec.source_lines``), replays each counterexample on
the composed system to recover the declared transitions it fired (``checks.replay``), draws the
machines and each path through ``reports.diagrams`` (python-statemachine's own DOT, through
Graphviz when it is installed), and builds the traceability matrix (``checks.traceability``).
"""

from __future__ import annotations

import copy
import os
import re
from collections import Counter
from functools import lru_cache
from typing import Any, Iterable

from shadowspec.checks.replay import ReplayError, config_of, replay
from shadowspec.checks.traceability import traceability
from shadowspec.model.compiled import TransitionId, declared_transitions
from shadowspec.model.config import ConfigError
from shadowspec.model.system import MACHINES, System
from shadowspec.reports import diagrams
from shadowspec.reports.document import assemble
from shadowspec.source_lines import class_location, property_locations, transition_location

CATALOGUE = "shadowspec.checks.catalogue"
_DEAD = re.compile(r"^(?P<machine>\w+)\.(?P<event>\w+): (?P<source>\w+) -> (?P<target>\w+) \[(?P<result>.*)\]$")
_CLASSES = {cls.__name__: cls for cls in MACHINES}


def _system(config: dict[str, Any]) -> System | None:
    """The composed system a check report was made for (None if this version cannot build it)."""
    try:
        return System(config_of({"config": config}))
    except (ConfigError, TypeError, ValueError):
        return None


def fired_path(system: System, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The declared transitions the steps fired, recovered by replaying them on ``system``
    (``checks.replay``): one entry per transition, with the step, the component and the line."""
    path: list[dict[str, Any]] = []
    for step, label in zip(steps, replay(system, steps)):
        for local in label.steps:
            tid = local.transition
            cls = _CLASSES[system.components[local.component].kind]
            where = transition_location(cls, tid.event, tid.source, tid.target, tid.result)
            path.append({"step": step["step"], "component": system.components[local.component].name,
                         "machine": tid.machine, "event": tid.event, "source": tid.source,
                         "target": tid.target, "index": tid.index, "result": tid.result,
                         "rules": list(tid.rules), **where.as_dict()})
    return path


def _tid(entry: dict[str, Any]) -> TransitionId:
    return TransitionId(entry["machine"], entry["source"], entry["event"], entry["index"],
                        entry["target"], entry["result"], ())


def _path_svgs(path: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One highlighted machine diagram per component on the path (None-free, in path order)."""
    shown: list[dict[str, str]] = []
    for component in dict.fromkeys(entry["component"] for entry in path):
        entries = [e for e in path if e["component"] == component]
        cls = _CLASSES[entries[0]["machine"]]
        dot = diagrams.highlighted_machine_dot(cls, [_tid(e) for e in entries], self_loops=False, compact=True)
        svg = diagrams.render_dot(dot, "svg")
        if svg is not None:
            shown.append({"component": component, "machine": cls.__name__, "svg": _clean_svg(svg.decode("utf-8"))})
    return shown


def _clean_svg(svg: str) -> str:
    """Graphviz's SVG without the XML prolog and DOCTYPE, ready to embed in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _machines(with_svg: bool) -> list[dict[str, Any]]:
    """The machines' part of a report: a fresh copy of what ``_declared_machines`` derived once."""
    return copy.deepcopy(_declared_machines(with_svg))


@lru_cache(maxsize=2)
def _property_locations() -> dict[str, dict[str, Any]]:
    """Where each property is written (a walk of the catalogue's syntax tree, done once)."""
    return {pid: loc.as_dict() for pid, loc in sorted(property_locations(CATALOGUE).items())}


@lru_cache(maxsize=2)
def _declared_machines(with_svg: bool) -> list[dict[str, Any]]:
    """Each declared machine's description and diagrams. Derived from the classes only, which do
    not change in a process, so it is made once: it was a third of ``report --from``'s time."""
    machines = []
    for cls in MACHINES:
        where = class_location(cls)
        entry: dict[str, Any] = {
            "name": cls.__name__, **where.as_dict(),
            "doc": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else "",
            "states": [s.id for s in cls.states],
            "initial": cls.initial_state.id,  # type: ignore[union-attr]
            "transitions": len(declared_transitions(cls)),
        }
        entry["mermaid"] = diagrams.machine_mermaid(cls, self_loops=False)
        svg = diagrams.machine_svg(cls, self_loops=False) if with_svg else None
        if svg is not None:
            entry["svg"] = _clean_svg(svg)
        machines.append(entry)
    return machines


def _dead(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Transitions no included configuration fired (dead in each of them)."""
    if not checks:
        return []
    # A multiset: two declared transitions can read alike (same machine, event, states and
    # result, different guards), and each is its own dead transition; a set counted them once
    # (the report said 131 where `check --format json` listed 140).
    common = Counter(checks[0]["coverage"]["dead_transitions"])
    for check in checks[1:]:
        common &= Counter(check["coverage"]["dead_transitions"])
    dead = []
    for text in checks[0]["coverage"]["dead_transitions"]:
        if common[text] <= 0:
            continue
        common[text] -= 1
        parsed = _DEAD.match(text)
        entry: dict[str, Any] = {"transition": text}
        if parsed and parsed["machine"] in _CLASSES:
            cls = _CLASSES[parsed["machine"]]
            entry.update(parsed.groupdict())
            entry.update(transition_location(cls, parsed["event"], parsed["source"], parsed["target"],
                                             parsed["result"]).as_dict())
        dead.append(entry)
    return dead


def _relative(path: str, base: str) -> str:
    """A log path as the user would read it in the repository: relative, forward slashes."""
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path, base)
        except ValueError:
            relative = os.path.basename(path)
        path = relative if not relative.startswith("..") else os.path.basename(path)
    return path.replace(os.sep, "/")


def _conform(conform: dict[str, Any] | None, base: str) -> dict[str, Any] | None:
    if conform is None:
        return None
    copied = dict(conform)
    copied["logs"] = [{**log, "file": _relative(str(log["file"]), base)} for log in conform.get("logs", [])]
    return copied


def _counterexamples(checks: list[dict[str, Any]], with_svg: bool) -> list[dict[str, Any]]:
    shown = []
    for check in checks:
        system = _system(check["config"])
        for prop in check["properties"]:
            kind = "witness" if prop.get("witness") else "counterexample"
            steps = prop.get(kind)
            if not steps:
                continue
            entry: dict[str, Any] = {"config": check["config"]["name"], "property": prop["id"], "kind": kind}
            try:
                if system is None:
                    raise ReplayError(f"configuration {check['config'].get('name')!r} cannot be built here")
                entry["path"] = fired_path(system, steps + (prop.get("cycle") or []))
            except ReplayError as error:
                entry["path"], entry["path_error"] = [], str(error)
            if with_svg:
                entry["diagrams"] = _path_svgs(entry["path"])
            shown.append(entry)
    return shown


def build(checks: Iterable[dict[str, Any]], conform: dict[str, Any] | None = None, *,
          with_svg: bool = True, base: str | None = None) -> dict[str, Any]:
    """The report object. ``with_svg`` runs Graphviz for the diagrams (when it is installed);
    ``base`` is the folder log paths are made relative to (default: the working directory)."""
    checks = list(checks)
    conform = _conform(conform, base or os.getcwd())
    return assemble(
        checks, conform,
        locations={"properties": copy.deepcopy(_property_locations())},
        machines=_machines(with_svg),
        counterexamples=_counterexamples(checks, with_svg),
        dead_transitions=_dead(checks),
        traceability=traceability(checks, conform),
    )
