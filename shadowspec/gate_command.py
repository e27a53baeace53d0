"""``shadowspec baseline`` and ``shadowspec gate``: record what the shipped configurations reach
and decide, then fail CI when a change to the specification changes it.

Exit codes of ``gate``: 0 no difference (or only differences the baseline's ``allow`` list
covers), 1 a difference, 2 a missing or malformed baseline or an unknown configuration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from shadowspec.checks import baseline as comparison
from shadowspec.files import force_option
from shadowspec.model.config import ConfigError, shipped

DEFAULT_BASELINE = "reports/baseline.json"


def _configs(names: tuple[str, ...]) -> dict[str, Any]:
    """name -> Config for shipped names and TOML files of the user's repository (a file is
    recorded under its ``name``, or its file name without ``.toml`` when it has none)."""
    from shadowspec.cli import _resolve_config

    configs = shipped()
    chosen: dict[str, Any] = {}
    for name in names or tuple(configs):
        if name in configs:
            chosen[name] = configs[name]
            continue
        config = _resolve_config(name)
        key = config.name if config.name != "default" else Path(name).stem
        chosen[key] = config.with_overrides(name=key)
        SOURCES[key] = name
    return chosen


SOURCES: dict[str, str] = {}
"""Configuration key -> the TOML file it was read from (recorded, so that ``gate`` re-checks
a user's own configurations from the files the baseline names)."""


def measure_all(names: tuple[str, ...] | list[str], replace: dict[type, type] | None = None
                ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(baseline entries, state counts of their facts) of the named shipped configurations."""
    from shadowspec.checks.measure import baseline_entry, current_counts
    from shadowspec.checks.run import measure

    entries, counts = {}, {}
    for name, config in _configs(tuple(names)).items():
        measured = measure(config, replace)
        entries[name] = baseline_entry(measured)
        if name in SOURCES:
            entries[name]["source"] = SOURCES[name]
        counts[name] = current_counts(measured)
    return entries, counts


def check_logs(paths: tuple[str, ...] | list[str], config: str | None = None) -> dict[str, dict[str, Any]]:
    """What the baseline records of each API call log (path as given -> verdict and findings as
    ``line call kind severity`` keys): a change to the specification or to the program that
    changes a log's verdict or findings is a difference the gate names."""
    from shadowspec.report_command import _conform_run

    recorded = {}
    for log in _conform_run(tuple(paths), config)["logs"]:
        findings = sorted(f"line {f.get('line')}: {f.get('call')} [{f.get('kind')}, {f.get('severity')}]"
                          for f in log.get("findings", []))
        recorded[str(log["file"])] = {"verdict": log.get("verdict"), "findings": findings}
    return recorded


def render_baseline(entries: dict[str, dict[str, Any]], allow: list[dict[str, str]],
                    logs: dict[str, dict[str, Any]] | None = None) -> str:
    """The baseline file's text: sorted, one value per line, so that its diffs are readable."""
    data: dict[str, Any] = {"schema_version": comparison.SCHEMA_VERSION, "allow": allow, "configs": entries}
    if logs:
        data["logs"] = logs
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read_baseline(path: str) -> dict[str, Any]:
    from shadowspec.cli import UsageFailure

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageFailure(f"--baseline {path}: no such file; record one with `shadowspec baseline -o {path}`") from None
    except OSError as error:
        raise UsageFailure(f"--baseline {path}: cannot read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageFailure(f"--baseline {path}: not JSON ({error})") from None
    except RecursionError:
        raise UsageFailure(f"--baseline {path}: JSON nested too deeply to be a baseline") from None
    except ValueError as error:  # e.g. an integer beyond Python's digit limit
        raise UsageFailure(f"--baseline {path}: not usable JSON ({str(error)[:80]})") from None
    problem = comparison.validate(data, f"--baseline {path}")
    if problem:
        raise UsageFailure(problem)
    return data


@click.command("baseline")
@click.option("--output", "-o", default=DEFAULT_BASELINE, show_default=True, metavar="FILE",
              help="Where to write the baseline (its existing 'allow' list is kept).")
@click.option("--config", "names", multiple=True, metavar="NAME|FILE",
              help="A shipped configuration or a TOML file of your repository to record "
                   "(repeatable; default: every shipped configuration).")
@click.option("--logs", multiple=True, metavar="LOG",
              help="API call logs (JSON Lines) of your program to record with their conformance "
                   "verdict and findings (repeatable).")
@click.option("--log-config", metavar="NAME|FILE", help="The configuration (OS, readings) the logs are checked with.")
@force_option
def baseline(output: str, names: tuple[str, ...], logs: tuple[str, ...] = (),
             log_config: str | None = None) -> None:
    """Record counts, verdicts, fire counts and the graph fingerprint of configurations (and the
    conformance of logs), for `shadowspec gate` to compare against."""
    from shadowspec.cli import UsageFailure, _write

    if output != "-":
        try:
            Path(output).resolve().parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageFailure(f"--output {output}: cannot create its folder ({error.strerror})") from None
    allow: list[dict[str, str]] = []
    if output != "-" and Path(output).exists():
        allow = read_baseline(output).get("allow", [])
    entries, _ = measure_all(names)
    recorded_logs = check_logs(logs, log_config) if logs else None
    if recorded_logs is not None and log_config:
        for entry in recorded_logs.values():
            entry["config"] = log_config
    _write(render_baseline(entries, allow, recorded_logs), output)
    if output != "-":
        click.echo(f"recorded {len(entries)} configurations"
                   + (f" and {len(recorded_logs)} logs" if recorded_logs else "") + f" in {output}", err=True)


def report_text(failing: list[comparison.Difference], intended: list[comparison.Difference],
                unused: list[dict[str, str]], path: str, used: list[dict[str, Any]] | None = None) -> str:
    """The gate's words; ``used`` (the allow entry of each allowed difference, in order) marks
    what a wildcard entry allowed."""
    lines = []
    if not failing:
        lines.append(f"gate: no unexpected difference from {path}"
                     + (f" ({len(intended)} allowed)" if intended else ""))
    else:
        lines.append(f"gate: {len(failing)} difference{'s' if len(failing) != 1 else ''} from {path}"
                     + (f" ({len(intended)} more allowed)" if intended else ""))
    wildcard = {id(d) for d, e in zip(intended, used or []) if e.get("wildcard") is True}
    for title, group in (("", failing), ("allowed: ", intended)):
        by_config: dict[str, list[comparison.Difference]] = {}
        for difference in group:
            by_config.setdefault(difference.config, []).append(difference)
        for name, differences in by_config.items():
            lines.append(f"{title}{name}:")
            lines += [f"  {d.message}  [{d.key}]" + ("  (allowed by wildcard)" if id(d) in wildcard else "")
                      for d in differences]
    for entry in unused:
        lines.append(f"note: allow entry {entry['config']}/{entry['key']} matched nothing "
                     f"(drop it once the baseline is re-recorded)")
    if failing:
        lines.append("If these changes are intended, re-record with `shadowspec baseline` (or add "
                     "an allow entry {\"config\", \"key\", \"why\"} to the baseline file).")
    return "\n".join(lines) + "\n"


@click.command("gate")
@click.option("--baseline", "path", default=DEFAULT_BASELINE, show_default=True, metavar="FILE",
              help="The baseline recorded by `shadowspec baseline`.")
@click.option("--config", "names", multiple=True, metavar="NAME",
              help="Compare only this configuration (repeatable; default: every shipped configuration, "
                   "and one missing from the baseline or the shipped set is a difference).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def gate(path: str, names: tuple[str, ...], fmt: str) -> None:
    """Recompute the baseline's facts and fail (exit 1) on any difference, explained in words."""
    import sys

    recorded = read_baseline(path)
    sources = {n: e["source"] for n, e in recorded["configs"].items() if isinstance(e.get("source"), str)}
    if names:
        wanted = names
        keys = set(_configs(names))
        recorded = dict(recorded, configs={n: e for n, e in recorded["configs"].items() if n in keys})
    elif sources:  # a baseline of the user's own configuration files: re-check those files
        wanted = tuple(sources.get(n, n) for n in sorted(recorded["configs"]))
    else:
        wanted = tuple(shipped())
    entries, counts = measure_all(wanted)
    differences = comparison.compare(recorded, entries, counts)
    logs = recorded.get("logs") or {}
    if logs and not names:
        log_config = next((e.get("config") for e in logs.values() if e.get("config")), None)
        differences += comparison.compare_logs(logs, check_logs(sorted(logs), log_config))
    allow = recorded.get("allow", [])
    failing, intended, unused = comparison.split(differences, allow)
    if fmt == "json":
        entries = [comparison.allowed(d, allow) for d in differences]
        data = {"passed": not failing,
                "differences": [dict(vars(d), allowed=e is not None,
                                     **({"allowed_by_wildcard": True} if e and e.get("wildcard") is True else {}))
                                for d, e in zip(differences, entries)],
                "unused_allow": unused}
        click.echo(json.dumps(data, indent=2, sort_keys=True))
    else:
        click.echo(report_text(failing, intended, unused, path, [comparison.allowed(d, allow) for d in intended]),
                   nl=False)
    sys.exit(1 if failing else 0)
