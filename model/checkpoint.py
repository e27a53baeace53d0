"""Checkpoints of a partitioned exploration: stop on Ctrl-C or a time limit, resume later.

A checkpoint is taken between two levels, when the search state is small and consistent: the
visited keys of every partition, the frontier with its global indices, the coordinator's trail
(keys, parents, actions, level offsets), the counters and the first violations. Resuming
re-partitions by key, so the number of workers and the backend may change between runs; the
final result is the one an uninterrupted run gives.

A checkpoint is data, never code (no pickle). The file is a NumPy ``.npz`` archive, read with
``allow_pickle=False``, holding plain integer arrays and two text members:

- ``meta``: JSON with ``format`` (``FORMAT``), ``fingerprint`` (a SHA-256 of what the run
  explores: the space's name and labels and the hash-compaction bits), the level offsets, the
  counters, the first violations, and the observations (numbers and counts in the JSON; sets of
  integer tuples as arrays ``observed.NAME``);
- ``checksum``: SHA-256 over ``meta`` and every array (name, dtype, shape, bytes).

``words`` in ``meta`` (absent: 1) is how many 64-bit words a state takes: the state arrays
(``initial``, ``frontier``, and ``keys`` and ``stored`` unless hash compaction keeps
fingerprints) are then (n, words) matrices. A resume whose space has another width is refused,
and so is an array of another shape.

A resume checks the format version, the fingerprint and the checksum, then every field's type
and range and the arrays' lengths against each other (``META_SCHEMA`` and ``_check_arrays``); any
mismatch is refused in one line (a ``ConfigError``), so an edited, truncated or foreign file never
gives wrong counts. The file is written to a temporary file beside the target and renamed over
it; a failed or interrupted write removes the temporary file, and a partial file left by a killed
run is removed by the next save.

Ctrl-C while checkpointing is on is a request: the current level finishes, the checkpoint is
written and the run stops. A second Ctrl-C interrupts at once, without a checkpoint.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
from jsonschema import Draft202012Validator

from .config import ConfigError

FORMAT = 2
"""Version 2: no pickle; fingerprint and checksum (version 1 pickled the observations)."""
PARTIAL = ".partial"

_COUNT = {"type": "integer", "minimum": 0}
META_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "fingerprint", "space", "labels", "fingerprint_bits", "depth_offsets", "transitions",
                 "violations", "elapsed", "observed"],
    "properties": {
        "format": {"const": FORMAT},
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "space": {"type": "string"},
        "labels": _COUNT,
        "words": {"type": "integer", "minimum": 2, "maximum": 64},
        "fingerprint_bits": {"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 1, "maximum": 64}]},
        "depth_offsets": {"type": "array", "minItems": 2, "items": _COUNT},
        "transitions": _COUNT,
        "violations": {"type": "object", "additionalProperties": _COUNT},
        "elapsed": {"type": "number", "minimum": 0},
        "observed": {"type": "object", "additionalProperties": {"oneOf": [
            {"type": "object", "required": ["kind", "value"], "properties": {"kind": {"const": "number"},
                                                                             "value": {"type": "number"}}},
            {"type": "object", "required": ["kind", "value"], "properties": {
                "kind": {"const": "counts"}, "value": {"type": "array", "items": {
                    "type": "array", "prefixItems": [{"type": ["string", "integer"]}, {"type": "number"}],
                    "minItems": 2, "maxItems": 2}}}},
            {"type": "object", "required": ["kind", "width"], "properties": {
                "kind": {"const": "tuples"}, "width": {"type": "integer", "minimum": 0, "maximum": 64}}},
        ]}},
    },
}
_META = Draft202012Validator(META_SCHEMA)
ARRAYS = {"initial": np.uint64, "keys": np.uint64, "parent": np.int64, "action": np.int32, "stored": np.uint64,
          "frontier": np.uint64, "gidx": np.int64}


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


def _words(space: Any) -> int:
    """64-bit words a state of ``space`` takes (1 unless it says otherwise)."""
    return int(getattr(space, "words", 1))


def fingerprint(space: Any, bits: int | None) -> str:
    """A SHA-256 of what a run explores: the space (its name and every label) and the bits."""
    described = {"space": str(space.name), "labels": [str(label) for label in space.labels], "bits": bits}
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode("utf-8")).hexdigest()


def checksum(meta_text: str, arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 over the metadata and every array (name, dtype, shape and bytes, by name)."""
    digest = hashlib.sha256(meta_text.encode("utf-8"))
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"\0{name}\0{array.dtype.str}\0{array.shape}\0".encode("ascii"))
        digest.update(array.tobytes())
    return digest.hexdigest()


def _encode_observed(observed: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The observations as JSON (numbers, counts) and integer arrays (sets of integer tuples)."""
    described: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    for name, value in sorted(observed.items()):
        if isinstance(value, (set, frozenset)):
            rows = sorted(tuple(v) if isinstance(v, tuple) else (v,) for v in value)
            width = len(rows[0]) if rows else 0
            if any(len(row) != width for row in rows) or not all(isinstance(x, (int, np.integer)) for r in rows for x in r):
                raise TypeError(f"observation {name!r}: a checkpoint stores sets of integer tuples of one width")
            arrays[f"observed.{name}"] = np.array(rows, dtype=np.int64).reshape(len(rows), width)
            described[name] = {"kind": "tuples", "width": width, "scalar": bool(rows) and not isinstance(next(iter(value)), tuple)}
        elif isinstance(value, dict):
            if not all(isinstance(k, (str, int)) and not isinstance(k, bool) for k in value):
                raise TypeError(f"observation {name!r}: a checkpoint stores counts keyed by text or integers")
            described[name] = {"kind": "counts", "value": sorted(([k, _plain(v)] for k, v in value.items()), key=repr)}
        else:
            described[name] = {"kind": "number", "value": _plain(value)}
    return described, arrays


def _plain(value: Any) -> int | float:
    """A count as a JSON number (NumPy scalars included); anything else is not an observation."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"a checkpoint stores numbers as observations, not {type(value).__name__}")
    return int(value) if isinstance(value, (int, np.integer)) else float(value)


def _decode_observed(described: dict[str, Any], arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    observed: dict[str, Any] = {}
    for name, entry in described.items():
        if entry["kind"] == "tuples":
            rows = arrays.get(f"observed.{name}")
            if rows is None or rows.dtype != np.int64 or rows.ndim != 2 or rows.shape[1] != entry["width"]:
                raise ValueError(f"observation {name!r} does not match its array")
            observed[name] = ({int(r[0]) for r in rows} if entry.get("scalar")
                              else {tuple(int(x) for x in r) for r in rows})
        elif entry["kind"] == "counts":
            observed[name] = {k: v for k, v in entry["value"]}
        else:
            observed[name] = entry["value"]
    return observed


def _remove_partials(target: Path) -> None:
    """Temporary files an earlier, killed save left beside ``target``."""
    folder = target.parent if str(target.parent) else Path(".")
    with contextlib.suppress(OSError):
        for stale in folder.glob(f".{target.name}.*{PARTIAL}"):
            with contextlib.suppress(OSError):
                stale.unlink()


def save(path: str, space: Any, bits: int | None, trail: Any,
         parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], observed: dict[str, Any]) -> None:
    """Write the trail, the partitions' snapshots and the observations so far to ``path``
    atomically, as data only (see the module's docstring for the format)."""
    target = Path(path)
    frontier = np.concatenate([p[1] for p in parts]).astype(np.uint64)
    gidx = np.concatenate([p[2] for p in parts]).astype(np.int64)
    order = np.argsort(gidx, kind="stable")
    described, observed_arrays = _encode_observed(observed)
    elapsed = float(trail.elapsed)
    meta = dict(_identity(space, bits), format=FORMAT, fingerprint=fingerprint(space, bits),
                depth_offsets=list(map(int, trail.depth_offsets)), transitions=int(trail.transitions),
                violations={str(k): int(v) for k, v in trail.violations.items()},
                elapsed=elapsed if math.isfinite(elapsed) and elapsed >= 0 else 0.0, observed=described)
    if _words(space) > 1:  # one-word checkpoints stay as they were
        meta["words"] = _words(space)
    arrays = {
        "initial": np.asarray(trail.initial, dtype=np.uint64),
        "keys": (np.concatenate(trail.keys) if trail.keys else np.empty(0, np.uint64)).astype(np.uint64),
        "parent": trail.joined("parent", np.int64),
        "action": trail.joined("action", np.int32),
        "stored": np.concatenate([p[0] for p in parts]).astype(np.uint64),
        "frontier": frontier[order],
        "gidx": gidx[order],
        **observed_arrays,
    }
    meta_text = json.dumps(meta, sort_keys=True)
    members = {"meta": np.array(meta_text), "checksum": np.array(checksum(meta_text, arrays)), **arrays}
    _remove_partials(target)
    handle, temporary = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                                         prefix=f".{target.name}.", suffix=PARTIAL)
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **members)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _refuse(path: str, why: str) -> ConfigError:
    return ConfigError(f"--resume {path}: {why}")


def _check_arrays(path: str, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Types, shapes and ranges of the arrays, against each other and the metadata."""
    words = meta.get("words", 1)
    rows = {"initial", "frontier"} | ({"keys", "stored"} if meta["fingerprint_bits"] is None else set())
    for name, dtype in ARRAYS.items():
        array = arrays.get(name)
        if words > 1 and name in rows:
            if array is None or array.dtype != np.dtype(dtype) or array.ndim != 2 or array.shape[1] != words:
                raise _refuse(path, f"member {name!r} is missing or not a {np.dtype(dtype).name} array of "
                                    f"{words}-word rows")
        elif array is None or array.dtype != np.dtype(dtype) or array.ndim != 1:
            raise _refuse(path, f"member {name!r} is missing or not a 1-D {np.dtype(dtype).name} array")
    offsets = meta["depth_offsets"]
    count = offsets[-1]
    problems = [
        (offsets[0] == 0 and all(a <= b for a, b in zip(offsets, offsets[1:])), "depth_offsets do not rise from 0"),
        (offsets[1] == len(arrays["initial"]), "depth_offsets[1] is not the number of initial states"),
        (len(arrays["keys"]) == count, "the trail's keys do not match depth_offsets"),
        (len(arrays["parent"]) == count and len(arrays["action"]) == count, "parents or actions are cut short"),
        (len(arrays["frontier"]) == len(arrays["gidx"]), "the frontier and its indices differ in length"),
        (len(arrays["frontier"]) == count - offsets[-2], "the frontier is not the last level"),
        (len(arrays["stored"]) >= len(arrays["frontier"]), "fewer stored keys than frontier states"),
        (not len(arrays["gidx"]) or (int(arrays["gidx"].min()) >= offsets[-2] and int(arrays["gidx"].max()) < count),
         "frontier indices out of range"),
        (not len(arrays["parent"]) or (int(arrays["parent"].min()) >= -1 and int(arrays["parent"].max()) < count),
         "parent indices out of range"),
        (not len(arrays["action"]) or (int(arrays["action"].min()) >= -1 and int(arrays["action"].max()) < meta["labels"]),
         "actions out of range"),
        (all(v < count for v in meta["violations"].values()), "a violation index beyond the states"),
    ]
    for ok, why in problems:
        if not ok:
            raise _refuse(path, f"inconsistent checkpoint ({why})")


def load(path: str, space: Any, bits: int | None) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read and verify a checkpoint for ``space``: the trail's fields and the snapshot (stored
    keys, frontier, frontier indices). Anything that is not a checkpoint of this run, intact, is
    a ``ConfigError`` in one line."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except OSError as error:
        raise _refuse(path, f"not a readable checkpoint ({error.strerror or error.__class__.__name__})") from None
    except Exception as error:  # noqa: BLE001 - a truncated zip, a pickle, a foreign file: all refused
        raise _refuse(path, f"not a readable checkpoint ({error.__class__.__name__})") from None
    meta_member, stored_sum = arrays.pop("meta", None), arrays.pop("checksum", None)
    if meta_member is None or stored_sum is None or meta_member.dtype.kind != "U" or stored_sum.dtype.kind != "U":
        raise _refuse(path, f"not a readable checkpoint (no metadata or checksum; format {FORMAT} expected)")
    meta_text = str(meta_member)
    try:
        meta = json.loads(meta_text)
    except (ValueError, RecursionError):
        raise _refuse(path, "not a readable checkpoint (its metadata is not JSON)") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise _refuse(path, f"format {found!r}; this version reads format {FORMAT} (start the run again)")
    expected = _identity(space, bits)
    found = {key: meta.get(key) for key in expected}
    if found != expected or meta.get("fingerprint") != fingerprint(space, bits):
        raise _refuse(path, f"saved for {found}, but this run is {expected} (configuration fingerprint differs)")
    if str(stored_sum) != checksum(meta_text, arrays):
        raise _refuse(path, "checksum mismatch: the file was changed or cut short after it was written")
    if not _META.is_valid(meta):
        raise _refuse(path, "inconsistent checkpoint (its metadata does not have the documented fields)")
    if meta.get("words", 1) != _words(space):
        raise _refuse(path, f"saved with {meta.get('words', 1)} words a state, but this run's states take "
                            f"{_words(space)} (the encoding differs)")
    _check_arrays(path, meta, arrays)
    try:
        observed = _decode_observed(meta["observed"], arrays)
    except ValueError as error:
        raise _refuse(path, f"inconsistent checkpoint ({error})") from None
    offsets = meta["depth_offsets"]
    trail = {"initial": arrays["initial"], "keys": [arrays["keys"]], "parent": [arrays["parent"]],
             "action": [arrays["action"]], "depth_offsets": offsets, "transitions": meta["transitions"],
             "violations": {k: int(v) for k, v in meta["violations"].items()}, "elapsed": float(meta["elapsed"]),
             "observed": observed}
    snapshot = {"stored": arrays["stored"], "frontier": arrays["frontier"], "gidx": arrays["gidx"]}
    return trail, snapshot
