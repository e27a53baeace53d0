"""The one place a ``PackedSpace`` is explored: options in, ``PackedExploration`` out.

Every command that checks a packed space calls ``explore_space``; engines (parallel processes,
distributed, hash compaction, checkpoints) plug in here by adding fields to ``ExploreOptions``
and a branch below, so the commands and reports need not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from shadowspec.model.engines import EngineOptions, explore_with
from shadowspec.model.frontier import Progress, explore_frontier
from shadowspec.model.packed_space import PackedExploration, PackedSpace


@dataclass(frozen=True)
class ExploreOptions:
    """How to explore: bounds and progress (a cut-short search is reported incomplete)."""

    max_states: int | None = None
    max_depth: int | None = None
    progress: Callable[[Progress], None] | None = None
    engine: EngineOptions = EngineOptions()
    """Processes, Ray, hash compaction, checkpoints (``model/engines.py``); they need ``factory``."""
    factory: Callable[[], PackedSpace] | None = None
    """A picklable way to build the space again (in worker processes, Ray actors, a resume)."""
    observer: Callable[[PackedSpace, Any], dict[str, Any]] | None = None
    """What a report needs from every state when the engine keeps none (``extra["observed"]``)."""


def explore_space(space: PackedSpace, options: ExploreOptions = ExploreOptions()) -> PackedExploration:
    """Explore ``space`` breadth first with the engine ``options`` choose."""
    if not options.engine.plain:
        if options.factory is None:
            raise ValueError(f"{space.name}: engine options need ExploreOptions.factory")
        return explore_with(options.factory, options.engine, max_states=options.max_states,
                            max_depth=options.max_depth, progress=options.progress, observer=options.observer)
    exploration = explore_frontier(space, max_states=options.max_states, max_depth=options.max_depth,
                                   progress=options.progress)
    exploration.extra.setdefault("engine", "frontier")
    return exploration
