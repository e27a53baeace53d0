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
    configs = shipped()
    for name in names:
        if name not in configs:
            raise ConfigError(f"--config {name!r}: the baseline records shipped configurations only; "
                              f"shipped: {', '.join(configs)}")
    return {name: configs[name] for name in (names or tuple(configs))}


def measure_all(names: tuple[str, ...] | list[str], replace: dict[type, type] | None = None
                ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(baseline entries, state counts of their facts) of the named shipped configurations."""
    from shadowspec.checks.measure import baseline_entry, current_counts
    from shadowspec.checks.run import measure

    entries, counts = {}, {}
    for name, config in _configs(tuple(names)).items():
        measured = measure(config, replace)
        entries[name] = baseline_entry(measured)
        counts[name] = current_counts(measured)
    return entries, counts


def render_baseline(entries: dict[str, dict[str, Any]], allow: list[dict[str, str]]) -> str:
    """The baseline file's text: sorted, one value per line, so that its diffs are readable."""
    data = {"schema_version": comparison.SCHEMA_VERSION, "allow": allow, "configs": entries}
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
@click.option("--config", "names", multiple=True, metavar="NAME",
              help="A shipped configuration to record (repeatable; default: all of them).")
@force_option
def baseline(output: str, names: tuple[str, ...]) -> None:
    """Record counts, verdicts, fire counts and the graph fingerprint of the shipped configurations."""
    from shadowspec.cli import UsageFailure, _write

    if output != "-" and not Path(output).resolve().parent.is_dir():
        raise UsageFailure(f"--output {output}: folder {Path(output).parent} does not exist")
    allow: list[dict[str, str]] = []
    if output != "-" and Path(output).exists():
        allow = read_baseline(output).get("allow", [])
    entries, _ = measure_all(names)
    _write(render_baseline(entries, allow), output)
    if output != "-":
        click.echo(f"recorded {len(entries)} configurations in {output}", err=True)


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
    wanted = names or tuple(shipped())
    if names:
        recorded = dict(recorded, configs={n: e for n, e in recorded["configs"].items() if n in names})
    entries, counts = measure_all(wanted)
    differences = comparison.compare(recorded, entries, counts)
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
