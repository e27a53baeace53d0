"""Parallel exploration: one hash partition of the visited set per worker process.

Workers are started with the ``spawn`` method (no inherited locks, threads or open files: safe
under any parent) and each builds its own space from a picklable factory (a top-level function or
a ``functools.partial`` of one). Every pair of workers shares a pipe: per level each worker
expands its frontier and sends each other worker the batch of successors it owns (raw numpy
buffers, one sender thread per peer, so no pair can block the others), keeps the new ones, and
tells the coordinator only their discovery keys; the coordinator numbers them (``levels``).
Counts, depth, verdicts and counterexamples are those of the single-process run. Workers ignore
SIGINT, so Ctrl-C reaches only the coordinator (which checkpoints).
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import threading
import traceback
from typing import Any, Callable

import numpy as np

from .malloc_tuning import keep_freed_memory, malloc_environment
from .partition import Batch, Partition

START_METHOD = "spawn"


def _send_batch(connection: Any, batch: Batch) -> None:
    target, discovery = batch
    words = 1 if target.ndim == 1 else target.shape[1]  # rows of W words travel flat, with W
    connection.send_bytes(np.array([len(target), words], dtype=np.int64).tobytes())
    if len(target):
        connection.send_bytes(np.ascontiguousarray(target, dtype=np.uint64).reshape(-1))
        connection.send_bytes(np.ascontiguousarray(discovery, dtype=np.int64))


def _receive_batch(connection: Any) -> Batch:
    size, words = (int(v) for v in np.frombuffer(connection.recv_bytes(), dtype=np.int64))
    target, discovery = np.empty(size * words, np.uint64), np.empty(size, np.int64)  # received flat
    if size:
        connection.recv_bytes_into(target)
        connection.recv_bytes_into(discovery)
    return (target if words == 1 else target.reshape(size, words)), discovery


def _level(partition: Partition, peers: dict[int, Any]) -> tuple[int, dict[str, Any]]:
    """Expand, swap batches with every peer, keep the new states."""
    generated, batches = partition.expand()
    senders = [threading.Thread(target=_send_batch, args=(peers[q], batches[q])) for q in sorted(peers)]
    for sender in senders:
        sender.start()
    received = [batches[q] if q == partition.index else _receive_batch(peers[q]) for q in range(partition.count)]
    for sender in senders:
        sender.join()
    return generated, partition.receive(received)


def _serve(connection: Any, peers: dict[int, Any], factory: Callable[[], Any], index: int, count: int,
           bits: int | None, observer: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        partition = Partition(factory, index, count, bits, observer)
        connection.send(("ok", None))
    except BaseException:
        connection.send(("error", traceback.format_exc()))
        return
    while True:
        method, args = connection.recv()
        if method == "close":
            return
        try:
            if method == "level":
                connection.send(("ok", _level(partition, peers)))
            else:
                connection.send(("ok", getattr(partition, method)(*args)))
        except BaseException:
            connection.send(("error", traceback.format_exc()))


class WorkerFailed(RuntimeError):
    """A worker process raised; the message carries its traceback."""


class ProcessTransport:
    """``count`` worker processes, one partition each, reached through pipes."""

    name = "processes"

    def __init__(self, factory: Callable[[], Any], count: int, bits: int | None,
                 observer: Any = None) -> None:
        try:
            pickle.dumps((factory, observer))
        except Exception as error:
            raise ValueError(f"the space factory and observer must be picklable for worker processes: "
                             f"{error}") from None
        context = multiprocessing.get_context(START_METHOD)
        keep_freed_memory()
        self.count = count
        self.connections, self.processes = [], []
        peers: list[dict[int, Any]] = [{} for _ in range(count)]
        for i in range(count):
            for j in range(i + 1, count):
                peers[i][j], peers[j][i] = context.Pipe()
        for index in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve,
                                      args=(theirs, peers[index], factory, index, count, bits, observer),
                                      name=f"shadowspec-partition-{index}", daemon=True)
            with malloc_environment():
                process.start()
            theirs.close()
            self.connections.append(ours)
            self.processes.append(process)
        for ends in peers:
            for end in ends.values():
                end.close()
        try:
            self._collect()
        except WorkerFailed:
            self.close()
            raise

    def _collect(self) -> list[Any]:
        results = []
        for index, connection in enumerate(self.connections):
            try:
                status, value = connection.recv()
            except EOFError:
                raise WorkerFailed(f"worker {index} exited unexpectedly") from None
            if status != "ok":
                raise WorkerFailed(f"worker {index} failed:\n{value}")
            results.append(value)
        return results

    def _call(self, method: str, args: list[tuple[Any, ...]]) -> list[Any]:
        for connection, arguments in zip(self.connections, args):
            connection.send((method, arguments))
        return self._collect()

    def level(self) -> tuple[int, list[dict[str, Any]]]:
        outs = self._call("level", [()] * self.count)
        return sum(generated for generated, _ in outs), [result for _, result in outs]

    def assign(self, gidx: list[np.ndarray], settled: frozenset[str] = frozenset()) -> None:
        self._call("assign", [(g, settled) for g in gidx])

    def seed(self, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
        self._call("seed", parts)

    def snapshot(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        return self._call("snapshot", [()] * self.count)

    def stored_bytes(self) -> int:
        return sum(self._call("stored_bytes", [()] * self.count))

    def observations(self) -> list[dict[str, Any]]:
        return self._call("observations", [()] * self.count)

    def close(self) -> None:
        for connection in self.connections:
            try:
                connection.send(("close", ()))
            except (OSError, ValueError):
                pass
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join()
        for connection in self.connections:
            connection.close()
        self.connections, self.processes = [], []
