"""Who is who in a log: requester slots, nodes, and the names that denote one volume.

The specification is a bounded system (at most 4 requesters, nodes and volumes), so a log's
actors are mapped onto it. ``requester-N`` runs on ``node-N`` unless its
``CreateVssBackupComponents`` line says ``args.node``; a requester occupies a slot of its node
from its first line until its ``IUnknown::Release`` returns "0", after which the slot (and the
name) may serve a new object. Volumes are related by name: a friendly name, a mount point and
its ``\\\\?\\Volume{GUID}\\`` path are one volume when the log's out-parameters (or the meta
line's ``volumes`` lists) say so.
"""

from __future__ import annotations

import heapq
from typing import Any, Iterable

from .vocabulary import RELEASE, VOLUME_ARGUMENT

MAX_NAMES = 10_000
"""Distinct volume names one log may use (a bound, so memory stays independent of log length)."""

ALIAS_OUTPUTS = {
    "ClusterPrepareSharedVolumeForBackup": (("args", "lpszFileName"), ("out", "lpszVolumePathName"),
                                            ("out", "lpszVolumeName")),
    "ClusterGetVolumeNameForVolumeMountPoint": (("args", "lpszVolumeMountPoint"), ("out", "lpszVolumeName")),
    "GetVolumeNameForVolumeMountPoint": (("args", "lpszVolumeMountPoint"), ("out", "lpszVolumeName")),
}
"""Calls whose arguments and out-parameters name the same volume (trace-format.md, ``out``)."""


def normal(name: str) -> str:
    """One spelling per name: case-insensitive, without trailing backslashes (Windows paths)."""
    return name.strip().rstrip("\\").casefold() or name


class VolumeNames:
    """Union-find over volume names; ``index`` numbers the volumes in order of first use."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._order: list[str] = []          # names used by modelled calls, first use first
        self._used: set[str] = set()
        self._index: dict[str, int] | None = None

    def _find(self, name: str) -> str:
        root = name
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[name] != root:
            self._parent[name], name = root, self._parent[name]
        return root

    def add(self, name: str, used: bool = False) -> str:
        key = normal(name)
        if key not in self._parent:
            if len(self._parent) >= MAX_NAMES:
                raise ValueError(f"more than {MAX_NAMES:,} distinct volume names")
            self._parent[key] = key
        if used and key not in self._used:
            self._used.add(key)
            self._order.append(key)
        return key

    def same(self, names: Iterable[str]) -> None:
        keys = [self.add(n) for n in names]
        for other in keys[1:]:
            a, b = self._find(keys[0]), self._find(other)
            if a != b:
                self._parent[b] = a

    def related(self, a: str, b: str) -> bool:
        """Whether two names are known to denote one volume."""
        return self._find(self.add(a)) == self._find(self.add(b))

    def freeze(self) -> int:
        """Number the volumes the modelled calls use; returns how many there are."""
        index: dict[str, int] = {}
        for key in self._order:
            index.setdefault(self._find(key), len(index) + 1)
        self._index = index
        return len(index)

    def index(self, name: str) -> int:
        assert self._index is not None
        return self._index[self._find(normal(name))]


def volume_of(entry: Any) -> str | None:
    """The volume name a modelled call is about (None for calls about no volume)."""
    argument = VOLUME_ARGUMENT.get(entry.call)
    if argument is None:
        return None
    value = entry.args.get(argument)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"args.{argument} is {value!r}; {entry.call} names its volume there")
    return value


def note_aliases(names: VolumeNames, entry: Any) -> None:
    """Record the names one call relates (its argument and out-parameters)."""
    places = ALIAS_OUTPUTS.get(entry.call)
    if not places:
        return
    found = [getattr(entry, part).get(key) for part, key in places]
    names.same(v for v in found if isinstance(v, str) and v.strip())


def node_argument(entry: Any) -> int | None:
    """``args.node`` of a CreateVssBackupComponents line: ``2`` or ``"node-2"``."""
    value = entry.args.get("node")
    if value is None:
        return None
    if isinstance(value, str) and value.startswith("node-") and value[5:].isdigit():
        value = int(value[5:])
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"args.node is {value!r}; expected a node number or \"node-N\"")
    return value


def ends_object(entry: Any) -> bool:
    """This line ends a requester's IVssBackupComponents object (Release returned 0)."""
    return (entry.call == RELEASE and entry.result == "0"
            and entry.args.get("interface", "IVssBackupComponents") == "IVssBackupComponents")


class Slots:
    """Requester names to slots of their node, allocated as objects come and go.

    Each node keeps the positions its released objects freed (a heap) and the next unused one,
    so a line costs O(log live) however many requesters are alive: counting 20,000 live
    requesters is linear in the log, not quadratic."""

    def __init__(self, nodes: int | None = None) -> None:
        self.nodes = nodes                      # None while surveying: count needs per node
        self.held: dict[str, tuple[int, int]] = {}   # actor -> (node, position)
        self.need: dict[int, int] = {}          # node -> most objects live at once
        self.used: set[tuple[int, int]] = set()
        self._free: dict[int, list[int]] = {}   # node -> released positions (a heap)

    def slot(self, entry: Any) -> tuple[int, bool]:
        """(requester index, fresh): the slot of ``entry.actor``, allocated at its first line."""
        if entry.actor in self.held:
            node, position = self.held[entry.actor]
            return self._index(node, position), False
        node = (node_argument(entry) if entry.call == "CreateVssBackupComponents" else None) or entry.number
        free = self._free.get(node)
        position = heapq.heappop(free) if free else self.need.get(node, 0)
        self.held[entry.actor] = (node, position)
        self.need[node] = max(self.need.get(node, 0), position + 1)
        reused = (node, position) in self.used
        self.used.add((node, position))
        return self._index(node, position), reused

    def release(self, actor: str) -> None:
        held = self.held.pop(actor, None)
        if held is not None:
            heapq.heappush(self._free.setdefault(held[0], []), held[1])

    def node_of(self, actor: str) -> int:
        return self.held[actor][0]

    def _index(self, node: int, position: int) -> int:
        return 0 if self.nodes is None else node + position * self.nodes

    def requesters(self, nodes: int) -> int:
        """Requester slots needed so that node k's j-th object is requester k + j * nodes."""
        return max((k + (need - 1) * nodes for k, need in self.need.items()), default=0)
