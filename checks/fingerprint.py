"""A canonical fingerprint of an explored graph and the facts the regression gate compares.

Exploration order (and so the state numbering) changes whenever the order of declarations or of
actions changes, while the reachable behaviour may not. So a state is described by what it is:
each component's name, control state and variable values; an edge by its label (who called what,
with what, and the result) and the declared transitions it fired (machine, event, source, target,
result: not their declaration index). The fingerprint hashes the sorted state digests and the
sorted (source, label, target) edge digests: the same behaviour gives the same fingerprint
whatever order it was found in.
"""

from __future__ import annotations

from collections import Counter
from hashlib import blake2b
from typing import Any

from shadowspec.model.compiled import CompiledMachine, TransitionId, cited_rules, declared_transitions
from shadowspec.model.explorer import Exploration
from shadowspec.model.system import MACHINES, Label, System


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def local_description(machine: CompiledMachine, local_id: int) -> str:
    """``state=<name>; <variable>=<value>; ...`` in declaration order."""
    record = machine.record(local_id)
    return "; ".join(f"{name}={_show(value)}" for name, value in record.items())


def _digest(text: str | bytes) -> bytes:
    return blake2b(text.encode() if isinstance(text, str) else text, digest_size=16).digest()


def _label_text(label: Label) -> str:
    fired = ", ".join(f"{s.transition.machine}.{s.transition.event}:{s.transition.source}->"
                      f"{s.transition.target}={s.transition.result}" for s in label.steps)
    return f"{label.describe()} [{label.kind}] {{{fired}}}"


def fingerprint(system: System, exploration: Exploration) -> str:
    """The order-independent fingerprint of the explored graph (hex)."""
    names = [component.name for component in system.components]
    cache: list[dict[int, str]] = [{} for _ in names]

    def describe(state: tuple[int, ...]) -> str:
        parts = []
        for i, local in enumerate(state):
            text = cache[i].get(local)
            if text is None:
                text = cache[i][local] = f"{names[i]}: {local_description(system.machines[i], local)}"
            parts.append(text)
        return "\n".join(parts)

    states = [_digest(describe(state)) for state in exploration.states]
    labels = [_digest(_label_text(label)) for label in exploration.labels]
    edges = sorted(_digest(states[s] + labels[lab] + states[t]) for s, lab, t in exploration.edges())
    whole = blake2b(digest_size=16)
    for digest in sorted(states):
        whole.update(digest)
    whole.update(b"edges")
    for digest in edges:
        whole.update(digest)
    return whole.hexdigest()


def transition_key(tid: TransitionId, rules: tuple[str, ...]) -> str:
    """A declared transition's name in the baseline: ``str(tid)`` and the rules its result,
    guards and effects cite (two transitions may differ only in their guards)."""
    return f"{tid} ({', '.join(rules)})"


def transition_counts(system: System, exploration: Exploration) -> dict[str, int]:
    """How many explored edges fired each declared transition (0 for the dead ones)."""
    per_label = Counter(exploration.edge_labels)
    counts: Counter[TransitionId] = Counter()
    for lab, times in per_label.items():
        for step in exploration.labels[lab].steps:
            counts[step.transition] += times
    found: dict[str, int] = {}
    for role in MACHINES:
        machine = system.compiled[role]
        cited = {(t.source, t.event, t.index): rules for t, rules in cited_rules(machine.cls).items()}
        for tid in declared_transitions(machine.cls, machine.name):
            key = transition_key(tid, cited[(tid.source, tid.event, tid.index)])
            found[key] = found.get(key, 0) + counts.get(tid, 0)
    return found


def local_records(system: System, exploration: Exploration) -> dict[str, dict[str, int]]:
    """For each component, each local record it takes and in how many states."""
    found: dict[str, dict[str, int]] = {}
    for i, component in enumerate(system.components):
        column = Counter(state[i] for state in exploration.states)
        found[component.name] = {local_description(component.machine, local): n
                                 for local, n in sorted(column.items())}
        found[component.name] = dict(sorted(found[component.name].items()))
    return found


def state_pairs(system: System, exploration: Exploration, skip: tuple[str, ...] = ("AsyncOperation",)) -> dict[str, int]:
    """Each pair of component control states that occur together, and in how many states
    (leaving out the components of the ``skip`` kinds: an IVssAsync's state mostly mirrors its
    requester's, and its pairs would triple the list)."""
    kept = [i for i, component in enumerate(system.components) if component.kind not in skip]
    names = [system.components[i].name for i in kept]
    pairs: Counter[tuple[str, ...]] = Counter()
    control = [[m.locals[k][0] for k in range(len(m.locals))] for m in system.machines]
    for state in exploration.states:
        pairs[tuple(control[i][state[i]] for i in kept)] += 1
    together: Counter[str] = Counter()
    for combination, n in pairs.items():
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                together[f"{names[i]}={combination[i]} & {names[j]}={combination[j]}"] += n
    return dict(sorted(together.items()))
