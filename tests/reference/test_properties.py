"""(a) and (b) hold, (c) is violated with a 10-state shortest counterexample, on every small row;
and the properties are not vacuous: a variant that breaks (a) is caught."""

from __future__ import annotations

import numpy as np
from statemachine import State

from shadowspec.checks.explore_space import ExploreOptions
from shadowspec.examples.reference.check import run_reference_check
from shadowspec.examples.reference import ReferenceSystem, reference_space
from shadowspec.examples.reference.counterexample import concrete_path
from shadowspec.examples.reference.machines import ReferenceRequester, ReferenceVolume
from shadowspec.examples.reference.packed import ReferenceSpace
from shadowspec.examples.reference.properties import BY_ID
from shadowspec.model.explorer import explore
from shadowspec.model.frontier import explore_frontier
from shadowspec.spec.vocabulary import returns


def _generic_violations(system: ReferenceSystem, states) -> dict[str, int]:
    """First violating index per property, evaluated on records (independently of the tables)."""
    found: dict[str, int] = {}
    R, V = system.requesters, system.volumes
    for i, state in enumerate(states):
        reqs = [system.record(state, r) for r in range(R)]
        vols = [system.record(state, R + v) for v in range(V)]
        holds = {"REF-A": all(BY_ID["REF-A"].holds(x) for x in vols),
                 "REF-B": all(BY_ID["REF-B"].holds(x) for x in reqs),
                 "REF-C": all(BY_ID["REF-C"].holds(x, v + 1, vols[v]) for x in reqs for v in range(V))}
        for key, ok in holds.items():
            if not ok:
                found.setdefault(key, i)
    return found


def test_verdicts_and_shortest_counterexample(row):
    space = reference_space(*row)
    found = explore_frontier(space)
    generic = explore([space.system.initial], space.system.successors)
    assert found.violations == _generic_violations(space.system, generic.states)
    assert set(found.violations) == {"REF-C"}
    path = found.path(found.violations["REF-C"])
    assert len(path) == 10  # states, the initial one included (README)


def test_the_counterexample_is_a_real_run():
    space = reference_space(2, 2)
    found = explore_frontier(space)
    path = concrete_path(space, found, found.violations["REF-C"])
    for (_, before), (label, after) in zip(path, path[1:]):
        assert (label, after) in list(space.system.successors(before))
    assert not space.check("REF-C", np.array([space.pack(path[-1][1])], dtype=np.uint64))[0]


def test_report_verdicts():
    report = run_reference_check(2, 2)
    verdicts = {p["id"]: (p["verdict"], p["as_expected"]) for p in report.properties}
    assert verdicts == {"REF-A": ("holds", True), "REF-B": ("holds", True), "REF-C": ("violated", True)}
    steps = next(p for p in report.properties if p["id"] == "REF-C")["counterexample"]
    assert len(steps) == 9 and any(s["call"] == "DoSnapshotSet" for s in steps)
    assert report.passed and report.exit_code == 0
    assert report.coverage["fired_transitions"] == report.coverage["declared_transitions"]


def test_a_cut_short_search_never_says_holds():
    report = run_reference_check(2, 2, options=ExploreOptions(max_states=100))
    verdicts = {p["id"]: p["verdict"] for p in report.properties}
    assert not report.exploration["complete"] and report.exploration["states"] == 100
    assert verdicts["REF-A"] == verdicts["REF-B"] == "no violation within bound"
    assert not report.passed and report.exit_code == 1  # incomplete: undecided, not a mismatch
    deep = run_reference_check(2, 2, options=ExploreOptions(max_depth=5))
    assert not deep.exploration["complete"] and deep.exploration["depth"] == 5


class ForgetfulVolume(ReferenceVolume):
    """A variant whose InProgress leaves DelayTimerInSecs at 0: (a) must catch it."""

    none = State(initial=True)
    in_progress = State()
    set_in_progress = (none.to(in_progress, on=returns("ERROR_SUCCESS", "CSV-07"))
                       | in_progress.to.itself(on=returns("ERROR_SUCCESS", "CSV-07")))
    clear = (none.to.itself(on=["reset", returns("ERROR_SUCCESS", "CSV-10")])
             | in_progress.to(none, on=["reset", returns("ERROR_SUCCESS", "CSV-10")]))
    snapshot_taken = (in_progress.to.itself(on=["detect_backup", returns("S_OK", "CSV-09")])
                      | none.to.itself(on=returns("S_OK", "CSV-09")))
    env_timer_expires = in_progress.to(none, unless="backup_detected", on=["reset", returns("S_OK", "CSV-08")])


def test_a_broken_declaration_is_caught():
    space = ReferenceSpace(1, 1, classes=(ReferenceRequester, ForgetfulVolume))
    found = explore_frontier(space)
    assert "REF-A" in found.violations
