"""The real composed system (``system.System``) as a ``PackedSpace``: tables derived, never typed.

Encoding. Each declared machine's local states are the closure of its initial state under every
event it declares with every value its ``ARGUMENTS`` declare (the open domains, which node and
which volume, come from ``System.argument_values``), stepped by ``CompiledMachine``: so the codes
are the same in every process and fixed before the search. A system state is the mixed-radix
number of its components' codes: one ``uint64`` while the product of the rooms fits 63 bits,
else W words (``words``), each the mixed-radix number of a run of consecutive components
whose product of rooms is below 2**63 (a component never straddles two words), stored as an
(n, W) ``uint64`` array (``model/words.py``). One word is the fast path and its arrays stay
flat. A step that leaves the closure (an argument outside its declared domain) raises
``SpecificationError``.

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
from .field_reads import WHOLE, FieldMachine, FieldState, Opaque
from .system import Label, System, _Tx

U64 = np.uint64
LABEL_CAPACITY = 1 << 16
WORD_BITS = 63
"""Bits of one word a state may use: below 2**63, so the visited sets' "stored plus one" is
never 0 (``hashset``). ``VssSpace(word_bits=...)`` lowers it, so that tests can split a state
that fits one word into several and compare the two."""
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
    """A system state that records which components are read: indexing one, and anything that
    sees them all (iteration, comparison, hashing, membership) all of them."""

    reads: set[int]

    def __getitem__(self, index: Any) -> Any:  # type: ignore[override]
        if isinstance(index, slice):
            self.reads.update(range(tuple.__len__(self))[index])
        else:
            self.reads.add(range(tuple.__len__(self))[index])
        return tuple.__getitem__(self, index)

    def _all(self, *_: Any) -> None:
        self.reads.update(range(tuple.__len__(self)))

    def __iter__(self) -> Any:
        self._all()
        return tuple.__iter__(self)

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]
        self._all()
        return tuple.__eq__(self, other)

    def __ne__(self, other: Any) -> bool:  # type: ignore[override]
        self._all()
        return tuple.__ne__(self, other)

    def __hash__(self) -> int:
        self._all()
        return tuple.__hash__(self)

    def __contains__(self, item: Any) -> bool:
        self._all()
        return tuple.__contains__(self, item)


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


def _mixed_key(footprint: list[int], codes: Any, sizes: list[int]) -> Any:
    """The mixed-radix number of ``codes`` (one per footprint component) under ``sizes``."""
    key, stride = 0, 1
    for c, code in zip(footprint, codes):
        key = key + code * stride
        stride *= sizes[c]
    return key


def _bound(footprint: list[int], sizes: list[int]) -> int:
    bound = 1
    for c in footprint:
        bound *= sizes[c]
    return bound


_PLAIN = (int, str, float, type(None))


def _closure_key(value: Any, system: Any, depth: int = 0) -> Any:
    """What an effect closure computes with, as a hashable value: its code and, recursively, the
    values its cells hold (the system itself by name). Two closures with equal keys take the
    same steps on the same state, so one slot serves every enumeration that yields it. Anything
    else is keyed by identity (kept alive by the slot's own closure, so never reused)."""
    kind = type(value)
    if kind is bool:
        return ("bool", value)  # True == 1: told apart from the int
    if kind in _PLAIN:
        return value
    if value is system:
        return "<system>"
    if depth < 8:
        if kind is tuple or kind is list:
            return (kind.__name__, tuple([_closure_key(v, system, depth + 1) for v in value]))
        code = getattr(value, "__code__", None)
        if code is not None:
            cells = value.__closure__
            defaults = value.__defaults__
            return ("fn", code,
                    tuple([_closure_key(c.cell_contents, system, depth + 1) for c in cells]) if cells else (),
                    tuple([_closure_key(d, system, depth + 1) for d in defaults]) if defaults else ())
    return ("id", id(value))


class _Rows:
    """Rows of code tuples appended in Python, kept as one int64 matrix (converted once each)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.pending: list[tuple[int, ...]] = []
        self.matrix = np.zeros((0, width), dtype=np.int64)

    def append(self, row: tuple[int, ...]) -> None:
        self.pending.append(row)

    def array(self) -> np.ndarray:
        if self.pending:
            fresh = np.array(self.pending, dtype=np.int64).reshape(len(self.pending), self.width)
            self.matrix = np.concatenate([self.matrix, fresh])
            self.pending = []
        return self.matrix

    def __len__(self) -> int:
        return len(self.matrix) + len(self.pending)


def _radix(footprint: list[int], sizes: list[int]) -> np.ndarray:
    """The place values of a footprint's codes in its mixed-radix key."""
    out, stride = [], 1
    for c in footprint:
        out.append(stride)
        stride *= sizes[c]
    return np.array(out, dtype=np.int64)


class _Enumeration:
    """One action group's learnt table of *which* actions it offers: the generator's own reads
    (its footprint of (component, field) reads; the effects' reads are not in it), and per key
    the slots it yields, in order (``VssSpace._slot``: one slot per distinct action, shared by
    every key that yields it). ``whole``: the generator read a state in a way field reads cannot
    follow, so its reads are whole components."""

    def __init__(self) -> None:
        self.footprint: list[tuple[int, int]] = []
        self.whole = False
        self.reset()

    def reset(self) -> None:
        self.keys = _Rows(len(self.footprint))
        self.offsets: list[int] = [0]
        self.slots: list[int] = []
        self.radices: list[int] = []
        self.sorted_keys = np.zeros(0, dtype=np.int64)
        self.sorted_entries = np.zeros(0, dtype=np.int64)
        self.offsets_np = np.zeros(1, dtype=np.int64)
        self.slots_np = np.zeros(0, dtype=np.int64)

    def publish(self, radices: list[int]) -> None:
        self.radices = list(radices)
        place, stride = [], 1
        for r in radices:
            place.append(stride)
            stride *= r
        keys = self.keys.array() @ np.array(place, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self.sorted_keys, self.sorted_entries = keys[order], order.astype(np.int64)
        self.offsets_np = np.array(self.offsets, dtype=np.int64)
        self.slots_np = np.array(self.slots, dtype=np.int64)


class _Effects:
    """The learnt effects of every slot that reads one footprint: per (slot, codes of the
    footprint) the action id (-1: not enabled) and the footprint's codes after it (every
    component written was read, so the change of the packed number follows)."""

    def __init__(self, footprint: list[int]) -> None:
        self.footprint = footprint
        self.rows_slot: list[int] = []
        self.rows_action: list[int] = []
        self.before = _Rows(len(footprint))
        self.after = _Rows(len(footprint))
        self.bound = 1
        self.sorted_keys = np.zeros(0, dtype=np.int64)
        self.actions_np = np.zeros(0, dtype=np.int32)
        self.deltas_np = np.zeros(0, dtype=U64)

    def append(self, slot: int, action: int, before: tuple[int, ...], after: tuple[int, ...]) -> None:
        self.rows_slot.append(slot)
        self.rows_action.append(action)
        self.before.append(before)
        self.after.append(after)

    def publish(self, sizes: list[int], strides: list[int], slot_class: np.ndarray, me: int,
                words: tuple[list[int], int] | None = None) -> None:
        """Arrays for the current encoding; rows of slots since moved to another class drop out.
        ``words``: (word of each component, W) when a state takes more than one word: the
        deltas are then one per word."""
        self.bound = bound = _bound(self.footprint, sizes)
        if len(slot_class) * bound >= 1 << 63:
            raise ValueError(f"an effect reads too much state to tabulate ({(len(slot_class) * bound).bit_length()}"
                             " bits of key)")
        slots = np.array(self.rows_slot, dtype=np.int64)
        keep = slot_class[slots] == me
        before, after = self.before.array()[keep], self.after.array()[keep]
        keys = slots[keep] * bound + before @ _radix(self.footprint, sizes)
        place = np.array([strides[c] for c in self.footprint], dtype=U64)
        if words is None:
            deltas = (after.astype(U64) * place).sum(axis=1, dtype=U64) - (before.astype(U64) * place).sum(axis=1, dtype=U64)
        else:  # per word: the components of the footprint that word holds (uint64 wraps, each word ends in range)
            deltas = np.zeros((len(after), words[1]), dtype=U64)
            of = np.array([words[0][c] for c in self.footprint], dtype=np.int64)
            for w in np.unique(of).tolist():
                here = of == w
                deltas[:, w] = ((after[:, here].astype(U64) * place[here]).sum(axis=1, dtype=U64)
                                - (before[:, here].astype(U64) * place[here]).sum(axis=1, dtype=U64))
        order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[order]
        self.actions_np = np.array(self.rows_action, dtype=np.int32)[keep][order]
        self.deltas_np = deltas[order]


def _lookup(sorted_keys: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position, found) of every key in a sorted table."""
    if not len(sorted_keys):
        return np.zeros(len(key), dtype=np.int64), np.zeros(len(key), dtype=bool)
    where = np.minimum(np.searchsorted(sorted_keys, key), len(sorted_keys) - 1)
    return where, sorted_keys[where] == key


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
                 encoding: str = "declared", closed: list[list[tuple[Any, ...]]] | None = None,
                 word_bits: int | None = None) -> None:
        word_bits = WORD_BITS if word_bits is None else word_bits  # read now: tests may lower the module's
        if not 1 <= word_bits <= 63:
            raise ValueError(f"word_bits {word_bits}: 1..63")
        self.word_bits = word_bits
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
        self.enumerations = [_Enumeration() for _ in self.groups]
        self.slot_items: list[tuple[str, str, tuple, str, Any]] = []
        self._slot_ids: dict[Any, int] = {}
        self.slot_class: list[int] = []
        self._slot_class_np = np.zeros(0, dtype=np.int64)
        self.effects: list[_Effects] = []
        self._effect_ids: dict[tuple[int, ...], int] = {}
        self._field_ids: dict[tuple[int, int], tuple[dict[Any, int], list[int]]] = {}
        self._field_np: dict[tuple[int, int], np.ndarray] = {}
        self.evaluations = 0
        """Generator runs plus effect runs: how much of the composition's own code was executed."""

    def _set_sizes(self, sizes: list[int]) -> None:
        """Rooms -> words: consecutive components fill a word while the product of their rooms
        stays within ``word_bits`` bits; ``strides`` are place values within a component's word."""
        limit = 1 << self.word_bits
        strides, word_of, total, words, within = [], [], 1, 0, 1
        for c, size in enumerate(sizes):
            if size > limit:
                raise ValueError(f"{self.config.name}: component {c} needs a room of {size} codes; "
                                 f"one word holds {self.word_bits} bits")
            if within * size > limit:
                words, within = words + 1, 1
            strides.append(within)
            word_of.append(words)
            within *= size
            total *= size
        self.sizes, self.strides, self.states_bound = sizes, strides, total
        self.word_of, self.words = word_of, words + 1
        self.bits = max(1, (total - 1).bit_length())
        """Bits of the whole state (over every word); the explorers pack sort keys with it while W is 1."""
        self._strides_np = np.array(strides, dtype=U64)
        self._sizes_np = np.array(sizes, dtype=U64)
        self._word_np = np.array(word_of, dtype=np.int64)
        self._words_arg = None if self.words == 1 else (word_of, self.words)

    def widen(self, component: int) -> tuple[list[int], list[int], list[int]]:
        """Double the room of ``component`` (until its codes fit); returns the old
        (sizes, strides, word of each component) for ``repack``. Every table is re-encoded; a
        state may take one word more than before."""
        old = (self.sizes, self.strides, self.word_of)
        sizes = list(self.sizes)
        need = len(self.system.machines[component].locals)
        for c, machine in enumerate(self.system.machines):
            while sizes[c] < len(machine.locals):
                sizes[c] *= 2
        while sizes[component] < need:
            sizes[component] *= 2
        self._set_sizes(sizes)
        for table in self.enumerations:
            table.publish(self._radices(table.footprint))
        for i, effects in enumerate(self.effects):
            effects.publish(self.sizes, self.strides, self._slot_class_np, i, self._words_arg)
        return old

    def repack(self, states: np.ndarray, old: tuple[list[int], list[int], list[int]]) -> np.ndarray:
        """``states`` encoded with the old (sizes, strides, words), in the current encoding."""
        sizes, strides, word_of = old
        states = np.asarray(states, dtype=U64)
        if states.ndim == 1 and self.words == 1:
            out = np.zeros(len(states), dtype=U64)
            for c, (size, stride) in enumerate(zip(sizes, strides)):
                out += ((states // U64(stride)) % U64(size)) * U64(self.strides[c])
            return out
        rows = states[:, None] if states.ndim == 1 else states
        codes = np.stack([(rows[:, w] // U64(stride)) % U64(size)
                          for size, stride, w in zip(sizes, strides, word_of)]).astype(np.int64)
        return self.pack_codes(codes)

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
        if self.word_bits != 63:
            return (VssSpace, (self.config, None, "declared", None, self.word_bits))
        return (VssSpace, (self.config,))

    # -- encoding -------------------------------------------------------------------------------
    def pack(self, state: tuple[int, ...]) -> Any:
        """One state's packed form: an int while a state is one word, else a tuple of W ints."""
        if self.words == 1:
            return sum(code * stride for code, stride in zip(state, self.strides))
        out = [0] * self.words
        for code, stride, w in zip(state, self.strides, self.word_of):
            out[w] += code * stride
        return tuple(out)

    def unpack(self, packed: Any) -> tuple[int, ...]:
        if self.words == 1:
            packed = int(packed)
            return tuple((packed // s) % n for s, n in zip(self.strides, self.sizes))
        row = [int(v) for v in packed]
        return tuple((row[w] // s) % n for s, n, w in zip(self.strides, self.sizes, self.word_of))

    def pack_codes(self, codes: np.ndarray) -> np.ndarray:
        """Packed states of a codes matrix (components x states): flat for one word, rows else."""
        codes = np.asarray(codes)
        if self.words == 1:
            return (codes.astype(U64) * self._strides_np[:, None]).sum(axis=0, dtype=U64)
        out = np.zeros((codes.shape[1], self.words), dtype=U64)
        for c in range(codes.shape[0]):
            out[:, self.word_of[c]] += codes[c].astype(U64) * self._strides_np[c]
        return out

    def codes(self, states: np.ndarray) -> np.ndarray:
        """Components' codes of every state: an int64 array (components x states)."""
        states = np.asarray(states, dtype=U64)
        if states.ndim == 2:
            if states.shape[1] != self.words:
                raise ValueError(f"{states.shape[1]}-word states; this encoding has {self.words}")
            return ((states.T[self._word_np] // self._strides_np[:, None]) % self._sizes_np[:, None]).astype(np.int64)
        return ((states[None, :] // self._strides_np[:, None]) % self._sizes_np[:, None]).astype(np.int64)

    def decode(self, states: np.ndarray) -> list[tuple[int, ...]]:
        """The generic explorer's state tuples (codes are ``system``'s interned local ids)."""
        return list(zip(*self.codes(states).tolist())) if len(states) else []

    # -- evaluating the composition's code -----------------------------------------------------
    def enumerate(self, g: int, state: tuple[int, ...]) -> tuple[set[tuple[int, int]], list[tuple[str, str, tuple, str, Any]]]:
        """((component, field) reads of the generator of group ``g``, the actions it yielded) in
        ``state``: field by field through proxies of the machines, or whole components if the
        group is marked ``whole`` (or turns out to need it)."""
        self.evaluations += 1
        table = self.enumerations[g]
        system = self.system
        if not table.whole:
            reads: set[tuple[int, int]] = set()
            machines = system.machines
            system.machines = [FieldMachine(m, reads) for m in machines]  # type: ignore[misc]
            try:
                return reads, list(self.groups[g](FieldState(state, reads)))  # type: ignore[arg-type]
            except Opaque:
                table.whole = True
                table.footprint = []
                table.reset()
            finally:
                system.machines = machines
        whole: set[int] = set()
        seen = _Reading(state)
        seen.reads = whole
        items = list(self.groups[g](seen))
        return {(c, WHOLE) for c in whole}, items

    def _field_table(self, c: int, index: int) -> list[int]:
        """Field value id of every code of component ``c`` known so far (grown as codes are)."""
        found = self._field_ids.get((c, index))
        if found is None:
            found = self._field_ids[(c, index)] = ({}, [])
        ids, table = found
        locals_ = self.system.machines[c].locals
        if len(table) < len(locals_):
            for local in locals_[len(table):]:
                value = local[index]
                table.append(ids.setdefault((type(value), value), len(ids)))
            self._field_np.pop((c, index), None)
        return table

    def _value(self, item: tuple[int, int], state: tuple[int, ...]) -> int:
        c, index = item
        return state[c] if index == WHOLE else self._field_table(c, index)[state[c]]

    def _column(self, item: tuple[int, int], codes: np.ndarray) -> np.ndarray:
        c, index = item
        if index == WHOLE:
            return codes[c]
        table = self._field_table(c, index)
        array = self._field_np.get(item)
        if array is None:
            array = self._field_np[item] = np.array(table, dtype=np.int64)
        return array[codes[c]]

    def _radices(self, footprint: list[tuple[int, int]]) -> list[int]:
        """The radix of each footprint read: the component's room, or the field's distinct values
        rounded up to a power of two (so it rarely changes)."""
        out = []
        for c, index in footprint:
            if index == WHOLE:
                out.append(self.sizes[c])
            else:
                self._field_table(c, index)
                out.append(max(2, 1 << (len(self._field_ids[(c, index)][0]) - 1).bit_length()))
        return out

    def apply(self, slot: int, state: tuple[int, ...]) -> tuple[set[int], int, tuple[tuple[int, int, int], ...]]:
        """(components read, action id or -1 if not enabled, writes (component, old, new)) of the
        effect of ``slot`` in ``state``."""
        self.evaluations += 1
        actor, call, arguments, kind, effect = self.slot_items[slot]
        reads: set[int] = set()
        tx = _Tx(self.system.machines, state)
        working = _Writing(state)
        working.reads = reads
        tx.state = working
        result = effect(tx)
        if result is None:
            return reads, -1, ()
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
        return reads, self.labels.intern(label), tuple(writes)

    def _effects_of(self, footprint: list[int]) -> int:
        key = tuple(footprint)
        found = self._effect_ids.get(key)
        if found is None:
            found = self._effect_ids[key] = len(self.effects)
            self.effects.append(_Effects(list(footprint)))
        return found

    def _slot(self, g: int, item: tuple[str, str, tuple, str, Any]) -> int:
        """The slot of one yielded action: shared by every enumeration yielding an equal one."""
        actor, call, arguments, kind, effect = item
        key = (g, actor, call, arguments, kind, _closure_key(effect, self.system))
        found = self._slot_ids.get(key)
        if found is None:
            found = self._slot_ids[key] = len(self.slot_items)
            self.slot_items.append(item)
            self.slot_class.append(-1)
        return found

    def _slots(self, g: int, codes: np.ndarray) -> np.ndarray:
        """The enumeration entry of every state of a frontier in group ``g``, learning missing keys."""
        table = self.enumerations[g]
        n = codes.shape[1]
        while True:
            columns = [self._column(item, codes) for item in table.footprint]
            radices = self._radices(table.footprint)
            bound = 1
            for r in radices:
                bound *= r
            if bound > 1 << 62:
                raise ValueError(f"{self.config.name}: group {g} reads too much state to tabulate")
            if radices != table.radices:
                table.publish(radices)
            key = np.zeros(n, dtype=np.int64)
            stride = 1
            for column, r in zip(columns, radices):
                key += column * stride
                stride *= r
            where, found = _lookup(table.sorted_keys, key)
            if found.all():
                return table.sorted_entries[where]
            _, first = np.unique(key[~found], return_index=True)
            for pos in np.flatnonzero(~found)[first].tolist():
                state = tuple(codes[:, pos].tolist())
                whole = table.whole
                reads, items = self.enumerate(g, state)
                if table.whole != whole or not reads <= set(table.footprint):
                    table.footprint = sorted(set(table.footprint) | reads)
                    table.reset()
                    break
                table.keys.append(tuple([self._value(item, state) for item in table.footprint]))
                for item in items:
                    table.slots.append(self._slot(g, item))
                table.offsets.append(len(table.slots))
            table.publish(self._radices(table.footprint))
            self._slot_class_np = np.array(self.slot_class, dtype=np.int64)

    def _learn_effect(self, slot: int, state: tuple[int, ...], touched: set[int]) -> bool:
        """Evaluate ``slot`` in ``state`` and record the row (valid for every state that agrees on
        the footprint, which holds what it read). True if the slot moved to a wider footprint (its
        old rows drop out; ``touched`` collects the tables to publish again)."""
        reads, action, writes = self.apply(slot, state)
        c = self.slot_class[slot]
        moved = c < 0 or not reads <= set(self.effects[c].footprint)
        if moved:
            if c >= 0:
                touched.add(c)
            c = self._effects_of(sorted(set(self.effects[c].footprint if c >= 0 else ()) | reads))
            self.slot_class[slot] = c
            self._slot_class_np[slot] = c
        touched.add(c)
        effects = self.effects[c]
        after = list(state)
        for component, _, new in writes:
            after[component] = new
        effects.append(slot, action, tuple([state[k] for k in effects.footprint]),
                       tuple([after[k] for k in effects.footprint]))
        return moved

    def _effects(self, slot: np.ndarray, src: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(action id or -1, delta) of every (slot, source state) pair, learning missing rows.

        Entries answered stay answered while learning goes on: a pass ends when a slot is seen
        for the first time or moves to a wider footprint, and the next pass looks up only the
        entries still open and those of the slots that moved (their old rows dropped out). A
        frontier chunk holds ~10^6 entries and learning takes hundreds of passes on a large
        configuration; redoing every lookup each pass was a third of the exploring time."""
        m = len(slot)
        action = np.empty(m, dtype=np.int32)
        delta = np.empty(m, dtype=U64) if self.words == 1 else np.empty((m, self.words), dtype=U64)
        done = np.zeros(m, dtype=bool)
        open_ = np.arange(m, dtype=np.int64)
        while len(open_):
            every = len(open_) == m  # the first pass (and the only one once tables are learnt)
            klass = self._slot_class_np[slot if every else slot[open_]]
            order = np.argsort(klass, kind="stable")
            classes, starts = np.unique(klass[order], return_index=True)
            ends = starts[1:].tolist() + [len(open_)]
            touched: set[int] = set()
            moved: set[int] = set()
            first_seen = False
            answered = []
            for c, a, b in zip(classes.tolist(), starts.tolist(), ends):
                pick = order[a:b] if every else open_[order[a:b]]
                if c < 0:  # slots never evaluated: one state each tells their footprint
                    _, first = np.unique(slot[pick], return_index=True)
                    for p in pick[first].tolist():
                        self._learn_effect(int(slot[p]), tuple(codes[:, src[p]].tolist()), touched)
                    first_seen = True
                    break
                effects = self.effects[c]
                at = src[pick]
                while True:
                    key = slot[pick] * effects.bound + _mixed_key(
                        effects.footprint, [codes[f][at] for f in effects.footprint], self.sizes)
                    where, found = _lookup(effects.sorted_keys, key)
                    if found.all():
                        action[pick] = effects.actions_np[where]
                        delta[pick] = effects.deltas_np[where]
                        answered.append(pick)
                        break
                    _, first = np.unique(key[~found], return_index=True)
                    for p in pick[np.flatnonzero(~found)[first]].tolist():
                        if self._learn_effect(int(slot[p]), tuple(codes[:, src[p]].tolist()), touched):
                            moved.add(int(slot[p]))
                    if moved:
                        break
                    effects.publish(self.sizes, self.strides, self._slot_class_np, c, self._words_arg)
                    touched.discard(c)
                if moved:
                    break
            for t in touched:
                self.effects[t].publish(self.sizes, self.strides, self._slot_class_np, t, self._words_arg)
            if not (moved or first_seen):
                return action, delta
            if answered:
                done[np.concatenate(answered)] = True
            if moved:  # answered in this pass or an earlier one from rows that dropped out
                done[np.isin(slot, np.fromiter(moved, dtype=np.int64))] = False
            open_ = np.flatnonzero(~done)
        return action, delta

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
            entry = self._slots(g, codes)
            table = self.enumerations[g]
            start = table.offsets_np[entry]
            count = table.offsets_np[entry + 1] - start
            parts.append((table, start, count, total.copy()))
            total += count
        state_offset = np.cumsum(total) - total
        m = int(total.sum())
        slot = np.empty(m, dtype=np.int64)
        source = np.empty(m, dtype=np.int64)
        for table, start, count, base in parts:
            k = int(count.sum())
            if not k:
                continue
            src = np.repeat(np.arange(n, dtype=np.int64), count)
            excl = np.cumsum(count) - count
            within = np.arange(k, dtype=np.int64) - np.repeat(excl, count)
            out = state_offset[src] + base[src] + within
            source[out] = src
            slot[out] = table.slots_np[np.repeat(start, count) + within]
        action, delta = self._effects(slot, source, codes)
        enabled = action >= 0
        source, action, delta = source[enabled], action[enabled], delta[enabled]
        with np.errstate(over="ignore"):  # per word: a lower code's delta wraps, the sum is in range
            return source, action, frontier[source] + delta

    def invariants(self) -> dict[str, Any]:
        return {}

    def successors_of(self, state: tuple[int, ...]) -> Iterator[tuple[Label, tuple[int, ...]]]:
        """One state's successors as the generic explorer sees them (for tests and traces)."""
        source, action, target = self.expand(np.array([self.pack(state)], dtype=U64))
        for a, t in zip(action.tolist(), target.tolist()):
            yield self.labels[a], self.unpack(t)


def vss_space(config: Config, closed: list[list[tuple[Any, ...]]] | None = None,
              word_bits: int | None = None) -> VssSpace:
    """A module-level factory (picklable with its arguments) for the engines. ``closed``, the
    coordinator's ``VssSpace.closed()``, spares each worker the closure (19 s of the requester's
    24,539 local states in cluster-2008r2): its codes are the coordinator's by construction."""
    return VssSpace(config, closed=closed, word_bits=word_bits)
