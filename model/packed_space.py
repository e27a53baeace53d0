"""The contract between a transition system over packed integer states and the fast explorers.

The generic explorer (``explorer.explore``) walks hashable Python states one at a time. The fast
explorers (single-process numpy frontier, parallel processes, Ray, hash compaction, checkpoints)
all walk a ``PackedSpace``: every state is one ``uint64`` (or, for a space with ``words`` > 1, a
row of an (n, words) ``uint64`` array: ``words.py``), and the successors of a whole frontier
are computed at once. A space is built from the declared machines (never a second transition
table) and cross-checked against the generic explorer on small bounds.

Optional members an explorer may use when a space has them (``getattr``), never required:
``bits`` (how many low bits a state uses; the frontier explorer packs ``state << k | position``
sort keys when they fit) and ``successors(frontier) -> (transitions, source, action, target)``,
a fast path that counts every enabled action in ``transitions`` but leaves out of the triples
the self-loops and the actions whose target an earlier action from the same source already gives,
in any order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import numpy as np


class PackedSpace(Protocol):
    """A transition system whose states are packed into ``uint64``."""

    name: str
    labels: Sequence[Any]
    """Action id -> a label (who, which call, with what): the ``action`` arrays index this."""

    def initial(self) -> np.ndarray:
        """The initial states (``uint64``)."""

    def expand(self, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every enabled action of every frontier state: ``(source, action, target)`` with
        ``source`` the position in ``frontier`` (int64), ``action`` an index into ``labels``
        (int32) and ``target`` the successor (uint64), ordered by source, then action."""

    def invariants(self) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
        """Property id -> a vectorised predicate (bool mask: True where the property holds)."""


@dataclass
class PackedExploration:
    """What a packed exploration found. Index order is breadth-first discovery order, so the
    path through ``parent`` from any index is a shortest one."""

    states: np.ndarray          # uint64, discovery order (empty under hash compaction)
    parent: np.ndarray          # int64, -1 for initial states
    action: np.ndarray          # int32, the action that discovered each state, -1 for initial
    depth_offsets: list[int]    # states[depth_offsets[d]:depth_offsets[d+1]] are at depth d
    transitions: int
    complete: bool
    stop_reason: str
    seconds: float
    violations: dict[str, int] = field(default_factory=dict)  # property id -> first violating index
    extra: dict[str, Any] = field(default_factory=dict)       # engine-specific figures

    @property
    def count(self) -> int:
        return len(self.parent)

    @property
    def max_depth(self) -> int:
        return max(len(self.depth_offsets) - 2, 0)

    def path(self, index: int) -> list[int]:
        """Indices from an initial state to ``index``."""
        path = []
        while index >= 0:
            path.append(index)
            index = int(self.parent[index])
        return path[::-1]
