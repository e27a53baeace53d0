"""Breadth-first exploration of a ``VssSpace`` into the generic explorer's ``Exploration``.

The deciders (``checks/decide.py``), the traces and the reports read an ``Exploration``: state
tuples, parent edges, every edge with its label. This explorer computes it a frontier at a time
with the space's vectorised ``expand`` and keeps every edge; discovery order is exactly the
generic explorer's (edges are ranked by source, then in ``System.successors`` order), so the
same configuration gives the same indices, the same graph and the same counterexamples.

A state of W > 1 words is a row of an (n, W) array (``model/words.py``): the same steps with
hashed rows for the sorts and lookups; one-word states keep the flat arrays and packed sort keys.

``from_packed`` turns what the other engines found (``PackedExploration``: states, parents, no
edges; processes, Ray, checkpoints) into the same ``Exploration`` by expanding the stored states
once more in this process.
"""

from __future__ import annotations

import time
from array import array
from typing import Callable

import numpy as np

from .explorer import Exploration
from .frontier import _first_discoveries, _in_discovery_order
from .hashset import HashSet
from .packed_space import PackedExploration
from .packed_system import VssSpace, Widen
from .words import RowIndex, empty, first_rows
from .words import width as width_of

U64 = np.uint64
CHUNK = 1 << 15


def _array(values: np.ndarray, code: str = "q") -> array:
    out = array(code)
    out.frombytes(np.ascontiguousarray(values, dtype=np.int64 if code == "q" else np.int32).tobytes())
    return out


def _index_code(n: int) -> str:
    """The ``array`` type of indices below ``n``: int32 (``i``) when they fit, else int64. The
    edges are most of what a check keeps (17 a state in ``default``): 12 bytes an edge saved."""
    return "i" if n < 1 << 31 else "q"


def _expand_all(space: VssSpace, frontier: np.ndarray, chunk: int = CHUNK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts = []
    for start in range(0, len(frontier), chunk):
        source, action, target = space.expand(frontier[start:start + chunk])
        parts.append((source + start, action, target))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int32), empty(space.words)
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


def _finish(space: VssSpace, states: np.ndarray, parent: np.ndarray, via: np.ndarray, depth: np.ndarray,
            sources: np.ndarray, actions: np.ndarray, targets: np.ndarray, complete: bool,
            stop_reason: str, seconds: float) -> Exploration:
    if states.ndim == 2:  # rows: a hash index of the states
        target_index = _index_of(states, targets)
        known = target_index >= 0
        if not known.all():  # a bound cut the search: edges to states never stored are dropped
            sources, actions, target_index = sources[known], actions[known], target_index[known]
    else:
        order = np.argsort(states, kind="stable")
        ordered = states[order]
        where = np.searchsorted(ordered, targets)
        where = np.minimum(where, len(ordered) - 1)
        known = ordered[where] == targets
        if not known.all():  # a bound cut the search: edges to states never stored are dropped
            sources, actions, where = sources[known], actions[known], where[known]
        target_index = order[where]
    x = Exploration(
        states=space.decode(states), parent=_array(parent), via=_array(via), depth=array("l", depth.tolist()),
        labels=list(space.labels.items), sources=_array(sources, _index_code(len(states))),
        targets=_array(target_index, _index_code(len(states))), edge_labels=_array(actions, "i"),
        complete=complete, stop_reason=stop_reason, seconds=seconds)
    return x


def _index_of(states: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """The index in ``states`` (distinct) of each query state, -1 where it is not stored."""
    if states.ndim == 2:
        return RowIndex(states).lookup(queries)
    order = np.argsort(states, kind="stable")
    ordered = states[order]
    where = np.minimum(np.searchsorted(ordered, queries), max(len(ordered) - 1, 0))
    if not len(ordered):
        return np.full(len(queries), -1, np.int64)
    return np.where(ordered[where] == queries, order[where], -1)


def explore_vss(space: VssSpace, *, max_states: int | None = None, max_depth: int | None = None,
                time_limit: float | None = None,
                progress: Callable[[int, int, int, int], None] | None = None,
                progress_every: float = 0.5) -> Exploration:
    """Every state reachable in ``space`` within the bounds, with every edge."""
    started = time.perf_counter()
    initial = space.initial()
    if max_states is not None:
        initial = initial[:max_states]
    states_parts = [initial]
    parent_parts = [np.full(len(initial), -1, np.int64)]
    via_parts = [np.full(len(initial), -1, np.int32)]
    level_sizes = [len(initial)]  # the depth of every state: levels are contiguous in discovery order
    src_parts, act_parts, tgt_parts = [], [], []
    visited = HashSet(words=space.words)
    visited.add_new(initial)
    count, transitions, depth, offset = len(initial), 0, 0, 0
    complete, stop_reason = True, ""
    frontier = initial
    last = started
    widenings = 0
    while len(frontier):
        if max_depth is not None and depth >= max_depth:
            complete, stop_reason = False, f"depth bound {max_depth} reached"
            break
        if time_limit is not None and time.perf_counter() - started >= time_limit:
            complete, stop_reason = False, f"time limit {time_limit:g} s reached"
            break
        while True:
            try:
                source, action, target = _expand_all(space, frontier)
                break
            except Widen as grown:  # re-encode everything stored, then expand the level again
                old = space.widen(grown.component)
                frontier = space.repack(frontier, old)
                states_parts = [space.repack(part, old) for part in states_parts]
                tgt_parts = [space.repack(part, old) for part in tgt_parts]
                visited = HashSet().rebuilt(0, states_parts)
                widenings += 1
        transitions += len(source)
        position = np.arange(len(source), dtype=np.int64)
        if target.ndim == 1:
            position_bits = max(int(len(source)).bit_length(), 1)
            new, first = _first_discoveries(target, position, space.bits, position_bits)
            fresh = ~visited.contains(new)
            new, first = _in_discovery_order(new[fresh], first[fresh], space.bits, position_bits)
        else:  # rows: deduplicated by hash, then put back in discovery order
            new, first = first_rows(target, position)
            fresh = ~visited.contains(new)
            new, first = new[fresh], first[fresh]
            ranked = np.argsort(first, kind="stable")
            new, first = new[ranked], first[ranked]
        if max_states is not None and count + len(new) > max_states:
            new, first = new[: max_states - count], first[: max_states - count]
            complete, stop_reason = False, f"state bound {max_states} reached"
        src_parts.append(source + offset)
        act_parts.append(action)
        tgt_parts.append(target)
        states_parts.append(new)
        parent_parts.append(source[first] + offset)
        via_parts.append(action[first])
        level_sizes.append(len(new))
        offset = count
        count += len(new)
        if visited.needs_room(len(new)):
            visited = visited.rebuilt(len(new), states_parts[:-1])
        visited.add_new(new)
        frontier = new
        depth += 1
        now = time.perf_counter()
        if progress is not None and now - last >= progress_every:
            last = now
            progress(count, transitions, len(frontier), depth)
        if not complete:
            break
    if progress is not None:
        progress(count, transitions, 0, depth)
    joined = [np.concatenate(p) for p in (states_parts, parent_parts, via_parts)]
    depth_of = np.repeat(np.arange(len(level_sizes), dtype=np.int64), level_sizes)
    edges = [np.concatenate(p) if p else np.zeros(0, dt)
             for p, dt in ((src_parts, np.int64), (act_parts, np.int32))]
    edges.append(np.concatenate(tgt_parts) if tgt_parts else empty(space.words))
    store = store_bytes(joined[0], joined[1], joined[2], visited, edges)
    del visited, states_parts, parent_parts, via_parts, src_parts, act_parts, tgt_parts
    exploration = _finish(space, joined[0].astype(U64), joined[1], joined[2], depth_of, *edges,
                          complete, stop_reason, time.perf_counter() - started)
    exploration.widenings = widenings  # type: ignore[attr-defined]
    exploration.store_bytes = store  # type: ignore[attr-defined]
    return exploration


def store_bytes(states: np.ndarray, parent: np.ndarray, via: np.ndarray, visited: HashSet,
                edges: list[np.ndarray]) -> dict[str, int]:
    """What the search itself held at its end, in bytes (``bench/packed_bench.py memory``
    divides by states): the state store (packed words, parent, discovering action, the visited
    index; depth costs nothing, levels being contiguous) and, apart, every edge kept for the
    deciders (source, action, target)."""
    return {"states": int(states.nbytes), "parent": int(parent.nbytes), "via": int(via.nbytes),
            "visited": int(visited.nbytes), "edges": int(sum(e.nbytes for e in edges))}


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The concatenated index ranges [start, start + count) in order."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, np.int64)
    excl = np.cumsum(counts) - counts
    return np.repeat(starts - excl, counts) + np.arange(total, dtype=np.int64)


def from_packed(space: VssSpace, found: PackedExploration) -> Exploration:
    """The ``Exploration`` of what another engine stored, in the generic explorer's order.

    The engines find the same states but order a level by partition; the stored states are
    expanded once more here and walked breadth first in successor order, so the indices, the
    edges and the counterexamples are exactly those of the single-process search."""
    if len(found.states) != found.count:
        raise ValueError("the engine kept no states (hash compaction): there is no graph to decide on")
    states = np.asarray(found.states, dtype=U64)
    if width_of(states) != space.words:
        raise ValueError(f"the engine's states have {width_of(states)} words; this encoding has {space.words}")
    offsets = found.depth_offsets
    n = len(states)
    # states at the last depth of an incomplete search were not expanded by the engine
    expand = n if found.complete or len(offsets) <= 2 else offsets[-2]
    source, action, target = _expand_all(space, states[:expand])
    tindex = _index_of(states, target)
    edge_offsets = np.zeros(n + 1, np.int64)
    edge_offsets[1:] = np.cumsum(np.bincount(source, minlength=n))
    parent = np.full(n, -1, np.int64)
    via = np.full(n, -1, np.int64)
    depth = np.zeros(n, np.int64)
    seen = np.zeros(n, dtype=bool)
    frontier = np.flatnonzero(np.asarray(found.parent) < 0)
    seen[frontier] = True
    walk, level = [frontier], 0
    while len(frontier):
        edges = _ranges(edge_offsets[frontier], edge_offsets[frontier + 1] - edge_offsets[frontier])
        reached = tindex[edges]
        edges, reached = edges[reached >= 0], reached[reached >= 0]
        distinct, first = np.unique(reached, return_index=True)
        fresh = ~seen[distinct]
        distinct, first = distinct[fresh], first[fresh]
        ranked = np.argsort(first, kind="stable")
        frontier, discovering = distinct[ranked], edges[first[ranked]]
        level += 1
        parent[frontier], via[frontier], depth[frontier] = source[discovering], action[discovering], level
        seen[frontier] = True
        walk.append(frontier)
    walked = np.concatenate(walk)
    renumber = np.full(n, -1, np.int64)
    renumber[walked] = np.arange(len(walked))
    edges = _ranges(edge_offsets[walked], edge_offsets[walked + 1] - edge_offsets[walked])
    edges = edges[tindex[edges] >= 0]
    new_parent = np.where(parent[walked] >= 0, renumber[np.maximum(parent[walked], 0)], -1)
    x = Exploration(
        states=space.decode(states[walked]), parent=_array(new_parent), via=_array(via[walked]),
        depth=array("l", depth[walked].tolist()), labels=list(space.labels.items),
        sources=_array(renumber[source[edges]], _index_code(n)), targets=_array(renumber[tindex[edges]], _index_code(n)),
        edge_labels=_array(action[edges], "i"), complete=found.complete, stop_reason=found.stop_reason,
        seconds=found.seconds)
    return x
