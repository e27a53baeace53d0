"""Checkpoints of a partitioned exploration: stop on Ctrl-C or a time limit, resume later.

A checkpoint is taken between two levels, when the search state is small and consistent: the
visited keys of every partition, the frontier with its global indices, the coordinator's trail
(keys, parents, actions, level offsets), the counters and the first violations. It is
written to a temporary file beside the target and renamed over it, so a crash never leaves a
half-written checkpoint. Resuming re-partitions by key, so the number of workers and the backend
may change between runs; the final result is the one an uninterrupted run gives.

Ctrl-C while checkpointing is on is a request: the current level finishes, the checkpoint is
written and the run stops. A second Ctrl-C interrupts at once, without a checkpoint.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from .config import ConfigError

FORMAT = 1


class Interrupt:
    """While active, the first SIGINT only sets ``requested`` (the main thread only)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.requested = False
        self._previous: Any = None

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self) -> "Interrupt":
        if self.enabled and threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None


def _identity(space: Any, bits: int | None) -> dict[str, Any]:
    return {"space": str(space.name), "labels": len(space.labels), "fingerprint_bits": bits}


def save(path: str, space: Any, bits: int | None, trail: Any,
         parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], observed: dict[str, Any]) -> None:
    """Write the trail, the partitions' snapshots and the observations so far to ``path``
    atomically (observations are pickled: a checkpoint is trusted input, like the code)."""
    target = Path(path)
    frontier = np.concatenate([p[1] for p in parts]).astype(np.uint64)
    gidx = np.concatenate([p[2] for p in parts]).astype(np.int64)
    order = np.argsort(gidx, kind="stable")
    meta = dict(_identity(space, bits), format=FORMAT, depth_offsets=list(map(int, trail.depth_offsets)),
                transitions=int(trail.transitions), violations=trail.violations,
                elapsed=float(trail.elapsed))
    arrays = {
        "meta": np.array(json.dumps(meta, sort_keys=True)),
        "initial": trail.initial,
        "keys": np.concatenate(trail.keys) if trail.keys else np.empty(0, np.uint64),
        "parent": trail.joined("parent", np.int64),
        "action": trail.joined("action", np.int32),
        "stored": np.concatenate([p[0] for p in parts]),
        "frontier": frontier[order],
        "gidx": gidx[order],
        "observed": np.frombuffer(pickle.dumps(observed), dtype=np.uint8),
    }
    handle, temporary = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                                         prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: str, space: Any, bits: int | None) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read a checkpoint for ``space``: the trail's fields and the snapshot (stored keys,
    frontier, frontier indices). A checkpoint of another space or mode is a ``ConfigError``."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        meta = json.loads(str(arrays.pop("meta")))
    except (OSError, ValueError, KeyError, EOFError) as error:
        raise ConfigError(f"--resume {path}: not a readable checkpoint ({error.__class__.__name__})") from None
    expected = _identity(space, bits)
    found = {key: meta.get(key) for key in expected}
    if meta.get("format") != FORMAT or found != expected:
        raise ConfigError(f"--resume {path}: saved for {found}, but this run is {expected}")
    trail = {"initial": arrays["initial"], "keys": [arrays["keys"]], "parent": [arrays["parent"]],
             "action": [arrays["action"]],
             "depth_offsets": meta["depth_offsets"], "transitions": meta["transitions"],
             "violations": {k: int(v) for k, v in meta["violations"].items()}, "elapsed": meta["elapsed"],
             "observed": pickle.loads(arrays["observed"].tobytes())}
    snapshot = {"stored": arrays["stored"], "frontier": arrays["frontier"], "gidx": arrays["gidx"]}
    return trail, snapshot
