"""The packed real system against the generic explorer (the oracle): the same states in the same
order, the same parents, and every edge with the same label, on every shipped configuration; the
declared encoding (what the engines use) and the learnt one (the plain check) alike."""

from __future__ import annotations

import numpy as np
import pytest

from shadowspec.model.config import shipped
from shadowspec.model.explorer import explore
from shadowspec.model.frontier import explore_frontier
from shadowspec.model.packed_explore import explore_vss
from shadowspec.model.packed_system import VssSpace
from shadowspec.model.system import System

FAST = ["csv-modes", "csv-protocol-2", "volume-limit", "cluster-2008r2", "cluster-2012"]
SLOW = ["default", "requester-api", "two-requesters"]
CONFIGS = FAST + [pytest.param(name, marks=pytest.mark.slow) for name in SLOW]


def _locals(system: System, state: tuple[int, ...]) -> tuple:
    """A state as its components' local values (interned ids differ between systems)."""
    return tuple(m.locals[c] for m, c in zip(system.machines, state))


@pytest.fixture(scope="module")
def generic() -> dict:
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            system = System(shipped()[name])
            cache[name] = (system, explore([system.initial], system.successors))
        return cache[name]
    return get


def test_shipped_configurations_are_all_covered() -> None:
    assert sorted(FAST + SLOW) == sorted(shipped())


@pytest.mark.parametrize("name", CONFIGS)
def test_same_graph_as_the_generic_explorer(name: str, generic) -> None:
    system, oracle = generic(name)
    space = VssSpace(shipped()[name], encoding="learnt")
    found = explore_vss(space)
    assert found.complete and oracle.complete
    assert [_locals(space.system, s) for s in found.states] == [_locals(system, s) for s in oracle.states]
    assert list(found.parent) == list(oracle.parent)
    assert list(found.sources) == list(oracle.sources) and list(found.targets) == list(oracle.targets)
    assert [found.labels[i] for i in found.edge_labels] == [oracle.labels[i] for i in oracle.edge_labels]
    assert [found.labels[i] for i in found.via if i >= 0] == [oracle.labels[i] for i in oracle.via if i >= 0]


@pytest.mark.parametrize("name", ["csv-modes", "cluster-2008r2", pytest.param("default", marks=pytest.mark.slow)])
def test_declared_encoding_through_the_frontier_explorer(name: str, generic) -> None:
    system, oracle = generic(name)
    space = VssSpace(shipped()[name])
    found = explore_frontier(space)
    assert (found.count, found.transitions, found.max_depth) == (len(oracle.states), oracle.transitions,
                                                                 oracle.max_depth)
    assert {_locals(space.system, space.unpack(s)) for s in found.states.tolist()} == \
        {_locals(system, s) for s in oracle.states}


def test_learnt_encoding_widens_and_stays_one_word() -> None:
    space = VssSpace(shipped()["cluster-2008r2"], encoding="learnt")
    found = explore_vss(space)
    assert found.widenings > 0  # it started with room for two codes per component
    assert all(size >= len(m.locals) for size, m in zip(space.sizes, space.system.machines))
    assert space.bits <= 64


def test_successors_of_one_state_match_the_system() -> None:
    space = VssSpace(shipped()["cluster-2008r2"])
    oracle = System(shipped()["cluster-2008r2"])
    state = space.system.initial
    for _ in range(6):  # walk a few steps down the first successor of each state
        mine = list(space.successors_of(state))
        theirs = list(oracle.successors(tuple(oracle.machines[i].intern(space.system.machines[i].locals[c])
                                              for i, c in enumerate(state))))
        assert [label for label, _ in mine] == [label for label, _ in theirs]
        assert [_locals(space.system, t) for _, t in mine] == [_locals(oracle, t) for _, t in theirs]
        state = mine[-1][1]


def test_a_state_too_big_for_one_word_takes_two() -> None:
    space = VssSpace(shipped()["two-requesters"])  # the declared closure is loose: 71 bits
    assert space.bits > 63 and space.words == 2
    assert space.word_of == sorted(space.word_of)  # consecutive components share a word
    for w in range(space.words):  # each word's rooms multiply to at most 2**63
        product = 1
        for size, word in zip(space.sizes, space.word_of):
            product *= size if word == w else 1
        assert product <= 1 << 63
    state = space.initial()
    assert state.shape == (1, 2) and space.unpack(state[0]) == space.system.initial


def test_pickled_space_rebuilds_the_same_codes() -> None:
    import pickle

    space = VssSpace(shipped()["cluster-2008r2"])
    again = pickle.loads(pickle.dumps(space))
    assert again.sizes == space.sizes
    assert [m.locals for m in again.system.machines] == [m.locals for m in space.system.machines]
    frontier = space.initial()
    a, b = space.expand(frontier), again.expand(frontier)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_a_generator_that_sees_the_whole_state_falls_back_to_whole_components() -> None:
    """Field reads go through proxies of the machines; a generator that uses the state another
    way (here, hashing it) is tabulated on whole components instead, with the same graph."""
    config = shipped()["cluster-2008r2"]
    plain = explore_vss(VssSpace(config, encoding="learnt"))
    space = VssSpace(config, encoding="learnt")
    inner = space.groups[0]

    def group(s):
        hash(s)
        yield from inner(s)
    space.groups[0] = group
    found = explore_vss(space)
    assert space.enumerations[0].whole and not any(t.whole for t in space.enumerations[1:])
    assert len(space.enumerations[0].footprint) == len(space.system.machines)  # hashing read them all
    assert len(found.states) == len(plain.states) and list(found.parent) == list(plain.parent)
    assert list(found.sources) == list(plain.sources) and list(found.targets) == list(plain.targets)
    assert [found.labels[i] for i in found.edge_labels] == [plain.labels[i] for i in plain.edge_labels]
