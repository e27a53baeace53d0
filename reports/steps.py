"""A counterexample step as plain text, written the same way in every report."""

from __future__ import annotations

from typing import Any


def show(value: Any) -> str:
    """A value as the reports print it (booleans as in the JSON: ``true``/``false``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def call_text(step: dict[str, Any]) -> str:
    """``actor: Call(arg=value, ...) -> result``."""
    arguments = ", ".join(f"{k}={show(v)}" for k, v in step.get("arguments", {}).items())
    return f"{step['actor']}: {step['call']}({arguments}) -> {step['result']}"


def changes_text(step: dict[str, Any]) -> str:
    """``variable: old -> new; ...`` for what the step changed."""
    return "; ".join(f"{k}: {show(a)} -> {show(b)}" for k, (a, b) in step.get("changes", {}).items())


def steps_lines(steps: list[dict[str, Any]], indent: str = "") -> list[str]:
    """One numbered line per step, and below it, indented, the variables it changed."""
    lines = []
    for step in steps:
        lines.append(f"{indent}{step['step']:>3}. {call_text(step)}")
        changed = changes_text(step)
        if changed:
            lines.append(f"{indent}       {changed}")
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
