"""The coordinator of a level-synchronous breadth-first search over hash partitions.

One loop serves every engine that splits the visited set: inline partitions (one process, used for
hash compaction and checkpoints), worker processes (``parallel``) and Ray actors
(``distributed``). Per level the partitions expand their frontier and exchange successors in
batches (``Transport.level``); the coordinator numbers the new states in discovery order (see
``partition``), records parents and actions, takes the first violation of each invariant, and
between levels honours the bounds, the time limit and Ctrl-C (``checkpoint``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import numpy as np

from .checkpoint import Interrupt, load, save
from .fingerprint import make_store, omission_probability, owner
from .frontier import Progress
from .packed_space import PackedExploration
from .partition import Batch, Partition, combine, discovery_order

Observer = Callable[[Any, np.ndarray], dict[str, Any]]
Parts = list[tuple[np.ndarray, np.ndarray, np.ndarray]]


class Transport(Protocol):
    """How the coordinator reaches its partitions."""

    count: int
    name: str

    def level(self) -> tuple[int, list[dict[str, Any]]]: ...
    def assign(self, gidx: list[np.ndarray], settled: frozenset[str] = frozenset()) -> None: ...
    def seed(self, parts: Parts) -> None: ...
    def snapshot(self) -> Parts: ...
    def stored_bytes(self) -> int: ...
    def observations(self) -> list[dict[str, Any]]: ...
    def close(self) -> None: ...


def route(outs: list[tuple[int, list[Batch]]], target: int) -> list[Batch]:
    """The batches every partition produced for partition ``target``."""
    return [batches[target] for _, batches in outs]


class InlineTransport:
    """Every partition in this process: the single-process engine with partitions' features."""

    name = "local"

    def __init__(self, factory: Callable[[], Any], count: int, bits: int | None,
                 observer: Observer | None = None) -> None:
        self.count = count
        self.parts = [Partition(factory, i, count, bits, observer) for i in range(count)]

    def level(self) -> tuple[int, list[dict[str, Any]]]:
        outs = [p.expand() for p in self.parts]
        results = [p.receive(route(outs, p.index)) for p in self.parts]
        return sum(generated for generated, _ in outs), results

    def assign(self, gidx: list[np.ndarray], settled: frozenset[str] = frozenset()) -> None:
        for p, g in zip(self.parts, gidx):
            p.assign(g, settled)

    def seed(self, parts: Parts) -> None:
        for p, args in zip(self.parts, parts):
            p.seed(*args)

    def snapshot(self) -> Parts:
        return [p.snapshot() for p in self.parts]

    def stored_bytes(self) -> int:
        return sum(p.stored_bytes() for p in self.parts)

    def observations(self) -> list[dict[str, Any]]:
        return [p.observations() for p in self.parts]

    def close(self) -> None:
        self.parts = []


@dataclass
class Limits:
    """Bounds and persistence options of one exploration."""

    max_states: int | None = None
    max_depth: int | None = None
    fingerprint_bits: int | None = None
    time_limit: float | None = None
    checkpoint: str | None = None
    resume: str | None = None
    progress: Callable[[Progress], None] | None = None
    observer: Observer | None = None


@dataclass
class Trail:
    """The coordinator's record: per level, the new states' keys (the states themselves, or
    their fingerprints under hash compaction), parents and actions; the counters; the first
    violation of each invariant; the observations carried over from a checkpoint."""

    initial: np.ndarray
    keys: list[np.ndarray] = field(default_factory=list)
    parent: list[np.ndarray] = field(default_factory=list)
    action: list[np.ndarray] = field(default_factory=list)
    depth_offsets: list[int] = field(default_factory=lambda: [0])
    transitions: int = 0
    violations: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    observed: dict[str, Any] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.depth_offsets[-1]

    def joined(self, name: str, dtype: Any) -> np.ndarray:
        chunks = getattr(self, name)
        return np.concatenate(chunks).astype(dtype, copy=False) if chunks else np.empty(0, dtype)


def _start(space: Any, store: Any, transport: Transport, observer: Observer | None) -> tuple[Trail, Parts]:
    """A fresh trail, and the initial states (distinct keys, first occurrence kept) seeded."""
    initial = np.asarray(space.initial(), dtype=np.uint64)
    keys = store.key(initial)
    _, first = np.unique(keys, return_index=True, axis=0 if keys.ndim == 2 else None)
    initial = initial[np.sort(first)]
    keys, n = store.key(initial), len(initial)
    trail = Trail(initial=initial, keys=[keys], parent=[np.full(n, -1, np.int64)],
                  action=[np.full(n, -1, np.int32)], depth_offsets=[0, n])
    for pid, holds in space.invariants().items():
        bad = np.flatnonzero(~np.asarray(holds(initial), dtype=bool))
        if len(bad):
            trail.violations[pid] = int(bad[0])
    if observer is not None:
        combine(trail.observed, observer(space, initial))
    return trail, _split(keys, initial, np.arange(n, dtype=np.int64), keys, transport.count)


def _split(stored: np.ndarray, frontier: np.ndarray, gidx: np.ndarray, frontier_keys: np.ndarray,
           count: int) -> Parts:
    stored_owner, frontier_owner = owner(stored, count), owner(frontier_keys, count)
    return [(stored[stored_owner == q], frontier[frontier_owner == q], gidx[frontier_owner == q])
            for q in range(count)]


def explore_partitioned(factory: Callable[[], Any], transport: Transport, limits: Limits) -> PackedExploration:
    """Breadth-first search of ``factory()`` over ``transport``'s partitions, within ``limits``.

    The time limit and Ctrl-C (with a checkpoint file) are honoured between levels: the run
    stops incomplete, after saving the checkpoint when there is a file to save it to."""
    started = time.perf_counter()
    space = factory()
    store = make_store(limits.fingerprint_bits, int(getattr(space, "words", 1)))
    if limits.resume:
        fields, snapshot = load(limits.resume, space, limits.fingerprint_bits)
        trail = Trail(**fields)
        frontier = len(snapshot["frontier"])
        parts = _split(snapshot["stored"], snapshot["frontier"], snapshot["gidx"],
                       store.key(snapshot["frontier"]), transport.count)
    else:
        trail, parts = _start(space, store, transport, limits.observer)
        frontier = trail.count
    transport.seed(parts)
    complete, stop_reason, levels = True, "", 0
    with Interrupt(enabled=limits.checkpoint is not None) as interrupt:
        while frontier:
            depth = len(trail.depth_offsets) - 2
            if limits.max_depth is not None and depth >= limits.max_depth:
                complete, stop_reason = False, f"depth bound {limits.max_depth} reached"
                break
            if limits.max_states is not None and trail.count >= limits.max_states:
                complete, stop_reason = False, f"state bound {limits.max_states} reached"
                break
            over_time = (limits.time_limit is not None and levels > 0
                         and time.perf_counter() - started >= limits.time_limit)
            if over_time or interrupt.requested:
                complete = False
                stop_reason = "time limit reached" if over_time else "interrupted"
                if limits.checkpoint:
                    trail.elapsed += time.perf_counter() - started
                    started = time.perf_counter()
                    observed = _observed(trail, transport)
                    save(limits.checkpoint, space, limits.fingerprint_bits, trail, transport.snapshot(), observed)
                    stop_reason += "; checkpoint saved (continue with --resume)"
                break
            generated, results = transport.level()
            levels += 1
            trail.transitions += generated
            frontier = _merge(trail, transport, results, len(space.labels), limits.max_states)
            if limits.progress is not None:
                limits.progress(Progress(trail.count, trail.transitions, frontier, depth + 1,
                                         trail.elapsed + time.perf_counter() - started))
    if limits.max_states is not None and complete and frontier and trail.count >= limits.max_states:
        complete, stop_reason = False, f"state bound {limits.max_states} reached"
    return _result(trail, transport, store, complete, stop_reason, time.perf_counter() - started,
                   limits.observer is not None)


def _merge(trail: Trail, transport: Transport, results: list[dict[str, Any]], actions: int,
           max_states: int | None) -> int:
    """Number a level's new states in discovery order, take the first violations, append the
    level to the trail; return how many states it has (the next frontier). Beyond
    ``max_states`` the level is cut, as the single-process explorer cuts it: the first states in
    discovery order are kept."""
    discovery = np.concatenate([r["discovery"] for r in results])
    keys = np.concatenate([r["key"] for r in results])
    base, n = trail.count, len(discovery)
    if len(results) > 1:
        order = discovery_order(discovery, keys)
        gidx = np.empty(n, np.int64)
        gidx[order] = base + np.arange(n, dtype=np.int64)
        discovery, keys = discovery[order], keys[order]
    else:  # one partition: already in discovery order
        gidx = base + np.arange(n, dtype=np.int64)
    if max_states is not None and base + n > max_states:
        keep = max(max_states - base, 0)
        discovery, keys = discovery[:keep], keys[:keep]
    bounds = np.cumsum([0] + [len(r["discovery"]) for r in results])
    for q, r in enumerate(results):
        for pid, position in r["violations"].items():
            index = int(gidx[bounds[q] + position])
            if index >= base + len(discovery):
                continue
            if pid not in trail.violations or (trail.violations[pid] >= base and index < trail.violations[pid]):
                trail.violations[pid] = index
    transport.assign([gidx[bounds[q]:bounds[q + 1]] for q in range(len(results))], frozenset(trail.violations))
    n = len(discovery)
    if n == 0:
        return 0
    trail.keys.append(keys)
    trail.parent.append(discovery // actions)
    trail.action.append((discovery % actions).astype(np.int32))
    trail.depth_offsets.append(base + n)
    return n


def _observed(trail: Trail, transport: Transport) -> dict[str, Any]:
    observed: dict[str, Any] = combine({}, trail.observed)
    for part in transport.observations():
        combine(observed, part)
    return observed


def _result(trail: Trail, transport: Transport, store: Any, complete: bool, stop_reason: str,
            seconds: float, observing: bool) -> PackedExploration:
    extra: dict[str, Any] = {"engine": transport.name, "partitions": transport.count}
    if observing:
        extra["observed"] = _observed(trail, transport)
    visited = transport.stored_bytes()
    transport.close()  # the visited sets go before the trail is joined: a lower peak
    keys = trail.joined("keys", store.dtype)
    states = keys if store.exact else np.empty(0, np.uint64)
    parent = trail.joined("parent", np.int64)
    action = trail.joined("action", np.int32)
    offsets = list(trail.depth_offsets)
    count = offsets[-1]
    extra["bytes_per_state"] = round((visited + keys.nbytes + parent.nbytes + action.nbytes) / count, 1) \
        if count else 0.0
    if not store.exact:
        extra["fingerprints"] = keys
        extra["initial"] = trail.initial
        generated = trail.transitions + len(trail.initial)
        extra["hash_compaction"] = {"bits": store.bits,
                                    "omission_probability": omission_probability(
                                        count, store.bits, generated, int(getattr(store, "words", 1)))}
    return PackedExploration(states=states, parent=parent, action=action, depth_offsets=offsets,
                             transitions=trail.transitions, complete=complete, stop_reason=stop_reason,
                             seconds=trail.elapsed + seconds, violations=dict(trail.violations), extra=extra)
