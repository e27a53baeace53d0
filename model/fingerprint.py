"""Visited sets for the packed explorers: exact (the states themselves) or hash compaction.

The exact store is a hash table of the states; the fingerprint store a sorted array of
fingerprints (``searchsorted``), as compact as the fingerprints. Either way duplicate detection is
a few numpy passes per level and no Python object per state. Under hash compaction
(``FingerprintStore``) the key is a ``bits``-bit fingerprint of the state, as in SPIN's ``-DHC``
and TLC's fingerprint set: two distinct states with the same fingerprint are taken for one, and the
second is never explored. ``omission_probability`` states how likely that is.

The owner of a key (which partition of a parallel or distributed run stores it) is a function of
the key alone, so every engine, with any number of partitions, makes the same decisions, including
the same collisions under hash compaction.

States of W > 1 words (``words``: (n, W) rows) are hashed to one 64-bit value (``row_hash``)
for the owner and the fingerprint; the exact store keeps the rows themselves.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .hashset import HashSet
from .words import row_hash, state_hash

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix64(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijection on uint64 that spreads every input bit."""
    x = np.asarray(values, dtype=np.uint64).copy()
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def owner(keys: np.ndarray, partitions: int) -> np.ndarray:
    """Which of ``partitions`` partitions stores each key (int64)."""
    if partitions == 1:
        return np.zeros(len(keys), dtype=np.int64)
    spread = state_hash(np.asarray(keys, dtype=np.uint64)) * _GOLDEN  # Fibonacci hashing: one multiply
    return ((spread >> np.uint64(40)) % np.uint64(partitions)).astype(np.int64)


def _dtype_for(bits: int) -> type:
    for dtype, width in ((np.uint8, 8), (np.uint16, 16), (np.uint32, 32)):
        if bits <= width:
            return dtype
    return np.uint64


class SortedKeySet:
    """A set of unsigned integer keys, kept as one sorted array."""

    def __init__(self, dtype: type) -> None:
        self.keys = np.empty(0, dtype=dtype)

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def dtype(self) -> type:
        return self.keys.dtype.type

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        where = np.searchsorted(self.keys, keys)
        found = np.zeros(len(keys), dtype=bool)
        inside = where < len(self.keys)
        found[inside] = self.keys[where[inside]] == keys[inside]
        return found

    def add_new(self, keys: np.ndarray) -> np.ndarray:
        """Insert the distinct ``keys``; return the mask of those that were not there before."""
        fresh = ~self.contains(keys)
        new = np.sort(keys[fresh], kind="stable")  # already sorted when it comes from a level
        if len(new):
            merged = np.concatenate((self.keys, new))
            merged.sort(kind="stable")  # two sorted runs: timsort merges them in linear time
            self.keys = merged
        return fresh

    def replace(self, keys: np.ndarray) -> None:
        self.keys = np.sort(np.asarray(keys, dtype=self.keys.dtype))


class ExactStore:
    """The states themselves are the keys (no omission is possible), in an open-addressing hash
    table (``hashset``): one probe per query where a sorted array needs a binary search."""

    bits = 64
    exact = True
    dtype = np.uint64

    def __init__(self, words: int = 1) -> None:
        self.table = HashSet(words=words)

    def __len__(self) -> int:
        return self.table.count

    @property
    def nbytes(self) -> int:
        return int(self.table.nbytes)

    @property
    def keys(self) -> np.ndarray:
        """Every stored state (in table order)."""
        slots = self.table.table
        if slots.ndim == 2:
            rows = slots[slots[:, 0] != 0]
            rows[:, 0] -= np.uint64(1)
            return rows
        return slots[slots != 0] - np.uint64(1)

    def key(self, states: np.ndarray) -> np.ndarray:
        return np.asarray(states, dtype=np.uint64)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        return self.table.contains(keys)

    def add_new(self, keys: np.ndarray) -> np.ndarray:
        """Insert the distinct ``keys``; return the mask of those that were not there before."""
        fresh = ~self.table.contains(keys)
        new = keys[fresh]
        if self.table.needs_room(len(new)):
            self.table = self.table.rebuilt(len(new), [self.keys])
        self.table.add_new(new)
        return fresh

    def replace(self, keys: np.ndarray) -> None:
        self.table = HashSet(words=self.table.words).rebuilt(len(keys), [np.asarray(keys, dtype=np.uint64)])


class FingerprintStore(SortedKeySet):
    """Hash compaction: only a ``bits``-bit fingerprint of each state is stored.

    The fingerprint is the top ``bits`` bits of ``mix64(state)``; with 64 bits it is a bijection
    of a one-word state, so nothing can be missed (the store then only saves the state array).
    A state of W > 1 words is hashed to one 64-bit value first (``row_hash``): no bijection then,
    and ``words`` (given, and confirmed by the states keyed) says so to ``omission_probability``."""

    exact = False
    words = 1

    def __init__(self, bits: int, words: int = 1) -> None:
        if not 8 <= bits <= 64:
            raise ValueError(f"fingerprint bits {bits}: expected 8..64")
        self.bits = bits
        self.words = words
        super().__init__(_dtype_for(bits))

    def key(self, states: np.ndarray) -> np.ndarray:
        if states.ndim == 2:
            self.words = states.shape[1]
            return (row_hash(states) >> np.uint64(64 - self.bits)).astype(self.keys.dtype)
        return (mix64(states) >> np.uint64(64 - self.bits)).astype(self.keys.dtype)


def make_store(bits: int | None, words: int = 1) -> ExactStore | FingerprintStore:
    """``None``: exact (of states of ``words`` words); otherwise hash compaction with
    ``bits``-bit fingerprints."""
    return ExactStore(words) if bits is None else FingerprintStore(bits, words)


def omission_probability(states: int, bits: int, generated: int | None = None,
                         words: int = 1) -> dict[str, float]:
    """How likely it is that hash compaction missed at least one state.

    ``birthday``: the standard estimate for ``n`` distinct states hashed into ``2**b`` values
    (Wolper and Leroy 1993; SPIN's hash-compaction report), 1 - exp(-n(n-1)/2**(b+1)), about
    n**2 / 2**(b+1). ``tlc_optimistic``: TLC's "calculated (optimistic)" figure, n * (g - n) / 2**b
    with ``g`` the states generated (transitions plus initial states). ``expected_missed``: the
    expected number of colliding pairs, n(n-1)/2**(b+1), about the number of states missed when it
    is large. With 64 bits over one-word packed states the fingerprint is a bijection: all are 0
    (not over ``words`` > 1, hashed to 64 bits)."""
    if bits >= 64 and words == 1:
        return {"birthday": 0.0, "tlc_optimistic": 0.0, "expected_missed": 0.0}
    n = float(states)
    pairs = n * (n - 1) / 2.0 ** (bits + 1)
    result = {"birthday": -math.expm1(-pairs), "expected_missed": pairs}
    if generated is not None:
        result["tlc_optimistic"] = min(1.0, n * max(generated - n, 0) / 2.0 ** bits)
    return result


def path_states(space: Any, exploration: Any, index: int) -> np.ndarray:
    """The states on the shortest path to ``index`` (uint64), also under hash compaction.

    Hash compaction keeps no states, but it keeps each state's parent, action and fingerprint
    in discovery order. Replaying from the initial state, one ``expand`` of one state per step,
    and taking the successor by that action with that fingerprint rebuilds the exact states of a
    counterexample: O(depth) work, no search."""
    path = exploration.path(index)
    if len(exploration.states):
        return exploration.states[path]
    initial, fingerprints = exploration.extra["initial"], exploration.extra["fingerprints"]
    store = FingerprintStore(exploration.extra["hash_compaction"]["bits"])
    states = [initial[path[0]]]  # a uint64, or a row of W words
    for step in path[1:]:
        _, action, target = space.expand(np.array([states[-1]], dtype=np.uint64))
        match = np.flatnonzero((np.asarray(action) == exploration.action[step])
                               & (store.key(np.asarray(target, np.uint64)) == fingerprints[step]))
        if len(match) == 0:
            raise RuntimeError(f"replay of state {step}: no successor by its action has its fingerprint")
        states.append(target[match[0]])
    return np.array(states, dtype=np.uint64)


def path_exploration(space: Any, exploration: Any, index: int) -> tuple[Any, int]:
    """The shortest path to ``index`` as an exploration of its own (states, parents, actions of
    that path only) and the index of its last state: code that reads counterexamples from
    ``states`` works unchanged under hash compaction."""
    from .packed_space import PackedExploration

    path = exploration.path(index)
    states = path_states(space, exploration, index)
    n = len(path)
    return PackedExploration(
        states=states, parent=np.arange(-1, n - 1, dtype=np.int64), action=exploration.action[path],
        depth_offsets=list(range(n + 1)), transitions=n - 1, complete=exploration.complete,
        stop_reason=exploration.stop_reason, seconds=0.0), n - 1
