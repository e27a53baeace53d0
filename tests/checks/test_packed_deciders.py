"""The packed deciders (tabulated predicates, scipy attracting components, label-memoised
milestones) against the reference deciders (per-state loops, networkx): the same verdict, the
same counterexample (so of the same length), the same lasso, the same applied count, on every
shipped configuration; and the suite summary derived from the per-configuration verdicts."""

from __future__ import annotations

import pytest

from shadowspec.checks.catalogue import PROPERTIES, WITNESSES
from shadowspec.checks.decide import Graph, decide
from shadowspec.checks.run import explore_config
from shadowspec.model.config import shipped

FAST = ["csv-modes", "csv-protocol-2", "volume-limit", "cluster-2008r2", "cluster-2012"]
SLOW = ["default", "requester-api", "two-requesters"]


@pytest.mark.parametrize("name", FAST + [pytest.param(n, marks=pytest.mark.slow) for n in SLOW])
def test_same_verdicts_and_counterexamples_as_networkx(name: str) -> None:
    system, exploration, _ = explore_config(shipped()[name])
    fast, reference = Graph(system, exploration), Graph(system, exploration, reference=True)
    for prop in PROPERTIES + WITNESSES:
        mine, theirs = decide(prop, fast), decide(prop, reference)
        assert mine.verdict == theirs.verdict, prop.id
        assert len(mine.trace) == len(theirs.trace) and len(mine.cycle) == len(theirs.cycle), prop.id
        assert (mine.trace, mine.cycle, mine.applied, mine.reason) == \
            (theirs.trace, theirs.cycle, theirs.applied, theirs.reason), prop.id


def test_a_violated_liveness_property_is_a_lasso_in_both() -> None:
    system, exploration, _ = explore_config(shipped()["cluster-2008r2"])
    fast, reference = Graph(system, exploration), Graph(system, exploration, reference=True)
    liv05 = next(p for p in PROPERTIES if p.id == "LIV-05")
    mine, theirs = decide(liv05, fast), decide(liv05, reference)
    assert mine.verdict == theirs.verdict == "violated"
    assert mine.trace and mine.trace[0][0] == -1  # from an initial state
    if mine.cycle:  # a fair cycle returns to the state the prefix ends in
        assert mine.cycle[-1][1] == mine.trace[-1][1]


def test_tabulated_predicates_learn_their_footprint() -> None:
    from shadowspec.checks.tabulate import Tabulator

    system, exploration, _ = explore_config(shipped()["csv-modes"])
    tab = Tabulator(system, exploration.states)
    reads_one = tab.states(lambda view: view.csv(1) == "backup")
    assert tab.calls < len(exploration.states)  # one call per distinct value read, not per state
    expected = [system.machines[system.csv[1]].locals[s[system.csv[1]]][0] == "backup" for s in exploration.states]
    assert reads_one.tolist() == expected


def test_tabulated_edge_predicates_see_state_equality_and_fields() -> None:
    """Comparing two views' states is a read (of whether they are equal), and a predicate that
    reads one field is called once per distinct value of that field, not per component code."""
    import numpy as np

    from shadowspec.checks.tabulate import Tabulator

    system, x, _ = explore_config(shipped()["cluster-2008r2"])
    tab = Tabulator(system, x.states)
    sources = np.frombuffer(x.sources, dtype=x.sources.typecode)
    targets = np.frombuffer(x.targets, dtype=x.targets.typecode)
    same = tab.values(lambda before, after: before.state == after.state, [sources, targets]).astype(bool)
    assert same.tolist() == [x.states[s] == x.states[t] for s, t in zip(sources.tolist(), targets.tolist())]
    assert same.any() and not same.all()
    tab.calls = 0
    phases = tab.states(lambda view: view.phase(1) == "initialized")
    requester = system.requester[1]
    assert phases.tolist() == [system.machines[requester].locals[s[requester]][0] == "initialized" for s in x.states]
    distinct_phases = {system.machines[requester].locals[s[requester]][0] for s in x.states}
    assert tab.calls <= len(distinct_phases) + 1 < len({s[requester] for s in x.states})
