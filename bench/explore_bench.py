"""Benchmark of the explorer: how state counts, time and memory grow with the configuration.

Usage (from the repository root)::

    /work/venv/bin/python bench/explore_bench.py             # the full series, cut at 250,000 states
    /work/venv/bin/python bench/explore_bench.py --quick     # three small configurations, ~30 s
    /work/venv/bin/python bench/explore_bench.py --configs default r1-n2-v1 --max-states 500000
    /work/venv/bin/python bench/explore_bench.py --memory tracemalloc --plain

What it prints:

1. For each configuration of a series that grows in requesters, nodes and volumes (the shipped
   ``model/configs`` first, then variations of the shipped ``default`` named ``rR-nN-vV``):
   states, transitions, BFS depth, whether the search completed or was cut at ``--max-states``,
   seconds, states per second, peak memory and bytes per state. Only the exploration is timed
   (``model.explorer.explore`` over ``System.successors``), not deciding the properties.

   Peak memory, ``--memory rss`` (the default): each configuration is explored in a fresh
   process; the figure is the growth of ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` from just
   before the exploration (imports done, ``System`` built) to just after it. It includes the
   visited map, the edge arrays, the interned labels and the compiled machines' memo tables, and
   allocator slack. ``--memory tracemalloc``: the exploration is run a second time, in process,
   under ``tracemalloc``, and the figure is its traced peak (Python allocations only; the timed
   run is the untraced one). ``--memory none`` skips the measurement.

2. On the smallest configuration with at least one requester (or ``--engine-config``), the speed
   of the compiled relation against driving real python-statemachine instances: the same
   breadth-first search (``explore``, cut at ``--engine-states`` states) is run twice, once with
   ``System.successors`` and once with a successor function that takes each enabled label from
   the composition and computes its target through the real engine: for every component a label
   touches, ``SpecMachine.resume`` builds an instance in that component's local state, the events
   of ``label.steps`` are sent to it with their arguments, and its ``local_state()`` gives the
   next local state. The compiled search is short, so it is timed as the best of three runs,
   each with fresh (cold) memo tables; the engine search runs once. Both searches find the same states (checked and printed); the ratio of their
   states per second is reported, with the engine side's time split into building instances and
   sending events. Labels come from the compiled composition on both sides (the engine has no
   notion of the composed system), so the engine side's time includes that enumeration too.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Any, Callable, Iterator

from shadowspec.model.config import Config, ConfigError, shipped
from shadowspec.model.explorer import explore
from shadowspec.model.system import Label, System

SERIES = ((0, 1, 1), (0, 2, 2), (1, 1, 0), (1, 2, 1), (1, 1, 2), (2, 1, 1), (2, 2, 1), (2, 2, 2))
"""(requesters, nodes, volumes) of the generated configurations, after the shipped ones."""

QUICK = ("r0-n2-v2", "r1-n1-v0", "default")


@dataclass(frozen=True)
class Row:
    name: str
    shape: str
    states: int
    transitions: int
    depth: int
    complete: bool
    seconds: float
    peak_bytes: int | None

    @property
    def per_second(self) -> float:
        return self.states / self.seconds if self.seconds else 0.0


# -- the series -------------------------------------------------------------------------------
def series() -> dict[str, Config]:
    """Shipped configurations, then variations of ``default`` in requesters, nodes, volumes."""
    found = dict(shipped())
    base = found.get("default", Config())
    for r, n, v in SERIES:
        name = f"r{r}-n{n}-v{v}"
        if (r, n, v) != (base.requesters, base.nodes, base.volumes):
            found[name] = replace(base, name=name, requesters=r, nodes=n, volumes=v,
                                  description=f"default with {r} requesters, {n} nodes, {v} volumes")
    return found


def shape(config: Config) -> str:
    return (f"{config.requesters}r {config.nodes}n {config.volumes}v {config.writers}w "
            f"{config.os} p{config.protocol}")


# -- one exploration ----------------------------------------------------------------------------
def measure(config: Config, max_states: int, memory: str) -> Row:
    """Explore ``config`` once (timed) and measure its memory as ``memory`` says."""
    system = System(config)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    x = explore([system.initial], system.successors, max_states=max_states)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak: int | None = None
    if memory == "rss":
        peak = (rss_after - rss_before) * 1024  # ru_maxrss is in KiB on Linux
    elif memory == "tracemalloc":
        del system
        again = System(config)
        tracemalloc.start()
        explore([again.initial], again.successors, max_states=max_states)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Row(config.name, shape(config), len(x.states), x.transitions, x.max_depth, x.complete,
               x.seconds, peak)


def measure_all(configs: list[Config], max_states: int, memory: str,
                log: Callable[[str], None]) -> Iterator[Row]:
    """Each configuration in a fresh process when memory is ``rss`` (so peaks do not mix)."""
    if memory != "rss":
        for config in configs:
            log(f"exploring {config.name} ...")
            yield measure(config, max_states, memory)
        return
    spawn = get_context("spawn")
    for config in configs:
        log(f"exploring {config.name} in a fresh process ...")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            yield pool.submit(measure, config, max_states, memory).result()


# -- the engine comparison --------------------------------------------------------------------
class EngineSuccessors:
    """Successors computed through real python-statemachine instances (see the docstring)."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.params = system.config.params()
        self.resume_seconds = 0.0
        self.send_seconds = 0.0
        self.instances = 0
        self.events = 0

    def __call__(self, state: tuple[int, ...]) -> Iterator[tuple[Label, tuple[int, ...]]]:
        system, clock = self.system, time.perf_counter
        for label, _ in system.successors(state):
            target = list(state)
            live: dict[int, Any] = {}
            for step in label.steps:
                machine = system.machines[step.component]
                engine = live.get(step.component)
                if engine is None:
                    started = clock()
                    engine = machine.cls.resume(self.params, machine.locals[target[step.component]])
                    self.resume_seconds += clock() - started
                    self.instances += 1
                    live[step.component] = engine
                started = clock()
                engine.call(step.event, **dict(step.arguments))
                self.send_seconds += clock() - started
                self.events += 1
                target[step.component] = machine.intern(engine.local_state())
            yield label, tuple(target)


def _locals(system: System, states: list[tuple[int, ...]]) -> list[tuple]:
    return [tuple(m.locals[i] for m, i in zip(system.machines, s)) for s in states]


def compare_engine(config: Config, states: int) -> dict[str, Any]:
    runs = []
    for _ in range(3):  # best of three, each with cold memo tables: the compiled run is short
        compiled_system = System(config)
        runs.append((explore([compiled_system.initial], compiled_system.successors, max_states=states),
                     compiled_system))
    fast, compiled_system = min(runs, key=lambda run: run[0].seconds)
    engine_system = System(config)
    engine = EngineSuccessors(engine_system)
    slow = explore([engine_system.initial], engine, max_states=states)
    same = _locals(compiled_system, fast.states) == _locals(engine_system, slow.states) \
        and list(fast.sources) == list(slow.sources) and list(fast.targets) == list(slow.targets)
    first_difference = "" if same else _first_difference(compiled_system, fast, engine_system, slow)
    return {
        "config": config.name, "states": len(fast.states), "transitions": fast.transitions,
        "same": same, "compiled_seconds": fast.seconds, "engine_seconds": slow.seconds,
        "compiled_rate": len(fast.states) / fast.seconds, "engine_rate": len(slow.states) / slow.seconds,
        "ratio": slow.seconds / fast.seconds, "resume_seconds": engine.resume_seconds,
        "send_seconds": engine.send_seconds, "instances": engine.instances, "events": engine.events,
        "first_difference": first_difference,
    }


def _first_difference(a_system: System, a: Any, b_system: System, b: Any) -> str:
    """The first edge (in BFS order) whose target differs between the two searches."""
    for (s, lab, t), (s2, lab2, t2) in zip(a.edges(), b.edges()):
        source = _locals(a_system, [a.states[s]])[0]
        if source != _locals(b_system, [b.states[s2]])[0] or a.labels[lab] != b.labels[lab2]:
            return "the searches diverged before any single edge differed"
        compiled, engine = _locals(a_system, [a.states[t]])[0], _locals(b_system, [b.states[t2]])[0]
        if compiled != engine:
            parts = [f"{c.name}: compiled {x} / engine {y}"
                     for c, x, y in zip(a_system.components, compiled, engine) if x != y]
            return f"{a.labels[lab].describe()}\n  " + "\n  ".join(parts)
    return "the edge lists differ in length"


# -- output -------------------------------------------------------------------------------------
HEADERS = ("configuration", "shape", "states", "transitions", "depth", "complete", "seconds",
           "states/s", "peak memory", "bytes/state")


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def cells(row: Row) -> tuple[str, ...]:
    per_state = f"{row.peak_bytes / row.states:,.0f}" if row.peak_bytes is not None and row.states else "-"
    return (row.name, row.shape, f"{row.states:,}", f"{row.transitions:,}", str(row.depth),
            "yes" if row.complete else "cut", f"{row.seconds:.2f}", f"{row.per_second:,.0f}",
            _size(row.peak_bytes), per_state)


def print_table(title: str, rows: list[tuple[str, ...]], headers: tuple[str, ...], plain: bool) -> None:
    if not plain:
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            plain = True
    if not plain:
        table = Table(title=title)
        for i, header in enumerate(headers):
            table.add_column(header, justify="left" if i < 2 else "right")
        for row in rows:
            table.add_row(*row)
        Console(width=160).print(table)
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print(title)
    print("  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths))))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"only {', '.join(QUICK)}; --max-states 100000, --engine-states 60")
    parser.add_argument("--configs", nargs="+", metavar="NAME", help="configurations to run, by name")
    parser.add_argument("--max-states", type=int, help="cut each search at this many states (default 250000)")
    parser.add_argument("--memory", choices=("rss", "tracemalloc", "none"), default="rss",
                        help="how peak memory is measured (see the module docstring)")
    parser.add_argument("--engine-states", type=int,
                        help="states of the engine comparison's search (default 200)")
    parser.add_argument("--engine-config", metavar="NAME",
                        help="configuration of the engine comparison (default: the smallest with a requester)")
    parser.add_argument("--no-engine", action="store_true", help="skip the engine comparison")
    parser.add_argument("--plain", action="store_true", help="plain text even if rich is installed")
    args = parser.parse_args(argv)

    available = series()
    names = args.configs or (list(QUICK) if args.quick else list(available))
    unknown = [n for n in names + ([args.engine_config] if args.engine_config else []) if n not in available]
    if unknown:
        parser.error(f"unknown configuration {unknown[0]!r}; known: {', '.join(available)}")
    max_states = args.max_states or (100_000 if args.quick else 250_000)
    engine_states = args.engine_states or (60 if args.quick else 200)
    if max_states < 1 or engine_states < 1:
        parser.error("--max-states and --engine-states must be positive")
    log = (lambda message: print(message, file=sys.stderr, flush=True)) if sys.stderr.isatty() else (lambda m: None)

    try:
        configs = [available[n] for n in names]
    except ConfigError as error:
        parser.error(str(error))
    rows = list(measure_all(configs, max_states, args.memory, log))
    memory_note = {"rss": "peak memory = ru_maxrss growth during the search, fresh process per configuration",
                   "tracemalloc": "peak memory = tracemalloc peak of a second, traced run",
                   "none": "memory not measured"}[args.memory]
    print_table(f"Exploration (cut at {max_states:,} states; {memory_note})",
                [cells(r) for r in rows], HEADERS, args.plain)

    if not args.no_engine:
        if args.engine_config:
            chosen = available[args.engine_config]
        else:
            candidates = [r for r in rows if available[r.name].requesters > 0]
            if not candidates:
                print("engine comparison skipped: no configuration with a requester in this run")
                return 0
            chosen = available[min(candidates, key=lambda r: r.states).name]
        log(f"engine comparison on {chosen.name} ...")
        result = compare_engine(chosen, engine_states)
        headers = ("configuration", "successors", "states", "transitions", "seconds", "states/s")
        print_table(
            f"Compiled relation vs real python-statemachine instances (same BFS, cut at {engine_states} states)",
            [(chosen.name, "compiled (System.successors)", f"{result['states']:,}", f"{result['transitions']:,}",
              f"{result['compiled_seconds']:.3f}", f"{result['compiled_rate']:,.0f}"),
             (chosen.name, "engine (SpecMachine.resume + send)", f"{result['states']:,}",
              f"{result['transitions']:,}", f"{result['engine_seconds']:.3f}", f"{result['engine_rate']:,.1f}")],
            headers, args.plain)
        print(f"speed ratio: the compiled relation is {result['ratio']:,.0f}x faster "
              f"({result['compiled_rate']:,.0f} vs {result['engine_rate']:,.1f} states/s)")
        print(f"engine side: {result['instances']:,} instances built in {result['resume_seconds']:.2f} s "
              f"({1e3 * result['resume_seconds'] / max(result['instances'], 1):.2f} ms each), "
              f"{result['events']:,} events sent in {result['send_seconds']:.2f} s "
              f"({1e6 * result['send_seconds'] / max(result['events'], 1):.0f} us each)")
        print(f"same states and edges both ways: {'yes' if result['same'] else 'NO (the engine disagrees)'}")
        if not result["same"]:
            print(f"first difference: {result['first_difference']}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
