"""``shadowspec mutate``: plant mistakes in the declared specification and report which properties
notice them (the kill matrix, scores per machine, operator and rule, survivors by rule).

Exit codes: 0 done (and, with ``--min-score FILE``, the score is not below the committed one);
1 the score dropped below the committed score (the surviving mutants are named on stderr);
2 a usage error. Progress goes to stderr, only on a terminal.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from shadowspec.model.mutation import OPERATORS
from shadowspec.model.system import MACHINES

FORMATS = ("text", "json", "md", "sarif")
MACHINE_NAMES = tuple(cls.__name__ for cls in MACHINES) + ("System",)
CI_CONFIGS = ("csv-protocol-2", "volume-limit", "csv-modes", "cluster-2012", "cluster-2008r2", "requester-api")
"""The shipped configurations that explore in seconds (``default`` and ``two-requesters`` take
minutes each on a shared 2-core machine): the CI run's default."""


def _locate(data: dict[str, Any]) -> None:
    """Add each mutant's declaring line (``spec/...`` for a transition, ``model/system.py`` for a
    cross-machine effect), read from the source by ``shadowspec.source_lines``."""
    from shadowspec.source_lines import relative_file, transition_location

    roles = {cls.__name__: cls for cls in MACHINES}
    for row in data["mutants"]:
        transition = row["transition"]
        if "line" in transition:
            row["location"] = {"file": relative_file("shadowspec.model.system"), "line": transition["line"]}
        else:
            found = transition_location(roles[row["machine"]], transition["event"], transition["source"],
                                        transition["target"], transition["result"])
            row["location"] = found.as_dict()


class _Progress:
    """A rich progress bar per stage (census, mutants) on stderr."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.tasks: dict[str, Any] = {}
        self.bar.start()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done)

    def stop(self) -> None:
        self.bar.stop()


@click.command()
@click.option("--config", "config_names", multiple=True, metavar="NAME",
              help="A shipped configuration to check mutants on (repeatable; default: every shipped one).")
@click.option("--ci", is_flag=True, help=f"Use the CI configurations: {', '.join(CI_CONFIGS)}.")
@click.option("--operator", "operators", multiple=True, type=click.Choice(OPERATORS),
              help="Mutation operator (repeatable; default: all).")
@click.option("--machine", "machines", multiple=True, type=click.Choice(MACHINE_NAMES),
              help="Machine to mutate, System for the composition (repeatable; default: all).")
@click.option("--workers", type=click.IntRange(1), help="Processes (default: every core).")
@click.option("--exhaustive", is_flag=True,
              help="Every alternative target state and result, not one per transition.")
@click.option("--full-matrix", is_flag=True, help="Check every configuration, not up to the first kill.")
@click.option("--sample", type=click.IntRange(0), default=0,
              help="About this many mutants, spread over every machine and operator (0: all).")
@click.option("--measure-without", "without", multiple=True, metavar="PROPERTY",
              help="Also give the score without this property (repeatable), from the same run.")
@click.option("--min-score", "score_file", metavar="FILE",
              help="Fail (exit 1) when the score is below the score in this JSON file.")
@click.option("--write-score", metavar="FILE", help="Write the score to this JSON file.")
@click.option("--no-timings", is_flag=True, help="Leave out run times (same input, same bytes).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
def mutate(config_names: tuple[str, ...], ci: bool, operators: tuple[str, ...], machines: tuple[str, ...],
           workers: int | None, exhaustive: bool, full_matrix: bool, sample: int, without: tuple[str, ...],
           score_file: str | None,
           write_score: str | None, no_timings: bool, fmt: str, output: str | None) -> None:
    """Mutate the declared machines and the composition; report which properties kill each mutant."""
    from shadowspec.checks import mutate as runner
    from shadowspec.cli import UsageFailure, _write
    from shadowspec.files import write_atomically
    from shadowspec.model.config import shipped
    from shadowspec.reports.mutation_report import RENDERERS

    known = shipped()
    names = list(config_names) or (list(CI_CONFIGS) if ci else list(known))
    for name in names:
        if name not in known:
            raise UsageFailure(f"--config {name!r}: no such shipped configuration; shipped: {', '.join(known)}")
    committed = None
    if score_file:
        try:
            committed = float(json.loads(Path(score_file).read_text(encoding="utf-8"))["score"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise UsageFailure(f"--min-score {score_file}: not a score file ({error})") from None
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        data = runner.run(names, operators or OPERATORS, machines or None, workers, exhaustive, full_matrix,
                          sample, without=frozenset(without), progress=progress)
    finally:
        if progress:
            progress.stop()
    _locate(data)
    if no_timings:
        data.pop("seconds", None)
        for config in data["configs"]:
            config.pop("seconds", None)
    _write(RENDERERS[fmt](data), output)
    score = data["score"]
    if write_score:
        write_atomically(Path(write_score), json.dumps(
            {"score": score["score"], "killed": score["killed"], "survived": score["survived"],
             "equivalent": score["equivalent"], "mutants": score["mutants"], "configs": names,
             "sample": sample, "survivors": sorted(r["id"] for r in data["mutants"] if r["status"] == "survived")},
            indent=2) + "\n")
    if committed is not None and score["score"] < committed:
        click.echo(f"shadowspec mutate: score {score['score']:.2f}% is below the committed {committed:.2f}% "
                   f"({score_file}); surviving mutants:", err=True)
        for row in data["mutants"]:
            if row["status"] == "survived":
                click.echo(f"  {row['id']}: {row['description']} (rules {', '.join(row['rules']) or '-'})", err=True)
        sys.exit(1)
