"""Single-process breadth-first exploration of a ``PackedSpace``, a whole frontier at a time.

No per-state Python objects on the hot path: each level's frontier is expanded by the space in
chunks of numpy arrays; the candidate successors of a chunk are deduplicated with one sort of
``target << k | position`` keys (the smallest position is the first discovery, so the order and
the parents are exactly those of the generic one-state-at-a-time explorer) and looked up in the
visited set (``hashset.HashSet``); at the end of the level the survivors of all chunks are
deduplicated once more the same way, appended in discovery order and added to the visited set.

Memory per stored state: 8 bytes (state, discovery order) + 8 (parent) + 4 (action) + 16 to 32
(the visited table, load factor 1/4 to 1/2), the state and table parts times W for a space of W
words (rows, deduplicated by hash with a full-row compare: ``words.py``); temporaries are bounded by the chunk size and the
largest level. The invariants of the space are evaluated per level, vectorised; ``violations``
keeps the first (so shortest) violating index.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .hashset import HashSet
from .packed_space import PackedExploration, PackedSpace
from .words import first_rows

U64 = np.uint64
CHUNK = 1 << 14
"""States expanded at once: big enough to amortise numpy calls, small enough to bound memory."""


@dataclass(frozen=True)
class Progress:
    """What a long run reports: states, transitions, queue (states left at this depth), depth."""

    states: int
    transitions: int
    queue: int
    depth: int
    seconds: float

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else 0.0


def _first_discoveries(target: np.ndarray, position: np.ndarray, bits: int,
                       position_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct targets (ascending; rows of W words: in hash order) with the smallest position
    that produced each."""
    if len(target) == 0:
        return target, position
    if target.ndim == 2:
        return first_rows(target, position)
    if bits + position_bits <= 64:
        key = (target << U64(position_bits)) | position.astype(U64)
        key.sort()
        distinct = key >> U64(position_bits)
        first = np.empty(len(key), dtype=bool)
        first[0] = True
        np.not_equal(distinct[1:], distinct[:-1], out=first[1:])
        return distinct[first], (key[first] & U64((1 << position_bits) - 1)).astype(np.int64)
    order = np.lexsort((position, target))
    target, position = target[order], position[order]
    first = np.empty(len(target), dtype=bool)
    first[0] = True
    np.not_equal(target[1:], target[:-1], out=first[1:])
    return target[first], position[first]


def _in_discovery_order(target: np.ndarray, position: np.ndarray, bits: int,
                        position_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs sorted by position (positions are distinct)."""
    if bits + position_bits <= 64 and len(target) and target.ndim == 1:
        key = (position.astype(U64) << U64(bits)) | target
        key.sort()
        return key & U64((1 << bits) - 1), (key >> U64(bits)).astype(np.int64)
    order = np.argsort(position, kind="stable")
    return target[order], position[order]


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """One array from ``parts``, emptying the list as it goes (no second full copy held)."""
    joined = np.concatenate(parts)
    parts.clear()
    return joined


def explore_frontier(
    space: PackedSpace,
    *,
    max_states: int | None = None,
    max_depth: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    progress_every: float = 1.0,
    chunk: int = CHUNK,
) -> PackedExploration:
    """Explore every state of ``space`` reachable from its initial states, level by level."""
    started = time.perf_counter()
    actions = max(len(space.labels), 1)
    bits = int(getattr(space, "bits", 64))
    words = int(getattr(space, "words", 1))
    if bits > 63 and words == 1:
        raise ValueError(f"{space.name}: states of {bits} bits; the frontier explorer takes at most 63")
    fast = getattr(space, "successors", None)
    checks = space.invariants()

    initial = np.asarray(space.initial(), dtype=U64)
    _, first = np.unique(initial, return_index=True, axis=0 if initial.ndim == 2 else None)
    initial = initial[np.sort(first)]
    if max_states is not None:
        initial = initial[:max_states]
    states_parts, parent_parts, action_parts = [initial], [np.full(len(initial), -1, np.int64)], \
        [np.full(len(initial), -1, np.int32)]
    visited = HashSet(words=words)
    visited.add_new(initial)
    depth_offsets = [0, len(initial)]
    count, transitions = len(initial), 0
    violations: dict[str, int] = {}
    complete, stop_reason = True, ""
    last_report = started
    frontier, depth = initial, 0

    while len(frontier):
        offset = depth_offsets[-2]
        for prop_id, predicate in checks.items():
            if prop_id not in violations:
                bad = np.flatnonzero(~predicate(frontier))
                if len(bad):
                    violations[prop_id] = offset + int(bad[0])
        if max_depth is not None and depth >= max_depth:
            complete, stop_reason = False, f"depth bound {max_depth} reached"
            break
        position_bits = int(len(frontier) * actions).bit_length()
        found_targets, found_positions = [], []
        for start in range(0, len(frontier), chunk):
            block = frontier[start:start + chunk]
            if fast is not None:
                moved, source, action, target = fast(block)
            else:
                source, action, target = space.expand(block)
                moved = len(source)
            transitions += moved
            position = (source.astype(np.int64, copy=False) + start) * actions + action
            new, first = _first_discoveries(target.astype(U64, copy=False), position, bits, position_bits)
            fresh = ~visited.contains(new)
            found_targets.append(new[fresh])
            found_positions.append(first[fresh])
            now = time.perf_counter()
            if progress is not None and now - last_report >= progress_every:
                last_report = now
                progress(Progress(count + sum(map(len, found_targets)), transitions,
                                  len(frontier) - start - len(block), depth, now - started))
        # the same state found from two chunks: the first discovery wins
        new, first = _first_discoveries(np.concatenate(found_targets), np.concatenate(found_positions),
                                        bits, position_bits)
        del found_targets, found_positions
        new, first = _in_discovery_order(new, first, bits, position_bits)
        if max_states is not None and count + len(new) > max_states:
            new, first = new[: max_states - count], first[: max_states - count]
            complete, stop_reason = False, f"state bound {max_states} reached"
        frontier = new
        states_parts.append(new)
        parent_parts.append(offset + first // actions)
        action_parts.append((first % actions).astype(np.int32))
        count += len(new)
        if visited.needs_room(len(new)):
            visited = visited.rebuilt(len(new), states_parts[:-1])
        visited.add_new(new)
        del new, first
        if len(frontier):
            depth_offsets.append(count)
            depth += 1
        if not complete:
            for prop_id, predicate in checks.items():  # the states found before the bound
                if prop_id not in violations:
                    bad = np.flatnonzero(~predicate(frontier))
                    if len(bad):
                        violations[prop_id] = depth_offsets[-2] + int(bad[0])
            break
    visited_bytes = visited.nbytes
    del visited
    if progress is not None:
        progress(Progress(count, transitions, 0, depth, time.perf_counter() - started))
    return PackedExploration(
        states=_joined(states_parts), parent=_joined(parent_parts),
        action=_joined(action_parts), depth_offsets=depth_offsets, transitions=transitions,
        complete=complete, stop_reason=stop_reason, seconds=time.perf_counter() - started,
        violations=violations, extra={"chunk": chunk, "fast_path": fast is not None,
                                      "visited_bytes": visited_bytes},
    )
