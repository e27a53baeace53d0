"""Every engine on the benchmark reference model: the counts of ../shared/bench/README.md (whose
"transitions" count the initial state as one more transition), the frontier explorer's order,
and the 10-state counterexample of hazard (c)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from shadowspec.examples.reference import reference_space
from shadowspec.model.engines import EngineOptions, explore_with
from shadowspec.model.fingerprint import path_states
from shadowspec.model.frontier import explore_frontier

README = {(1, 1): (20, 54), (1, 2): (64, 274), (2, 2): (2_648, 21_555), (2, 3): (23_058, 254_878)}
ENGINES = {
    "processes": EngineOptions(workers=2),
    "hash-compaction": EngineOptions(fingerprint_bits=64),
    "hash-compaction-processes-3": EngineOptions(workers=3, fingerprint_bits=48),
}


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("size", sorted(README))
def test_engines_reproduce_the_reference_counts(size: tuple[int, int], engine: str) -> None:
    factory = functools.partial(reference_space, *size)
    result = explore_with(factory, ENGINES[engine])
    states, transitions = README[size]
    assert result.complete
    assert result.count == states
    assert result.transitions + result.depth_offsets[1] == transitions
    assert set(result.violations) == {"REF-C"}  # (a) and (b) hold, (c) does not
    assert len(result.path(result.violations["REF-C"])) == 10


@pytest.mark.parametrize("symmetry", [False, True])
def test_parallel_and_compacted_runs_match_the_frontier_explorer(symmetry: bool) -> None:
    factory = functools.partial(reference_space, 2, 3, symmetry)
    space = factory()
    single = explore_frontier(space)
    for options in (EngineOptions(workers=2), EngineOptions(workers=2, fingerprint_bits=64)):
        result = explore_with(factory, options)
        assert result.count == single.count and result.transitions == single.transitions
        assert np.array_equal(result.parent, single.parent)
        assert np.array_equal(result.action, single.action)
        assert result.violations == single.violations
        index = result.violations["REF-C"]
        assert np.array_equal(path_states(space, result, index), single.states[single.path(index)])
