"""The generic explorer on systems small enough to count by hand.

Every verdict rests on the explorer finding every reachable state and edge, on its traces being
shortest, on its order being the successor function's (so reports are reproducible byte for
byte), and on a bound never passing for a finished search. A counter modulo n with two actions,
``inc`` (+1) and ``add2`` (+2), has all of these worked out below.
"""

from __future__ import annotations

import networkx as nx
import pytest

from shadowspec.model.config import Config
from shadowspec.model.explorer import Exploration, explore
from shadowspec.model.system import System


def counter(n: int):
    """Successors of the counter modulo n: inc, then add2 (the declaration order)."""
    def successors(x: int):
        yield "inc", (x + 1) % n
        yield "add2", (x + 2) % n
    return successors


def path(x: Exploration, index: int) -> list[tuple[str | None, int]]:
    """A trace as (label, state value) pairs."""
    return [(label, x.states[i]) for label, i in x.trace(index)]


def test_counts_order_and_depths_of_a_counter_mod_5() -> None:
    x = explore([0], counter(5))
    assert x.complete and x.stop_reason == ""
    # BFS from 0: level 1 = {1, 2}; level 2 = {3 (via 1), 4 (via 2)}
    assert x.states == [0, 1, 2, 3, 4]
    assert list(x.depth) == [0, 1, 1, 2, 2]
    assert x.max_depth == 2
    assert list(x.parent) == [-1, 0, 0, 1, 2]
    assert x.transitions == 10  # two actions from each of the five states
    assert x.labels == ["inc", "add2"]  # interned once each, in order of first use
    assert list(x.edges())[:4] == [(0, 0, 1), (0, 1, 2), (1, 0, 2), (1, 1, 3)]
    assert sorted((x.states[s], x.labels[lab], x.states[t]) for s, lab, t in x.edges()) == sorted(
        (v, name, (v + step) % 5) for v in range(5) for name, step in (("inc", 1), ("add2", 2)))


def test_traces_are_shortest_and_break_ties_by_discovery_order() -> None:
    x = explore([0], counter(5))
    assert path(x, 0) == [(None, 0)]
    assert path(x, x.states.index(2)) == [(None, 0), ("add2", 2)]
    # 3 is reached first from 1 (expanded before 2): 0 -inc-> 1 -add2-> 3, not 0 -add2-> 2 -inc-> 3
    assert path(x, x.states.index(3)) == [(None, 0), ("inc", 1), ("add2", 3)]
    assert path(x, x.states.index(4)) == [(None, 0), ("add2", 2), ("add2", 4)]
    for i in range(len(x.states)):
        assert len(x.trace(i)) == x.depth[i] + 1
        assert len(x.trace(i)) - 1 == nx.shortest_path_length(x.graph(), 0, i)


def test_several_and_repeated_initial_states() -> None:
    x = explore([0, 3, 0], counter(5))
    assert x.states[:2] == [0, 3] and len(x.states) == 5
    assert list(x.parent[:2]) == [-1, -1] and list(x.depth[:2]) == [0, 0]
    assert path(x, 1) == [(None, 3)]
    assert x.max_depth == 1  # everything is one step from 0 or 3


def test_same_input_same_exploration() -> None:
    runs = [explore([0], counter(7)) for _ in range(2)]
    a, b = runs
    assert a.states == b.states and a.labels == b.labels
    for field in ("parent", "via", "depth", "sources", "targets", "edge_labels"):
        assert list(getattr(a, field)) == list(getattr(b, field)), field


def test_same_system_same_exploration() -> None:
    """Determinism holds for the composed system too (a fresh System each time)."""
    config = Config(requesters=0, nodes=2, volumes=1)
    a, b = (explore([s.initial], s.successors) for s in (System(config), System(config)))
    assert a.complete and b.complete
    assert a.states == b.states and a.labels == b.labels
    assert list(a.edges()) == list(b.edges())


def test_state_bound_stops_the_search_and_says_so() -> None:
    x = explore([0], counter(5), max_states=3)
    assert not x.complete
    assert "state bound 3" in x.stop_reason
    assert x.states == [0, 1, 2]
    # no edge leads to a state that was not kept
    assert all(t < len(x.states) for t in x.targets)


def test_a_state_bound_that_is_not_reached_keeps_the_search_complete() -> None:
    x = explore([0], counter(5), max_states=5)
    assert x.complete and x.stop_reason == "" and len(x.states) == 5 and x.transitions == 10


def test_depth_bound_stops_the_search_and_says_so() -> None:
    x = explore([0], counter(5), max_depth=1)
    assert not x.complete
    assert "depth bound 1" in x.stop_reason
    assert x.states == [0, 1, 2]
    assert x.transitions == 2  # only the initial state was expanded
    deep_enough = explore([0], counter(5), max_depth=3)
    assert deep_enough.complete and len(deep_enough.states) == 5


def test_depth_bound_at_the_last_level_is_incomplete() -> None:
    """States at the bound are not expanded, so their edges are unknown: never 'complete'."""
    x = explore([0], counter(5), max_depth=2)
    assert len(x.states) == 5
    assert not x.complete and x.transitions < 10


def test_graph_is_a_multidigraph_of_the_right_size() -> None:
    x = explore([0], counter(2))  # add2 is a self-loop: 0 -> 0 and 1 -> 1
    graph = x.graph()
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == 2
    assert graph.number_of_edges() == x.transitions == 4
    assert graph.number_of_edges(0, 0) == 1 and graph.number_of_edges(0, 1) == 1
    assert sorted(x.labels[d["label"]] for _, _, d in graph.edges(data=True)) == ["add2", "add2", "inc", "inc"]
    assert x.graph() is graph  # built once

    parallel = explore([0], counter(1)).graph()  # both actions are the same self-loop
    assert parallel.number_of_nodes() == 1 and parallel.number_of_edges(0, 0) == 2


def test_progress_is_reported_every_n_states() -> None:
    calls: list[tuple[int, int, int, int]] = []
    x = explore([0], counter(5), progress=lambda *counts: calls.append(counts), progress_every=2)
    assert len(calls) == 2  # after the 2nd and the 4th expanded state
    assert all(states <= len(x.states) and edges <= x.transitions for states, edges, _, _ in calls)
    assert [edges for _, edges, _, _ in calls] == [4, 8]


@pytest.mark.parametrize("n", [1, 3, 10])
def test_every_residue_is_found(n: int) -> None:
    x = explore([0], counter(n))
    assert sorted(x.states) == list(range(n))
    assert x.transitions == 2 * n
