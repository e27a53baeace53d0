"""Breadth-first exploration of any transition system into a graph of every reachable state.

Generic on purpose: it knows initial states, a successor function, and optional bounds. It keeps
a visited map (state -> index), each state's parent edge (so a shortest trace is rebuilt in
O(depth)), every edge as three parallel integer arrays, and interned edge labels. The order of
everything follows the successor function's order, so the same input gives the same graph and the
same counterexamples, byte for byte. A search cut short by a bound says so in ``complete``.
"""

from __future__ import annotations

import time
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Generic, Hashable, Iterable, TypeVar

if TYPE_CHECKING:
    import networkx as nx  # imported where used: most checks never build a networkx graph


S = TypeVar("S", bound=Hashable)
L = TypeVar("L", bound=Hashable)


@dataclass
class Exploration(Generic[S, L]):
    """Everything a breadth-first search found."""

    states: list[S]
    parent: array
    via: array
    depth: array
    labels: list[L]
    sources: array
    targets: array
    edge_labels: array
    complete: bool
    stop_reason: str
    seconds: float
    _graph: nx.MultiDiGraph | None = field(default=None, repr=False)

    @property
    def transitions(self) -> int:
        return len(self.sources)

    @property
    def max_depth(self) -> int:
        return max(self.depth) if len(self.depth) else 0

    def trace(self, index: int) -> list[tuple[L | None, int]]:
        """The shortest path from an initial state to ``index``: (label taken, state) pairs;
        the first pair has no label."""
        path = []
        while index >= 0:
            label = self.labels[self.via[index]] if self.parent[index] >= 0 else None
            path.append((label, index))
            index = self.parent[index]
        path.reverse()
        return path

    def edges(self) -> Iterable[tuple[int, int, int]]:
        """(source, label index, target) for every transition, in discovery order."""
        return zip(self.sources, self.edge_labels, self.targets)

    def graph(self) -> nx.MultiDiGraph:
        """The explored graph as a networkx MultiDiGraph; edges carry ``label`` (an index into
        ``labels``). Built once, on first use."""
        if self._graph is None:
            import networkx as nx

            graph = nx.MultiDiGraph()
            graph.add_nodes_from(range(len(self.states)))
            graph.add_edges_from((s, t, {"label": lab}) for s, lab, t in self.edges())
            self._graph = graph
        return self._graph


def explore(
    initial: Iterable[S],
    successors: Callable[[S], Iterable[tuple[L, S]]],
    *,
    max_states: int | None = None,
    max_depth: int | None = None,
    progress: Callable[[int, int, int, int], None] | None = None,
    progress_every: int = 20000,
) -> Exploration[S, L]:
    """Explore every state reachable from ``initial`` breadth first, within the bounds."""
    started = time.perf_counter()
    index: dict[S, int] = {}
    states: list[S] = []
    parent, via, depth = array("q"), array("q"), array("l")
    labels: list[L] = []
    label_index: dict[L, int] = {}
    sources, targets, edge_labels = array("q"), array("q"), array("q")
    complete, stop_reason = True, ""

    for state in initial:
        if state not in index:
            index[state] = len(states)
            states.append(state)
            parent.append(-1)
            via.append(-1)
            depth.append(0)

    head = 0
    while head < len(states):
        current = states[head]
        level = depth[head]
        if max_depth is not None and level >= max_depth:
            complete, stop_reason = False, f"depth bound {max_depth} reached"
            break
        for label, nxt in successors(current):
            lab = label_index.get(label)
            if lab is None:
                lab = label_index[label] = len(labels)
                labels.append(label)
            target = index.get(nxt)
            if target is None:
                if max_states is not None and len(states) >= max_states:
                    complete, stop_reason = False, f"state bound {max_states} reached"
                    break
                target = index[nxt] = len(states)
                states.append(nxt)
                parent.append(head)
                via.append(lab)
                depth.append(level + 1)
            sources.append(head)
            targets.append(target)
            edge_labels.append(lab)
        if not complete:
            break
        head += 1
        if progress is not None and head % progress_every == 0:
            progress(len(states), len(sources), len(states) - head, level)

    return Exploration(
        states=states, parent=parent, via=via, depth=depth, labels=labels, sources=sources,
        targets=targets, edge_labels=edge_labels, complete=complete, stop_reason=stop_reason,
        seconds=time.perf_counter() - started,
    )
