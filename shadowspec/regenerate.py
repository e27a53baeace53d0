"""Regenerate the committed review artifacts of the shipped configurations, in one command:

    python -m shadowspec.regenerate            # from the repository root

writes ``reports/baseline.json`` (keeping its ``allow`` list) and ``reports/generated/``:

* ``machines/<Machine>.dot|.mmd`` (python-statemachine's own drawings, every transition) and
  ``machines/<Machine>.no-self-loops.dot|.mmd`` (without the transitions that keep the state);
* ``counterexamples/<config>/<PROPERTY>.sequence.mmd`` and ``<PROPERTY>.<component>.dot`` (the
  path on the machine of each component it moves) for every violated property and witness;
* ``systems/<config>.<view>.dot|.mmd``: the whole graph of the small configurations, and the
  projections onto ``requester-1`` and ``volume-1``;
* ``traceability.md`` (with the rules derandomized Hypothesis runs of each configuration
  exercised) and ``report.md`` (the ``shadowspec report --format md`` of every shipped
  configuration).

Only DOT and Mermaid sources are committed (SVG bytes depend on the Graphviz build).
``tests/gate/test_artifacts.py`` regenerates into a temporary folder and fails when these differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from shadowspec.checks import projection
from shadowspec.checks.hypothesis_runs import hypothesis_rules
from shadowspec.checks.measure import baseline_entry
from shadowspec.checks.run import Measured, measure
from shadowspec.checks.replay import fired_by_component
from shadowspec.checks.traceability import traceability
from shadowspec.model.config import shipped
from shadowspec.model.system import MACHINES
from shadowspec.reports import diagrams, system_graph, traceability_markdown

PROJECTED = ("requester-1", "volume-1")


def measure_shipped() -> dict[str, Measured]:
    return {name: measure(config) for name, config in shipped().items()}


def _machines() -> dict[str, str]:
    files = {}
    for cls in MACHINES:
        for suffix, loops in (("", True), (".no-self-loops", False)):
            files[f"machines/{cls.__name__}{suffix}.dot"] = diagrams.machine_dot(cls, self_loops=loops)
            files[f"machines/{cls.__name__}{suffix}.mmd"] = diagrams.machine_mermaid(cls, self_loops=loops)
    return files


def _counterexamples(name: str, measured: Measured) -> dict[str, str]:
    files = {}
    for prop in measured.report.properties:
        steps = (prop.get("counterexample") or prop.get("witness") or []) + (prop.get("cycle") or [])
        if not steps:
            continue
        kind = "witness" if prop.get("witness") else "counterexample"
        stem = f"counterexamples/{name}/{prop['id']}"
        files[f"{stem}.sequence.mmd"] = diagrams.sequence_mermaid(steps, f"{prop['id']} {kind} in {name}")
        for component, (cls, fired) in fired_by_component(measured.system, steps).items():
            files[f"{stem}.{component}.dot"] = diagrams.highlighted_machine_dot(
                cls, fired, self_loops=False, name=fired[0].machine)
    return files


def _systems(name: str, measured: Measured) -> dict[str, str]:
    files = {}
    views: list[tuple[str, Callable[[], projection.Picture]]] = [
        ("system", lambda: projection.whole(measured.system, measured.exploration))]
    names = {c.name for c in measured.system.components}
    views += [(component, lambda c=component: projection.projection(measured.system, measured.exploration, c))
              for component in PROJECTED if component in names]
    for view, draw in views:
        try:
            picture = draw()
        except projection.TooBig:
            continue
        files[f"systems/{name}.{view}.dot"] = system_graph.to_dot(picture)
        files[f"systems/{name}.{view}.mmd"] = system_graph.to_mermaid(picture)
    return files


def _report_md(checks: list[dict[str, Any]]) -> str:
    from shadowspec.report_inputs import build
    from shadowspec.reports.markdown_report import render

    return render(build(checks, None))


def generated(measured: dict[str, Measured]) -> dict[str, str]:
    """Every file of ``reports/generated`` (relative path -> text)."""
    checks = [m.report.as_dict(with_timings=False) for m in measured.values()]
    files = _machines()
    for name, result in measured.items():
        files.update(_counterexamples(name, result))
        files.update(_systems(name, result))
    exercised = set().union(*(hypothesis_rules(m.system.config) for m in measured.values()))
    files["traceability.md"] = traceability_markdown.render(traceability(checks, None, exercised))
    files["report.md"] = _report_md(checks)
    return dict(sorted(files.items()))


def baseline_text(measured: dict[str, Measured], allow: list[dict[str, str]]) -> str:
    from shadowspec.gate_command import render_baseline

    return render_baseline({name: baseline_entry(m) for name, m in measured.items()}, allow)


def write(root: Path, measured: dict[str, Measured] | None = None) -> list[str]:
    """Regenerate under ``root`` (the repository); returns the paths written. Files of
    ``reports/generated`` that are no longer generated are removed."""
    measured = measured if measured is not None else measure_shipped()
    target = root / "reports" / "generated"
    files = generated(measured)
    for stale in sorted(target.rglob("*")) if target.exists() else []:
        if stale.is_file() and stale.relative_to(target).as_posix() not in files:
            stale.unlink()
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    baseline_path = root / "reports" / "baseline.json"
    allow = json.loads(baseline_path.read_text(encoding="utf-8")).get("allow", []) if baseline_path.exists() else []
    baseline_path.write_text(baseline_text(measured, allow), encoding="utf-8")
    return [f"reports/generated/{r}" for r in files] + ["reports/baseline.json"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate reports/baseline.json and reports/generated/.")
    parser.add_argument("--root", default=".", help="The repository root (default: the current folder).")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if not (root / "pyproject.toml").exists() or not (root / "reports").is_dir():
        print(f"shadowspec.regenerate: {root.resolve()} is not the repository root (no pyproject.toml "
              "and reports/); run it from there or pass --root", file=sys.stderr)
        return 2
    written = write(root)
    print(f"wrote {len(written)} files under reports/", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
