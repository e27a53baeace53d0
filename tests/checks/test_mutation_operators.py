"""The mutation operators on a tiny machine whose kill matrix is worked out by hand.

``Lock`` has two states and two calls. Its four properties (P1: ``holds`` is true exactly in
``held``; P2: a rejected call changes nothing; P3: every result is documented for its call; P4: a
release by a non-owner never succeeds) are decided on the machine's own explored graph. For each
of the 17 mutants the operators make, the expected outcome below was derived by reading the
declaration, not by running the code (the reasoning is in the comments).
"""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest
from statemachine import State
from statemachine.exceptions import TransitionNotAllowed

from shadowspec.model.compiled import CompiledMachine, declared_transitions
from shadowspec.model.mutation import OPERATORS, build_class, machine_mutants, rebuild
from shadowspec.model.system import MACHINES
from shadowspec.spec.vocabulary import SpecMachine, Variable, effect, guard, returns


class Lock(SpecMachine):
    """A lock: acquire when free; release by the owner only."""

    VARIABLES = {"holds": Variable(False, "someone holds the lock")}
    ARGUMENTS = {"release": {"mine": (True, False)}}

    free = State(initial=True)
    held = State()

    acquire = free.to(held, on=["take", returns("S_OK", "T-1")]) | held.to.itself(on=returns("BUSY", "T-2"))
    release = (
        held.to(free, cond="owner", on=["drop", returns("S_OK", "T-3")])
        | held.to.itself(on=returns("DENIED", "T-4"))
        | free.to.itself(on=returns("NOT_HELD", "T-5"))
    )

    @guard("T-3")
    def owner(self, mine: bool = True) -> bool:
        return mine

    @effect("T-1")
    def take(self) -> None:
        self.model.holds = True

    @effect("T-3")
    def drop(self) -> None:
        self.model.holds = False


DOCUMENTED = {"acquire": {"S_OK", "BUSY"}, "release": {"S_OK", "DENIED", "NOT_HELD"}}


def _graph(cls: type[SpecMachine]) -> tuple[CompiledMachine, set[tuple[Any, ...]]]:
    machine = CompiledMachine(cls, None, "Lock")
    edges, seen, queue = set(), {machine.initial}, [machine.initial]
    while queue:
        local = queue.pop()
        for event in machine.events:
            domains = cls.ARGUMENTS.get(event, {})
            for values in product(*domains.values()):
                args = tuple(sorted(zip(domains, values)))
                try:
                    result, target, tid = machine.step(local, event, args)
                except TransitionNotAllowed:
                    continue
                edges.add((local, event, args, result, target, tid.source, tid.target))
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return machine, edges


def _outcome(cls: type[SpecMachine], original: frozenset[Any]) -> str:
    machine, edges = _graph(cls)
    failed = []
    records = {local: machine.record(local) for local in range(len(machine.locals))}
    if any(r["holds"] != (r["state"] == "held") for r in records.values()):
        failed.append("P1")
    if any(result != "S_OK" and s != t for s, _, _, result, t, _, _ in edges):
        failed.append("P2")
    if any(result not in DOCUMENTED[event] for _, event, _, result, _, _, _ in edges):
        failed.append("P3")
    if any(event == "release" and dict(args) == {"mine": False} and result == "S_OK"
           for _, event, args, result, _, _, _ in edges):
        failed.append("P4")
    if failed:
        return "killed:" + ",".join(failed)
    described = frozenset((tuple(records[s].items()), e, a, r, tuple(records[t].items()), ts, tt)
                          for s, e, a, r, t, ts, tt in edges)
    return "equivalent" if described == original else "survived"


def _fingerprint(cls: type[SpecMachine]) -> frozenset[Any]:
    machine, edges = _graph(cls)
    return frozenset((tuple(machine.record(s).items()), e, a, r, tuple(machine.record(t).items()), ts, tt)
                     for s, e, a, r, t, ts, tt in edges)


EXPECTED = {
    # acquire free -> held [S_OK], take
    "Lock.acquire@free#0:swap-result(BUSY)": "killed:P2",  # returns BUSY yet takes the lock
    "Lock.acquire@free#0:drop-effect(take)": "killed:P1",  # held, holds false
    "Lock.acquire@free#0:retarget(free)": "killed:P1",  # free, holds true
    # acquire held -> held [BUSY]
    "Lock.acquire@held#0:swap-result(S_OK)": "survived",  # S_OK is documented for acquire; nothing changes
    "Lock.acquire@held#0:retarget(free)": "killed:P1,P2",  # free with holds true, and a rejected call moved
    "Lock.acquire@held#0:rejected-side-effect(take)": "equivalent",  # holds is already true in held
    # release held -> free [S_OK] if owner, drop
    "Lock.release@held#0:drop-guard(owner)": "killed:P4",  # a non-owner's release succeeds
    "Lock.release@held#0:negate-guard(owner)": "killed:P4",  # only a non-owner's release succeeds
    "Lock.release@held#0:swap-result(DENIED)": "killed:P2",  # DENIED, yet the lock is released
    "Lock.release@held#0:drop-effect(drop)": "killed:P1",  # free, holds still true
    "Lock.release@held#0:retarget(held)": "killed:P1",  # held, holds false
    # release held -> held [DENIED]
    "Lock.release@held#1:swap-result(NOT_HELD)": "survived",  # documented for release, changes nothing
    "Lock.release@held#1:retarget(free)": "killed:P1,P2",
    "Lock.release@held#1:rejected-side-effect(drop)": "killed:P1,P2",  # held with holds false
    # release free -> free [NOT_HELD]
    "Lock.release@free#0:swap-result(S_OK)": "killed:P4",  # a non-owner's release of a free lock succeeds
    "Lock.release@free#0:retarget(held)": "killed:P1,P2",  # held with holds false
    "Lock.release@free#0:rejected-side-effect(drop)": "equivalent",  # holds is already false
}


def test_the_operators_make_exactly_the_mutants_worked_out_by_hand() -> None:
    assert sorted(m.id for m in machine_mutants(Lock)) == sorted(EXPECTED)


def test_the_kill_matrix_is_the_one_worked_out_by_hand() -> None:
    original = _fingerprint(Lock)
    assert _outcome(Lock, original) == "equivalent"  # the original passes and equals itself
    found = {m.id: _outcome(build_class(m, (Lock,)), original) for m in machine_mutants(Lock)}
    assert found == EXPECTED


def test_a_mutant_leaves_the_declared_class_alone() -> None:
    before = declared_transitions(Lock)
    for mutant in machine_mutants(Lock):
        build_class(mutant, (Lock,))
    assert declared_transitions(Lock) == before


def test_every_operator_is_known_and_the_exhaustive_mode_adds_alternatives() -> None:
    assert {m.operator for m in machine_mutants(Lock)} <= set(OPERATORS)
    assert len(list(machine_mutants(Lock, exhaustive=True))) > len(EXPECTED)
    assert not list(machine_mutants(Lock, operators=("drop-cross-effect",)))


@pytest.mark.parametrize("cls", MACHINES, ids=lambda c: c.__name__)
def test_an_unedited_rebuild_declares_the_same_transitions(cls: type[SpecMachine]) -> None:
    copy = rebuild(cls)
    assert declared_transitions(copy, cls.__name__) == declared_transitions(cls)
