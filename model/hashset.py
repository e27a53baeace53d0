"""A set of uint64 states as one open-addressing numpy table, looked up and filled a batch at a time.

Why not a sorted array and ``searchsorted``: a binary search is a chain of ~25 dependent loads,
most of them cache misses once the visited set outgrows the cache, and the frontier explorer
asks hundreds of millions of such questions. A hash probe is one independent load per query
(numpy's gather overlaps them), with linear probing at load factor at most 1/2, so ~1.5 probes.

Keys are stored plus one, so 0 marks an empty slot (states use at most 63 bits). Fibonacci
hashing: the top bits of ``key * 0x9E3779B97F4A7C15``.

States of W > 1 words (``words.py``: (n, W) rows, each word below 2**63) live in a (slots, W)
table: word 0 stored plus one marks the slot used, the slot comes from the rows' 64-bit
``row_hash``, and a probe hits only when every word is equal. One-word sets keep the flat table
and the code above, untouched.
"""

from __future__ import annotations

import numpy as np

from .words import row_hash

U64 = np.uint64
GOLDEN = U64(0x9E3779B97F4A7C15)


class HashSet:
    """Distinct uint64 keys (< 2**63), or rows of ``words`` such words; ``capacity`` slots,
    grown by ``rebuilt``."""

    def __init__(self, bits: int = 16, words: int = 1) -> None:
        self.bits = bits
        self.words = words
        self.table = np.zeros(1 << bits, dtype=U64) if words == 1 else np.zeros((1 << bits, words), dtype=U64)
        self.count = 0

    @property
    def nbytes(self) -> int:
        return self.table.nbytes

    def _slots(self, stored: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((stored * GOLDEN) >> U64(64 - self.bits)).astype(np.int64)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        """For each key: is it in the set?"""
        if self.words > 1:
            return self._contains_rows(keys)
        found = np.zeros(len(keys), dtype=bool)
        stored = keys + U64(1)
        slots = self._slots(stored)
        index = np.arange(len(keys))
        mask = (1 << self.bits) - 1
        while len(index):
            seen = self.table[slots]
            hit = seen == stored
            found[index[hit]] = True
            go_on = (seen != 0) & ~hit
            index, stored, slots = index[go_on], stored[go_on], (slots[go_on] + 1) & mask
        return found

    def add_new(self, keys: np.ndarray) -> None:
        """Insert distinct keys none of which is in the set yet."""
        if self.words > 1:
            return self._add_rows(keys)
        self.count += len(keys)
        stored = keys + U64(1)
        slots = self._slots(stored)
        mask = (1 << self.bits) - 1
        while len(stored):
            free = self.table[slots] == 0
            self.table[slots[free]] = stored[free]  # two keys on one free slot: one wins
            placed = self.table[slots] == stored
            stored, slots = stored[~placed], (slots[~placed] + 1) & mask

    def _stored_rows(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if keys.ndim != 2 or keys.shape[1] != self.words:
            raise ValueError(f"a set of {self.words}-word states given keys of shape {keys.shape}")
        stored = np.array(keys, dtype=U64)
        stored[:, 0] += U64(1)
        with np.errstate(over="ignore"):
            slots = ((row_hash(keys) * GOLDEN) >> U64(64 - self.bits)).astype(np.int64)
        return stored, slots

    def _contains_rows(self, keys: np.ndarray) -> np.ndarray:
        found = np.zeros(len(keys), dtype=bool)
        stored, slots = self._stored_rows(keys)
        index = np.arange(len(keys))
        mask = (1 << self.bits) - 1
        while len(index):
            seen = self.table[slots]
            hit = (seen == stored).all(axis=1)
            found[index[hit]] = True
            go_on = (seen[:, 0] != 0) & ~hit
            index, stored, slots = index[go_on], stored[go_on], (slots[go_on] + 1) & mask
        return found

    def _add_rows(self, keys: np.ndarray) -> None:
        self.count += len(keys)
        stored, slots = self._stored_rows(keys)
        mask = (1 << self.bits) - 1
        while len(stored):
            free = self.table[slots, 0] == 0
            self.table[slots[free]] = stored[free]  # two rows on one free slot: one whole row wins
            placed = (self.table[slots] == stored).all(axis=1)
            stored, slots = stored[~placed], (slots[~placed] + 1) & mask

    def needs_room(self, more: int) -> bool:
        return 2 * (self.count + more) > len(self.table)

    def rebuilt(self, more: int, parts: list[np.ndarray]) -> "HashSet":
        """A new set holding ``parts`` with room for ``more`` (the old table is dropped first)."""
        total = sum(len(p) for p in parts) + more
        bits = max(self.bits, (2 * total).bit_length())
        words = next((p.shape[1] for p in parts if p.ndim == 2), self.words)
        self.table = np.zeros(0, dtype=U64)
        grown = HashSet(bits, words)
        for part in parts:
            grown.add_new(part)
        return grown
