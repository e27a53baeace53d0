"""A counterexample step as plain text, written the same way in every report."""

from __future__ import annotations

from typing import Any

from .api_words import words


def show(value: Any) -> str:
    """A value as the reports print it (booleans as in the JSON: ``true``/``false``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def call_text(step: dict[str, Any]) -> str:
    """``actor: Call(documented parameter=value, ...) -> result``, or the environment's step in
    words (``reports.api_words``); the model's own arguments are in ``details_text``."""
    return words(step)[0]


def details_text(step: dict[str, Any]) -> str:
    """The model's arguments that no documented parameter carries (``csv_contended=false``)."""
    return words(step)[1]


def changes_text(step: dict[str, Any]) -> str:
    """``variable: old -> new; ...`` for what the step changed."""
    return "; ".join(f"{k}: {show(a)} -> {show(b)}" for k, (a, b) in step.get("changes", {}).items())


def steps_lines(steps: list[dict[str, Any]], indent: str = "") -> list[str]:
    """One numbered line per step, and below it, indented, the variables it changed."""
    lines = []
    for step in steps:
        text, details = words(step)
        lines.append(f"{indent}{step['step']:>3}. {text}")
        changed = changes_text(step)
        if changed:
            lines.append(f"{indent}       {changed}")
        if details:
            lines.append(f"{indent}       (model: {details})")
    return lines


def trace_lines(prop: dict[str, Any], indent: str = "") -> list[str]:
    """A property's counterexample (or witness) as text; for a liveness lasso, then its fair
    cycle, or why the run stops there."""
    kind = "witness" if prop.get("witness") else "counterexample"
    lines = steps_lines(prop.get(kind) or [], indent)
    if prop.get("cycle"):
        lines += [f"{indent}then forever (fair cycle):", *steps_lines(prop["cycle"], indent + "  ")]
    elif "cycle" in prop:
        lines.append(f"{indent}then forever: {prop.get('stutter', 'no step')}")
    return lines
