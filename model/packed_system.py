"""The real composed system (``system.System``) as a ``PackedSpace``: tables derived, never typed.

Encoding. Each declared machine's local states are the closure of its initial state under every
event it declares with every value its ``ARGUMENTS`` declare (the open domains, which node and
which volume, come from ``System.argument_values``), stepped by ``CompiledMachine``: so the codes
are the same in every process and fixed before the search. A system state is the mixed-radix
number of its components' codes, one ``uint64`` (a configuration whose product of closure sizes
exceeds 2**64 is refused with the figure). A step that leaves the closure (an argument outside
its declared domain) raises ``SpecificationError``.

Successors. ``System.action_groups`` splits the actions into groups that each read part of the
state. A group is evaluated by the composition's own code (``System``'s generators and ``_Tx``)
on a state whose reads are recorded; the result (labels, and the change of the packed number) is
a function of the components read, so it is memoised on their codes, the group's *footprint*,
and applied to a whole frontier at once with numpy. The footprint is learnt: an evaluation that
reads outside it widens it and drops that group's table. Nothing here knows about VSS; when
``spec/`` or ``system.py`` change, the tables follow. ``tests/model/test_packed_system.py``
requires the same states, edges and labels as the generic explorer.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator

import numpy as np
from statemachine.exceptions import TransitionNotAllowed

from .compiled import CompiledMachine, SpecificationError
from .config import Config
from .system import Label, System, _Tx

U64 = np.uint64
LABEL_CAPACITY = 1 << 16
"""Action ids a space may hand out (the explorers size their sort keys by ``len(labels)``)."""


def declared_events(machine: CompiledMachine, open_values: dict[str, tuple[Any, ...]]) -> list[tuple[str, tuple]]:
    """Every (event, sorted arguments) the declaration allows, in declaration order."""
    events = []
    for event in machine.events:
        domains = dict(machine.cls.ARGUMENTS.get(event, {}))
        for name, domain in domains.items():
            if not domain:
                if name not in open_values:
                    raise SpecificationError(f"{machine.name}.{event}: argument {name!r} has no domain")
                domains[name] = open_values[name]
        names = sorted(domains)
        for values in itertools.product(*(domains[n] for n in names)):
            events.append((event, tuple(zip(names, values))))
    return events


_CLOSURES: dict[tuple[Any, ...], tuple[list[tuple[Any, ...]], dict[Any, Any]]] = {}
"""Closures already computed in this process, by (class, parameters, role, events): the same
declaration gives the same codes, so a second configuration sharing them starts at once."""


def closure(machine: CompiledMachine, events: list[tuple[str, tuple]]) -> int:
    """Intern every local state reachable from the initial one (breadth first, so the codes are
    deterministic); returns how many there are."""
    if len(machine.locals) != 1:
        raise SpecificationError(f"{machine.name}: locals interned before the closure")
    key = (machine.cls, machine.params, machine.name, tuple(events))
    known = _CLOSURES.get(key)
    if known is not None:
        locals_, memo = known
        for local in locals_[1:]:
            machine.intern(local)
        machine._memo.update(memo)
        return len(machine.locals)
    declared = {source for source, _ in machine._table}
    by_event = [(event, arguments, {s for s, e in machine._table if e == event}) for event, arguments in events]
    head = 0
    while head < len(machine.locals):
        state = machine.locals[head][0]
        if state in declared:
            for event, arguments, sources in by_event:
                if state not in sources:
                    continue
                try:
                    machine.step(head, event, arguments)
                except TransitionNotAllowed:
                    continue
        head += 1
    _CLOSURES[key] = (list(machine.locals), dict(machine._memo))
    return len(machine.locals)


class _Reading(tuple):
    """A system state that records which components are read."""

    reads: set[int]

    def __getitem__(self, index: Any) -> Any:  # type: ignore[override]
        self.reads.add(index)
        return tuple.__getitem__(self, index)


class _Writing(list):
    """``_Tx``'s working copy of the state, recording reads the same way."""

    reads: set[int]

    def __getitem__(self, index: Any) -> Any:  # type: ignore[override]
        self.reads.add(index)
        return list.__getitem__(self, index)


class _Labels:
    """Interned labels; ``len`` is the fixed capacity so sort keys sized by it stay valid."""

    def __init__(self) -> None:
        self.items: list[Label] = []
        self.ids: dict[Label, int] = {}

    def intern(self, label: Label) -> int:
        found = self.ids.get(label)
        if found is None:
            if len(self.items) >= LABEL_CAPACITY:
                raise SpecificationError(f"more than {LABEL_CAPACITY} distinct actions")
            found = self.ids[label] = len(self.items)
            self.items.append(label)
        return found

    def __len__(self) -> int:
        return LABEL_CAPACITY

    def __getitem__(self, index: int) -> Label:
        return self.items[index]


class _Group:
    """One action group's learnt table: footprint, known keys (as codes), and per key its
    actions (action id, writes); ``publish`` turns them into arrays for the current encoding."""

    def __init__(self) -> None:
        self.footprint: list[int] = []
        self.reset()

    def reset(self) -> None:
        self.keys: list[tuple[int, ...]] = []
        self.offsets: list[int] = [0]
        self.actions: list[int] = []
        self.writes: list[tuple[tuple[int, int, int], ...]] = []
        self.sorted_keys = np.zeros(0, dtype=np.int64)
        self.sorted_entries = np.zeros(0, dtype=np.int64)
        self.offsets_np = np.zeros(1, dtype=np.int64)
        self.actions_np = np.zeros(0, dtype=np.int32)
        self.deltas_np = np.zeros(0, dtype=U64)
        self._keys_np = np.zeros(0, dtype=np.int64)
        self._published_keys, self._published_rows = 0, 0

    def key(self, codes: Any, sizes: list[int]) -> Any:
        key, stride = 0, 1
        for c, code in zip(self.footprint, codes):
            key = key + code * stride
            stride *= sizes[c]
        return key

    def publish(self, sizes: list[int], strides: list[int], full: bool = False) -> None:
        """Arrays for the current encoding; only the entries added since the last call are
        converted unless ``full`` (after the encoding changed)."""
        if full or self._published_keys > len(self.keys):
            self._published_keys, self._published_rows = 0, 0
            self._keys_np = np.zeros(0, dtype=np.int64)
            self.deltas_np = np.zeros(0, dtype=U64)
        fresh = np.array([self.key(k, sizes) for k in self.keys[self._published_keys:]], dtype=np.int64)
        rows = np.array([sum((new - old) * strides[c] for c, old, new in w) % (1 << 64)
                         for w in self.writes[self._published_rows:]], dtype=U64)
        self._keys_np = np.concatenate([self._keys_np, fresh])
        self.deltas_np = np.concatenate([self.deltas_np, rows])
        self._published_keys, self._published_rows = len(self.keys), len(self.writes)
        order = np.argsort(self._keys_np, kind="stable")
        self.sorted_keys, self.sorted_entries = self._keys_np[order], order.astype(np.int64)
        self.offsets_np = np.array(self.offsets, dtype=np.int64)
        self.actions_np = np.array(self.actions, dtype=np.int32)


class Widen(Exception):
    """A component's code outgrew its room in the learnt encoding (``VssSpace.widen``)."""

    def __init__(self, component: int) -> None:
        super().__init__(component)
        self.component = component


class VssSpace:
    """``PackedSpace`` (``model/packed_space.py``) of one configuration of the real system.

    ``encoding``: ``declared`` (codes from the declared closure: fixed, the same in every
    process; what the multi-process engines need) or ``learnt`` (codes in discovery order, each
    component's room doubled when outgrown: ``expand`` raises ``Widen`` and ``explore_vss``
    re-encodes what it stored; no closure to compute, and far fewer bits)."""

    def __init__(self, config: Config, replace: dict[type, type] | None = None,
                 encoding: str = "declared", closed: list[list[tuple[Any, ...]]] | None = None) -> None:
        self.config = config
        self.encoding = encoding
        self._variant = replace is not None
        self.system = system = System(config, replace)
        self.name = f"vss {config.name}"
        if encoding == "declared":
            open_values = system.argument_values()
            sizes: dict[int, int] = {}
            distinct = list({id(m): m for m in system.machines}.values())
            if closed is not None and len(closed) != len(distinct):
                raise ValueError(f"{config.name}: {len(closed)} closures for {len(distinct)} machines")
            for i, machine in enumerate(distinct):
                events = declared_events(machine, open_values)
                if closed is not None:
                    _CLOSURES.setdefault((machine.cls, machine.params, machine.name, tuple(events)),
                                         (closed[i], {}))
                sizes[id(machine)] = closure(machine, events)
            self._set_sizes([sizes[id(m)] for m in system.machines])
        elif encoding == "learnt":
            self._set_sizes([2] * len(system.machines))
        else:
            raise ValueError(f"encoding {encoding!r}: declared or learnt")
        self.labels = _Labels()
        self.groups = system.action_groups()
        self.tables = [_Group() for _ in self.groups]
        self.evaluations = 0

    def _set_sizes(self, sizes: list[int]) -> None:
        strides, total = [], 1
        for size in sizes:
            strides.append(total)
            total *= size
        if total > 1 << 64:
            raise ValueError(f"{self.config.name}: {total.bit_length()} bits a state (room per component "
                             f"{sizes}); one word holds 64")
        self.sizes, self.strides, self.states_bound = sizes, strides, total
        self.bits = max(1, (total - 1).bit_length())
        self._strides_np = np.array(strides, dtype=U64)
        self._sizes_np = np.array(sizes, dtype=U64)

    def widen(self, component: int) -> tuple[list[int], list[int]]:
        """Double the room of ``component`` (until its codes fit); returns the old
        (sizes, strides) for ``repack``. Every table is re-encoded."""
        old = (self.sizes, self.strides)
        sizes = list(self.sizes)
        need = len(self.system.machines[component].locals)
        for c, machine in enumerate(self.system.machines):
            while sizes[c] < len(machine.locals):
                sizes[c] *= 2
        while sizes[component] < need:
            sizes[component] *= 2
        self._set_sizes(sizes)
        for table in self.tables:
            table.publish(self.sizes, self.strides, full=True)
        return old

    def repack(self, states: np.ndarray, old: tuple[list[int], list[int]]) -> np.ndarray:
        """``states`` encoded with the old (sizes, strides), in the current encoding."""
        sizes, strides = old
        states = np.asarray(states, dtype=U64)
        out = np.zeros(len(states), dtype=U64)
        for c, (size, stride) in enumerate(zip(sizes, strides)):
            out += ((states // U64(stride)) % U64(size)) * U64(self.strides[c])
        return out

    def closed(self) -> list[list[tuple[Any, ...]]]:
        """Each distinct machine's declared closure (its local states in code order): handed to
        worker processes (``vss_space``) so they take the same codes without recomputing it."""
        if self.encoding != "declared":
            raise TypeError("only the declared encoding has a closure")
        return [list(m.locals[:size]) for m, size in
                {id(m): (m, self.sizes[c]) for c, m in enumerate(self.system.machines)}.values()]

    def __reduce__(self) -> tuple:
        """Pickled as its configuration: a worker derives the same codes from the declarations."""
        if self._variant or self.encoding != "declared":
            raise TypeError("only a VssSpace of the declared classes and encoding is picklable")
        return (VssSpace, (self.config,))

    # -- encoding -------------------------------------------------------------------------------
    def pack(self, state: tuple[int, ...]) -> int:
        return sum(code * stride for code, stride in zip(state, self.strides))

    def unpack(self, packed: int) -> tuple[int, ...]:
        packed = int(packed)
        return tuple((packed // s) % n for s, n in zip(self.strides, self.sizes))

    def codes(self, states: np.ndarray) -> np.ndarray:
        """Components' codes of every state: an int64 array (components x states)."""
        states = np.asarray(states, dtype=U64)
        return ((states[None, :] // self._strides_np[:, None]) % self._sizes_np[:, None]).astype(np.int64)

    def decode(self, states: np.ndarray) -> list[tuple[int, ...]]:
        """The generic explorer's state tuples (codes are ``system``'s interned local ids)."""
        return list(zip(*self.codes(states).tolist())) if len(states) else []

    # -- evaluating a group ---------------------------------------------------------------------
    def evaluate(self, g: int, state: tuple[int, ...]) -> tuple[set[int], list[tuple[int, tuple]]]:
        """(components read, [(action id, writes (component, old, new))]) of group ``g``."""
        self.evaluations += 1
        reads: set[int] = set()
        seen = _Reading(state)
        seen.reads = reads
        out = []
        machines = self.system.machines
        for actor, call, arguments, kind, effect in self.groups[g](seen):
            tx = _Tx(machines, state)
            working = _Writing(state)
            working.reads = reads
            tx.state = working
            result = effect(tx)
            if result is None:
                continue
            writes = []
            for c, (old, new) in enumerate(zip(state, working)):
                if new != old:
                    if c not in reads:
                        raise SpecificationError(f"component {c} written without being read")
                    if new >= self.sizes[c]:
                        if self.encoding == "learnt":
                            raise Widen(c)
                        raise SpecificationError(
                            f"{self.system.components[c].name}: a local state outside the declared "
                            f"closure (after {actor}: {call}{arguments}); an argument outside its domain?")
                    writes.append((c, old, new))
            label = Label(actor, call, arguments, result, kind, tuple(tx.steps))
            out.append((self.labels.intern(label), tuple(writes)))
        return reads, out

    def _group_successors(self, g: int, frontier: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(entry of each frontier state, keys), learning missing keys."""
        table = self.tables[g]
        while True:
            bound = 1
            for c in table.footprint:
                bound *= self.sizes[c]
            if bound > 1 << 62:
                raise ValueError(f"{self.config.name}: group {g} reads too much state to tabulate "
                                 f"({bound.bit_length()} bits of key)")
            key = table.key([codes[c] for c in table.footprint], self.sizes)
            if not isinstance(key, np.ndarray):
                key = np.zeros(len(frontier), dtype=np.int64)
            where = np.searchsorted(table.sorted_keys, key)
            where = np.minimum(where, max(len(table.sorted_keys) - 1, 0))
            found = (table.sorted_keys[where] == key) if len(table.sorted_keys) else np.zeros(len(key), bool)
            if found.all():
                return table.sorted_entries[where], key
            missing, first = np.unique(key[~found], return_index=True)
            positions = np.flatnonzero(~found)[first]
            grown = False
            for pos in positions.tolist():
                state = tuple(codes[:, pos].tolist())
                reads, out = self.evaluate(g, state)
                if not reads <= set(table.footprint):
                    table.footprint = sorted(set(table.footprint) | reads)
                    table.reset()
                    grown = True
                    break
                table.keys.append(tuple(state[c] for c in table.footprint))
                for action, writes in out:
                    table.actions.append(action)
                    table.writes.append(writes)
                table.offsets.append(len(table.actions))
            table.publish(self.sizes, self.strides)
            if grown:
                continue

    # -- PackedSpace ----------------------------------------------------------------------------
    def initial(self) -> np.ndarray:
        return np.array([self.pack(self.system.initial)], dtype=U64)

    def expand(self, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every enabled action of every frontier state, ordered by source and then in the order
        ``System.successors`` yields them (so discovery order is the generic explorer's)."""
        frontier = np.asarray(frontier, dtype=U64)
        n = len(frontier)
        codes = self.codes(frontier)
        parts = []
        total = np.zeros(n, dtype=np.int64)
        for g in range(len(self.groups)):
            entry, _ = self._group_successors(g, frontier, codes)
            table = self.tables[g]
            start = table.offsets_np[entry]
            count = table.offsets_np[entry + 1] - start
            parts.append((g, start, count, total.copy()))
            total += count
        state_offset = np.cumsum(total) - total
        m = int(total.sum())
        source = np.empty(m, dtype=np.int64)
        action = np.empty(m, dtype=np.int32)
        target = np.empty(m, dtype=U64)
        for g, start, count, base in parts:
            k = int(count.sum())
            if not k:
                continue
            table = self.tables[g]
            src = np.repeat(np.arange(n, dtype=np.int64), count)
            excl = np.cumsum(count) - count
            within = np.arange(k, dtype=np.int64) - np.repeat(excl, count)
            rows = np.repeat(start, count) + within
            out = state_offset[src] + base[src] + within
            source[out] = src
            action[out] = table.actions_np[rows]
            target[out] = frontier[src] + table.deltas_np[rows]
        return source, action, target

    def invariants(self) -> dict[str, Any]:
        return {}

    def successors_of(self, state: tuple[int, ...]) -> Iterator[tuple[Label, tuple[int, ...]]]:
        """One state's successors as the generic explorer sees them (for tests and traces)."""
        source, action, target = self.expand(np.array([self.pack(state)], dtype=U64))
        for a, t in zip(action.tolist(), target.tolist()):
            yield self.labels[a], self.unpack(t)


def vss_space(config: Config, closed: list[list[tuple[Any, ...]]] | None = None) -> VssSpace:
    """A module-level factory (picklable with its arguments) for the engines. ``closed``, the
    coordinator's ``VssSpace.closed()``, spares each worker the closure (19 s of the requester's
    24,539 local states in cluster-2008r2): its codes are the coordinator's by construction."""
    return VssSpace(config, closed=closed)
