"""The ``shadowspec`` command line.

Exit codes: 0 every verdict as the documentation implies and the search complete; 1 a decided
verdict not as expected; 2 a usage, input or configuration error, reported in one line on stderr
without a traceback; 3 the search was cut short and no decided verdict contradicts the
documentation (``checks.run.outcome``); 130 interrupted. Data goes to stdout; progress to stderr, only on a terminal.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import click

from shadowspec.engine_options import engine_options, from_cli
from shadowspec.files import OutputError, force_option, write_atomically
from shadowspec.model.config import (
    CALLER_GROUPS,
    ENVIRONMENT_EVENTS,
    OS_VERSIONS,
    PROTOCOLS,
    READINGS,
    Config,
    ConfigError,
    load,
    shipped,
)
from shadowspec.progress import check_progress
from shadowspec.reports.escape import terminal_safe

FORMATS = ("text", "json", "md")


class UsageFailure(Exception):
    """A one-line error for the user (exit code 2)."""


def _resolve_config(name_or_path: str | None) -> Config:
    configs = shipped()
    if name_or_path is None:
        return configs["default"]
    if name_or_path in configs:
        return configs[name_or_path]
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        return load(path)
    raise ConfigError(f"--config {name_or_path!r}: no such file or shipped configuration; "
                      f"shipped: {', '.join(configs)}")


def _readings(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        amb, sep, reading = value.partition("=")
        if not sep:
            raise ConfigError(f"--reading {value!r}: expected AMB-NN=reading, e.g. AMB-10=accept")
        pairs.append((amb.strip().upper(), reading.strip()))
    return tuple(pairs)


def _write(text: str, output: str | None) -> None:
    """Write to stdout, or atomically to a file (nothing half-written on failure)."""
    if output in (None, "-"):
        # a lone surrogate (a file name that is not UTF-8) is written as its escape, never a crash
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"), nl=False)
        return
    write_atomically(output, text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shadowspec")
def cli() -> None:
    """An executable, model-checked specification of VSS backups and CSV backup state."""


@cli.command()
@click.option("--config", "config_names", metavar="NAME|FILE", multiple=True,
              help="A shipped configuration name (see `shadowspec configs`) or a TOML file; repeatable. "
                   "Without it (and without size options) every shipped configuration is checked.")
@click.option("--requesters", type=int, help="Number of requester sessions (IVssBackupComponents objects).")
@click.option("--nodes", type=int, help="Number of cluster nodes.")
@click.option("--volumes", type=int, help="Number of cluster shared volumes.")
@click.option("--writers", type=int, help="Writers per requester session.")
@click.option("--os", "os_version", type=click.Choice(OS_VERSIONS), help="Windows Server version.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), help="ClusAPI protocol version.")
@click.option("--max-volumes-per-set", type=int, help="Volume limit of a snapshot set (64 documented).")
@click.option("--reading", "readings", multiple=True, metavar="AMB-NN=READING",
              help="Choose a reading of an ambiguity, e.g. AMB-10=accept (repeatable).")
@click.option("--max-states", type=int, help="Stop after this many states (the result is then incomplete).")
@click.option("--max-depth", type=int, help="Stop at this depth (the result is then incomplete).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option("--no-timings", is_flag=True, help="Leave out times, so the output is byte-for-byte reproducible.")
@force_option
@click.option("--spec", type=click.Choice(("vss", "reference")), default="vss", show_default=True,
              help="vss: the real specification; reference: the benchmark reference model (R x V).")
@click.option("--symmetry", is_flag=True, help="Explore interchangeable requesters (with their nodes and writers) "
              "and volumes once: one state per orbit; verdicts and counterexamples as without.")
@engine_options
def check(config_names: tuple[str, ...], requesters: int | None, nodes: int | None, volumes: int | None,
          writers: int | None, os_version: str | None, protocol: str | None,
          max_volumes_per_set: int | None, readings: tuple[str, ...], max_states: int | None,
          max_depth: int | None, fmt: str, output: str | None, no_timings: bool, spec: str = "vss",
          symmetry: bool = False, **engine: Any) -> None:
    """Explore every reachable state and decide every documented property."""
    from shadowspec.checks.run import run_check

    if output not in (None, "-") and not Path(output).resolve().parent.is_dir():
        raise UsageFailure(f"--output {output}: folder {Path(output).parent} does not exist")
    if spec == "reference":
        from shadowspec import check_reference
        if len(config_names) > 1:
            raise UsageFailure("--spec reference: one --config at most")
        report = check_reference.run(requesters, volumes, symmetry, max_states, max_depth, dict(
            config=config_names[0] if config_names else None, nodes=nodes, writers=writers, os=os_version,
            protocol=protocol, max_volumes_per_set=max_volumes_per_set, reading=readings),
            from_cli(engine, packed=True))
        _emit(report, fmt, output, no_timings)
        return
    options = from_cli(engine, packed=True)
    sizes = (requesters, nodes, volumes, writers)
    overrides: dict[str, Any] = dict(requesters=requesters, nodes=nodes, volumes=volumes,
                                     writers=writers, os=os_version, protocol=protocol,
                                     max_volumes_per_set=max_volumes_per_set, max_states=max_states,
                                     max_depth=max_depth)
    if readings:
        overrides["readings"] = _readings(readings)
    if config_names:
        bases = [_resolve_config(name) for name in config_names]
    elif any(v is not None for v in sizes):
        bases = [_resolve_config(None)]
    else:
        bases = list(shipped().values())
    given = [f"--{key.replace('_', '-')} {value}" for key, value in overrides.items()
             if value is not None and key != "readings"] + [f"--reading {value}" for value in readings]
    configs = []
    for base in bases:
        try:
            config = base.with_overrides(**overrides)
        except ConfigError as error:
            raise ConfigError(str(error).replace(base.source or "configuration", "command line", 1)) from None
        if given:
            # The shipped description names the shipped values: replace it by what was overridden
            # (the header's summary line states every value actually checked).
            config = config.with_overrides(description=f"{base.name} with {' '.join(given)}")
        if any(v is not None for k, v in overrides.items() if k not in ("max_states", "max_depth")) or readings:
            config = config.with_overrides(name=f"{config.name} (overridden)")
        configs.append(config)
    shown = check_progress()
    if len(configs) == 1 and (config_names or any(v is not None for v in sizes)):
        with shown:
            report = run_check(configs[0], progress=shown.exploring(configs[0].name),
                               engine=options, deciding=shown.deciding(configs[0].name), symmetry=symmetry)
        _emit(report, fmt, output, no_timings)
        return
    from shadowspec.checks.suite import run_suite

    with shown:
        suite = run_suite(configs, engine=options,
                          progress=lambda c: (shown.exploring(c.name), shown.deciding(c.name)),
                          announce=shown.finished, symmetry=symmetry)
    _emit_suite(suite, fmt, output, no_timings)


def _emit_suite(suite: Any, fmt: str, output: str | None, no_timings: bool) -> None:
    from shadowspec.reports import check_json, suite as suite_report

    data = suite.as_dict(with_timings=not no_timings)
    if fmt == "json":
        text = check_json.render(data)
    elif fmt == "md":
        text = suite_report.render_markdown(data)
    else:
        terminal = output in (None, "-") and sys.stdout.isatty()
        width = shutil.get_terminal_size((120, 24))[0] if terminal else 120
        text = suite_report.render_text(data, color=terminal, width=max(width, 80))
    _write(text, output)
    sys.exit(suite.exit_code)


def _emit(report: Any, fmt: str, output: str | None, no_timings: bool) -> None:
    """Render a CheckReport in ``fmt``, write it, and exit with its code."""
    from shadowspec.reports import check_json, check_markdown, check_text

    data = report.as_dict(with_timings=not no_timings)
    if fmt == "json":
        text = check_json.render(data)
    elif fmt == "md":
        text = check_markdown.render(data)
    else:
        terminal = output in (None, "-") and sys.stdout.isatty()
        # shutil, not click: click 8.2 removed click.get_terminal_size (the crash at a terminal).
        width = shutil.get_terminal_size((120, 24)).columns if terminal else 120
        text = check_text.render(data, color=terminal, width=max(width, 80))
    _write(text, output)
    sys.exit(report.exit_code)


@cli.command()
def configs() -> None:
    """List the shipped configurations."""
    for name, config in shipped().items():
        click.echo(f"{name:20} {config.description}")


@cli.command()
def properties() -> None:
    """List every property with its id, expectation, rules and sentence."""
    from shadowspec.checks.catalogue import PROPERTIES, WITNESSES

    for prop in PROPERTIES + WITNESSES:
        click.echo(f"{prop.id}  {prop.expected:6}  {prop.kind:8}  {prop.slug}: {prop.sentence} "
                   f"[{', '.join(prop.rules)}]")


@cli.command()
def vocabulary() -> None:
    """List the configuration vocabulary: caller groups, environment events, readings."""
    for title, table in (("callers", CALLER_GROUPS), ("environment", ENVIRONMENT_EVENTS)):
        click.echo(f"{title}:")
        for name, text in table.items():
            click.echo(f"  {name:18} {text}")
    click.echo("readings (first is the default):")
    for amb, (choices, text) in READINGS.items():
        click.echo(f"  {amb}  {'|'.join(choices):30} {text}")


# The other commands live in modules of their own; they import helpers from here, so they are
# registered once the group exists.
from shadowspec import gate_command, report_command  # noqa: E402
from shadowspec.conform_command import conform  # noqa: E402
from shadowspec.diagram_command import diagram  # noqa: E402
from shadowspec.record_command import recorder  # noqa: E402
from shadowspec.mutate_command import mutate  # noqa: E402

for command in (conform, report_command.report, diagram, gate_command.baseline, gate_command.gate, mutate):
    cli.add_command(command)
cli.add_command(recorder)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning every user error into one line and exit code 2."""
    try:
        cli.main(args=argv, prog_name="shadowspec", standalone_mode=False)
    except SystemExit as stop:
        return int(stop.code or 0)
    except click.ClickException as error:
        context = f"{error.ctx.command_path}: " if getattr(error, "ctx", None) else "shadowspec: "
        click.echo(f"{context}{error.format_message()}", err=True)
        return 2
    except (ConfigError, UsageFailure, OutputError) as error:
        click.echo(terminal_safe(f"shadowspec: {error}", newlines=False), err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("shadowspec: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
