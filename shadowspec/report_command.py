"""``shadowspec report``: one report for reviewers and CI, in HTML, Markdown, JUnit, SARIF or JSON.

It runs the named configurations (or reads check, conformance or report JSON saved earlier with
``--from``), optionally checks API call logs (``--logs``), gathers what the renderers need
(``report_inputs``) and renders one format. Exit codes as ``check`` and ``conform``: 0 every
verdict as expected, every search complete and every log conforms; 1 otherwise; 2 a usage or
input error, or a log that cannot be read (the report is still written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from shadowspec.cli import UsageFailure, _resolve_config, _write
from shadowspec.files import force_option

FORMATS = ("html", "md", "junit", "sarif", "json")
TIMINGS = ("seconds", "states_per_second")
SVG_FORMATS = ("html", "json")
"""Formats whose report object carries the Graphviz drawings (the others never show them)."""


def _renderer(fmt: str) -> Any:
    from shadowspec.reports import html, json_report, junit, markdown_report, sarif

    return {"html": html.render, "md": markdown_report.render, "junit": junit.render,
            "sarif": sarif.render, "json": json_report.render}[fmt]


def _without_timings(check: dict[str, Any]) -> dict[str, Any]:
    """A saved check report without its times, so the report does not change run to run."""
    exploration = {k: v for k, v in check["exploration"].items() if k not in TIMINGS}
    return {**check, "exploration": exploration}


def _saved(paths: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any] | None]:
    """(check reports, conformance reports, a saved report object) read from ``--from`` files."""
    from shadowspec import saved_schema
    from shadowspec.reports.document import NotAReport, kind_of

    checks: list[dict[str, Any]] = []
    conforms: list[dict[str, Any]] = []
    report = None
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageFailure(f"--from {path}: cannot read it ({error.strerror or error})") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageFailure(f"--from {path}: not JSON ({error}); expected the output of "
                               "`shadowspec check|conform|report --format json`") from None
        except (RecursionError, ValueError) as error:
            raise UsageFailure(f"--from {path}: not usable JSON ({type(error).__name__}: {str(error)[:60]})") from None
        try:
            kind = kind_of(data)
        except NotAReport as error:
            raise UsageFailure(f"--from {path}: {error}") from None
        wrong = saved_schema.problem(kind, data)
        if wrong:
            raise UsageFailure(f"--from {path}: {wrong}")
        if kind == "check":
            checks.append(_without_timings(data))
        elif kind == "conform":
            conforms.append(data)
        else:
            if report is not None:
                raise UsageFailure(f"--from {path}: only one saved report object can be rendered at a time")
            report = data
    return checks, conforms, report


def _merge(conforms: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Several conformance reports as one (their logs one after the other)."""
    if not conforms:
        return None
    if len(conforms) == 1:
        return conforms[0]
    return {**conforms[0], "logs": [log for c in conforms for log in c.get("logs", [])]}


def _conform_run(logs: tuple[str, ...], config_name: str | None) -> dict[str, Any]:
    from shadowspec.conform.checker import Options
    from shadowspec.conform.run import run
    from shadowspec.reports.escape import terminal_safe

    base = _resolve_config(config_name)
    report = run(logs, Options(base=base))
    for log in report.logs:
        if log.error:
            click.echo(terminal_safe(f"shadowspec report: {log.error}"), err=True)
    return report.as_dict()


@click.command()
@click.option("--config", "config_names", multiple=True, metavar="NAME|FILE",
              help="A shipped configuration or a TOML file to check (repeatable; default: default, "
                   "none when --from is given).")
@click.option("--from", "saved", multiple=True, metavar="JSON",
              help="Render saved `check`, `conform` or `report` JSON instead of re-running (repeatable).")
@click.option("--logs", multiple=True, metavar="LOG", type=click.Path(),
              help="API call logs (JSON Lines) to check with `shadowspec conform` and include (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--output", "-o", metavar="FILE", default="-", show_default=True,
              help="Write the report to FILE ('-' for stdout).")
@force_option
@click.option("--dead-transitions", is_flag=True,
              help="SARIF: one note per transition no configuration fired (default: one per machine).")
def report(config_names: tuple[str, ...], saved: tuple[str, ...], logs: tuple[str, ...], fmt: str,
           output: str, dead_transitions: bool = False) -> None:
    """Render one report (verdicts, counterexamples, diagrams, traceability, log findings)."""
    from shadowspec.checks.run import run_check
    from shadowspec.report_inputs import build

    if output != "-" and not Path(output).resolve().parent.is_dir():
        raise UsageFailure(f"--output {output}: folder {Path(output).parent} does not exist")
    checks, conforms, document = _saved(saved)
    if document is not None and (checks or conforms or config_names or logs):
        raise UsageFailure("--from: a saved report object is rendered as it is; give it alone")
    if document is not None:
        # a saved report object: only its checks and conformance data are used; its diagrams,
        # SVG, paths and matrix are rebuilt here, never copied from the file
        checks, conforms = [_without_timings(c) for c in document["checks"]], (
            [document["conform"]] if document.get("conform") else [])
        document = None
    if document is None:
        names = config_names or (() if saved else ("default",))
        configs = [_resolve_config(name) for name in names]
        checks += [run_check(config).as_dict(with_timings=False) for config in configs]
        if logs:
            conforms.append(_conform_run(logs, config_names[0] if config_names else None))
        if not checks and not conforms:
            raise UsageFailure("--from: nothing to report")
        document = build(checks, _merge(conforms), with_svg=fmt in SVG_FORMATS)
    render = _renderer(fmt)
    _write(render(document, dead_transitions) if fmt == "sarif" else render(document), output)
    conform = document.get("conform") or {}
    if any(log.get("verdict") == "unreadable" or log.get("malformed_lines") for log in conform.get("logs", [])):
        sys.exit(2)
    sys.exit(0 if document.get("passed") else 1)
