"""Decide every property on a finished exploration, with the shortest counterexample.

Safety properties are decided by scanning states or edges in breadth-first order, so the first
violation found has a shortest trace. Path properties (``precedes``, ``once``, ``witness``) search
a product of the graph with the milestones reached so far. Liveness (``leads_to``) is decided on
the graph with networkx under this fairness assumption, printed with every result:

    FAIRNESS: the VSS service, the cluster and the timers are strongly fair (a step of theirs
    that is enabled again and again is eventually taken); programs may stop calling at any point;
    faults (crashes, failures, backup detection) may or may not happen.

So ``p`` leads to ``q`` fails exactly when, from a reachable ``p``-state, the system can reach
without passing a ``q``-state an attracting component of the fair-steps graph that has no
``q``-state: there the programs have stopped and the service runs on forever without ``q``.
A search cut short by a bound never reports "holds".

Two ways to compute the same verdicts: ``Graph(reference=True)`` loops over states and edges and
runs networkx (the reference); the default tabulates the predicates over every state at once
(``checks/tabulate.py``), takes the attracting components from ``scipy.sparse.csgraph`` once per
graph, and remembers milestone matches per label. ``tests/checks/test_packed_deciders.py``
requires the same verdicts, counterexamples, lassos and applied counts from both.
"""

from __future__ import annotations

from array import array as array_type
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    import networkx as nx  # imported where used: most checks never build a networkx graph


from shadowspec.model.explorer import Exploration
from shadowspec.model.system import Label, System

from .property import Property
from .view import View

FAIRNESS = ("the VSS service, the cluster and the timers are strongly fair; programs may stop "
            "calling at any point; faults (crashes, failures, backup detection) may or may not happen")

HOLDS, VIOLATED, NOT_EXERCISED, VACUOUS, UNKNOWN = (
    "holds", "violated", "not exercised", "vacuous", "no violation within bound")

Trace = list[tuple[int, int]]
"""A path as (label index or -1, state index) pairs, starting at an initial state."""


@dataclass
class Verdict:
    """The outcome of one property on one exploration."""

    property: Property
    verdict: str
    reason: str = ""
    trace: Trace = field(default_factory=list)
    cycle: Trace = field(default_factory=list)
    applied: int = 0

    @property
    def as_expected(self) -> bool:
        if self.verdict == NOT_EXERCISED:
            return True
        if self.property.expects_violation:
            return self.verdict == VIOLATED
        return self.verdict == HOLDS


def _numpy(values: Any) -> Any:
    """A zero-copy numpy view of an ``array.array`` of indices in its own item type (the packed
    explorer stores int32 edges when they fit; the generic one int64)."""
    import numpy as np

    if not len(values):
        return np.zeros(0, np.int64)
    return np.frombuffer(values, dtype=values.typecode) if hasattr(values, "typecode") else np.asarray(values)


class Graph:
    """Adjacency of an exploration in compressed form, with views on demand.

    ``reference``: decide liveness with networkx (the reference the tests compare with);
    otherwise the fair-steps graph's attracting components come from ``scipy.sparse.csgraph`` on
    a compressed sparse graph, computed once for every liveness property."""

    def __init__(self, system: System, exploration: Exploration, reference: bool = False) -> None:
        self.system = system
        self.x = exploration
        self.reference = reference
        self._attracting: tuple[Any, Any] | None = None
        self._tabulator: Any = None
        self._edges: tuple[Any, Any, Any] | None = None
        import numpy as np

        n = len(exploration.states)
        sources = _numpy(exploration.sources)
        counts = np.bincount(sources, minlength=n) if n else np.zeros(0, np.int64)
        # edges are recorded grouped by source, in BFS order; a numpy array, not a list of ints
        # (36 bytes a state as Python ints)
        self.offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])

    def tabulator(self) -> Any:
        """Predicates on every state at once (``checks/tabulate.py``), built once."""
        if self._tabulator is None:
            from .tabulate import Tabulator
            self._tabulator = Tabulator(self.system, self.x.states)
        return self._tabulator

    def edge_arrays(self) -> tuple[Any, Any, Any]:
        """(sources, label indices, targets) as numpy views of the exploration's arrays (int32
        where the packed explorer stored them so, else int64): index with them, and widen before
        multiplying."""
        if self._edges is None:
            x = self.x
            self._edges = tuple(_numpy(a) for a in (x.sources, x.edge_labels, x.targets))  # type: ignore[assignment]
        return self._edges  # type: ignore[return-value]

    def view(self, index: int) -> View:
        return View(self.system, self.x.states[index])

    def label(self, index: int) -> Label:
        return self.x.labels[index]

    def out(self, state: int) -> Iterable[tuple[int, int, int]]:
        """(edge index, label index, target) of the edges leaving ``state``."""
        x = self.x
        for e in range(int(self.offsets[state]), int(self.offsets[state + 1])):
            yield e, x.edge_labels[e], x.targets[e]

    def attracting(self) -> tuple[Any, Any]:
        """(component of each state, whether each component is attracting) in the graph of the
        fair (``service``) steps: strongly connected components no fair step leaves."""
        if self._attracting is None:
            import numpy as np
            from scipy.sparse import csr_matrix
            from scipy.sparse.csgraph import connected_components

            x, n = self.x, len(self.x.states)
            fair_label = np.array([label.kind == "service" for label in x.labels] + [False], dtype=bool)
            sources, targets, labels = _numpy(x.sources), _numpy(x.targets), _numpy(x.edge_labels)
            fair = fair_label[labels]
            s, t = sources[fair], targets[fair]
            matrix = csr_matrix((np.ones(len(s), dtype=np.int8), (s, t)), shape=(n, n))
            _, component = connected_components(matrix, directed=True, connection="strong")
            attracting = np.ones(int(component.max()) + 1 if n else 0, dtype=bool)
            leaving = component[s] != component[t]
            attracting[component[s[leaving]]] = False
            self._attracting = (component, attracting)
        return self._attracting

    def tree_trace(self, state: int) -> Trace:
        return [(-1 if label is None else self.x.via[i], i) for label, i in self.x.trace(state)]


def decide(prop: Property, graph: Graph) -> Verdict:
    """The verdict of ``prop``; NOT_EXERCISED when the configuration cannot exercise it."""
    reason = prop.needs(graph.system.config)
    if reason:
        return Verdict(prop, NOT_EXERCISED, reason)
    decider = _DECIDERS[prop.kind]
    verdict = decider(prop, graph)
    if verdict.verdict == HOLDS and not graph.x.complete:
        verdict.verdict = UNKNOWN
        verdict.reason = f"search incomplete ({graph.x.stop_reason})"
    elif verdict.verdict == VIOLATED and prop.kind == "leads_to" and not graph.x.complete:
        # The unexpanded states of a cut-short search have no successors in the graph, so they
        # look like dead ends where "no fair step is enabled": a lasso found there is not a
        # counterexample. Undecided, as a safety property without a violation is.
        verdict = Verdict(prop, UNKNOWN, f"search incomplete ({graph.x.stop_reason}); a liveness "
                          "counterexample needs the complete graph", applied=verdict.applied)
    if verdict.verdict == HOLDS and verdict.applied == 0 and prop.kind != "witness":
        verdict.verdict = VACUOUS
        verdict.reason = "no reachable state or transition where it applies"
    return verdict


def _local(prop: Property, graph: Graph) -> Verdict:
    system = graph.system
    components = [i for i, c in enumerate(system.components) if c.kind == prop.machine]
    if not components:
        return Verdict(prop, NOT_EXERCISED, f"the configuration has no {prop.machine}")
    machine = system.components[components[0]].machine
    seen: set[int] = set()
    for state in graph.x.states:
        for c in components:
            seen.add(state[c])
    applies = prop.applies or (lambda record: True)
    applied, bad = 0, set()
    for local in sorted(seen):
        record = machine.record(local)
        if applies(record):
            applied += 1
            if not prop.check(record):  # type: ignore[misc]
                bad.add(local)
    if bad:
        for i, state in enumerate(graph.x.states):
            if any(state[c] in bad for c in components):
                return Verdict(prop, VIOLATED, trace=graph.tree_trace(i), applied=applied)
    return Verdict(prop, HOLDS, applied=applied)


def _state(prop: Property, graph: Graph) -> Verdict:
    if not graph.reference:
        return _state_tabulated(prop, graph)
    applies = prop.applies or (lambda view: True)
    applied = 0
    for i in range(len(graph.x.states)):
        view = graph.view(i)
        if applies(view):
            applied += 1
            if not prop.check(view):  # type: ignore[misc]
                return Verdict(prop, VIOLATED, trace=graph.tree_trace(i), applied=applied)
    return Verdict(prop, HOLDS, applied=applied)


def _state_tabulated(prop: Property, graph: Graph) -> Verdict:
    import numpy as np

    tab = graph.tabulator()
    n = len(graph.x.states)
    applies = tab.states(prop.applies) if prop.applies else np.ones(n, dtype=bool)
    where = np.flatnonzero(applies)
    ok = tab.values(lambda view: bool(prop.check(view)), [where]).astype(bool)  # type: ignore[misc]
    bad = np.flatnonzero(~ok)
    if len(bad):
        return Verdict(prop, VIOLATED, trace=graph.tree_trace(int(where[bad[0]])), applied=int(bad[0]) + 1)
    return Verdict(prop, HOLDS, applied=len(where))


def _edge_tabulated(prop: Property, graph: Graph, relevant: list[bool]) -> Verdict:
    import numpy as np

    x = graph.x
    sources, labels, targets = graph.edge_arrays()
    chosen = np.flatnonzero(np.array(relevant + [False], dtype=bool)[labels])
    ok = graph.tabulator().values(lambda label, before, after: bool(prop.check(label, before, after)),  # type: ignore[misc]
                                  [sources[chosen], targets[chosen]], extra=labels[chosen],
                                  label=lambda i: x.labels[i]).astype(bool)
    bad = np.flatnonzero(~ok)
    if len(bad):
        e = int(chosen[bad[0]])
        return Verdict(prop, VIOLATED, trace=graph.tree_trace(int(sources[e])) + [(int(labels[e]), int(targets[e]))],
                       applied=int(bad[0]) + 1)
    return Verdict(prop, HOLDS, applied=len(chosen))


def _edge(prop: Property, graph: Graph) -> Verdict:
    x = graph.x
    relevant = [prop.applies(label) if prop.applies else True for label in x.labels]
    if not graph.reference:
        return _edge_tabulated(prop, graph, relevant)
    applied = 0
    for e, (s, lab, t) in enumerate(x.edges()):
        if not relevant[lab]:
            continue
        applied += 1
        if not prop.check(x.labels[lab], graph.view(s), graph.view(t)):  # type: ignore[misc]
            return Verdict(prop, VIOLATED, trace=graph.tree_trace(s) + [(lab, t)], applied=applied)
    return Verdict(prop, HOLDS, applied=applied)


def _milestone_search(graph: Graph, milestones: list[Callable[[Label, View], bool]],
                      skip: Callable[[Label], bool] | None = None) -> Trace | None:
    """Shortest path passing the milestones in order (an edge matching the current milestone
    advances the stage), avoiding edges for which ``skip`` holds. Returns it, or None."""
    x = graph.x
    goal = len(milestones)
    skipped: list[bool] | None = None
    if not graph.reference:
        found = _milestone_levels(graph, milestones, skip)
        if found is not False:
            return found  # type: ignore[return-value]
        milestones = [_label_memo(graph, m) for m in milestones]
        if skip is not None:
            skipped = [skip(label) for label in x.labels]
            skip = None
    start = [(i, 0) for i in range(len(x.states)) if x.parent[i] < 0]
    parent: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {s: None for s in start}
    queue = deque(start)
    while queue:
        node = queue.popleft()
        state, stage = node
        for _, lab, target in graph.out(state):
            label = x.labels[lab]
            if skip is not None and skip(label):
                continue
            if not graph.reference:
                if skipped is not None and skipped[lab]:
                    continue
                nxt_stage = stage + 1 if milestones[stage](lab, state) else stage
            else:
                nxt_stage = stage + 1 if milestones[stage](label, graph.view(state)) else stage
            nxt = (target, nxt_stage)
            if nxt in parent:
                continue
            parent[nxt] = (node, lab)
            if nxt_stage == goal:
                path: Trace = []
                cursor: tuple[int, int] | None = nxt
                while cursor is not None:
                    link = parent[cursor]
                    path.append((link[1] if link else -1, cursor[0]))
                    cursor = link[0] if link else None
                path.reverse()
                return path
            queue.append(nxt)
    return None


def distinct_keys(key: Any, bound: int) -> Any:
    from .tabulate import distinct

    return distinct(key, bound)


def _milestone_levels(graph: Graph, milestones: list[Callable[[Label, Any], bool]],
                      skip: Callable[[Label], bool] | None) -> Trace | None | bool:
    """``_milestone_search`` a level at a time with numpy: a milestone that depends on the label
    alone is a table; where it looks at the state, it is tabulated over that level's edges
    (``checks/tabulate.py``). The same first discoveries, so the same path; False when there is
    nothing to search."""
    import numpy as np

    x = graph.x
    goal, count = len(milestones), len(x.labels)
    if not len(x.states) or not count:
        return False
    advance = np.zeros((goal, count), dtype=np.int64)
    for k, matcher in enumerate(milestones):
        for lab, label in enumerate(x.labels):
            probe = _Probe(graph, 0)
            advance[k, lab] = bool(matcher(label, probe))
            if probe.touched:  # this label's match depends on the state: tabulated per level
                advance[k, lab] = -1
    tab = graph.tabulator()
    sources, labels, targets = graph.edge_arrays()
    offsets = np.asarray(graph.offsets, dtype=np.int64)
    keep = None if skip is None else ~np.array([bool(skip(label)) for label in x.labels], dtype=bool)
    width = goal + 1
    n = len(x.states)
    seen = np.zeros(n * width, dtype=bool)
    parent = np.full(n * width, -1, dtype=np.int64)
    via = np.full(n * width, -1, dtype=np.int64)
    states = np.flatnonzero(np.frombuffer(x.parent, dtype=np.int64) < 0) if isinstance(x.parent, array_type) \
        else np.array([i for i in range(n) if x.parent[i] < 0], dtype=np.int64)
    stages = np.zeros(len(states), dtype=np.int64)
    seen[states * width] = True
    while len(states):
        counts = offsets[states + 1] - offsets[states]
        total = int(counts.sum())
        if not total:
            return None
        excl = np.cumsum(counts) - counts
        edges = np.repeat(offsets[states] - excl, counts) + np.arange(total, dtype=np.int64)
        owner = np.repeat(np.arange(len(states), dtype=np.int64), counts)
        if keep is not None:
            kept = keep[labels[edges]]
            edges, owner = edges[kept], owner[kept]
        lab = labels[edges]
        current = stages[owner]
        step = advance[current, lab]
        depends = np.flatnonzero(step < 0)
        for k in np.unique(current[depends]).tolist():
            chosen = depends[current[depends] == k]
            step[chosen] = tab.values(lambda label, view, m=milestones[k]: bool(m(label, view)),
                                      [sources[edges[chosen]]], extra=lab[chosen],
                                      label=lambda i: x.labels[i], memo=("milestone", milestones[k])).astype(bool)
        stage = current + step
        ids = targets[edges].astype(np.int64) * width + stage
        first, _ = distinct_keys(ids, n * width)
        distinct = ids[first]
        fresh = ~seen[distinct]
        distinct, first = distinct[fresh], first[fresh]
        ranked = np.argsort(first, kind="stable")
        distinct, first = distinct[ranked], first[ranked]
        seen[distinct] = True
        parent[distinct] = states[owner[first]] * width + stages[owner[first]]
        via[distinct] = lab[first]
        at_goal = np.flatnonzero(distinct % width == goal)
        if len(at_goal):
            node = int(distinct[at_goal[0]])
            path: Trace = []
            while node >= 0:
                path.append((int(via[node]), node // width))
                node = int(parent[node])
            path.reverse()
            return path
        states, stages = distinct // width, distinct % width
    return None


class _Probe:
    """A view that notes whether a matcher looked at the state at all."""

    __slots__ = ("graph", "state", "touched")

    def __init__(self, graph: Graph, state: int) -> None:
        self.graph, self.state, self.touched = graph, state, False

    def __getattr__(self, name: str) -> Any:
        self.touched = True
        return getattr(self.graph.view(self.state), name)


def _label_memo(graph: Graph, matcher: Callable[[Label, Any], bool]) -> Callable[[int, int], bool]:
    """``matcher`` on (label index, state index), remembered per label when it ignores the state."""
    known: dict[int, bool] = {}
    labels = graph.x.labels

    def match(lab: int, state: int) -> bool:
        found = known.get(lab)
        if found is not None:
            return found
        probe = _Probe(graph, state)
        result = bool(matcher(labels[lab], probe))
        if not probe.touched:
            known[lab] = result
        return result
    return match


def _per_actor(prop: Property, graph: Graph) -> list[int]:
    return list(graph.system.requester) or [0]


def _precedes(prop: Property, graph: Graph) -> Verdict:
    *required, then = prop.milestones
    applied = 0
    for r in _per_actor(prop, graph):
        final = _bind(then, r)
        applied += sum(1 for label in graph.x.labels if final(label, None))
        for need in required:
            bound_need = _bind(need, r)
            path = _milestone_search(graph, [lambda label, view, f=final: f(label, view)],
                                     skip=lambda label, n=bound_need: n(label, None))
            if path is not None:
                return Verdict(prop, VIOLATED, trace=path, applied=applied)
    return Verdict(prop, HOLDS, applied=applied)


def _once(prop: Property, graph: Graph) -> Verdict:
    (event,) = prop.milestones
    applied = 0
    for r in _per_actor(prop, graph):
        bound = _bind(event, r)
        applied += sum(1 for label in graph.x.labels if bound(label, None))
        path = _milestone_search(graph, [bound, bound])
        if path is not None:
            return Verdict(prop, VIOLATED, trace=path, applied=applied)
    return Verdict(prop, HOLDS, applied=applied)


def _witness(prop: Property, graph: Graph) -> Verdict:
    milestones = [_bind(m, 1) for m in prop.milestones]
    path = _milestone_search(graph, milestones)
    if path is None:
        reason = "not reachable" if graph.x.complete else f"not reached ({graph.x.stop_reason})"
        return Verdict(prop, VIOLATED, reason)
    return Verdict(prop, HOLDS, trace=path, applied=1)


def _bind(matcher: Callable[..., bool], r: int) -> Callable[[Label, Any], bool]:
    return lambda label, view: matcher(label, view, r)


def _leads_to(prop: Property, graph: Graph) -> Verdict:
    x = graph.x
    n = len(x.states)
    if graph.reference:
        views = [graph.view(i) for i in range(n)]
        q = [bool(prop.q(v)) for v in views]  # type: ignore[misc]
        p = [bool(prop.p(v)) and not q[i] for i, v in enumerate(views)]  # type: ignore[misc]
    else:
        tab = graph.tabulator()
        q_np = tab.states(prop.q)  # type: ignore[arg-type]
        q = q_np.tolist()
        p = (tab.states(prop.p) & ~q_np).tolist()  # type: ignore[arg-type]
    applied = sum(p)
    if applied == 0:
        return Verdict(prop, HOLDS, applied=0)
    bad: set[int] = set()
    if graph.reference:
        import networkx as nx

        fair = nx.DiGraph()
        fair.add_nodes_from(range(n))
        fair.add_edges_from((s, t) for s, lab, t in x.edges() if x.labels[lab].kind == "service")
        for component in nx.attracting_components(fair):
            if not any(q[i] for i in component):
                bad.update(component)
    else:
        import numpy as np

        component, attracting = graph.attracting()
        with_q = np.zeros(len(attracting), dtype=bool)
        with_q[component[np.array(q, dtype=bool)]] = True
        bad = set(np.flatnonzero(attracting[component] & ~with_q[component]).tolist())
    if not bad:
        return Verdict(prop, HOLDS, applied=applied)
    # shortest route from a p-state, through not-q states, into a bad component
    parent: dict[int, tuple[int, int] | None] = {}
    queue = deque()
    for i in range(n):  # BFS order: the first p-states are the shallowest
        if p[i]:
            parent[i] = None
            queue.append(i)
    hit = -1
    while queue:
        s = queue.popleft()
        if s in bad:
            hit = s
            break
        for _, lab, t in graph.out(s):
            if not q[t] and t not in parent:
                parent[t] = (s, lab)
                queue.append(t)
    if hit < 0:
        return Verdict(prop, HOLDS, applied=applied)
    tail: Trace = []
    cursor = hit
    while parent[cursor] is not None:
        s, lab = parent[cursor]  # type: ignore[misc]
        tail.append((lab, cursor))
        cursor = s
    tail.reverse()
    prefix = graph.tree_trace(cursor) + tail
    return Verdict(prop, VIOLATED, trace=prefix, cycle=_cycle(graph, hit, bad), applied=applied)


def _cycle(graph: Graph, start: int, component: set[int]) -> Trace:
    """A cycle of fair steps through ``start`` inside its attracting component ([] = stutter)."""
    x = graph.x
    successors = [t for _, lab, t in graph.out(start) if x.labels[lab].kind == "service" and t in component]
    if not successors:
        return []
    parent: dict[int, tuple[int, int]] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        s = queue.popleft()
        for _, lab, t in graph.out(s):
            if x.labels[lab].kind != "service" or t not in component:
                continue
            if t == start:
                path = [(lab, t)]
                cursor = s
                while cursor != start:
                    prev, plab = parent[cursor]
                    path.append((plab, cursor))
                    cursor = prev
                path.reverse()
                return path
            if t not in seen:
                seen.add(t)
                parent[t] = (s, lab)
                queue.append(t)
    return []


_DECIDERS: dict[str, Callable[[Property, Graph], Verdict]] = {
    "local": _local, "state": _state, "edge": _edge, "precedes": _precedes, "once": _once,
    "leads_to": _leads_to, "witness": _witness,
}
