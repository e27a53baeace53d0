"""The exploration engines side by side on rows of the reference model.

Usage (from the repository root)::

    /work/venv/bin/python bench/engines_bench.py                        # rows 2x4 3x3, 3 runs each
    /work/venv/bin/python bench/engines_bench.py --rows 3x3 --runs 5
    /work/venv/bin/python bench/engines_bench.py --engines frontier processes-2 ray-2

Engines: ``frontier`` (the single-process numpy explorer, ``model/frontier.py``), ``partitioned-1``
(the partitioned coordinator with one inline partition: its overhead alone), ``processes-N``
(N worker processes), ``ray-N`` (N Ray actors on a local Ray instance), ``fingerprint-B`` (hash
compaction with B-bit fingerprints, one process) and ``fingerprint-B-processes-N``.

Every run is a fresh child process and the engines of a row run interleaved, so a change of load
hits them alike. Per engine and row: states, transitions, the median search seconds (the
exploration itself; ``startup`` is the median time to start the workers or Ray, not included),
states per second, the engine's own bytes per stored state (visited keys + the trail: states or
fingerprints, parents, actions), the peak resident memory of the coordinating process (workers
not included), the CPU seconds of the whole child process (imports and startup included; worker
processes included, Ray's not) and the speedup over ``frontier`` (its median seconds over this
engine's). On a busy machine the CPU seconds say more than the seconds: workers that share a
core with other jobs cannot run in parallel. The "parallel ceiling" lines (at the start and the
end) measure how much faster two processes do plain numpy work than one at that moment: the most
a parallel engine could gain then. Every
engine must report the same states, transitions and violations as ``frontier``; a mismatch is
printed and the exit code is 1. The machine is small and shared: figures are noisy, compare
figures taken in one run.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ENGINES = ("frontier", "partitioned-1", "processes-2", "ray-2", "fingerprint-32",
                   "fingerprint-32-processes-2")


def options_for(engine: str) -> object:
    from shadowspec.model.engines import EngineOptions

    parts = engine.split("-")
    if engine == "frontier":
        return EngineOptions()
    if parts[0] == "partitioned":
        return EngineOptions(time_limit=1e12)  # anything but plain: the partitioned coordinator
    if parts[0] in ("processes", "ray"):
        return EngineOptions(backend=parts[0], workers=int(parts[1]))
    if parts[0] == "fingerprint":
        workers = int(parts[3]) if len(parts) > 3 else 1
        return EngineOptions(backend="processes" if workers > 1 else "local", workers=workers,
                             fingerprint_bits=int(parts[1]))
    raise SystemExit(f"engines_bench: unknown engine {engine!r}")


def child(engine: str, requesters: int, volumes: int) -> None:
    from shadowspec.examples.reference import reference_space
    from shadowspec.model.engines import explore_with

    factory = functools.partial(reference_space, requesters, volumes)
    started = time.perf_counter()
    result = explore_with(factory, options_for(engine))
    wall = time.perf_counter() - started
    print(json.dumps({"states": result.count, "transitions": result.transitions,
                      "violations": result.violations, "complete": result.complete,
                      "seconds": result.seconds, "wall": wall,
                      "startup": result.extra.get("startup_seconds", 0.0),
                      "bytes_per_state": result.extra.get("bytes_per_state") or round(
                          (result.states.nbytes + result.parent.nbytes + result.action.nbytes
                           + result.extra.get("visited_bytes", result.states.nbytes)) / result.count, 1),
                      "omission": result.extra.get("hash_compaction", {}).get("omission_probability", {})
                      .get("birthday")}))


def run_child(engine: str, row: tuple[int, int]) -> dict:
    process = subprocess.Popen([sys.executable, __file__, "--child", engine, *map(str, row)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"engines_bench: {engine} on {row} failed (status {status})")
    data = json.loads(output)
    data["peak_mb"] = usage.ru_maxrss / 1024
    data["cpu"] = usage.ru_utime + usage.ru_stime  # with the joined worker processes (not Ray's)
    return data


def _sorts(size: int, repeat: int = 6) -> float:
    import numpy as np

    values = np.random.default_rng(size).integers(0, 2 ** 63, size, dtype=np.uint64)
    started = time.perf_counter()
    for _ in range(repeat):
        np.sort(values)
    return time.perf_counter() - started


def parallel_ceiling() -> float:
    """How much faster two processes do the same numpy work as one, right now: the most any
    engine can gain on this machine at this load (1.0: no free core)."""
    import multiprocessing

    size = 1 << 22
    one = _sorts(size) + _sorts(size)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_sorts, [1 << 10, 1 << 10])
        started = time.perf_counter()
        pool.map(_sorts, [size, size])
        two = time.perf_counter() - started
    return one / two


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", nargs="+", default=["2x4", "3x3"], help="RxV rows of the reference model")
    parser.add_argument("--engines", nargs="+", default=list(DEFAULT_ENGINES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return 0
    for engine in args.engines:
        options_for(engine)
    print(f"# {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; "
          f"{args.runs} runs per engine and row, interleaved; medians")
    print(f"# parallel ceiling now (two processes sorting vs one): {parallel_ceiling():.2f}x")
    header = (f"{'row':5} {'engine':28} {'states':>11} {'transitions':>13} {'seconds':>8} {'startup':>8} "
              f"{'states/s':>11} {'B/state':>8} {'peak MB':>8} {'cpu s':>6} {'speedup':>8}")
    print(header)
    failed = False
    for text in args.rows:
        row = tuple(int(x) for x in text.lower().split("x"))
        runs: dict[str, list[dict]] = {engine: [] for engine in args.engines}
        for _ in range(args.runs):
            for engine in args.engines:
                runs[engine].append(run_child(engine, row))
        reference = runs[args.engines[0]][0]
        base = median_of(runs["frontier"], "seconds") if "frontier" in runs else None
        for engine, results in runs.items():
            first = results[0]
            same = all((r["states"], r["transitions"], r["violations"]) ==
                       (reference["states"], reference["transitions"], reference["violations"])
                       for r in results)
            note = ""
            if first["omission"] is not None:
                note = f"   P(missed state) {first['omission']:.1e}"
                if not same and all(r["states"] <= reference["states"] for r in results):
                    note += f", {reference['states'] - first['states']:,} missed (hash compaction)"
                    same = True
            seconds = median_of(results, "seconds")
            speedup = f"{base / seconds:.2f}x" if base and seconds else "-"
            print(f"{text:5} {engine:28} {first['states']:>11,} {first['transitions']:>13,} {seconds:>8.2f} "
                  f"{median_of(results, 'startup'):>8.2f} {first['states'] / seconds:>11,.0f} "
                  f"{first['bytes_per_state']:>8} {median_of(results, 'peak_mb'):>8.0f} "
                  f"{median_of(results, 'cpu'):>6.1f} {speedup:>8}"
                  + note + ("" if same else "   MISMATCH with the first engine"))
            failed |= not same
    print(f"# load average {os.getloadavg()[0]:.2f} at the end; parallel ceiling {parallel_ceiling():.2f}x")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
