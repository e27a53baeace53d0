"""The one place a ``PackedSpace`` is explored: options in, ``PackedExploration`` out.

Every command that checks a packed space calls ``explore_space``; engines (parallel processes,
distributed, hash compaction, checkpoints) plug in here by adding fields to ``ExploreOptions``
and a branch below, so the commands and reports need not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from shadowspec.model.frontier import Progress, explore_frontier
from shadowspec.model.packed_space import PackedExploration, PackedSpace


@dataclass(frozen=True)
class ExploreOptions:
    """How to explore: bounds and progress (a cut-short search is reported incomplete)."""

    max_states: int | None = None
    max_depth: int | None = None
    progress: Callable[[Progress], None] | None = None


def explore_space(space: PackedSpace, options: ExploreOptions = ExploreOptions()) -> PackedExploration:
    """Explore ``space`` breadth first with the engine ``options`` choose."""
    exploration = explore_frontier(space, max_states=options.max_states, max_depth=options.max_depth,
                                   progress=options.progress)
    exploration.extra.setdefault("engine", "frontier")
    return exploration
