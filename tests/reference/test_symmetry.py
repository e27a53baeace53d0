"""Symmetry reduction: orbit counts equal a brute-force canonicalisation of the full state set,
verdicts are the same, and counterexamples come back in concrete actors."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest

from shadowspec.examples.reference.check import run_reference_check
from shadowspec.examples.reference import reference_space
from shadowspec.examples.reference.counterexample import concrete_path
from shadowspec.examples.reference.symmetry import remap_requester
from shadowspec.model.explorer import explore
from shadowspec.model.frontier import explore_frontier

from .test_packed_against_generic import _ExpandOnly


def _orbit_key(system, state) -> tuple:
    """The smallest image of ``state`` over every requester and volume permutation, on records."""
    R, V = system.requesters, system.volumes
    reqs = [system.record(state, r) for r in range(R)]
    vols = [system.record(state, R + v) for v in range(V)]
    images = []
    for perm in permutations(range(1, V + 1)):
        moved_vols = [None] * V
        for v in range(V):
            moved_vols[perm[v] - 1] = tuple(vols[v].items())
        for order in permutations(range(R)):
            moved_reqs = tuple(tuple(sorted(remap_requester(reqs[r], perm).items())) for r in order)
            images.append((moved_reqs, tuple(moved_vols)))
    return min(images)


@pytest.mark.parametrize("rv", [(1, 2), pytest.param((2, 2), marks=pytest.mark.slow),
                                pytest.param((2, 3), marks=pytest.mark.slow), (3, 1)])
def test_orbit_counts_match_brute_force(rv):
    full_space, reduced = reference_space(*rv), reference_space(*rv, symmetry=True)
    full = explore([full_space.system.initial], full_space.system.successors)
    keys = [_orbit_key(full_space.system, s) for s in full.states]
    orbits = set(keys)
    found = explore_frontier(reduced)
    assert found.complete and found.count == len(orbits) < len(full.states)
    # the vectorised canonical form partitions the full state set exactly as the brute force does
    packed = np.array([full_space.pack(s) for s in full.states], dtype=np.uint64)
    canonical = reduced.canonical(packed)
    pairs = {(int(c), key) for c, key in zip(canonical, keys)}
    assert len(pairs) == len(orbits) == len(set(canonical.tolist()))
    assert set(canonical.tolist()) == set(found.states.tolist())
    # the contract's expand() and the fast path explore the same quotient
    slow = explore_frontier(_ExpandOnly(reduced), chunk=100)
    assert np.array_equal(slow.states, found.states) and slow.transitions == found.transitions


def test_same_verdicts_and_a_concrete_counterexample():
    reduced = run_reference_check(2, 3, symmetry=True)
    full = run_reference_check(2, 3)
    assert [(p["id"], p["verdict"]) for p in reduced.properties] == \
        [(p["id"], p["verdict"]) for p in full.properties]
    assert reduced.exploration["states"] < full.exploration["states"]
    space = reference_space(2, 3, symmetry=True)
    found = explore_frontier(space)
    path = concrete_path(space, found, found.violations["REF-C"])
    assert len(path) == 10
    for (_, before), (label, after) in zip(path, path[1:]):
        assert (label, after) in list(space.system.successors(before))
    assert not space.check("REF-C", np.array([space.pack(path[-1][1])], dtype=np.uint64))[0]
