"""Hypothesis stateful tests generated from the declarations, not written beside them.

``stateful_test(config, properties, view)`` returns a ``RuleBasedStateMachine`` whose one rule
draws an index into the actions the composed declarations enable in the current state
(``System.successors``) and takes that action. So every call, service step and fault the model
knows is a rule, in declaration order, and no list of rules can fall out of step with the
machines. Hypothesis then does what an exhaustive search cannot in big configurations: long random
runs, and a shrunk, readable counterexample (each step is noted as ``actor: call(args) -> result``).

With ``guide`` (the default) each step first draws how to choose: among every enabled action,
among those that change the state, or (most often) among those that change it without ending any
component's story (entering a final state of its declaration: Release, a crash, BackupShutdown).
Uniform choice among every enabled action ends nearly every run early (a Release or a crash is
always one draw away, and most calls are error paths that change nothing), so the requester seldom
gets past InitializeForBackup; guided runs go deeper. Both are still draws, so shrinking is free
to choose any enabled action, and every step remains an action of the declarations.

Its invariants are the properties the caller hands in, decided the way ``checks.decide`` decides
them on a finished graph, but along each run: ``local`` ones on every component's record, ``state``
ones on a view of the system state, ``edge`` ones on each action taken (the label, a view before
and a view after). Only properties expected to HOLD are checked, and only those the configuration
exercises (``needs`` gives no reason to skip). The properties and the view come in as arguments
because ``model/`` must not import ``checks/`` (the layering of design.md); the caller wires
``checks.catalogue.PROPERTIES`` and ``checks.view.View``.

Nothing here is exhaustive: a run that passes says "no violation found in these runs", never
"holds".
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Iterable

from hypothesis import event, note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from .config import Config
from .system import Label, System

State = tuple[int, ...]
Edge = tuple[State, Label, State]
ViewFactory = Callable[[System, State], Any]


class PropertyViolation(AssertionError):
    """A HOLD property failed during a Hypothesis run; the message names it and where."""

    def __init__(self, prop: Any, where: str) -> None:
        self.property_id = prop.id
        super().__init__(f"{prop.id} {prop.slug}: {prop.sentence}\n    violated {where}")


def checked_properties(config: Config, properties: Iterable[Any]) -> dict[str, list[Any]]:
    """The HOLD properties of kinds local, state and edge that ``config`` exercises, by kind."""
    chosen: dict[str, list[Any]] = {"local": [], "state": [], "edge": []}
    for prop in properties:
        if prop.expected == "HOLD" and prop.kind in chosen and not prop.needs(config):
            chosen[prop.kind].append(prop)
    return chosen


def stateful_test(
    config: Config,
    properties: Iterable[Any] = (),
    view: ViewFactory | None = None,
    *,
    system: System | None = None,
    record: list[Edge] | None = None,
    guide: bool = True,
) -> type[RuleBasedStateMachine]:
    """A RuleBasedStateMachine over the system of ``config``.

    ``properties``: objects shaped like ``checks.property.Property``; ``view(system, state)``: the
    view that ``state`` and ``edge`` properties read (required if any is given). ``system``: an
    already built system (for instance one with a variant class). ``record``: a list that receives
    every edge taken, as (state before, label, state after). ``guide``: prefer actions that change the
    state and end nothing (see the module docstring).

    The returned class counts in ``applied`` (a Counter by property id, shared by all runs) how
    often each property's antecedent held, so a test can tell a checked property from a vacuous
    one, and in ``steps`` how many actions were taken.
    """
    system = system if system is not None else System(config)
    chosen = checked_properties(config, properties)
    if (chosen["state"] or chosen["edge"]) and view is None:
        raise ValueError("state and edge properties need a view: pass view=View (checks.view)")
    local_props = [(p, [i for i, c in enumerate(system.components) if c.kind == p.machine])
                   for p in chosen["local"]]
    state_props, edge_props = chosen["state"], chosen["edge"]
    finals = {c.machine.name: frozenset(state.id for state in c.machine.cls.states if state.final)
              for c in system.components}

    def ends_something(label: Label) -> bool:
        """Some step of the action enters a final state of its machine."""
        return any(step.transition.target in finals[step.transition.machine]
                   and step.transition.source != step.transition.target for step in label.steps)

    local_verdicts: dict[tuple[str, int], bool | None] = {}
    """(property id, local id) -> None (does not apply), True (holds), False (violated)."""

    def local_verdict(prop: Any, component: int, local_id: int) -> bool | None:
        key = (prop.id, local_id)
        if key not in local_verdicts:
            record_ = system.machines[component].record(local_id)
            applies = prop.applies is None or prop.applies(record_)
            local_verdicts[key] = bool(prop.check(record_)) if applies else None
        return local_verdicts[key]

    class DeclaredActions(RuleBasedStateMachine):
        """Every action the declarations enable is one draw of the single rule."""

        applied: Counter[str] = Counter()
        steps = 0
        deadlocks = 0

        def __init__(self) -> None:
            super().__init__()
            self.state: State = system.initial
            self.depth = 0

        def _choices(self, data: st.DataObject, enabled: list[tuple[Label, State]]) -> list[tuple[Label, State]]:
            if not guide:
                return enabled
            how = data.draw(st.integers(0, 15), label="choose among")  # 0: all, 1: moving, else lasting
            if how == 0:
                return enabled
            moving = [choice for choice in enabled if choice[1] != self.state]
            if how == 1:
                return moving or enabled
            lasting = [choice for choice in moving if not ends_something(choice[0])]
            return lasting or moving or enabled

        @rule(data=st.data())
        def take_an_enabled_action(self, data: st.DataObject) -> None:
            enabled = list(system.successors(self.state))
            if not enabled:
                type(self).deadlocks += 1
                event("no action enabled")
                return
            choices = self._choices(data, enabled)
            index = data.draw(st.integers(min_value=0, max_value=len(choices) - 1), label="action")
            label, after = choices[index]
            before, self.state = self.state, after
            self.depth += 1
            type(self).steps += 1
            note(f"{self.depth:3d}. {label.describe()}")
            if record is not None:
                record.append((before, label, after))
            if edge_props:
                old, new = view(system, before), view(system, after)  # type: ignore[misc]
                for prop in edge_props:
                    if prop.applies is None or prop.applies(label):
                        type(self).applied[prop.id] += 1
                        if not prop.check(label, old, new):
                            raise PropertyViolation(prop, f"by step {self.depth}: {label.describe()}")

        @invariant()
        def local_properties_hold(self) -> None:
            for prop, components in local_props:
                for i in components:
                    verdict = local_verdict(prop, i, self.state[i])
                    if verdict is None:
                        continue
                    type(self).applied[prop.id] += 1
                    if not verdict:
                        raise PropertyViolation(prop, f"in {system.components[i].name} "
                                                      f"{system.machines[i].record(self.state[i])}")

        @invariant()
        def state_properties_hold(self) -> None:
            if not state_props:
                return
            current = view(system, self.state)  # type: ignore[misc]
            for prop in state_props:
                if prop.applies is None or prop.applies(current):
                    type(self).applied[prop.id] += 1
                    if not prop.check(current):
                        raise PropertyViolation(prop, f"after step {self.depth}: {system.records(self.state)}")

    DeclaredActions.__name__ = DeclaredActions.__qualname__ = f"DeclaredActions[{config.name}]"
    DeclaredActions.system = system  # type: ignore[attr-defined]
    DeclaredActions.checked = chosen  # type: ignore[attr-defined]
    return DeclaredActions
