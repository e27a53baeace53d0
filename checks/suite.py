"""``shadowspec check`` over several configurations: every shipped one unless told otherwise.

No single configuration can exercise every property (INV-06 needs two requesters on a node,
INV-21 two nodes, INV-18 a protocol 2.0 server...), so the default check runs them all and
summarises: for each property, the configuration that decided it (the first, in the order given,
whose verdict is not "not exercised"), and if none did, why each could not.

JSON (``schema_version`` 2, the suite document): ``configs`` (one check report per
configuration, the ``--config NAME`` shape), ``summary`` (one object per property: ``id``,
``slug``, ``kind``, ``expected``, ``verdict``, ``as_expected``, ``decided_by`` (a configuration
name or null) and, when no configuration decided it, ``reason``), ``passed`` and ``exit_code``.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from shadowspec.model.config import Config

from .decide import NOT_EXERCISED
from .run import CheckReport, run_check

SCHEMA_VERSION = 2
"""The suite document; a single `--config NAME` check keeps `checks.run.SCHEMA_VERSION`."""


@dataclass
class SuiteReport:
    """The check reports of several configurations and the summary across them."""

    reports: list[CheckReport]
    names: list[str]
    seconds: float = 0.0
    passed: bool = False
    exit_code: int = 1
    summary: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self, with_timings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "configs": [r.as_dict(with_timings) for r in self.reports],
            "summary": self.summary,
            "passed": self.passed,
            "exit_code": self.exit_code,
        }
        if with_timings:
            data["seconds"] = round(self.seconds, 3)
        return data


def summarise(names: list[str], reports: list[CheckReport]) -> list[dict[str, Any]]:
    """For each property: the first configuration that decided it, or why none could."""
    rows = []
    for i, prop in enumerate(reports[0].properties):
        row: dict[str, Any] = {"id": prop["id"], "slug": prop["slug"], "kind": prop["kind"],
                               "expected": prop["expected"], "verdict": NOT_EXERCISED,
                               "as_expected": True, "decided_by": None}
        mismatched = [n for n, r in zip(names, reports) if not r.properties[i]["as_expected"]]
        for name, report in zip(names, reports):
            found = report.properties[i]
            if found["verdict"] != NOT_EXERCISED:
                row.update(verdict=found["verdict"], as_expected=found["as_expected"], decided_by=name)
                break
        if mismatched:
            row["as_expected"] = False
            row["mismatched_in"] = mismatched
        if row["decided_by"] is None:
            reasons = dict.fromkeys(r.properties[i].get("reason", "") for r in reports)
            row["reason"] = "no configuration checked exercises it: " + "; ".join(x for x in reasons if x)
        rows.append(row)
    return rows


def jobs_for(configs: list[Config], engine: Any) -> int:
    """How many configurations to check at once: one per CPU (at most 2, and never more than
    there are configurations) when the plain single-process engine is asked for and processes
    can be forked; the other engines are parallel themselves, so they run one configuration at
    a time.
    ``SHADOWSPEC_JOBS`` overrides it (1: one after the other, in this process)."""
    wanted = os.environ.get("SHADOWSPEC_JOBS", "")
    if wanted.isdigit() and int(wanted) >= 1:
        return min(int(wanted), len(configs))
    if engine is not None and not engine.plain:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():  # the workers share what is imported
        return 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(2, usable, len(configs)))


_EVENTS: Any = None
"""In a worker process: the queue its progress goes to (set by ``_start_worker``)."""


def _start_worker(events: Any) -> None:
    global _EVENTS
    _EVENTS = events


def _check_in_worker(index: int, config: Config, engine: Any, live: bool,
                     symmetry: bool = False) -> tuple[int, CheckReport]:
    """One configuration's check in a worker; progress goes back to the parent as events."""
    if live:
        def explore(*figures: int) -> None:
            _EVENTS.put((index, "exploring", figures))

        def deciding(*figures: Any) -> None:
            _EVENTS.put((index, "deciding", figures))
        return index, run_check(config, progress=explore, engine=engine, deciding=deciding, symmetry=symmetry)
    return index, run_check(config, engine=engine, symmetry=symmetry)


def _relay(events: Any, callbacks: list[tuple[Any, Any]], stop: threading.Event) -> None:
    """The parent's thread: hands the workers' progress events to each configuration's callbacks."""
    while not stop.is_set() or not events.empty():
        try:
            index, phase, figures = events.get(timeout=0.1)
        except queue.Empty:
            continue
        callback = callbacks[index][0 if phase == "exploring" else 1]
        if callback is not None:
            callback(*figures)


def _parallel(configs: list[Config], engine: Any, jobs: int,
              progress: Callable[[Config], Any] | None,
              announce: Callable[[CheckReport], None] | None, symmetry: bool = False) -> list[CheckReport]:
    """Check the configurations in ``jobs`` forked worker processes (the modules already
    imported are shared, nothing is imported again); the reports come back in the given order."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    callbacks = [progress(config) if progress else (None, None) for config in configs]
    live = any(cb is not None for pair in callbacks for cb in pair)
    events = context.Queue()
    stop = threading.Event()
    relay = threading.Thread(target=_relay, args=(events, callbacks, stop), daemon=True)
    reports: list[CheckReport | None] = [None] * len(configs)
    try:
        with context.Pool(jobs, initializer=_start_worker, initargs=(events,)) as pool:
            relay.start()  # after the fork: no worker inherits this thread's locks
            pending = [pool.apply_async(_check_in_worker, (i, config, engine, live, symmetry))
                       for i, config in enumerate(configs)]
            for result in pending:
                index, report = result.get()
                reports[index] = report
                if announce is not None:
                    announce(report)
    finally:
        stop.set()
        if relay.is_alive():
            relay.join()
    return [r for r in reports if r is not None]


def run_suite(configs: list[Config], engine: Any = None,
              progress: Callable[[Config], Any] | None = None,
              announce: Callable[[CheckReport], None] | None = None,
              jobs: int | None = None, symmetry: bool = False) -> SuiteReport:
    """Check every configuration; ``progress(config)`` gives the callbacks of one run
    ``(explore progress, deciding)``, ``announce(report)`` is told each finished check, in the
    given order. ``jobs`` configurations at once (``jobs_for`` by default): the same reports,
    whatever the number."""
    started = time.perf_counter()
    jobs = jobs_for(configs, engine) if jobs is None else jobs
    if jobs > 1:
        reports = _parallel(configs, engine, jobs, progress, announce, symmetry)
    else:
        reports = []
        for config in configs:
            explore_cb, deciding = progress(config) if progress else (None, None)
            report = run_check(config, progress=explore_cb, engine=engine, deciding=deciding, symmetry=symmetry)
            reports.append(report)
            if announce is not None:
                announce(report)
    names = [c.name for c in configs]
    suite = SuiteReport(reports, names, seconds=time.perf_counter() - started)
    suite.summary = summarise(names, reports)
    suite.passed = all(r.passed for r in reports) and all(row["as_expected"] for row in suite.summary)
    suite.exit_code = 0 if suite.passed else 1
    return suite
