"""Symmetry reduction: requesters (with their nodes) and volumes are interchangeable.

The composition treats every requester alike (each calls the same API on its own node, and every
node may clear every volume) and every volume alike, so permuting requesters, or volumes
consistently everywhere they are named (the volume fields and the ``vols``/``pend`` of every
requester), maps behaviours onto behaviours and preserves the three properties. A state's
canonical form is the smallest packed value over its orbit, computed without enumerating the
requester permutations: for each volume permutation the requester codes are remapped through a
table (derived from the records, never re-typed) and then sorted.

The tests check the orbit counts against a brute-force canonicalisation of the full state set.
"""

from __future__ import annotations

from itertools import permutations
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .packed import ReferenceSpace

U64 = np.uint64


def remap_requester(record: dict, perm: tuple[int, ...]) -> dict:
    """A requester record with volume v (1-based) renamed perm[v-1] (1-based)."""
    vols = sum(1 << (perm[v] - 1) for v in range(len(perm)) if record["vols"] >> v & 1)
    pend = perm[record["pend"] - 1] if record["pend"] else 0
    return {**record, "vols": vols, "pend": pend}


class Canonicaliser:
    """Vectorised canonical form of packed states of ``space``."""

    def __init__(self, space: "ReferenceSpace") -> None:
        self.space = space
        req = space.system.requester_machine
        ids = {tuple(req.record(c).values()): c for c in range(len(req.locals))}
        self.perms = list(permutations(range(1, space.volumes + 1)))
        self.tables = []
        for perm in self.perms:
            table = np.empty(len(req.locals), dtype=np.int64)
            for code in range(len(req.locals)):
                image = tuple(remap_requester(req.record(code), perm).values())
                if image not in ids:
                    raise RuntimeError(f"volume permutation {perm} leaves the requester closure")
                table[code] = ids[image]
            self.tables.append(table)

    def __call__(self, states: np.ndarray) -> np.ndarray:
        space = self.space
        R, V = space.requesters, space.volumes
        states = np.asarray(states, dtype=U64)
        reqs = [space.field(states, r) for r in range(R)]
        vols = [states >> U64(space.shifts[R + v]) & U64(space.masks[R + v]) for v in range(V)]
        best = None
        for perm, table in zip(self.perms, self.tables):
            codes = [table[c] for c in reqs]
            _sort_network(codes)
            packed = np.zeros(len(states), dtype=U64)
            for r in range(R):
                packed |= codes[r].astype(U64) << U64(space.shifts[r])
            for v in range(V):  # volume v's field moves to perm[v]
                packed |= vols[v] << U64(space.shifts[R + perm[v] - 1])
            best = packed if best is None else np.minimum(best, packed)
        return best


def _sort_network(columns: list[np.ndarray]) -> None:
    """Sort the columns element-wise in place (odd-even transposition: R rounds of min/max)."""
    n = len(columns)
    for round_ in range(n):
        for i in range(round_ % 2, n - 1, 2):
            low = np.minimum(columns[i], columns[i + 1])
            columns[i + 1] = np.maximum(columns[i], columns[i + 1])
            columns[i] = low
