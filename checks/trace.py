"""Counterexamples people can read: one step per line, with only what changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shadowspec.model.system import Label, System

from .decide import Graph, Trace


@dataclass(frozen=True)
class Step:
    """One step of a counterexample: who called what, with what, what it returned, what changed."""

    number: int
    actor: str
    call: str
    arguments: dict[str, Any]
    result: str
    changes: dict[str, tuple[Any, Any]]
    rules: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.number, "actor": self.actor, "call": self.call,
            "arguments": self.arguments, "result": self.result,
            "changes": {k: [plain(a), plain(b)] for k, (a, b) in self.changes.items()},
            "rules": list(self.rules),
        }


def plain(value: Any) -> Any:
    """A value as JSON holds it (anything else as its text)."""
    return value if isinstance(value, (bool, int, str)) or value is None else str(value)


def flatten(system: System, state: tuple[int, ...]) -> dict[str, Any]:
    """Every component's state and variables as ``name`` / ``name.variable`` keys."""
    flat: dict[str, Any] = {}
    for name, record in system.records(state).items():
        for key, value in record.items():
            flat[name if key == "state" else f"{name}.{key}"] = value
    return flat


def render(graph: Graph, trace: Trace, start: int = 1) -> list[Step]:
    """The steps of ``trace`` (its first entry is the starting state, not a step)."""
    system = graph.system
    steps: list[Step] = []
    previous = None
    for offset, (lab, state_index) in enumerate(trace):
        flat = flatten(system, graph.x.states[state_index])
        if previous is not None and lab >= 0:
            label: Label = graph.x.labels[lab]
            changes = {k: (previous[k], v) for k, v in flat.items() if previous.get(k) != v}
            rules = tuple(dict.fromkeys(r for s in label.steps for r in s.transition.rules))
            steps.append(Step(start + len(steps), label.actor, label.call, dict(label.arguments),
                              label.result, changes, rules))
        previous = flat
    return steps

