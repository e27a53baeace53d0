"""A counterexample's steps (as the check JSON prints them) replayed on the composed system.

The JSON steps name the actor, the call, its arguments, its result and the variables that
changed, not the declared transitions behind them. Replaying them from the initial state (at
each step, the one successor whose label and changes match) recovers the transitions each step
fired, which is what a path highlighted on the machine diagrams needs. A step that no successor
matches is an error naming the step: the report does not belong to this configuration.
"""

from __future__ import annotations

from typing import Any

from shadowspec.model.compiled import TransitionId
from shadowspec.model.config import Config, from_mapping
from shadowspec.model.system import Label, System

from .trace import flatten, plain


class ReplayError(ValueError):
    """The steps cannot be replayed on this configuration."""


def _values(system: System, state: tuple[int, ...]) -> dict[str, Any]:
    return {k: plain(v) for k, v in flatten(system, state).items()}


def _matches(label: Label, step: dict[str, Any]) -> bool:
    arguments = {k: plain(v) for k, v in label.arguments}
    return (label.actor == step["actor"] and label.call == step["call"]
            and str(label.result) == str(step["result"]) and arguments == step.get("arguments", {}))


def replay(system: System, steps: list[dict[str, Any]]) -> list[Label]:
    """The label of each step, in order (each label lists the transitions it fired)."""
    state = system.initial
    labels: list[Label] = []
    for step in steps:
        before = _values(system, state)
        wanted = {k: [plain(a), plain(b)] for k, (a, b) in step.get("changes", {}).items()}
        found = None
        for label, nxt in system.successors(state):
            if not _matches(label, step):
                continue
            after = _values(system, nxt)
            changes = {k: [before[k], v] for k, v in after.items() if before.get(k) != v}
            if changes == wanted:
                found = (label, nxt)
                break
        if found is None:
            raise ReplayError(f"step {step.get('step')}: {step.get('actor')} {step.get('call')} "
                              f"-> {step.get('result')} is not possible here in configuration "
                              f"{system.config.name!r}")
        labels.append(found[0])
        state = found[1]
    return labels


def fired_transitions(system: System, steps: list[dict[str, Any]]) -> list[TransitionId]:
    """Every declared transition the steps fired, in order."""
    return [local.transition for label in replay(system, steps) for local in label.steps]


def config_of(report: dict[str, Any]) -> Config:
    """The configuration a check report (its JSON object) was made for."""
    data = dict(report["config"])
    data.pop("summary", None)  # derived from the other values (Config.summary), not a setting
    return from_mapping(data, "report")


def fired_by_component(system: System, steps: list[dict[str, Any]]) -> dict[str, tuple[type, list[TransitionId]]]:
    """For each component the steps moved (in order of first appearance): its declared class and
    the transitions it fired, in order (one highlighted diagram per component)."""
    found: dict[str, tuple[type, list[TransitionId]]] = {}
    for label in replay(system, steps):
        for local in label.steps:
            component = system.components[local.component]
            found.setdefault(component.name, (component.machine.cls, []))[1].append(local.transition)
    return found
