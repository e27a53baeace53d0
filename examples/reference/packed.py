"""The reference model compiled into a ``PackedSpace``: table look-ups on bit fields of a uint64.

Derived, never re-typed: each machine's local states are the closure of its initial state under
the events the composition fires (``system.Action``), stepped by ``CompiledMachine`` (which runs
the declared guards and effects). A local state's code is its interned id, so a packed state
decodes field by field into exactly the generic explorer's state tuple. Every local event becomes
an int64 table ``code -> next code`` (-1: not allowed); an action is the composition of its
fires' tables, vectorised over a whole frontier with numpy. ``tests/reference`` cross-checks the
packed exploration against the generic one (same states, same transitions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from statemachine.exceptions import TransitionNotAllowed

from shadowspec.model.compiled import CompiledMachine

from .properties import PROPERTIES, ReferenceProperty
from .system import Action, ReferenceSystem

U64 = np.uint64


def _closure(machine: CompiledMachine, steps: list[tuple[str, tuple]]) -> None:
    """Intern every local state reachable from the initial one under ``steps``."""
    todo, seen = [machine.initial], {machine.initial}
    while todo:
        local = todo.pop()
        for event, arguments in steps:
            try:
                _, nxt, _ = machine.step(local, event, arguments)
            except TransitionNotAllowed:
                continue
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    if len(machine.locals) != len(seen):  # dense codes: every interned local is in the closure
        raise RuntimeError(f"{machine.name}: interned locals outside the closure")


def _table(machine: CompiledMachine, event: str, arguments: tuple) -> np.ndarray:
    table = np.full(len(machine.locals), -1, dtype=np.int64)
    for local in range(len(machine.locals)):
        try:
            table[local] = machine.step(local, event, arguments)[1]
        except TransitionNotAllowed:
            pass
    return table


@dataclass
class _Compiled:
    """One action as look-ups: (field, table) updates in order, and the DoSnapshotSet effect."""

    updates: list[tuple[int, np.ndarray]]
    snapshot_field: int = -1
    held: np.ndarray | None = None        # [requester code, v] -> bool
    snapshot_table: np.ndarray | None = None
    covered_by: int = -1                  # an earlier action with the same target wherever enabled


class ReferenceSpace:
    """``PackedSpace`` of the reference model (``model/packed_space.py``)."""

    def __init__(self, requesters: int, volumes: int, symmetry: bool = False,
                 classes: tuple[type, type] | None = None) -> None:
        """``classes``: declared variants of the two machines (tests); default the real ones."""
        self.system = system = (ReferenceSystem(requesters, volumes) if classes is None
                                else ReferenceSystem(requesters, volumes, classes))
        self._variant = classes is not None
        self.requesters, self.volumes, self.symmetry = requesters, volumes, symmetry
        self.name = f"reference R={requesters} V={volumes}" + (" (symmetry)" if symmetry else "")
        steps: dict[int, list[tuple[str, tuple]]] = {}
        for action in system.actions:
            for fire in action.fires:
                steps.setdefault(fire.component, []).append((fire.event, fire.arguments))
            if action.snapshot_of >= 0:
                steps.setdefault(system.volume_component(1), []).append(("snapshot_taken", ()))
        req, vol = system.requester_machine, system.volume_machine
        _closure(req, list(dict.fromkeys(steps[0])))
        _closure(vol, list(dict.fromkeys(s for c in range(requesters, requesters + volumes)
                                         for s in steps.get(c, []))))
        self.field_bits = [max(1, (len(m.locals) - 1).bit_length()) for m in system.machines]
        self.shifts = np.cumsum([0] + self.field_bits[:-1]).tolist()
        self.bits = sum(self.field_bits)
        if self.bits > 63:
            raise ValueError(f"reference R={requesters} V={volumes} needs {self.bits} bits; at most 63 fit")
        self.masks = [(1 << b) - 1 for b in self.field_bits]
        self.labels = [(a.actor, a.call, a.arguments) for a in system.actions]
        self._tables: dict[tuple[int, str, tuple], np.ndarray] = {}
        self.compiled = [self._compile(a) for a in system.actions]
        self._fold_duplicates()
        self.property_tables = {p.id: self._property_tables(p) for p in PROPERTIES}
        if symmetry:
            from .symmetry import Canonicaliser
            self.canonical = Canonicaliser(self)

    def __reduce__(self) -> tuple:
        """Pickled as its arguments (worker processes rebuild the tables from the declarations)."""
        if self._variant:
            raise TypeError("a ReferenceSpace of variant classes is not picklable")
        return (ReferenceSpace, (self.requesters, self.volumes, self.symmetry))

    # -- compiling ----------------------------------------------------------------------------
    def _machine_table(self, component: int, event: str, arguments: tuple) -> np.ndarray:
        machine = self.system.machines[component]
        key = (id(machine), event, arguments)
        if key not in self._tables:
            self._tables[key] = _table(machine, event, arguments)
        return self._tables[key]

    def _compile(self, action: Action) -> _Compiled:
        updates: list[tuple[int, np.ndarray]] = []
        for fire in action.fires:
            table = self._machine_table(fire.component, fire.event, fire.arguments)
            for i, (field, earlier) in enumerate(updates):
                if field == fire.component:  # a second event on the same component: compose
                    updates[i] = (field, np.where(earlier >= 0, table[np.maximum(earlier, 0)], -1))
                    break
            else:
                updates.append((fire.component, table))
        compiled = _Compiled(updates)
        if action.snapshot_of >= 0:
            req = self.system.requester_machine
            compiled.snapshot_field = action.snapshot_of
            compiled.held = np.array([[v in self.system.held(code) for v in range(1, self.volumes + 1)]
                                      for code in range(len(req.locals))], dtype=bool)
            compiled.snapshot_table = self._machine_table(self.system.volume_component(1), "snapshot_taken", ())
        return compiled

    def _fold_duplicates(self) -> None:
        """Mark each single-field action whose target, wherever it is enabled, equals an earlier
        action's target from the same state (e.g. the clear of one volume from every node): the
        fast path generates it once and counts it as often as it occurs."""
        for b, cb in enumerate(self.compiled):
            if cb.snapshot_field >= 0 or len(cb.updates) != 1:
                continue
            field, tb = cb.updates[0]
            enabled_b = tb >= 0
            for a in range(b):
                ca = self.compiled[a]
                if ca.covered_by >= 0 or ca.snapshot_field >= 0 or len(ca.updates) != 1:
                    continue
                fa, ta = ca.updates[0]
                if fa == field and np.all(ta[enabled_b] == tb[enabled_b]):
                    cb.covered_by = a
                    break

    def _property_tables(self, prop: ReferenceProperty) -> dict[str, np.ndarray]:
        req, vol = self.system.requester_machine, self.system.volume_machine
        reqs = [req.record(c) for c in range(len(req.locals))]
        vols = [vol.record(c) for c in range(len(vol.locals))]
        if prop.scope == "volume":
            return {"ok": np.array([prop.holds(x) for x in vols], dtype=bool)}
        applies = np.array([prop.applies(x) for x in reqs], dtype=bool)
        if prop.scope == "requester":
            return {"ok": np.array([prop.holds(x) for x in reqs], dtype=bool), "applies": applies}
        ok = np.array([[[prop.holds(r, v, x) for x in vols] for r in reqs]
                       for v in range(1, self.volumes + 1)], dtype=bool)
        return {"ok": ok, "applies": applies}

    # -- encoding -----------------------------------------------------------------------------
    def pack(self, state: tuple[int, ...]) -> int:
        return sum(code << shift for code, shift in zip(state, self.shifts))

    def unpack(self, packed: int) -> tuple[int, ...]:
        packed = int(packed)
        return tuple((packed >> s) & m for s, m in zip(self.shifts, self.masks))

    def field(self, states: np.ndarray, component: int) -> np.ndarray:
        return ((states >> U64(self.shifts[component])) & U64(self.masks[component])).astype(np.intp)

    # -- PackedSpace ----------------------------------------------------------------------------
    def initial(self) -> np.ndarray:
        start = np.array([self.pack(self.system.initial)], dtype=U64)
        return self.canonical(start) if self.symmetry else start

    def _fire(self, a: int, frontier: np.ndarray, codes: list[np.ndarray],
              moved_only: bool) -> tuple[np.ndarray, np.ndarray]:
        """(source positions, targets) of action ``a`` over ``frontier``."""
        c = self.compiled[a]
        field, table = c.updates[0]
        new = table[codes[field]]
        if moved_only and len(c.updates) == 1 and c.snapshot_field < 0:
            source = np.flatnonzero((new >= 0) & (new != codes[field]))
        else:
            source = np.flatnonzero(new >= 0)
        target = frontier[source]
        new = new[source]
        for i, (field, table) in enumerate(c.updates):
            if i:
                new = table[codes[field][source]]
                keep = new >= 0
                if not keep.all():
                    source, target, new = source[keep], target[keep], new[keep]
            shift = U64(self.shifts[field])
            target = (target & ~U64(self.masks[field] << self.shifts[field])) | (new.astype(U64) << shift)
        if c.snapshot_field >= 0:
            held = c.held[codes[c.snapshot_field][source]]
            for v in range(self.volumes):
                comp = self.system.volume_component(v + 1)
                old = codes[comp][source]
                new = np.where(held[:, v], c.snapshot_table[old], old)
                shift = U64(self.shifts[comp])
                target = (target & ~U64(self.masks[comp] << self.shifts[comp])) | (new.astype(U64) << shift)
        if moved_only and (len(c.updates) > 1 or c.snapshot_field >= 0):
            keep = target != frontier[source]
            source, target = source[keep], target[keep]
        return source, target

    def expand(self, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        frontier = np.asarray(frontier, dtype=U64)
        codes = [self.field(frontier, i) for i in range(len(self.field_bits))]
        parts = [(a, *self._fire(a, frontier, codes, moved_only=False)) for a in range(len(self.compiled))]
        source = np.concatenate([p[1] for p in parts]).astype(np.int64)
        action = np.concatenate([np.full(len(p[1]), p[0], dtype=np.int32) for p in parts])
        target = np.concatenate([p[2] for p in parts]).astype(U64)
        if self.symmetry:
            target = self.canonical(target)
        order = np.argsort(source * len(self.compiled) + action, kind="stable")
        return source[order], action[order], target[order]

    def successors(self, frontier: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        """The explorer's fast path: ``(transitions, source, action, target)`` where
        ``transitions`` counts every enabled action, and the triples leave out self-loops and
        actions whose target an earlier action from the same source already gives; in no
        particular order."""
        frontier = np.asarray(frontier, dtype=U64)
        codes = [self.field(frontier, i) for i in range(len(self.field_bits))]
        histograms = [np.bincount(c, minlength=1 << b) for c, b in zip(codes, self.field_bits)]
        transitions = 0
        sources, actions, targets = [], [], []
        for a, c in enumerate(self.compiled):
            if len(c.updates) == 1:
                field, table = c.updates[0]
                transitions += int(histograms[field][: len(table)] @ (table >= 0))
            if c.covered_by >= 0:
                continue
            source, target = self._fire(a, frontier, codes, moved_only=True)
            if len(c.updates) > 1:
                first, table = c.updates[0]
                en = table[codes[first]] >= 0
                for field, table in c.updates[1:]:
                    en &= table[codes[field]] >= 0
                transitions += int(np.count_nonzero(en))
            sources.append(source)
            actions.append(np.full(len(source), a, dtype=np.int32))
            targets.append(target)
        target = np.concatenate(targets)
        if self.symmetry:
            target = self.canonical(target)
            # a move can be a self-loop up to symmetry
            source = np.concatenate(sources)
            keep = target != frontier[source]
            return transitions, source[keep], np.concatenate(actions)[keep], target[keep]
        return transitions, np.concatenate(sources), np.concatenate(actions), target

    def invariants(self) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
        return {p.id: (lambda states, p=p: self.check(p.id, states)) for p in PROPERTIES}

    def check(self, prop_id: str, states: np.ndarray) -> np.ndarray:
        """True where property ``prop_id`` holds in each packed state."""
        prop = next(p for p in PROPERTIES if p.id == prop_id)
        tables = self.property_tables[prop_id]
        ok = np.ones(len(states), dtype=bool)
        R, V = self.requesters, self.volumes
        if prop.scope == "volume":
            for v in range(V):
                ok &= tables["ok"][self.field(states, R + v)]
        elif prop.scope == "requester":
            for r in range(R):
                ok &= tables["ok"][self.field(states, r)]
        else:
            for r in range(R):
                rc = self.field(states, r)
                for v in range(V):
                    ok &= tables["ok"][v][rc, self.field(states, R + v)]
        return ok

    def applies(self, prop_id: str, states: np.ndarray) -> int:
        """How many of ``states`` the property says something about (never vacuous)."""
        prop = next(p for p in PROPERTIES if p.id == prop_id)
        if prop.scope == "volume":
            return len(states)
        table = self.property_tables[prop_id]["applies"]
        hit = np.zeros(len(states), dtype=bool)
        for r in range(self.requesters):
            hit |= table[self.field(states, r)]
        return int(np.count_nonzero(hit))


def reference_space(requesters: int, volumes: int, symmetry: bool = False) -> ReferenceSpace:
    """The reference model's ``PackedSpace`` (a module-level factory: picklable with its args)."""
    return ReferenceSpace(requesters, volumes, symmetry)
