"""The explored system graph as a picture a reviewer can read, or a summary when it cannot be.

(Drawing the ``Picture`` as DOT or Mermaid is ``reports.system_graph``.)

Small configurations are drawn whole. A bigger one is projected onto one component (a requester,
a volume, a node, ...): the quotient graph of the partition of the states by that component's
control state (or, with ``detail="local"``, its whole local record), whose edges are the calls
that move the component from one block to another. The quotient is computed straight from the
exploration's edge arrays, which is what ``networkx.quotient_graph`` computes on the graph (the
tests check they agree) without building a million-edge graph object. Above ``limit`` nodes
nothing is drawn: ``summary`` says how big it is and what dominates it instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from shadowspec.model.explorer import Exploration
from shadowspec.model.system import Label, System

DEFAULT_LIMIT = 150


@dataclass
class Picture:
    """A small directed graph ready to draw: node labels, and edge labels with counts."""

    title: str
    nodes: dict[Any, str]
    edges: dict[tuple[Any, Any], Counter[str]]
    initial: Any = None
    notes: list[str] = field(default_factory=list)


class TooBig(Exception):
    """The picture would have more nodes than the limit; ``summary`` says what there is."""

    def __init__(self, summary: str) -> None:
        super().__init__(summary)
        self.summary = summary


def _differences(system: System, state: tuple[int, ...]) -> str:
    """A system state in words: the components that differ from their initial local state."""
    parts = []
    for i, component in enumerate(system.components):
        if state[i] == system.initial[i]:
            continue
        record = component.machine.record(state[i])
        initial = component.machine.record(system.initial[i])
        changed = [f"{k}={v}" for k, v in record.items() if k != "state" and initial[k] != v]
        parts.append(f"{component.name}={record['state']}" + (f" ({', '.join(changed)})" if changed else ""))
    return "; ".join(parts) or "initial"


def _call(label: Label) -> str:
    """An edge in a few words: who, which call (the control code for ClusterResourceControl), result."""
    call = dict(label.arguments).get("control", label.call)
    return f"{label.actor}: {call} → {label.result}"


def component_index(system: System, name: str) -> int:
    for i, component in enumerate(system.components):
        if component.name == name:
            return i
    names = ", ".join(c.name for c in system.components)
    raise KeyError(f"no component {name!r} in configuration {system.config.name!r}; components: {names}")


def summary(system: System, exploration: Exploration, limit: int, what: str) -> str:
    """Node and edge counts, the most connected states, and each component's control states."""
    degree = Counter(exploration.sources)
    degree.update(exploration.targets)
    lines = [f"{what}: {len(exploration.states):,} states and {exploration.transitions:,} transitions, "
             f"above the drawing limit of {limit} nodes, so it is summarised instead of drawn.",
             "Draw one component's view with --project COMPONENT (components: "
             + ", ".join(c.name for c in system.components) + "), or raise --max-nodes.",
             "most connected states:"]
    for index, edges in sorted(degree.items(), key=lambda item: (-item[1], item[0]))[:5]:
        lines.append(f"  {edges:,} edges: {_differences(system, exploration.states[index])}")
    lines.append("control states per component (number of states):")
    for i, component in enumerate(system.components):
        counts = Counter(component.machine.locals[state[i]][0] for state in exploration.states)
        shown = ", ".join(f"{name} {n:,}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"  {component.name}: {shown}")
    return "\n".join(lines) + "\n"


def whole(system: System, exploration: Exploration, limit: int = DEFAULT_LIMIT) -> Picture:
    """Every explored state and transition (raises TooBig above ``limit`` states)."""
    what = f"system graph of {system.config.name}"
    if len(exploration.states) > limit:
        raise TooBig(summary(system, exploration, limit, what))
    nodes = {i: _differences(system, state) for i, state in enumerate(exploration.states)}
    edges: dict[tuple[Any, Any], Counter[str]] = defaultdict(Counter)
    for source, label, target in exploration.edges():
        edges[(source, target)][_call(exploration.labels[label])] += 1
    return Picture(what, nodes, dict(edges), initial=0)


def block_of(system: System, component: int, detail: str) -> Any:
    """The function from a state to its block: the component's control state or local record."""
    machine = system.machines[component]
    if detail == "local":
        return lambda state: "; ".join(f"{k}={v}" for k, v in machine.record(state[component]).items())
    return lambda state: machine.locals[state[component]][0]


def projection(system: System, exploration: Exploration, name: str, detail: str = "state",
               limit: int = DEFAULT_LIMIT) -> Picture:
    """The quotient graph onto component ``name`` (raises KeyError for an unknown name, TooBig
    above ``limit`` blocks). Edges inside a block (the other components' steps and this
    component's calls that keep its state) are counted in a note, not drawn."""
    component = component_index(system, name)
    block = block_of(system, component, detail)
    blocks = [block(state) for state in exploration.states]
    what = f"{name} in {system.config.name} ({'local records' if detail == 'local' else 'control states'})"
    distinct = list(dict.fromkeys(blocks))
    if len(distinct) > limit:
        raise TooBig(f"{what}: {len(distinct):,} blocks, above the drawing limit of {limit} nodes; "
                     f"use --detail state or raise --max-nodes.\n")
    edges: dict[tuple[Any, Any], Counter[str]] = defaultdict(Counter)
    inside = 0
    for source, label, target in exploration.edges():
        a, b = blocks[source], blocks[target]
        if a == b:
            inside += 1
            continue
        edges[(a, b)][_call(exploration.labels[label])] += 1
    notes = [f"{inside:,} of {exploration.transitions:,} transitions stay inside a block (not drawn)"]
    return Picture(what, {b: str(b) for b in distinct}, dict(edges), initial=blocks[0], notes=notes)


def networkx_quotient(system: System, exploration: Exploration, name: str, detail: str = "state") -> nx.DiGraph:
    """The same quotient through ``networkx.quotient_graph`` (for the tests; slow on big graphs)."""
    block = block_of(system, component_index(system, name), detail)
    graph = nx.DiGraph(exploration.graph())
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    partition: dict[Any, set[int]] = defaultdict(set)
    for index, state in enumerate(exploration.states):
        partition[block(state)].add(index)
    quotient = nx.quotient_graph(graph, list(partition.values()), relabel=False)
    names = {frozenset(members): key for key, members in partition.items()}
    return nx.relabel_nodes(quotient, names)
