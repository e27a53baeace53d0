"""Measure the packed engine on the real specification (issue 12): a benchmark, never a test.

Each figure is taken in a child process of its own (so peak RSS is that run's), and printed with
the machine's load average (``os.getloadavg``), because the machine is shared and times vary.

    python bench/packed_bench.py configs [--before]   # every shipped configuration, after (and before)
    python bench/packed_bench.py throughput           # explore-only rates; the reference model beside
    python bench/packed_bench.py words                # one word against the same search split in two
    python bench/packed_bench.py growth [--max 2] [--limit 300]   # R=N=V from 1 up, faults on
    python bench/packed_bench.py growth --symmetry    # each row also with check --symmetry
    python bench/packed_bench.py growth --symmetry --limit 300 --max-states 1500000 --memory-gib 6
    python bench/packed_bench.py engines [--config default]       # one process, --workers 2, Ray
    python bench/packed_bench.py memory                           # bytes per stored state, by part
    python bench/packed_bench.py profile                          # cProfile: exploring, deciding

"before" is the previous engine: the generic explorer and the reference (networkx, per-state)
deciders. "after" is what ``shadowspec check`` now runs: the packed explorer (learnt encoding)
and the tabulated deciders. "seconds to all verdicts" includes building the system, exploring and
deciding every property; not Python start-up. Bytes per state: peak RSS over states (everything a
check holds: the decoded states, every edge and label, the deciders' tables), and the 8 bytes of
the packed word itself.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from functools import partial
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """User plus system CPU seconds of this process: less sensitive than wall time to the other
    work on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return "load %.1f %.1f %.1f" % os.getloadavg()


def child_config(name: str, engine: str) -> dict[str, Any]:
    from shadowspec.checks.catalogue import PROPERTIES, WITNESSES
    from shadowspec.checks.decide import Graph, decide
    from shadowspec.checks.run import explore_config
    from shadowspec.model.config import shipped

    config = shipped()[name]
    started, cpu = time.perf_counter(), _cpu()
    system, x, _ = explore_config(config, generic=engine == "before")
    explored = time.perf_counter() - started
    explored_cpu = _cpu() - cpu
    graph = Graph(system, x, reference=engine == "before")
    verdicts = [decide(p, graph).verdict for p in PROPERTIES + WITNESSES]
    total = time.perf_counter() - started
    states = len(x.states)
    return {"config": name, "engine": engine, "states": states, "transitions": x.transitions,
            "explore_s": round(explored, 2), "verdicts_s": round(total, 2), "verdicts_cpu_s": round(_cpu() - cpu, 2),
            "states_per_s": round(states / explored) if explored else 0,
            "explore_cpu_s": round(explored_cpu, 2),
            "states_per_cpu_s_exploring": round(states / explored_cpu) if explored_cpu else 0,
            "states_per_cpu_s_to_verdicts": round(states / (_cpu() - cpu)) if _cpu() > cpu else 0,
            "peak_mib": round(_peak_mib(), 1), "rss_bytes_per_state": round(_peak_mib() * 2**20 / states),
            "verdicts": verdicts}


def child_throughput(name: str, encoding: str, word_bits: int | None = None) -> dict[str, Any]:
    """Explore only: the declared encoding through the frontier explorer (what the engines run),
    or the learnt encoding through ``explore_vss`` (what check runs, edges kept). ``word_bits``
    (``words``): a state split into words of at most that many bits, to set a two-word run
    beside the one-word run of the same configuration."""
    import numpy as np

    from shadowspec.model.config import shipped
    from shadowspec.model.frontier import explore_frontier
    from shadowspec.model.packed_explore import explore_vss
    from shadowspec.model.packed_system import VssSpace

    if name.startswith("reference"):
        from shadowspec.examples.reference import reference_space

        r, v = (int(n) for n in name.split(":")[1].split("x"))
        space: Any = reference_space(r, v)
        started, cpu = time.perf_counter(), _cpu()
        found = explore_frontier(space)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        return {"config": name, "encoding": "reference", "states": found.count, "transitions": found.transitions,
                "seconds": round(seconds, 2), "states_per_s": round(found.count / seconds),
                "cpu_s": round(cpu, 2), "states_per_cpu_s": round(found.count / cpu),
                "peak_mib": round(_peak_mib(), 1), "bytes_per_state": round(_peak_mib() * 2**20 / found.count)}
    config = shipped()[name]
    started, cpu = time.perf_counter(), _cpu()
    space = VssSpace(config, encoding=encoding, word_bits=word_bits)
    built, build_cpu = time.perf_counter() - started, _cpu() - cpu
    cpu = _cpu()
    if encoding == "declared":
        found = explore_frontier(space)
        count, transitions = found.count, found.transitions
        stored = {"store_bytes_per_state": round((found.states.nbytes + found.parent.nbytes + found.action.nbytes
                                                  + found.extra["visited_bytes"]) / count, 1)}
    else:
        x = explore_vss(space)
        count, transitions = len(x.states), x.transitions
        store = x.store_bytes  # type: ignore[attr-defined]
        stored = {"store_bytes_per_state": round((store["states"] + store["parent"] + store["via"] + store["visited"])
                                                 / count, 1)}
    seconds = time.perf_counter() - started - built
    explore_cpu = _cpu() - cpu
    peak = _peak_mib()
    steady: dict[str, Any] = {}
    if encoding == "learnt":  # again with every table learnt: the numpy steady state alone
        del x
        cpu, evaluations = _cpu(), space.evaluations
        again = explore_vss(space)
        steady_cpu = _cpu() - cpu
        steady = {"steady_cpu_s": round(steady_cpu, 2), "steady_states_per_cpu_s": round(len(again.states) / steady_cpu),
                  "steady_evaluations": space.evaluations - evaluations}
    del np
    return {"config": name, "encoding": encoding, "states": count, "transitions": transitions,
            "build_s": round(built, 2), "build_cpu_s": round(build_cpu, 2), "seconds": round(seconds, 2), "states_per_s": round(count / seconds),
            "cpu_s": round(explore_cpu, 2), "states_per_cpu_s": round(count / explore_cpu), **steady,
            "evaluations": space.evaluations, "bits": space.bits, "words": space.words, **stored,
            "peak_mib": round(peak, 1),
            "bytes_per_state": round(peak * 2**20 / count)}


def child_growth(size: int, writers: int, limit: float, symmetry: bool = False,
                 max_states: int | None = None, memory_gib: float | None = None) -> dict[str, Any]:
    """One whole check of R=N=V=size (``symmetry``: ``check --symmetry``: the search stores one
    state per orbit, ``explore_s`` is that search; the deciders read the unfolded orbits).
    ``max_states`` bounds the search (the row is then cut short: ``complete`` false, never
    passed); ``memory_gib`` caps the child's address space, so that a row fails with a
    MemoryError rather than exhausting the shared machine; past ``limit`` seconds the child
    exits (status 3) and the row is reported as over the limit."""
    from shadowspec.checks.run import run_check
    from shadowspec.model.config import ConfigError, shipped

    if memory_gib:
        cap = int(memory_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    # the search itself stops at half the limit (the row is then cut short, with the states it
    # reached), so the deciders have the rest; the exit at the limit is the last resort
    from shadowspec.model import packed_explore

    packed_explore.explore_vss = partial(packed_explore.explore_vss, time_limit=0.5 * limit, progress_every=0.2)
    base = shipped()["default"]
    config = base.with_overrides(requesters=size, nodes=size, volumes=size, writers=writers,
                                 name=f"R=N=V={size} W={writers}", max_states=max_states)
    started, cpu = time.perf_counter(), _cpu()
    import threading

    reached: dict[str, Any] = {"phase": "building", "states": 0, "transitions": 0, "depth": 0}

    def exploring(states: int, transitions: int, queue: int, depth: int) -> None:
        reached.update(phase="exploring", states=states, transitions=transitions, depth=depth)

    def deciding(i: int, n: int, prop: str) -> None:
        reached.update(phase=f"deciding {prop} ({i + 1} of {n})")

    def cut_short() -> None:  # past the limit: what the row reached, said as cut short, never passed
        print(json.dumps({"config": config.name, "symmetry": symmetry, "cut_short": f"over {limit:g} s",
                          **reached, "seconds": round(time.perf_counter() - started, 1),
                          "cpu_s": round(_cpu() - cpu, 1), "peak_mib": round(_peak_mib(), 1), "passed": False}),
              flush=True)
        os._exit(0)

    timer = threading.Timer(limit, cut_short)
    timer.daemon = True
    timer.start()
    try:
        from shadowspec.checks.run import measure

        report = measure(config, progress=exploring, deciding=deciding, symmetry=symmetry).report
    except ConfigError as refused:
        return {"config": config.name, "symmetry": symmetry, "refused": str(refused)}
    timer.cancel()
    x = report.exploration
    reduced = x.get("symmetry", {})
    return {"config": config.name, "symmetry": symmetry, "states": x["states"],
            "representatives": reduced.get("representatives", x["states"]),
            "group_order": reduced.get("group_order", 1), "transitions": x["transitions"],
            "explore_s": round(report.timings["explore"], 1),
            "seconds": round(time.perf_counter() - started, 1), "cpu_s": round(_cpu() - cpu, 1),
            "engine": report.engine.get("engine"), "why": report.engine.get("why"),
            "words": report.engine.get("words", 1), "complete": x["complete"], "stop_reason": x["stop_reason"],
            "peak_mib": round(_peak_mib(), 1), "bytes_per_state": round(_peak_mib() * 2**20 / max(x["states"], 1)),
            "states_per_cpu_s": round(x["states"] / max(_cpu() - cpu, 1e-9)), "passed": report.passed}


def child_engines(name: str, how: str) -> dict[str, Any]:
    from shadowspec.model.config import shipped
    from shadowspec.model.engines import EngineOptions, explore_with
    from shadowspec.model.packed_system import vss_space

    config = shipped()[name]
    options = {"one": EngineOptions(), "workers2": EngineOptions(workers=2),
               "ray2": EngineOptions(backend="ray", workers=2)}[how]
    started = time.perf_counter()
    cpu = _cpu()
    # as ``check`` does (``checks/run.py``): the coordinator's closure, handed to every worker
    closed = vss_space(config).closed()
    found = explore_with(partial(vss_space, config, closed), options)
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"config": name, "engine": how, "states": found.count, "transitions": found.transitions,
            "depth": found.max_depth, "seconds": round(seconds, 2), "cpu_s": round(_cpu() - cpu, 2),
            "children_cpu_s": round(children.ru_utime + children.ru_stime, 2),
            "ray_address": os.environ.get("RAY_ADDRESS", ""),
            "startup_s": found.extra.get("startup_seconds", 0.0), "peak_mib": round(_peak_mib(), 1)}


def _deep_states(states: Any) -> int:
    """Bytes of the decoded state tuples: the list, each tuple and each distinct int object."""
    total, seen = sys.getsizeof(states), set()
    for state in states:
        total += sys.getsizeof(state)
        for code in state:
            if id(code) not in seen:
                seen.add(id(code))
                total += sys.getsizeof(code)
    return total


def _array_bytes(a: Any) -> int:
    return a.buffer_info()[1] * a.itemsize if hasattr(a, "buffer_info") else int(getattr(a, "nbytes", 0))


def child_memory(name: str) -> dict[str, Any]:
    """Bytes per stored state, by part (issue 12's "at most 80 bytes per stored state").

    * ``store``: what the search holds for every state it found: the packed word, the parent,
      the discovering action and the visited index (``packed_explore.store_bytes``);
    * ``graph``: every edge kept for the deciders (source, action, target), per state;
    * ``exploration``: the ``Exploration`` handed to the deciders: decoded state tuples (Python
      objects) and the parent, via, depth and edge arrays;
    * ``deciders``: what ``Graph`` adds while deciding every property (the tabulator's codes and
      field tables, the per-source edge offsets, the attracting components).
    Peak RSS is the whole process (interpreter, libraries, the learnt tables) and is given too."""
    from shadowspec.checks.catalogue import PROPERTIES, WITNESSES
    from shadowspec.checks.decide import Graph, decide
    from shadowspec.checks.run import explore_config
    from shadowspec.model.config import shipped

    system, x, _ = explore_config(shipped()[name])
    n = len(x.states)
    store = dict(getattr(x, "store_bytes", {}))
    edges = store.pop("edges", 0)
    exploration = {"states_tuples": _deep_states(x.states),
                   **{f: _array_bytes(getattr(x, f)) for f in ("parent", "via", "depth", "sources", "targets",
                                                              "edge_labels")}}
    graph = Graph(system, x)
    for p in PROPERTIES + WITNESSES:
        decide(p, graph)
    tab = graph._tabulator
    deciders = {"offsets": sys.getsizeof(graph.offsets) + sum(sys.getsizeof(o) for o in graph.offsets)
                if isinstance(graph.offsets, list) else _array_bytes(graph.offsets),
                "tabulator_codes": int(tab.codes.nbytes) if tab is not None else 0,
                "tabulator_fields": sum(int(a.nbytes) for a, _ in tab._fields.values()) if tab is not None else 0,
                "attracting": sum(int(getattr(a, "nbytes", 0)) for a in (graph._attracting or ()))}
    per = lambda d: {k: round(v / n, 1) for k, v in d.items()}  # noqa: E731
    return {"config": name, "states": n, "transitions": x.transitions,
            "store_B_per_state": round(sum(store.values()) / n, 1), "store_parts": per(store),
            "graph_B_per_state": round(edges / n, 1),
            "exploration_B_per_state": round(sum(exploration.values()) / n, 1), "exploration_parts": per(exploration),
            "deciders_B_per_state": round(sum(deciders.values()) / n, 1), "decider_parts": per(deciders),
            "peak_mib": round(_peak_mib(), 1), "rss_B_per_state": round(_peak_mib() * 2**20 / n)}


def child_profile(name: str, top: int = 25) -> dict[str, Any]:
    """cProfile of exploring (``explore_vss``, learnt encoding: what ``check`` runs) and of
    deciding every property; the top functions by own time of each, and per property CPU.
    The function times are cProfile's wall clock (inflated by the profiler and by the machine's
    load): compare them with each other; ``*_cpu_s_profiled`` are CPU seconds with the profiler
    on."""
    import cProfile
    import io
    import pstats

    from shadowspec.checks.catalogue import PROPERTIES, WITNESSES
    from shadowspec.checks.decide import Graph, decide
    from shadowspec.model.config import shipped
    from shadowspec.model.packed_explore import explore_vss
    from shadowspec.model.packed_system import VssSpace

    def table(profile: cProfile.Profile) -> list[str]:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
        return [line for line in out.getvalue().splitlines() if line.strip()][-top:]

    config = shipped()[name]
    explore_profile = cProfile.Profile()
    cpu = _cpu()
    explore_profile.enable()
    space = VssSpace(config, encoding="learnt")
    x = explore_vss(space)
    explore_profile.disable()
    explore_cpu = _cpu() - cpu
    decide_profile = cProfile.Profile()
    per: dict[str, float] = {}
    cpu = _cpu()
    decide_profile.enable()
    graph = Graph(space.system, x)
    for p in PROPERTIES + WITNESSES:
        started = _cpu()
        decide(p, graph)
        per[p.id] = round(_cpu() - started, 3)
    decide_profile.disable()
    return {"config": name, "states": len(x.states), "transitions": x.transitions,
            "explore_cpu_s_profiled": round(explore_cpu, 2), "evaluations": space.evaluations,
            "decide_cpu_s_profiled": round(_cpu() - cpu, 2),
            "dearest_properties": sorted(per.items(), key=lambda kv: -kv[1])[:8],
            "explore_top": table(explore_profile), "decide_top": table(decide_profile)}


def _run(*args: str, timeout: float = 3600) -> dict[str, Any] | None:
    load = _load()
    try:
        done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        print(json.dumps({"child": args, "error": f"over {timeout:g} s", "load_before": load}), flush=True)
        return None
    if done.returncode != 0:
        print(json.dumps({"child": args, "error": done.stderr.strip().splitlines()[-1:] or done.returncode,
                          "load_before": load}), flush=True)
        return None
    row = json.loads(done.stdout)
    row["load_before"], row["load_after"] = load, _load()
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", choices=("configs", "throughput", "words", "growth", "engines", "memory", "profile"))
    parser.add_argument("--before", action="store_true", help="configs: also the previous engine")
    parser.add_argument("--max", type=int, default=3, help="growth: largest R=N=V")
    parser.add_argument("--limit", type=float, default=300.0, help="growth: seconds a configuration may take")
    parser.add_argument("--config", default="default", help="engines: the configuration")
    parser.add_argument("--symmetry", action="store_true", help="growth: each row also with --symmetry")
    parser.add_argument("--min", type=int, default=1, help="growth: smallest R=N=V")
    parser.add_argument("--max-states", type=int, default=None, help="growth: state bound a row (cut short past it)")
    parser.add_argument("--memory-gib", type=float, default=None, help="growth: address-space cap of each child")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {"config": lambda: child_config(rest[0], rest[1]),
                  "throughput": lambda: child_throughput(rest[0], rest[1], int(rest[2]) if rest[2:] else None),
                  "growth": lambda: child_growth(int(rest[0]), int(rest[1]), float(rest[2]), rest[3] == "symmetry",
                                                 int(rest[4]) or None, float(rest[5]) or None),
                  "engines": lambda: child_engines(rest[0], rest[1]),
                  "memory": lambda: child_memory(rest[0]),
                  "profile": lambda: child_profile(rest[0])}[kind]()
        print(json.dumps(result))
        return
    from shadowspec.model.config import shipped

    if args.what == "configs":
        for name in shipped():
            _run("config", name, "after")
            if args.before:
                _run("config", name, "before")
    elif args.what == "throughput":
        for name in ("default", "two-requesters", "requester-api"):
            _run("throughput", name, "learnt")
            _run("throughput", name, "declared")
        _run("throughput", "reference:3x3", "reference")
    elif args.what == "growth":
        bounds = (str(args.max_states or 0), str(args.memory_gib or 0))
        for size in range(args.min, args.max + 1):
            for writers in (1, 2):
                _run("growth", str(size), str(writers), str(args.limit), "plain", *bounds, timeout=args.limit + 30)
                if args.symmetry:
                    _run("growth", str(size), str(writers), str(args.limit), "symmetry", *bounds,
                         timeout=args.limit + 30)
    elif args.what == "words":  # one word against two, the same configuration and search
        for name, encoding, split in (("default", "learnt", "24"), ("two-requesters", "learnt", "28"),
                                      ("cluster-2008r2", "declared", "32")):
            _run("throughput", name, encoding)
            _run("throughput", name, encoding, split)
        _run("throughput", "two-requesters", "declared")  # 71 bits: two words of its own
    elif args.what == "profile":
        for name in ("default", "two-requesters"):
            _run("profile", name)
    elif args.what == "memory":
        for name in shipped():
            _run("memory", name)
    elif args.what == "engines":
        for how in ("one", "workers2", "ray2"):
            _run("engines", args.config, how)
    else:
        parser.print_help()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(HERE))
    main()
