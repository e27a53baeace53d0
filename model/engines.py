"""Which engine explores a ``PackedSpace``: the choice behind ``--workers``, ``--backend``,
``--ray-address``, ``--fingerprint-bits``, ``--checkpoint``, ``--resume`` and ``--time-limit``.

``local`` without hash compaction, checkpoint or time limit is the single-process frontier
explorer (``frontier``). Everything else runs the partitioned coordinator (``levels``) over
inline partitions (``local``), worker processes (``processes``) or Ray actors (``ray``). Every
engine gives the same states, transitions, depth, violations and counterexamples.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from .config import ConfigError
from .frontier import Progress, explore_frontier
from .levels import InlineTransport, Limits, Observer, explore_partitioned
from .packed_space import PackedExploration
from .partition import combine

BACKENDS = ("local", "processes", "ray")


@dataclass(frozen=True)
class EngineOptions:
    """How to explore, beyond the bounds (see the module docstring)."""

    backend: str | None = None
    workers: int | None = None
    ray_address: str | None = None
    fingerprint_bits: int | None = None
    checkpoint: str | None = None
    resume: str | None = None
    time_limit: float | None = None

    def resolved(self) -> tuple[str, int]:
        """(backend, workers) after defaults, or a ``ConfigError`` naming the bad option."""
        if self.workers is not None and self.workers < 1:
            raise ConfigError(f"--workers {self.workers}: expected at least 1")
        if self.backend is not None and self.backend not in BACKENDS:
            raise ConfigError(f"--backend {self.backend}: expected one of {', '.join(BACKENDS)}")
        backend = self.backend or ("processes" if (self.workers or 1) > 1 else "local")
        if backend == "local" and (self.workers or 1) > 1:
            raise ConfigError(f"--workers {self.workers}: the local backend is one process; "
                              "use --backend processes or --backend ray")
        if self.ray_address and backend != "ray":
            raise ConfigError("--ray-address: only with --backend ray")
        if self.fingerprint_bits is not None and not 8 <= self.fingerprint_bits <= 64:
            raise ConfigError(f"--fingerprint-bits {self.fingerprint_bits}: expected 8..64")
        if self.time_limit is not None and self.time_limit < 0:
            raise ConfigError(f"--time-limit {self.time_limit}: expected seconds, at least 0")
        workers = self.workers or (2 if backend != "local" else 1)
        return backend, workers

    @property
    def plain(self) -> bool:
        """Nothing but the single-process frontier explorer is asked for."""
        return (self.resolved()[0] == "local" and self.fingerprint_bits is None and not self.checkpoint
                and not self.resume and self.time_limit is None)


def observe_all(space: Any, states: Any, observer: Observer, chunk: int = 1 << 20) -> dict[str, Any]:
    """The observer's results over ``states``, added up chunk by chunk."""
    observed: dict[str, Any] = {}
    for start in range(0, len(states), chunk):
        combine(observed, observer(space, states[start:start + chunk]))
    return observed


def explore_with(factory: Callable[[], Any], options: EngineOptions = EngineOptions(), *,
                 max_states: int | None = None, max_depth: int | None = None,
                 progress: Callable[[Progress], None] | None = None,
                 observer: Observer | None = None) -> PackedExploration:
    """Explore ``factory()`` with the engine ``options`` choose. ``factory`` must be picklable
    (a module-level function or a ``functools.partial`` of one) for processes and Ray."""
    backend, workers = options.resolved()
    if options.plain:
        space = factory()
        exploration = explore_frontier(space, max_states=max_states, max_depth=max_depth, progress=progress)
        exploration.extra["engine"] = "frontier"
        if observer is not None:
            exploration.extra["observed"] = observe_all(space, exploration.states, observer)
        return exploration
    limits = Limits(max_states=max_states, max_depth=max_depth, fingerprint_bits=options.fingerprint_bits,
                    time_limit=options.time_limit, checkpoint=options.checkpoint, resume=options.resume,
                    progress=progress, observer=observer)
    started = time.perf_counter()
    transport: Any
    if backend == "processes":
        from .parallel import ProcessTransport
        transport = ProcessTransport(factory, workers, options.fingerprint_bits, observer)
    elif backend == "ray":
        from .distributed import RayTransport
        transport = RayTransport(factory, workers, options.fingerprint_bits, observer, options.ray_address)
    else:
        transport = InlineTransport(factory, workers, options.fingerprint_bits, observer)
    startup = time.perf_counter() - started
    try:
        exploration = explore_partitioned(factory, transport, limits)
    finally:
        transport.close()
    exploration.extra["startup_seconds"] = round(startup, 3)
    return exploration
