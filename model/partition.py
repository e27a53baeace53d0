"""One hash partition of a level-synchronous breadth-first search over a ``PackedSpace``.

A partition owns the keys (states or fingerprints, see ``fingerprint.owner``) that hash to it: it
stores them, expands the frontier states it owns, and decides which received successors are new.
The same class runs inline, in a worker process (``parallel``) and in a Ray actor
(``distributed``); only the transport between partitions differs.

Determinism: every successor travels with its discovery key (the global index of its source times
the number of actions, plus its action). Sequential breadth-first search discovers states in that
order, so a partition keeps, for each new key, the occurrence with the smallest discovery key, and
the coordinator numbers the new states of a level by discovery key (ties, which only a label with
several targets makes, by key). The result is the numbering, parents and counterexamples of one
process walking a FIFO queue, whatever the number of partitions.

An optional ``observer(space, states) -> {name: number | set | dict of numbers}`` is applied to
every new state once (for what a report needs besides the states, e.g. under hash compaction,
where the states are not kept); its results are added up (``combine``).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .fingerprint import make_store, owner
from .words import empty, first_rows

Batch = tuple[np.ndarray, np.ndarray]
"""(target uint64, discovery key int64 = source global index * actions + action)"""

U64 = np.uint64
CHUNK = 1 << 16
"""Frontier states expanded at once: numpy calls amortised, temporaries bounded."""


def combine(into: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Add up observations: numbers are summed, sets and dicts of numbers merged."""
    for name, value in more.items():
        if name not in into:
            into[name] = set(value) if isinstance(value, (set, frozenset)) else \
                dict(value) if isinstance(value, dict) else value
        elif isinstance(value, dict):
            for key, number in value.items():
                into[name][key] = into[name].get(key, 0) + number
        elif isinstance(value, (set, frozenset)):
            into[name] |= value
        else:
            into[name] += value
    return into


def empty_batch(words: int = 1) -> Batch:
    return (empty(words), np.empty(0, np.int64))


def first_discoveries(target: np.ndarray, keys: np.ndarray | None, discovery: np.ndarray,
                      key_bits: int, runs: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct key once, with the target and the smallest discovery key that produced it
    (in ascending key order). ``keys`` None: the targets are the keys. One sort of
    ``key << b | discovery`` when that fits in 64 bits, else a two-key lexsort. ``runs``: the
    input is a concatenation of such outputs, which a stable sort merges in linear time."""
    if len(target) == 0:
        return target, discovery, target if keys is None else keys
    if keys is None and target.ndim == 2:  # rows of W words are their own keys: by hash, then by row
        target, discovery = first_rows(target, discovery)
        return target, discovery, target
    base = int(discovery.min())
    discovery = discovery - base  # fewer bits to pack beside the key
    low = int(discovery.max()).bit_length()
    fits = key_bits + low <= 64
    if keys is None and fits:  # the states are the keys: sort the packed pairs only
        combined = (target << U64(low)) | discovery.astype(U64)
        combined.sort(kind="stable" if runs else "quicksort")
        distinct = combined >> U64(low)
        first = _firsts(distinct)
        target = distinct[first]
        return target, (combined[first] & U64((1 << low) - 1)).astype(np.int64) + base, target
    if keys is not None and fits:  # fingerprints: sort the packed pairs, carry the states
        combined = (keys.astype(U64) << U64(low)) | discovery.astype(U64)
        order = np.argsort(combined, kind="stable" if runs else "quicksort")
        combined = combined[order]
        first = _firsts(combined >> U64(low))
        order, combined = order[first], combined[first]
        return (target[order], (combined & U64((1 << low) - 1)).astype(np.int64) + base,
                (combined >> U64(low)).astype(keys.dtype))
    order = np.lexsort((discovery, target if keys is None else keys))
    target, discovery = target[order], discovery[order]
    keys = target if keys is None else keys[order]
    first = _firsts(keys)
    return target[first], discovery[first] + base, keys[first]


def _firsts(sorted_keys: np.ndarray) -> np.ndarray:
    first = np.empty(len(sorted_keys), dtype=bool)
    first[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=first[1:])
    return first


def discovery_order(discovery: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The permutation sorting by discovery key, then key (ties only come from a label with
    several targets from one state)."""
    order = np.argsort(discovery, kind="stable")
    ordered = discovery[order]
    if len(ordered) > 1 and np.any(ordered[1:] == ordered[:-1]):
        if keys.ndim == 2:  # rows: by key read as one number, the last word most significant
            return np.lexsort(tuple(keys[:, k] for k in range(keys.shape[1])) + (discovery,))
        order = np.lexsort((keys, discovery))
    return order


class Partition:
    """The states of one hash partition: visited keys, the owned frontier, the pending level."""

    def __init__(self, factory: Callable[[], Any], index: int, count: int, bits: int | None,
                 observer: Callable[[Any, np.ndarray], dict[str, Any]] | None = None) -> None:
        self.space = factory()
        self.observer = observer
        self.observed: dict[str, Any] = {}
        self.index, self.count = index, count
        self.actions = max(len(self.space.labels), 1)
        self.words = int(getattr(self.space, "words", 1))
        self.store = make_store(bits, self.words)
        self.key_bits = self.store.bits if not self.store.exact else int(getattr(self.space, "bits", 64))
        if self.store.exact and self.key_bits > 63 and self.words == 1:
            raise ValueError(f"{self.space.name}: states of {self.key_bits} bits; the exact visited set "
                             "takes at most 63 (hash compaction takes any)")
        self.fast = getattr(self.space, "successors", None)
        self.checks = list(self.space.invariants().items())
        self.frontier = empty(self.words)
        self.gidx = np.empty(0, np.int64)
        self.pending = empty(self.words)
        self.settled: frozenset[str] = frozenset()

    # -- a level ------------------------------------------------------------------------------

    def expand(self) -> tuple[int, list[Batch]]:
        """Expand the owned frontier, ``CHUNK`` states at a time (bounded temporaries); return
        the transitions counted and one batch per owner, holding each successor key once, with
        its smallest discovery key.

        A space's optional fast path ``successors(frontier) -> (transitions, source, action,
        target)`` may leave out self-loops and repeated targets (they never discover a state)."""
        generated, targets, discoveries, keyss = 0, [], [], []
        for start in range(0, len(self.frontier), CHUNK):
            block = self.frontier[start:start + CHUNK]
            if self.fast is not None:
                moved, source, action, target = self.fast(block)
            else:
                source, action, target = self.space.expand(block)
                moved = len(target)
            generated += int(moved)
            gidx = self.gidx[start:start + CHUNK]
            local = (gidx[np.asarray(source, np.int64)] - gidx[0]) * self.actions + np.asarray(action, np.int64)
            target = np.asarray(target, U64)
            keys = None if self.store.exact else self.store.key(target)
            target, local, keys = first_discoveries(target, keys, local, self.key_bits)
            targets.append(target)
            discoveries.append(local + int(gidx[0]) * self.actions)
            keyss.append(keys)
        if not targets:
            return 0, [empty_batch(self.words) for _ in range(self.count)]
        target, discovery, keys = (np.concatenate(targets), np.concatenate(discoveries), np.concatenate(keyss))
        if len(targets) > 1:
            target, discovery, keys = first_discoveries(target, None if self.store.exact else keys,
                                                        discovery, self.key_bits, runs=True)
        if self.count == 1:
            return generated, [(target, discovery)]
        owners = owner(keys, self.count)
        return generated, [(target[owners == q], discovery[owners == q]) for q in range(self.count)]

    def receive(self, batches: list[Batch]) -> dict[str, Any]:
        """Keep the successors never seen before as the pending level, in discovery order
        (discovery key, then key); return their discovery keys, their keys (the states
        themselves unless hash compaction) and, per invariant, the position of the first one
        that violates it."""
        target = np.concatenate([b[0] for b in batches])
        discovery = np.concatenate([b[1] for b in batches])
        keys = None if self.store.exact else self.store.key(target)
        if len(batches) > 1:
            target, discovery, keys = first_discoveries(target, keys, discovery, self.key_bits, runs=True)
        elif keys is None:
            keys = target
        fresh = np.flatnonzero(self.store.add_new(keys))
        target, discovery, keys = target[fresh], discovery[fresh], keys[fresh]
        order = discovery_order(discovery, keys)
        self.pending, discovery, keys = target[order], discovery[order], keys[order]
        if self.observer is not None and len(self.pending):
            combine(self.observed, self.observer(self.space, self.pending))
        violations = {}
        for pid, holds in self.checks:
            if pid in self.settled:
                continue
            bad = np.flatnonzero(~np.asarray(holds(self.pending), dtype=bool))
            if len(bad):
                violations[pid] = int(bad[0])
        return {"discovery": discovery, "key": keys, "violations": violations}

    def assign(self, gidx: np.ndarray, settled: frozenset[str] = frozenset()) -> None:
        """The pending level becomes the frontier, numbered by the coordinator; ``settled``:
        the invariants already violated at an earlier depth (their first violation is known)."""
        self.frontier, self.gidx = self.pending, np.asarray(gidx, dtype=np.int64)
        self.pending = empty(self.words)
        self.settled = settled

    # -- seeding, checkpoints -----------------------------------------------------------------

    def seed(self, keys: np.ndarray, frontier: np.ndarray, gidx: np.ndarray) -> None:
        """Start from stored ``keys`` and an owned ``frontier`` (initial states or a checkpoint)."""
        self.store.replace(keys)
        self.frontier, self.gidx = np.asarray(frontier, np.uint64), np.asarray(gidx, np.int64)

    def snapshot(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.store.keys, self.frontier, self.gidx

    def stored_bytes(self) -> int:
        return self.store.nbytes

    def observations(self) -> dict[str, Any]:
        return self.observed
