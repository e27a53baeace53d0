"""Properties evaluated on every state (or edge) at once: each predicate once per distinct value
of what it reads.

A catalogue predicate reads a state only through ``View``, which indexes the state tuple. Given a
tuple that records which components are read (its *footprint*), a predicate's value is a function
of those components' codes (and of the edge label, for edge predicates). So the predicate is
called on one representative of each distinct footprint value, found with ``numpy.unique`` over
the code matrix, and the answers are spread back to every state. The footprint is learnt: an
answer that read outside it widens it and the tabulation starts again. The plain per-state loops
of ``checks/decide.py`` (``Graph(reference=True)``) are the reference the tests compare with.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from shadowspec.model.system import System

from .view import View


class _Reading(tuple):
    """A state tuple that records the components read (iteration reads them all)."""

    reads: set[int]

    def __getitem__(self, index: Any) -> Any:  # type: ignore[override]
        if isinstance(index, slice):
            self.reads.update(range(len(self))[index])
        else:
            self.reads.add(index)
        return tuple.__getitem__(self, index)

    def __iter__(self) -> Any:
        self.reads.update(range(len(self)))
        return tuple.__iter__(self)


class Tabulator:
    """Codes of every explored state (components x states) and the tabulated predicates."""

    def __init__(self, system: System, states: Sequence[tuple[int, ...]]) -> None:
        self.system = system
        self.components = len(system.machines)
        self.codes = (np.array(states, dtype=np.int64).T.copy() if len(states)
                      else np.zeros((self.components, 0), dtype=np.int64))
        self.radix = [int(self.codes[c].max()) + 1 if self.codes.shape[1] else 1
                      for c in range(self.components)]
        self.calls = 0

    def _view(self, codes: np.ndarray, item: int, reads: set[int]) -> View:
        state = _Reading(codes[:, item].tolist())
        state.reads = reads
        return View(self.system, state)

    def values(self, function: Callable[..., Any], columns: list[np.ndarray],
               extra: np.ndarray | None = None, label: Callable[[int], Any] | None = None) -> np.ndarray:
        """``function(*views)`` (or ``function(label(extra), *views)``) for every item, where
        ``columns[k]`` are the state indices of the k-th view of each item; an object array."""
        items = len(columns[0]) if columns else len(extra)  # type: ignore[arg-type]
        if items == 0:
            return np.zeros(0, dtype=object)
        picked = [self.codes[:, column] for column in columns]
        footprints: list[list[int]] = [[] for _ in columns]
        while True:
            parts = [] if extra is None else [extra.astype(np.int64)]
            for codes, footprint in zip(picked, footprints):
                parts.extend(codes[c] for c in footprint)
            radices = ([] if extra is None else [int(extra.max()) + 1]) + \
                [self.radix[c] for footprint in footprints for c in footprint]
            bound = 1
            for r in radices:
                bound *= r
            if parts and bound < 1 << 62:
                key = np.zeros(items, dtype=np.int64)
                for part, r in zip(parts, radices):
                    key = key * r + part
                _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            elif parts:
                keys = np.stack(parts, axis=1)
                _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
            else:
                first, inverse = np.zeros(1, dtype=np.int64), np.zeros(items, dtype=np.int64)
            answers = np.empty(len(first), dtype=object)
            grown = False
            for u, item in enumerate(first.tolist()):
                reads = [set() for _ in columns]
                views = [self._view(codes, item, r) for codes, r in zip(picked, reads)]
                args = views if extra is None else [label(int(extra[item])), *views]  # type: ignore[misc]
                self.calls += 1
                answers[u] = function(*args)
                for k, r in enumerate(reads):
                    if not r <= set(footprints[k]):
                        footprints[k] = sorted(set(footprints[k]) | r)
                        grown = True
                if grown:
                    break
            if not grown:
                return answers[inverse.reshape(-1)]

    def states(self, function: Callable[[View], Any]) -> np.ndarray:
        """``bool(function(view))`` for every state, in index order."""
        n = self.codes.shape[1]
        return self.values(lambda view: bool(function(view)), [np.arange(n)]).astype(bool)
