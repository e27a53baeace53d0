"""The Ray backend on a local Ray cluster of several processes (a head node and a second node,
each a raylet with its own workers): same counts, order, verdicts as the single-process run."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from shadowspec.model.engines import EngineOptions, explore_with
from shadowspec.model.frontier import explore_frontier

from toy_space import observe, toy

import ray  # in the test extra, so CI runs these tests (never skipped)
from ray.cluster_utils import Cluster

pytestmark = pytest.mark.slow  # exhaustive: run by `pytest -m slow` (and .ci/run)

FACTORY = functools.partial(toy, 6, 3)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    cluster.add_node(num_cpus=2)
    cluster.wait_for_nodes()
    # the actors import the toy space from this folder, as a real cluster imports an installed spec
    ray.init(address=cluster.address, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(Path(__file__).parent)}})
    yield cluster
    ray.shutdown()
    cluster.shutdown()


def test_the_cluster_has_two_nodes(cluster) -> None:
    assert len([n for n in ray.nodes() if n["Alive"]]) == 2


@pytest.mark.parametrize("workers,bits", [(3, None), (2, 40)])
def test_ray_actors_explore_like_one_process(cluster, workers: int, bits: int | None) -> None:
    single = explore_frontier(FACTORY())
    result = explore_with(FACTORY, EngineOptions(backend="ray", workers=workers, fingerprint_bits=bits),
                          observer=observe)
    assert result.extra["engine"] == "ray" and result.extra["partitions"] == workers
    assert result.complete
    assert result.count == single.count
    assert np.array_equal(result.parent, single.parent)
    assert np.array_equal(result.action, single.action)
    assert result.depth_offsets == single.depth_offsets
    assert result.transitions == single.transitions
    assert result.violations == single.violations
    if bits is None:
        assert np.array_equal(result.states, single.states)
    assert result.extra["observed"]["seen"] == single.count


def test_ray_reproduces_the_reference_counts(cluster) -> None:
    from shadowspec.examples.reference import reference_space

    factory = functools.partial(reference_space, 2, 3)
    single = explore_frontier(factory())
    result = explore_with(factory, EngineOptions(backend="ray", workers=3))
    assert (result.count, result.transitions + 1) == (23_058, 254_878)  # ../shared/bench/README.md
    assert np.array_equal(result.states, single.states)
    assert np.array_equal(result.parent, single.parent)
    assert result.violations == single.violations
    assert len(result.path(result.violations["REF-C"])) == 10


def test_a_checkpoint_of_worker_processes_resumes_on_ray(cluster, tmp_path) -> None:
    full = explore_frontier(FACTORY())
    saved = str(tmp_path / "run.checkpoint")
    first = explore_with(FACTORY, EngineOptions(workers=2, checkpoint=saved, time_limit=0))
    assert not first.complete and first.max_depth == 1
    resumed = explore_with(FACTORY, EngineOptions(backend="ray", workers=3, resume=saved))
    assert resumed.complete
    assert np.array_equal(resumed.states, full.states)
    assert np.array_equal(resumed.parent, full.parent)
    assert resumed.transitions == full.transitions and resumed.violations == full.violations


def test_an_address_joins_an_existing_cluster_and_leaves_it_running(cluster) -> None:
    from shadowspec.examples.reference import reference_space

    factory = functools.partial(reference_space, 1, 2)  # installed: importable on every node
    ray.shutdown()  # as a fresh `shadowspec check --backend ray --ray-address ADDRESS` would start
    try:
        result = explore_with(factory, EngineOptions(backend="ray", workers=2, ray_address=cluster.address))
        assert result.complete and (result.count, result.transitions + 1) == (64, 274)
        assert ray.is_initialized()  # joined, not started here: not shut down
        assert len([n for n in ray.nodes() if n["Alive"]]) == 2
    finally:
        ray.shutdown()
        ray.init(address=cluster.address, log_to_driver=False,
                 runtime_env={"env_vars": {"PYTHONPATH": str(Path(__file__).parent)}})
