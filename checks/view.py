"""Read-only accessors over one system state, in the words the properties use."""

from __future__ import annotations

from typing import Any

from shadowspec.model.system import Label, System
from shadowspec.spec.creation import IN_PROGRESS


class View:
    """One state of ``system``: phases, variables and derived facts by actor index."""

    __slots__ = ("system", "state")

    def __init__(self, system: System, state: tuple[int, ...]) -> None:
        self.system = system
        self.state = state

    def _local(self, component: int) -> tuple[Any, ...]:
        return self.system.machines[component].locals[self.state[component]]

    def _field(self, component: int, index: int) -> Any:
        """One field of a component's local state (0 its state name, then its variables): the
        narrowest read, so that ``checks/tabulate.py`` keys a predicate on what it used."""
        return self.system.machines[component].locals[self.state[component]][index]

    def _var(self, component: int, name: str) -> Any:
        return self.system.machines[component].value(self.state[component], name)

    # -- requesters ------------------------------------------------------------------------
    def phase(self, r: int) -> str:
        return self._field(self.system.requester[r], 0)

    def req(self, r: int, name: str) -> Any:
        return self._var(self.system.requester[r], name)

    def holds_volume(self, r: int, v: int) -> bool:
        return bool(self.req(r, "volumes") >> (v - 1) & 1)

    def async_state(self, r: int, op: str) -> str:
        return self._field(self.system.asyncs[(r, op)], 0)

    def async_var(self, r: int, op: str, name: str) -> Any:
        return self._var(self.system.asyncs[(r, op)], name)

    def writer(self, r: int, index: int) -> tuple[Any, ...]:
        return self._local(self.system.writers[r][index])

    def writers(self, r: int) -> list[tuple[Any, ...]]:
        return [self._local(w) for w in self.system.writers[r]]

    def creation(self, r: int) -> str:
        return self._field(self.system.creation[r], 0)

    def creating(self, r: int) -> bool:
        return self.creation(r) in IN_PROGRESS

    # -- volumes and nodes ---------------------------------------------------------------------
    def csv(self, v: int) -> str:
        return self._field(self.system.csv[v], 0)

    def csv_var(self, v: int, name: str) -> Any:
        return self._var(self.system.csv[v], name)

    def mark(self, v: int) -> str:
        return self._field(self.system.mark[v], 0)

    def mark_var(self, v: int, name: str) -> Any:
        return self._var(self.system.mark[v], name)

    def member(self, n: int) -> bool:
        return self._field(self.system.node[n], 0) == "member"

    def backup_running(self, v: int) -> bool:
        """Some requester's shadow-copy creation holding volume v is in progress."""
        return any(self.creating(r) and self.holds_volume(r, v) for r in self.system.requester)


def actor_index(label: Label) -> int:
    """The N of ``requester-N`` or ``node-N``; 0 for the environment."""
    head, _, number = label.actor.partition("-")
    return int(number) if number.isdigit() and head in ("requester", "node") else 0


def argument(label: Label, name: str, default: Any = None) -> Any:
    for key, value in label.arguments:
        if key == name:
            return value
    return default


def volume_of(label: Label) -> int:
    """The volume index a cluster call names (``volume-N``), or 0."""
    for key in ("VolumeName", "lpszFileName", "lpszVolumePathName", "volume"):
        value = argument(label, key)
        if isinstance(value, str) and value.startswith("volume-"):
            return int(value.split("-")[1])
    return 0
