"""The numpy frontier explorer and its visited set, on their own."""

from __future__ import annotations

import pickle

import numpy as np

from shadowspec.examples.reference import reference_space
from shadowspec.model.frontier import Progress, explore_frontier
from shadowspec.model.hashset import HashSet


def test_hashset_agrees_with_a_python_set():
    rng = np.random.default_rng(5)
    keys = np.unique(rng.integers(0, 2**63 - 1, 5000, dtype=np.uint64))
    keys = np.concatenate([keys, np.arange(0, 300, dtype=np.uint64)])  # dense keys collide too
    keys = np.unique(keys)
    rng.shuffle(keys)
    present = HashSet(bits=4)
    parts = []
    for part in np.array_split(keys[: len(keys) // 2], 7):
        if present.needs_room(len(part)):
            present = present.rebuilt(len(part), parts)
        present.add_new(part)
        parts.append(part)
    assert 2 * present.count <= len(present.table)
    queries = np.concatenate([keys, keys[:50]])
    expected = np.isin(queries, keys[: len(keys) // 2])
    assert np.array_equal(present.contains(queries), expected)
    assert present.count == len(keys) // 2 == np.count_nonzero(present.table)


def test_bounds_and_progress():
    space = reference_space(2, 2)
    seen: list[Progress] = []
    found = explore_frontier(space, max_states=1000, progress=seen.append, progress_every=0, chunk=100)
    assert not found.complete and found.count == 1000 and "state bound 1000" in found.stop_reason
    assert seen and seen[-1].states == 1000 and all(p.depth >= 0 and p.queue >= 0 for p in seen)
    assert found.depth_offsets[-1] == found.count
    full = explore_frontier(space)
    assert np.array_equal(found.states, full.states[:1000])  # a prefix of the same order
    shallow = explore_frontier(space, max_depth=4)
    assert not shallow.complete and shallow.max_depth == 4
    assert shallow.count == full.depth_offsets[5]


def test_the_space_pickles_as_its_arguments():
    space = reference_space(2, 2, symmetry=True)
    again = pickle.loads(pickle.dumps(space))
    frontier = space.initial()
    for _ in range(6):
        source, action, target = space.expand(frontier)
        twin = again.expand(frontier)
        assert all(np.array_equal(a, b) for a, b in zip((source, action, target), twin))
        frontier = np.unique(target)
