"""Properties evaluated on every state (or edge) at once: each predicate once per distinct value
of what it reads.

A catalogue predicate reads a state only through ``View``: one field of a component's local
state (its state name, a variable), a component's whole local state, or the state tuple. Given a
view that records those reads (its *footprint*), a predicate's value is a function of those
fields' values (and of the edge label, for edge predicates). So the predicate is
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
    """A state tuple that records the components read whole (as ``(component, WHOLE)``): any
    indexing, iteration, comparison or hashing."""

    reads: set[tuple[int, int]]
    view: int = 0

    def _all(self) -> None:
        self.reads.update((c, WHOLE) for c in range(tuple.__len__(self)))

    def __getitem__(self, index: Any) -> Any:  # type: ignore[override]
        if isinstance(index, slice):
            self.reads.update((c, WHOLE) for c in range(tuple.__len__(self))[index])
        else:
            self.reads.add((range(tuple.__len__(self))[index], WHOLE))
        return tuple.__getitem__(self, index)

    def __iter__(self) -> Any:
        self._all()
        return tuple.__iter__(self)

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]
        if isinstance(other, _Reading) and other is not self:  # two views' states: equal or not, no more
            self.reads.add((EQUAL, other.view))
            other.reads.add((EQUAL, self.view))
        else:
            self._all()
        return tuple.__eq__(self, other)

    def __ne__(self, other: Any) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    def __hash__(self) -> int:
        self._all()
        return tuple.__hash__(self)

    def __contains__(self, item: Any) -> bool:
        self._all()
        return tuple.__contains__(self, item)

    def __lt__(self, other: Any) -> bool:  # type: ignore[override]
        self._all()
        return tuple.__lt__(self, other)

    def __le__(self, other: Any) -> bool:  # type: ignore[override]
        self._all()
        return tuple.__le__(self, other)

    def __gt__(self, other: Any) -> bool:  # type: ignore[override]
        self._all()
        return tuple.__gt__(self, other)

    def __ge__(self, other: Any) -> bool:  # type: ignore[override]
        self._all()
        return tuple.__ge__(self, other)


WHOLE = -1
"""The field index of a read of a component's whole local state."""

EQUAL = -2
"""``(EQUAL, k)``: the read of whether this view's state equals view k's (states are unique by
index, so it is the comparison of their indices)."""


class _FieldView(View):
    """A ``View`` that records what it reads: one field ``(component, index)`` through
    ``_field``/``_var`` (the predicate's value depends on that field only), a whole component
    through ``_local`` or the state tuple itself."""

    __slots__ = ("reads",)

    def _local(self, component: int) -> tuple[Any, ...]:
        self.reads.add((component, WHOLE))
        return self.system.machines[component].locals[tuple.__getitem__(self.state, component)]

    def _field(self, component: int, index: int) -> Any:
        self.reads.add((component, index))
        return self.system.machines[component].locals[tuple.__getitem__(self.state, component)][index]

    def _var(self, component: int, name: str) -> Any:
        machine = self.system.machines[component]
        return self._field(component, 1 + machine.variables.index(name))


def distinct(key: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.unique(key, return_index=True, return_inverse=True)[1:]`` for keys in [0, bound):
    by a table of the bound when it is small (no sort), else by ``numpy.unique``."""
    if bound > max(4 * len(key), 1 << 16):
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return first, inverse
    seen = np.full(bound, len(key), dtype=np.int64)
    np.minimum.at(seen, key, np.arange(len(key), dtype=np.int64))
    present = np.flatnonzero(seen < len(key))
    rank = np.zeros(bound, dtype=np.int64)
    rank[present] = np.arange(len(present), dtype=np.int64)
    return seen[present], rank[key]


class Tabulator:
    """Codes of every explored state (components x states) and the tabulated predicates."""

    def __init__(self, system: System, states: Sequence[tuple[int, ...]]) -> None:
        self.system = system
        self.components = len(system.machines)
        codes = (np.array(states, dtype=np.int64).T.copy() if len(states)
                 else np.zeros((self.components, 0), dtype=np.int64))
        self.radix = [int(codes[c].max()) + 1 if codes.shape[1] else 1 for c in range(self.components)]
        # the smallest integer type that holds every code: only ever an index (88 -> 22 bytes a
        # state in ``default``)
        self.codes = codes.astype(np.min_scalar_type(max(self.radix, default=1)))
        self._fields: dict[tuple[int, int], tuple[np.ndarray, int]] = {}
        self._learnt: dict[Any, list[list[tuple[int, int]]]] = {}
        self.calls = 0

    def field(self, read: tuple[int, int]) -> tuple[np.ndarray, int]:
        """(value id of the field for every code of the component, how many ids)."""
        found = self._fields.get(read)
        if found is None:
            component, index = read
            if index == WHOLE:
                found = (np.arange(self.radix[component], dtype=np.int64), self.radix[component])
            else:
                ids: dict[Any, int] = {}
                locals_ = self.system.machines[component].locals
                table = [ids.setdefault((type(local[index]), local[index]), len(ids))
                         for local in locals_[:self.radix[component]]]
                found = (np.array(table, dtype=np.int64), max(len(ids), 1))
            self._fields[read] = found
        return found

    def _view(self, state_index: int, reads: set[tuple[int, int]], k: int = 0) -> View:
        state = _Reading(self.codes[:, state_index].tolist())
        state.reads, state.view = reads, k
        view = _FieldView(self.system, state)
        view.reads = reads
        return view

    def values(self, function: Callable[..., Any], columns: list[np.ndarray],
               extra: np.ndarray | None = None, label: Callable[[int], Any] | None = None,
               memo: Any = None) -> np.ndarray:
        """``function(*views)`` (or ``function(label(extra), *views)``) for every item, where
        ``columns[k]`` are the state indices of the k-th view of each item; an object array.
        ``memo``: a key under which the learnt footprints are kept for the next call with the
        same predicate (any starting footprint is sound: reads outside it still widen it)."""
        items = len(columns[0]) if columns else len(extra)  # type: ignore[arg-type]
        if items == 0:
            return np.zeros(0, dtype=object)
        footprints: list[list[tuple[int, int]]] = [list(f) for f in self._learnt.get(memo, [[] for _ in columns])] \
            if memo is not None else [[] for _ in columns]
        gathered: dict[tuple[int, tuple[int, int]], tuple[np.ndarray, int]] = {}

        def part(k: int, read: tuple[int, int]) -> tuple[np.ndarray, int]:
            found = gathered.get((k, read))
            if found is None and read[0] == EQUAL:
                found = gathered[(k, read)] = ((columns[k] == columns[read[1]]).astype(np.int64), 2)
            elif found is None:
                ids, radix = self.field(read)
                found = gathered[(k, read)] = (ids[self.codes[read[0]][columns[k]]], radix)
            return found

        while True:
            parts = [] if extra is None else [(extra.astype(np.int64), int(extra.max()) + 1)]
            for k, footprint in enumerate(footprints):
                parts.extend(part(k, read) for read in footprint)
            bound = 1
            for _, r in parts:
                bound *= r
            if parts and bound < 1 << 62:
                key = np.zeros(items, dtype=np.int64)
                for values, r in parts:
                    key = key * r + values
                first, inverse = distinct(key, bound)
            elif parts:
                keys = np.stack([values for values, _ in parts], axis=1)
                _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
            else:
                first, inverse = np.zeros(1, dtype=np.int64), np.zeros(items, dtype=np.int64)
            answers = np.empty(len(first), dtype=object)
            grown = False
            known = [set(footprint) for footprint in footprints]
            for u, item in enumerate(first.tolist()):
                reads: list[set[tuple[int, int]]] = [set() for _ in columns]
                views = [self._view(int(column[item]), r, k) for k, (column, r) in enumerate(zip(columns, reads))]
                args = views if extra is None else [label(int(extra[item])), *views]  # type: ignore[misc]
                self.calls += 1
                answers[u] = function(*args)
                for k, r in enumerate(reads):
                    if not r <= known[k]:
                        footprints[k] = sorted(known[k] | r)
                        grown = True
                if grown:
                    break
            if not grown:
                if memo is not None:
                    self._learnt[memo] = [list(f) for f in footprints]
                return answers[inverse.reshape(-1)]

    def states(self, function: Callable[[View], Any]) -> np.ndarray:
        """``bool(function(view))`` for every state, in index order."""
        n = self.codes.shape[1]
        return self.values(lambda view: bool(function(view)), [np.arange(n)]).astype(bool)
