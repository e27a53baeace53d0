"""Declared machines compiled into fast, memoised step functions over hashable local states.

Driving python-statemachine instances costs about 150 microseconds an event; an exhaustive search
needs millions of steps. So each declared class is read once through the library's introspection
(states, transitions in declaration order, ``cond``/``unless``, the ``on`` callbacks) and its
guards and effects are called directly on a plain record. A local state is the tuple
``(state, *variables)``, interned to a small integer; a step is memoised on
``(local id, event, arguments)``, so the search mostly does dictionary look-ups.

Nothing here knows about VSS. ``tests/model/test_compiled_against_engine.py`` replays explored
steps through the real engine and requires identical results and states.
"""

from __future__ import annotations

import inspect
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from statemachine.event import Event
from statemachine.exceptions import TransitionNotAllowed

from shadowspec.spec.vocabulary import Record, SpecMachine

Arguments = tuple[tuple[str, Any], ...]
"""Event arguments as sorted (name, value) pairs: hashable and deterministic."""


class SpecificationError(Exception):
    """A declaration the compiler cannot honour faithfully (it would drift from the engine)."""


@dataclass(frozen=True)
class TransitionId:
    """One declared transition: the unit of coverage and of rule citation."""

    machine: str
    source: str
    event: str
    index: int
    target: str
    result: str
    rules: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.machine}.{self.event}: {self.source} -> {self.target} [{self.result}]"


@dataclass(frozen=True)
class _Call:
    function: Callable[..., Any]
    parameters: frozenset[str] | None  # None: accepts **kwargs

    def __call__(self, target: Any, record: Record, arguments: dict[str, Any]) -> Any:
        chosen = dict(arguments)
        chosen["model"] = record
        if self.parameters is not None:
            chosen = {name: value for name, value in chosen.items() if name in self.parameters}
        if target is None:
            return self.function(**chosen)
        return self.function(target, **chosen)


@dataclass(frozen=True)
class _Transition:
    tid: TransitionId
    conditions: tuple[tuple[_Call, bool], ...]
    effects: tuple[_Call, ...]
    result: _Call


class _Self:
    """Stands in for the machine instance when a guard or effect reads ``self.model``."""

    __slots__ = ("model",)

    def __init__(self, model: Record) -> None:
        self.model = model


_REFUSED = "refused"
"""The outcome of a step no transition of the state allows."""


class _Tracked(Record):
    """A record that tells which variables a step reads (before assigning them) and which it
    assigns. Reading ``__dict__`` (or anything but ``state``, ``params`` and the variables)
    counts as reading every variable: never a read missed."""

    __slots__ = ("_positions", "_reads", "_written")

    def __init__(self, params: Any, values: dict[str, Any], state: str, positions: dict[str, int],
                 reads: set[int]) -> None:
        object.__setattr__(self, "_positions", positions)
        object.__setattr__(self, "_reads", reads)
        object.__setattr__(self, "_written", set())
        object.__setattr__(self, "state", state)
        object.__setattr__(self, "params", params)
        object.__getattribute__(self, "__dict__").update(values)

    def __getattribute__(self, name: str) -> Any:
        positions = object.__getattribute__(self, "_positions")
        position = positions.get(name)
        if position is not None:
            if name not in object.__getattribute__(self, "_written"):
                object.__getattribute__(self, "_reads").add(position)
        elif name not in _PLAIN_ATTRIBUTES:
            object.__getattribute__(self, "_reads").update(positions.values())
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in object.__getattribute__(self, "_positions"):
            object.__getattribute__(self, "_written").add(name)
        object.__setattr__(self, name, value)


_PLAIN_ATTRIBUTES = frozenset({"state", "params", "__class__"})
"""Attributes of a record that are not its variables and tell nothing about them."""


@lru_cache(maxsize=8192)
def _parameters(function: Callable[..., Any], bound: bool) -> frozenset[str] | None:
    """The keyword names a callback takes (None: any). Cached per function: a signature is fixed
    once the function exists, and ``inspect.signature`` was half the cost of compiling a class
    (each ``System`` compiles seven, each conformance log built one)."""
    signature = inspect.signature(function)
    names = list(signature.parameters.values())
    if bound:
        names = names[1:]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in names):
        return None
    return frozenset(p.name for p in names)


def _callback(cls: type[SpecMachine], spec: Any) -> tuple[_Call, bool]:
    """(call, is_method) for one callback spec of a transition."""
    func = spec.func
    if isinstance(func, str):
        method = getattr(cls, func, None)
        if method is None:
            raise SpecificationError(f"{cls.__name__}: callback {func!r} is not defined")
        return _Call(method, _parameters(method, bound=True)), True
    return _Call(func, _parameters(func, bound=False)), False


_COMPILED: "weakref.WeakKeyDictionary[type, dict[tuple[str | None, int], dict[tuple[str, str], list[_Transition]]]]" = (
    weakref.WeakKeyDictionary())


def _declared_transitions(cls: type[SpecMachine], name: str | None = None) -> dict[tuple[str, str], list[_Transition]]:
    """The compiled transition table of ``cls`` (shared, never to be modified by the caller).

    Cached per class and role: a declared class does not change once built, and compiling one
    (every callback's signature, every transition) was most of the cost of building a ``System``,
    counting a report's transitions or citing its rules, again and again in one process. The
    class is held weakly (mutants are fresh classes, made by the thousand) and the key includes
    the number of transitions its states hold, so a class whose states were added to afterwards
    (a python-statemachine subclass appends to its parent's ``State`` objects, see
    ``tests/mutants/variants.py``) is compiled again rather than served stale.
    """
    size = sum(len(state.transitions) for state in cls.states)
    tables = _COMPILED.setdefault(cls, {})
    found = tables.get((name, size))
    if found is None:
        found = tables[(name, size)] = _compile(cls, name)
    return found


def _compile(cls: type[SpecMachine], name: str | None = None) -> dict[tuple[str, str], list[_Transition]]:
    table: dict[tuple[str, str], list[_Transition]] = {}
    for state in cls.states:
        for transition in state.transitions:
            for group in ("validators", "before", "after"):
                explicit = [s for s in getattr(transition, group) if not s.is_convention]
                if explicit:
                    raise SpecificationError(
                        f"{cls.__name__}.{state.id}: '{group}' callbacks are not compiled")
            conditions = []
            for spec in transition.cond:
                if spec.is_convention:
                    continue
                call, _ = _callback(cls, spec)
                conditions.append((call, bool(spec.expected_value)))
            effects, results = [], []
            for spec in transition.on:
                if spec.is_convention:
                    if hasattr(cls, spec.func):
                        raise SpecificationError(
                            f"{cls.__name__}: convention callback {spec.func} is not compiled")
                    continue
                call, is_method = _callback(cls, spec)
                (effects if is_method else results).append(call)
            if len(results) != 1:
                raise SpecificationError(
                    f"{cls.__name__}.{state.id}: each transition declares exactly one result")
            result_fn = results[0].function
            for event in transition.events:
                key = (state.id, str(event))
                index = len(table.setdefault(key, []))
                tid = TransitionId(
                    machine=name or cls.__name__, source=state.id, event=str(event), index=index,
                    target=transition.target.id if transition.target else state.id,
                    result=getattr(result_fn, "result", "?"),
                    rules=tuple(getattr(result_fn, "rules", ())),
                )
                table[key].append(_Transition(tid, tuple(conditions), tuple(effects), results[0]))
    return table


def declared_transitions(cls: type[SpecMachine], name: str | None = None) -> list[TransitionId]:
    """Every transition a class declares, in declaration order (``name``: the role it plays)."""
    return [t.tid for transitions in _declared_transitions(cls, name).values() for t in transitions]


def cited_rules(cls: type[SpecMachine]) -> dict[TransitionId, tuple[str, ...]]:
    """For each transition, the rule IDs it cites through its result, guards and effects."""
    cited: dict[TransitionId, tuple[str, ...]] = {}
    for transitions in _declared_transitions(cls).values():
        for t in transitions:
            rules = list(t.tid.rules)
            for call in [c for c, _ in t.conditions] + list(t.effects):
                rules.extend(getattr(call.function, "rules", ()))
            cited[t.tid] = tuple(dict.fromkeys(rules))
    return cited


class CompiledMachine:
    """One declared class for one configuration: interned local states and memoised steps."""

    def __init__(self, cls: type[SpecMachine], params: Any, name: str | None = None) -> None:
        """``name`` is the role the class plays (a variant under test keeps its role's name)."""
        self.cls = cls
        self.name = name or cls.__name__
        self.params = params
        self.variables = tuple(cls.VARIABLES)
        self._table = _declared_transitions(cls, self.name)
        self.events = tuple(dict.fromkeys(event for _, event in self._table))
        self.locals: list[tuple[Any, ...]] = []
        self._ids: dict[tuple[Any, ...], int] = {}
        self._memo: dict[tuple[int, str, Arguments], tuple[str, int, TransitionId]] = {}
        self._positions = {name: 1 + i for i, name in enumerate(self.variables)}
        """Variable -> its index in a local state tuple."""
        self._footprints: dict[tuple[str, str, Arguments], tuple[int, ...]] = {}
        self._outcomes: dict[tuple[Any, ...], Any] = {}
        initial = cls.new_record(params)
        initial.state = cls.initial_state.id  # type: ignore[union-attr]
        self.initial = self.intern(self._snapshot(initial))

    def intern(self, local: tuple[Any, ...]) -> int:
        found = self._ids.get(local)
        if found is None:
            found = self._ids[local] = len(self.locals)
            self.locals.append(local)
        return found

    def _snapshot(self, record: Record) -> tuple[Any, ...]:
        return (record.state, *(getattr(record, name) for name in self.variables))

    def state_of(self, local_id: int) -> str:
        return self.locals[local_id][0]

    def value(self, local_id: int, variable: str) -> Any:
        return self.locals[local_id][1 + self.variables.index(variable)]

    def record(self, local_id: int) -> dict[str, Any]:
        local = self.locals[local_id]
        return {"state": local[0], **dict(zip(self.variables, local[1:]))}

    def step(self, local_id: int, event: str, arguments: Arguments = ()) -> tuple[str, int, TransitionId]:
        """(result, next local id, transition fired); raises TransitionNotAllowed as the engine."""
        key = (local_id, event, arguments)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._evaluate(local_id, event, arguments)
        return found

    def force(self, local_id: int, event: str, arguments: Arguments, wanted: str) -> tuple[str, int, TransitionId] | None:
        """The declared transition of ``event`` from this state that returns ``wanted``, taken as
        if its guards held (None if the state declares no such result). This is how a log checker
        goes on after a call that returned success where the specification rejects it: the program
        believes what the API told it (conform's "one mistake, one finding")."""
        local = self.locals[local_id]
        kwargs = dict(arguments)
        for transition in self._table.get((local[0], event), ()):
            record = Record(self.params, dict(zip(self.variables, local[1:])), state=local[0])
            me = _Self(record)
            result = str(transition.result(None, record, kwargs))
            if result != wanted:
                continue
            for call in transition.effects:
                call(me, record, kwargs)
            record.state = transition.tid.target
            return result, self.intern(self._snapshot(record)), transition.tid
        return None

    def _evaluate(self, local_id: int, event: str, arguments: Arguments) -> tuple[str, int, TransitionId]:
        """A step not memoised on its local id yet: looked up by the variables it reads.

        The outcome of a step (which transition fires, its result, what its effects assign)
        is a function of the variables its guards, effects and result read. Those reads are
        recorded (``_Tracked``), and the outcome is kept under (state, event, arguments, the
        values of every variable such steps have read so far): a local state that agrees on
        them takes the same path through the same code, so it gets the outcome without running
        the callbacks. A read outside the footprint widens it (older entries stay under the old
        footprint and are not consulted again). In ``default`` the requester session's 25,895
        distinct steps are 458 outcomes."""
        local = self.locals[local_id]
        group = (local[0], event, arguments)
        footprint = self._footprints.get(group, ())
        key = (group, footprint, tuple([local[i] for i in footprint]))
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome, reads = self._run(local, event, arguments)
            if not reads.issubset(footprint):
                footprint = self._footprints[group] = tuple(sorted(reads.union(footprint)))
                key = (group, footprint, tuple([local[i] for i in footprint]))
            self._outcomes[key] = outcome
        if outcome is _REFUSED:
            raise TransitionNotAllowed(Event(event), [self.cls.states_map[local[0]]])
        result, tid, writes = outcome
        after = list(local)
        for index, value in writes:
            after[index] = value
        after[0] = tid.target
        return result, self.intern(tuple(after)), tid

    def _run(self, local: tuple[Any, ...], event: str, arguments: Arguments) -> tuple[Any, set[int]]:
        """(outcome, indices of the variables read) of one step, by the declared callbacks: the
        outcome is (result, transition, every variable assigned with its final value) or
        ``_REFUSED``. Assignments are recorded, not diffed: an effect that sets a variable to
        the value it already has here sets it in every state sharing the outcome."""
        kwargs = dict(arguments)
        reads: set[int] = set()
        for transition in self._table.get((local[0], event), ()):
            record = _Tracked(self.params, dict(zip(self.variables, local[1:])), local[0], self._positions, reads)
            me = _Self(record)
            if all(bool(call(me, record, kwargs)) is expected
                   for call, expected in transition.conditions):
                for call in transition.effects:
                    call(me, record, kwargs)
                result = str(transition.result(None, record, kwargs))
                written = object.__getattribute__(record, "_written")
                values = object.__getattribute__(record, "__dict__")
                writes = tuple(sorted((self._positions[name], values[name]) for name in written))
                return (result, transition.tid, writes), reads
        return _REFUSED, reads
