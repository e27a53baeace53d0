"""Reading a system state field by field: what ``model/packed_system.py`` memoises a group's
generator on.

``System``'s generators read a component's local state as ``machines[c].locals[s[c]][i]`` or
``machines[c].value(s[c], name)``. Given proxies of the state and of the machines, each such
read is recorded as ``(component, field index)`` (0 the state name, then the variables), so the
actions a group offers are keyed on a few fields rather than on every code of the components it
touches (a requester session has over a thousand local states; its phase, a dozen). Anything the
proxies cannot follow (comparing or hashing a code, iterating the state, another attribute of a
machine) raises ``Opaque``, and the caller falls back to whole-component reads: never a read
missed.
"""

from __future__ import annotations

from typing import Any

from .compiled import CompiledMachine

WHOLE = -1
"""The field index of a read of a component's whole local state (any other index: one field of
it, 0 its state name, then its variables)."""


class Opaque(Exception):
    """The generator used a state in a way field reads cannot follow: its group falls back to
    whole-component reads."""


class _Code:
    """A component's code as a field-reading generator sees it: usable only as an index into its
    machine's ``locals`` or as the argument of ``value`` (anything else raises ``Opaque``)."""

    __slots__ = ("component", "code")

    def __init__(self, component: int, code: int) -> None:
        self.component, self.code = component, code

    def _opaque(self, *_: Any) -> Any:
        raise Opaque()

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __index__ = __int__ = __bool__ = _opaque  # type: ignore
    __hash__ = _opaque  # type: ignore[assignment]


class FieldState:
    """A system state whose components are read field by field (``reads`` gets (component,
    index)); only indexing is allowed."""

    __slots__ = ("state", "reads")

    def __init__(self, state: tuple[int, ...], reads: set[tuple[int, int]]) -> None:
        self.state, self.reads = state, reads

    def __getitem__(self, index: Any) -> _Code:
        if type(index) is not int:
            raise Opaque()
        return _Code(index, self.state[index])

    def _opaque(self, *_: Any) -> Any:
        raise Opaque()

    __iter__ = __len__ = __eq__ = __ne__ = __contains__ = __bool__ = _opaque  # type: ignore
    __hash__ = _opaque  # type: ignore[assignment]


class _FieldLocal:
    __slots__ = ("local", "component", "reads")

    def __init__(self, local: tuple[Any, ...], component: int, reads: set[tuple[int, int]]) -> None:
        self.local, self.component, self.reads = local, component, reads

    def __getitem__(self, index: Any) -> Any:
        if type(index) is not int or index < 0:
            raise Opaque()
        self.reads.add((self.component, index))
        return self.local[index]

    def _opaque(self, *_: Any) -> Any:
        raise Opaque()

    __iter__ = __len__ = __eq__ = __ne__ = __contains__ = __bool__ = _opaque  # type: ignore
    __hash__ = _opaque  # type: ignore[assignment]


class _FieldLocals:
    __slots__ = ("machine", "reads")

    def __init__(self, machine: CompiledMachine, reads: set[tuple[int, int]]) -> None:
        self.machine, self.reads = machine, reads

    def __getitem__(self, code: Any) -> _FieldLocal:
        if type(code) is not _Code:
            raise Opaque()
        return _FieldLocal(self.machine.locals[code.code], code.component, self.reads)


class FieldMachine:
    """A declared machine as a field-reading generator sees it: ``locals`` and ``value`` only."""

    def __init__(self, machine: CompiledMachine, reads: set[tuple[int, int]]) -> None:
        self._machine, self._reads = machine, reads
        self.locals = _FieldLocals(machine, reads)

    def value(self, code: Any, name: str) -> Any:
        if type(code) is not _Code:
            raise Opaque()
        index = 1 + self._machine.variables.index(name)
        self._reads.add((code.component, index))
        return self._machine.locals[code.code][index]

    def __getattr__(self, name: str) -> Any:
        raise Opaque()
