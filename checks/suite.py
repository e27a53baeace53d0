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


def run_suite(configs: list[Config], engine: Any = None,
              progress: Callable[[Config], Any] | None = None,
              announce: Callable[[CheckReport], None] | None = None) -> SuiteReport:
    """Check every configuration in order; ``progress(config)`` gives the callbacks of one run
    ``(explore progress, deciding)``, ``announce(report)`` is told each finished check."""
    started = time.perf_counter()
    reports = []
    for config in configs:
        explore_cb, deciding = progress(config) if progress else (None, None)
        report = run_check(config, progress=explore_cb, engine=engine, deciding=deciding)
        reports.append(report)
        if announce is not None:
            announce(report)
    names = [c.name for c in configs]
    suite = SuiteReport(reports, names, seconds=time.perf_counter() - started)
    suite.summary = summarise(names, reports)
    suite.passed = all(r.passed for r in reports) and all(row["as_expected"] for row in suite.summary)
    suite.exit_code = 0 if suite.passed else 1
    return suite
