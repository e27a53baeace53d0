"""Hypothesis runs of the composed declarations: HOLD properties along random runs, and every step
Hypothesis takes is an edge the explorer also finds.

The rules come from ``System.successors`` (see ``model/stateful.py``), so these tests would catch a
property that fails deep in a big configuration, a harness that takes steps the model does not
have, and a harness that cannot see a violation at all (the planted properties below must fail).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from shadowspec.checks.catalogue import PROPERTIES
from shadowspec.checks.property import Property
from shadowspec.checks.view import View
from shadowspec.model.config import CALLER_GROUPS, Config, load
from shadowspec.model.explorer import explore
from shadowspec.model.stateful import PropertyViolation, checked_properties, stateful_test
from shadowspec.model.system import System

pytestmark = pytest.mark.slow  # exhaustive: run by `pytest -m slow` (and .ci/run)

WELL_FORMED_CALLS = tuple(group for group in CALLER_GROUPS if group != "bad_arguments")


def budget(examples: int, steps: int) -> settings:
    """Explicit, deterministic settings (independent of any profile a conftest loads)."""
    return settings(max_examples=examples, stateful_step_count=steps, derandomize=True, database=None,
                    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
                    print_blob=False)


def default_config() -> Config:
    from importlib import resources
    path = resources.files("shadowspec.model").joinpath("configs", "default.toml")
    return load(str(path))


CONFIGS = {
    "default": default_config(),
    "two-nodes-everything": Config(name="two-nodes-everything", requesters=2, nodes=2, volumes=1, writers=1),
    "2012-protocol-2": Config(name="2012-protocol-2", requesters=1, nodes=2, volumes=2, writers=1,
                              os="2012", protocol="2.0", callers=WELL_FORMED_CALLS),
}
"""(bad_arguments is left out of the 2012 run: see test_inv20_judges_a_prepare_on_a_non_csv_path.)"""

MUST_APPLY = {
    "default": {"INV-01", "INV-08", "INV-09", "INV-10", "INV-16", "INV-17", "LIV-09"},
    "two-nodes-everything": {"INV-01", "INV-06", "INV-08", "INV-09", "INV-14", "INV-16", "INV-19"},
    "2012-protocol-2": {"INV-01", "INV-08", "INV-09", "INV-18", "INV-20"},
}
"""Properties whose antecedent the runs must meet: a harness that never reaches them checks nothing."""


@pytest.mark.parametrize("name", CONFIGS)
def test_hold_properties_survive_random_runs(name: str) -> None:
    config = CONFIGS[name]
    system = System(config)
    taken: list = []
    machine = stateful_test(config, PROPERTIES, View, system=system, record=taken)
    run_state_machine_as_test(machine, settings=budget(examples=50, steps=60))
    assert machine.steps == len(taken) >= 1500
    missing = MUST_APPLY[name] - set(machine.applied)
    assert not missing, f"never applied in {name}: {sorted(missing)}"
    # the guided runs get past the easy prefix: some session is inside DoSnapshotSet
    phases = {View(system, after).phase(r) for _, _, after in taken for r in system.requester}
    assert "snapshotting" in phases, sorted(phases)


def test_every_step_taken_is_an_explored_edge() -> None:
    config = Config(name="requester-faults", requesters=1, nodes=1, volumes=1, writers=1,
                    callers=("async_calls", "status_calls", "metadata_calls"),
                    environment=("async_failure", "writer_failure", "provider_failure", "freeze_timeout",
                                 "crash"))
    system = System(config)
    x = explore([system.initial], system.successors)
    assert x.complete
    edges = {(x.states[s], x.labels[lab], x.states[t]) for s, lab, t in x.edges()}
    taken: list = []
    machine = stateful_test(config, PROPERTIES, View, system=system, record=taken)
    run_state_machine_as_test(machine, settings=budget(examples=30, steps=50))
    assert len(taken) >= 500
    strays = [edge for edge in taken if edge not in edges]
    assert not strays, f"{len(strays)} steps are not edges of the explored graph, e.g. {strays[0][1].describe()}"
    assert len({edge[2] for edge in taken}) >= 150  # the runs went to many different states


def test_only_exercised_hold_properties_are_checked() -> None:
    chosen = checked_properties(CONFIGS["default"], PROPERTIES)
    ids = {kind: {p.id for p in props} for kind, props in chosen.items()}
    assert "INV-17" in ids["local"]
    assert "INV-06" not in ids["state"]  # needs two requesters
    assert "INV-22" not in ids["state"]  # a HAZARD: expected to be violated
    assert "LIV-07" not in ids["edge"] and "INV-13" not in ids["edge"]  # OBLIG
    assert "INV-20" not in ids["edge"]  # applies to 2012 only
    assert {"INV-01", "INV-08", "INV-09", "INV-10"} <= ids["edge"]
    everything = checked_properties(CONFIGS["two-nodes-everything"], PROPERTIES)
    assert "INV-06" in {p.id for p in everything["state"]}
    for props in everything.values():
        assert all(p.expected == "HOLD" and p.needs(CONFIGS["two-nodes-everything"]) is None for p in props)


def test_state_and_edge_properties_need_a_view() -> None:
    with pytest.raises(ValueError, match="view"):
        stateful_test(CONFIGS["default"], PROPERTIES)


PLANTED = {
    "local": Property("PLANT-L", "never_initialized", "No session is ever initialized.", "local", (), "HOLD",
                      machine="RequesterSession", check=lambda record: record["state"] != "initialized"),
    "state": Property("PLANT-S", "no_session_beyond_created", "Every session is absent or only created.",
                      "state", (), "HOLD", applies=lambda view: True,
                      check=lambda view: all(view.phase(r) in ("absent", "created") for r in view.system.requester)),
    "edge": Property("PLANT-E", "no_bad_state", "No call ever returns VSS_E_BAD_STATE.", "edge", (), "HOLD",
                     applies=lambda label: label.actor.startswith("requester-"),
                     check=lambda label, before, after: label.result != "VSS_E_BAD_STATE"),
}
"""Properties that are false in the model: the harness must find and shrink each violation."""


@pytest.mark.parametrize("kind", PLANTED)
def test_a_false_property_is_found_and_shrunk(kind: str) -> None:
    prop = PLANTED[kind]
    machine = stateful_test(CONFIGS["default"], [prop], View)
    with pytest.raises(PropertyViolation) as caught:
        run_state_machine_as_test(machine, settings=budget(examples=100, steps=20))
    assert caught.value.property_id == prop.id
    steps = [line for line in getattr(caught.value, "__notes__", []) if line[:4].strip().rstrip(".").isdigit()]
    # shrunk to a shortest witness: a call in the wrong state (1 step), or create + initialize (2)
    assert steps, "the counterexample's steps are printed as notes"
    assert len(steps) <= 3, steps
    if kind == "edge":
        assert steps[-1].endswith("-> VSS_E_BAD_STATE")
    else:
        assert "InitializeForBackup(" in steps[-1] and steps[-1].endswith("-> S_OK")


def test_inv20_judges_a_prepare_on_a_non_csv_path() -> None:
    """INV-20 (Prepare is inert on 2012) must judge every Prepare call, also the refused ones."""
    config = Config(name="2012-bad-path", requesters=0, nodes=1, volumes=1, os="2012",
                    callers=("resapi", "bad_arguments"), environment=())
    system = System(config)
    prop = next(p for p in PROPERTIES if p.id == "INV-20")
    assert prop.needs(config) is None
    calls = [(label, after) for label, after in system.successors(system.initial)
             if prop.applies(label) and dict(label.arguments)["lpszFileName"] == "C:\\"]
    assert calls
    for label, after in calls:
        assert prop.check(label, View(system, system.initial), View(system, after))
