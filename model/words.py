"""States wider than one machine word: (n, W) ``uint64`` rows, deduplicated and looked up by hash.

Why rows and not a void view: numpy sorts and searches a ``np.void`` array with a generic byte
comparison, measured here at 1.3 s to argsort and 14 s to ``searchsorted`` 5 M queries into 1 M
two-word rows, against 0.27 s to argsort one ``uint64`` column. So a row is hashed to one 64-bit
value (splitmix64 over its words), the fast ``uint64`` sort and open-addressing probes work on
the hash, and a full-row comparison settles every hash collision: nothing here trusts a hash
to tell two states apart. One-word states (``ndim == 1``) never come here; their fast paths
are unchanged.

A state of W words is ``W`` mixed-radix numbers, each below 2**63 (``VssSpace`` never lets a
component straddle two words), so word 0 plus one is never 0 and marks a used slot.
"""

from __future__ import annotations

import numpy as np

U64 = np.uint64
_M1 = U64(0xBF58476D1CE4E5B9)
_M2 = U64(0x94D049BB133111EB)
_GOLDEN = U64(0x9E3779B97F4A7C15)


def width(states: np.ndarray) -> int:
    """Words a state: 1 for a flat ``uint64`` array, else the row width."""
    return 1 if states.ndim == 1 else int(states.shape[1])


def empty(words: int) -> np.ndarray:
    """No states of ``words`` words."""
    return np.zeros(0, U64) if words == 1 else np.zeros((0, words), U64)


def _mix(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = x ^ (x >> U64(30))
        x = x * _M1
        x ^= x >> U64(27)
        x *= _M2
        x ^= x >> U64(31)
    return x


def row_hash(rows: np.ndarray) -> np.ndarray:
    """One 64-bit hash of each row (each word mixed into the running value by splitmix64)."""
    h = _mix(np.ascontiguousarray(rows[:, 0]))
    for k in range(1, rows.shape[1]):
        h = _mix(h ^ rows[:, k])
    return h


def state_hash(states: np.ndarray) -> np.ndarray:
    """A 64-bit value per state whatever its width: the word itself for one word (so a one-word
    run hashes exactly as before), ``row_hash`` for more."""
    return np.asarray(states, dtype=U64) if states.ndim == 1 else row_hash(states)


def rows_differ(rows: np.ndarray) -> np.ndarray:
    """Bool per row from the second: does it differ from the row before it?"""
    return (rows[1:] != rows[:-1]).any(axis=1)


def lex_order(rows: np.ndarray, *then: np.ndarray) -> np.ndarray:
    """The permutation sorting rows lexicographically (word 0 first), then by ``then``."""
    return np.lexsort(tuple(reversed(then)) + tuple(rows[:, k] for k in reversed(range(rows.shape[1]))))


def first_rows(target: np.ndarray, position: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of ``target`` with the smallest ``position`` that produced each (in hash
    order). Sorted by (hash, position); if two distinct rows share a hash (checked, never
    assumed away), the chunk is sorted by the rows themselves instead."""
    if len(target) == 0:
        return target, position
    h = row_hash(target)
    order = np.lexsort((position, h))
    h, target, position = h[order], target[order], position[order]
    first = np.empty(len(h), dtype=bool)
    first[0] = True
    np.not_equal(h[1:], h[:-1], out=first[1:])
    same_hash = ~first[1:]
    if same_hash.any() and rows_differ(target)[same_hash].any():  # a collision: sort by the rows
        order = lex_order(target, position)
        target, position = target[order], position[order]
        first[1:] = rows_differ(target)
    return target[first], position[first]


def lex_min(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise minimum of two row arrays read as numbers with the last word most significant
    (lexicographic from the last word): the order of one word's numbers carried over, so it
    is the lexicographic order of the components' codes from the last component, whichever
    way they are split into words (a re-encoding keeps representatives canonical)."""
    differ = (a != b)[:, ::-1]
    k = a.shape[1] - 1 - np.argmax(differ, axis=1)
    rows = np.arange(len(a))
    less = differ.any(axis=1) & (b[rows, k] < a[rows, k])
    out = a.copy()
    out[less] = b[less]
    return out


def unique_rows(rows: np.ndarray) -> np.ndarray:
    """The distinct rows, lexicographically sorted."""
    if len(rows) == 0:
        return rows
    rows = rows[lex_order(rows)]
    keep = np.empty(len(rows), dtype=bool)
    keep[0] = True
    keep[1:] = rows_differ(rows)
    return rows[keep]


class RowIndex:
    """The index of each of ``states``' rows (distinct), looked up a batch at a time: an
    open-addressing table of indices plus one keyed on ``row_hash``, load at most 1/2, each
    probe confirmed by comparing the whole row."""

    def __init__(self, states: np.ndarray) -> None:
        self.states = states
        n = len(states)
        self.bits = max(4, (2 * n).bit_length())
        self.table = np.zeros(1 << self.bits, dtype=np.int64)
        self.hashes = row_hash(states) if n else np.zeros(0, U64)
        mask = (1 << self.bits) - 1
        index = np.arange(n, dtype=np.int64)
        slots = self._slots(self.hashes)
        while len(index):
            free = self.table[slots] == 0
            self.table[slots[free]] = index[free] + 1  # two on one free slot: one wins
            placed = self.table[slots] == index + 1
            index, slots = index[~placed], (slots[~placed] + 1) & mask

    def _slots(self, h: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((h * _GOLDEN) >> U64(64 - self.bits)).astype(np.int64)

    def lookup(self, queries: np.ndarray) -> np.ndarray:
        """The index of each query row, -1 where it is not one of the states."""
        out = np.full(len(queries), -1, dtype=np.int64)
        if not len(self.states) or not len(queries):
            return out
        h = row_hash(queries)
        slots = self._slots(h)
        pending = np.arange(len(queries), dtype=np.int64)
        mask = (1 << self.bits) - 1
        while len(pending):
            seen = self.table[slots] - 1
            used = seen >= 0
            at = np.maximum(seen, 0)
            hit = used & (self.hashes[at] == h[pending]) & (self.states[at] == queries[pending]).all(axis=1)
            out[pending[hit]] = seen[hit]
            go_on = used & ~hit
            pending, slots = pending[go_on], (slots[go_on] + 1) & mask
        return out
