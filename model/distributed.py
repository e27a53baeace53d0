"""Distributed exploration on Ray: one actor per hash partition of the visited set.

Each actor builds the space from the (cloudpickled) factory and owns the keys that hash to it
(``fingerprint.owner``). Per level every actor expands its frontier into one batch per owner
(numpy arrays, returned as separate object refs), and each owner receives the refs of its batches
straight from the other actors through Ray's object store: the successors never pass through the
driver. The driver only numbers the new states (``levels``), so counts, depth, verdicts and
counterexamples are those of the single-process run.

Where it runs: ``address`` (``--ray-address``) or the ``RAY_ADDRESS`` environment variable names an
existing cluster (started with ``ray start --head`` and joined with ``ray start --address``); every
node needs the same shadowspec installed. Without either, a local Ray instance with one CPU per
partition is started and shut down afterwards. Ray is an optional extra: ``shadowspec[distributed]``.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import numpy as np

from .config import ConfigError
from .malloc_tuning import MALLOC_ENVIRONMENT, keep_freed_memory
from .partition import Partition


class _Actor(Partition):
    """A partition whose batches leave as separate object refs and arrive as arguments."""

    def expand_split(self) -> tuple[Any, ...]:
        generated, batches = self.expand()
        return (generated, *batches)

    def receive_refs(self, *batches: Any) -> dict[str, Any]:
        return self.receive(list(batches))

    def ready(self) -> bool:
        return True


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("--backend ray: Ray is not installed; install shadowspec[distributed]") from None
    return ray


class RayTransport:
    """``count`` Ray actors, one partition each, spread over the cluster's nodes."""

    name = "ray"

    def __init__(self, factory: Callable[[], Any], count: int, bits: int | None,
                 observer: Any = None, address: str | None = None) -> None:
        ray = self.ray = _ray()
        keep_freed_memory()
        self.count = count
        self.started_here = False
        if not ray.is_initialized():
            if address or os.environ.get("RAY_ADDRESS"):
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(num_cpus=count, include_dashboard=False, log_to_driver=False)
                self.started_here = True
        # the malloc settings of worker processes (see ``malloc_tuning``)
        actor = ray.remote(num_cpus=1, scheduling_strategy="SPREAD",
                           runtime_env={"env_vars": dict(MALLOC_ENVIRONMENT)})(_Actor)
        self.actors = [actor.remote(factory, index, count, bits, observer) for index in range(count)]
        ray.get([a.ready.remote() for a in self.actors])

    def level(self) -> tuple[int, list[dict[str, Any]]]:
        outs = [a.expand_split.options(num_returns=self.count + 1).remote() for a in self.actors]
        results = [a.receive_refs.remote(*[out[q + 1] for out in outs])
                   for q, a in enumerate(self.actors)]
        generated = self.ray.get([out[0] for out in outs])
        return sum(generated), self.ray.get(results)

    def assign(self, gidx: list[np.ndarray], settled: frozenset[str] = frozenset()) -> None:
        self.ray.get([a.assign.remote(g, settled) for a, g in zip(self.actors, gidx)])

    def seed(self, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
        self.ray.get([a.seed.remote(*p) for a, p in zip(self.actors, parts)])

    def snapshot(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        return self.ray.get([a.snapshot.remote() for a in self.actors])

    def stored_bytes(self) -> int:
        return sum(self.ray.get([a.stored_bytes.remote() for a in self.actors]))

    def observations(self) -> list[dict[str, Any]]:
        return self.ray.get([a.observations.remote() for a in self.actors])

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)
        self.actors = []
        if self.started_here:
            self.started_here = False
            self.ray.shutdown()
