"""The partitioned engines (inline partitions, worker processes) against a one-state-at-a-time
oracle and against the single-process frontier explorer: same states in the same order, same
parents, actions, transitions, depth, first violations, whatever the number of partitions."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from shadowspec.model.engines import EngineOptions, explore_with
from shadowspec.model.fingerprint import path_states
from shadowspec.model.frontier import explore_frontier
from shadowspec.model.levels import InlineTransport, Limits, explore_partitioned
from shadowspec.model.parallel import ProcessTransport

from toy_space import oracle, toy

FACTORY = functools.partial(toy, 6, 3)


@pytest.fixture(scope="module")
def expected() -> dict:
    return oracle(FACTORY())


def _same_as_oracle(result, expected) -> None:
    assert result.complete and result.stop_reason == ""
    assert result.states.tolist() == expected["states"]
    assert result.parent.tolist() == expected["parent"]
    assert result.transitions == expected["transitions"]
    assert result.max_depth == expected["depth"]
    assert result.violations == expected["violations"]


@pytest.mark.parametrize("partitions", [1, 2, 3, 5])
def test_inline_partitions_explore_like_the_oracle(partitions: int, expected: dict) -> None:
    result = explore_partitioned(FACTORY, InlineTransport(FACTORY, partitions, None), Limits())
    _same_as_oracle(result, expected)


@pytest.mark.parametrize("workers", [2, 3])
def test_worker_processes_explore_like_the_oracle(workers: int, expected: dict) -> None:
    result = explore_with(FACTORY, EngineOptions(backend="processes", workers=workers))
    _same_as_oracle(result, expected)
    assert result.extra["engine"] == "processes" and result.extra["partitions"] == workers


def test_every_engine_agrees_with_the_frontier_explorer() -> None:
    space = FACTORY()
    single = explore_frontier(space)
    for options in (EngineOptions(), EngineOptions(backend="local", checkpoint=None, time_limit=1e9),
                    EngineOptions(workers=2)):
        result = explore_with(FACTORY, options)
        assert np.array_equal(result.states, single.states)
        assert np.array_equal(result.parent, single.parent)
        assert np.array_equal(result.action, single.action)
        assert result.depth_offsets == single.depth_offsets
        assert result.transitions == single.transitions
        assert result.violations == single.violations


def test_the_counterexample_is_a_shortest_path_of_real_steps(expected: dict) -> None:
    space = FACTORY()
    result = explore_with(FACTORY, EngineOptions(workers=2))
    index = result.violations["all-set"]
    states = path_states(space, result, index).tolist()
    assert len(states) == space.n + 1  # setting n switches one at a time is the shortest way
    for (before, after), step in zip(zip(states, states[1:]), result.path(index)[1:]):
        assert (int(result.action[step]), after) in space.successors_of(before)


@pytest.mark.parametrize("workers", [1, 2])
def test_bounds_cut_the_search_as_the_frontier_explorer_does(workers: int) -> None:
    space = FACTORY()
    for bounds in (dict(max_states=50), dict(max_depth=3)):
        single = explore_frontier(space, **bounds)
        transport = InlineTransport(FACTORY, workers, None)
        result = explore_partitioned(FACTORY, transport, Limits(**bounds))
        assert not result.complete and not single.complete
        assert result.stop_reason == single.stop_reason
        assert np.array_equal(result.states, single.states)
        assert result.violations == single.violations


def test_worker_errors_surface_with_their_traceback() -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ProcessTransport(functools.partial(divmod, 1, 0), 1, None)


def test_an_unpicklable_factory_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="picklable"):
        ProcessTransport(lambda: FACTORY(), 2, None)


@pytest.mark.parametrize("partitions", [1, 3])
def test_a_frontier_expanded_in_chunks_gives_the_same_result(monkeypatch, partitions: int, expected: dict) -> None:
    from shadowspec.model import partition

    monkeypatch.setattr(partition, "CHUNK", 5)
    _same_as_oracle(explore_partitioned(FACTORY, InlineTransport(FACTORY, partitions, None), Limits()), expected)
    compact = explore_partitioned(FACTORY, InlineTransport(FACTORY, partitions, 40), Limits(fingerprint_bits=40))
    assert compact.parent.tolist() == expected["parent"]


def test_worker_processes_start_with_the_malloc_settings_and_the_parent_keeps_its_own(monkeypatch) -> None:
    import os

    from shadowspec.model.malloc_tuning import MALLOC_ENVIRONMENT, malloc_environment

    monkeypatch.setenv("MALLOC_TOP_PAD_", "4096")
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with malloc_environment():
        assert all(os.environ[k] == v for k, v in MALLOC_ENVIRONMENT.items())
    assert os.environ["MALLOC_TOP_PAD_"] == "4096" and "MALLOC_TRIM_THRESHOLD_" not in os.environ


def test_progress_is_reported_after_every_level(expected: dict) -> None:
    seen = []
    explore_with(FACTORY, EngineOptions(workers=2), progress=seen.append)
    assert [p.depth for p in seen] == list(range(1, expected["depth"] + 2))  # the last level finds nothing
    assert [p.states for p in seen] == sorted(p.states for p in seen)
    assert seen[-1].states == len(expected["states"]) and seen[-1].queue == 0
    assert all(p.states_per_second > 0 for p in seen)
