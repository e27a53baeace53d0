"""``shadowspec conform LOG...``: check recorded API call logs against the specification.

Exit codes: 0 every log conforms (no error), 1 some log has an error (or its check was cut
short), 2 a log or an option cannot be used, or a log has lines that cannot be used (findings of
kind ``input``; the rest of that log is checked). An unreadable log is named on stderr; every
other log is still checked and reported (``conform.run`` keeps the logs independent).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shadowspec.files import force_option
from shadowspec.model.config import OS_VERSIONS, PROTOCOLS, ConfigError

FORMATS = ("text", "json", "md")


@click.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("--config", "config_name", metavar="NAME|FILE",
              help="Readings, writers and defaults from a shipped configuration or a TOML file.")
@click.option("--reading", "readings", multiple=True, metavar="AMB-NN=READING",
              help="Choose a reading of an ambiguity, e.g. AMB-10=accept (repeatable).")
@click.option("--os", "os_version", type=click.Choice(OS_VERSIONS), help="Windows Server version (overrides the meta line).")
@click.option("--protocol", type=click.Choice(PROTOCOLS), help="ClusAPI protocol version (overrides the meta line).")
@click.option("--strict", is_flag=True, help="Calls the specification does not model are errors.")
@click.option("--max-states", type=click.IntRange(1), default=20_000, show_default=True,
              help="Most states kept consistent with a log; beyond it the log's check is incomplete.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
@force_option
def conform(logs: tuple[str, ...], config_name: str | None, readings: tuple[str, ...], os_version: str | None,
            protocol: str | None, strict: bool, max_states: int, fmt: str, output: str | None) -> None:
    """Check JSON Lines API call logs against the declared specification."""
    from shadowspec.cli import UsageFailure, _readings, _resolve_config, _write  # the group imports this module
    from shadowspec.conform.checker import Options
    from shadowspec.conform.run import run
    from shadowspec.reports import conform_json, conform_markdown, conform_text
    from shadowspec.reports.escape import terminal_safe

    if output not in (None, "-") and not Path(output).resolve().parent.is_dir():
        raise UsageFailure(f"--output {output}: folder {Path(output).parent} does not exist")
    base = _resolve_config(config_name)
    if readings:
        try:
            base = base.with_overrides(readings=_readings(readings))
        except ConfigError as error:
            raise ConfigError(str(error).replace(base.source or "configuration", "command line", 1)) from None
    options = Options(base=base, os=os_version, protocol=protocol, strict=strict, max_states=max_states)
    report = run(logs, options)
    for log in report.logs:
        if log.error:
            click.echo(terminal_safe(f"shadowspec conform: {log.error}"), err=True)
    data = report.as_dict()
    render = {"json": conform_json.render, "md": conform_markdown.render, "text": conform_text.render}[fmt]
    _write(render(data), output)
    sys.exit(report.exit_code)
