"""Hash compaction: fingerprints only, a stated omission probability, counterexamples rebuilt."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from shadowspec.model.engines import EngineOptions, explore_with
from shadowspec.model.levels import InlineTransport, Limits, explore_partitioned
from shadowspec.model.fingerprint import (FingerprintStore, mix64, omission_probability, path_exploration,
                                          path_states)

from toy_space import oracle, toy

FACTORY = functools.partial(toy, 7, 3)


def test_mix64_is_a_bijection_on_a_sample() -> None:
    values = np.arange(100_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    assert len(np.unique(mix64(values))) == len(np.unique(values))


def test_the_store_uses_the_smallest_unsigned_type() -> None:
    assert FingerprintStore(16).keys.dtype == np.uint16
    assert FingerprintStore(20).keys.dtype == np.uint32
    assert FingerprintStore(33).keys.dtype == np.uint64
    with pytest.raises(ValueError):
        FingerprintStore(4)


def test_omission_probability_is_the_birthday_estimate() -> None:
    # 2**16 states in 32-bit fingerprints: n(n-1)/2**33 is just under 1/2
    n, b = 1 << 16, 32
    p = omission_probability(n, b, generated=10 * n)
    assert p["birthday"] == pytest.approx(1 - math.exp(-n * (n - 1) / 2 ** (b + 1)))
    assert 0.39 < p["birthday"] < 0.40
    assert p["tlc_optimistic"] == 1.0  # TLC's figure is a bound past 1 here: capped
    assert omission_probability(1000, 32, generated=10_000)["tlc_optimistic"] == pytest.approx(
        1000 * 9000 / 2 ** 32)
    assert p["expected_missed"] == pytest.approx(n * (n - 1) / 2 ** (b + 1))
    assert omission_probability(10 ** 9, 64) == {"birthday": 0.0, "tlc_optimistic": 0.0, "expected_missed": 0.0}
    assert omission_probability(10, 48)["birthday"] < 1e-12


@pytest.mark.parametrize("workers", [1, 2])
def test_wide_fingerprints_find_every_state_and_the_same_counterexample(workers: int) -> None:
    expected = oracle(FACTORY())
    options = EngineOptions(backend="local" if workers == 1 else "processes", workers=workers,
                            fingerprint_bits=40)
    result = explore_with(FACTORY, options)
    assert len(result.states) == 0  # only fingerprints are kept
    assert result.count == len(expected["states"])
    assert result.parent.tolist() == expected["parent"]
    assert result.transitions == expected["transitions"]
    assert result.violations == expected["violations"]
    index = result.violations["all-set"]
    rebuilt = path_states(FACTORY(), result, index).tolist()
    assert rebuilt == [expected["states"][i] for i in result.path(index)]
    hc = result.extra["hash_compaction"]
    assert hc["bits"] == 40 and 0 < hc["omission_probability"]["birthday"] < 1e-6


def test_narrow_fingerprints_collide_the_same_way_with_any_number_of_workers() -> None:
    exact = explore_with(FACTORY, EngineOptions())
    results = [explore_with(FACTORY, EngineOptions(backend=backend, workers=workers, fingerprint_bits=9))
               for backend, workers in (("local", 1), ("processes", 2))]
    results.append(explore_partitioned(FACTORY, InlineTransport(FACTORY, 3, 9), Limits(fingerprint_bits=9)))
    assert results[0].count < exact.count  # 384 states in 512 fingerprints: collisions
    assert results[0].extra["hash_compaction"]["omission_probability"]["birthday"] > 0.99
    for other in results[1:]:
        assert other.count == results[0].count
        assert np.array_equal(other.parent, results[0].parent)
        assert np.array_equal(other.extra["fingerprints"], results[0].extra["fingerprints"])


def test_fingerprints_take_fewer_bytes_per_state() -> None:
    exact = explore_with(FACTORY, EngineOptions(time_limit=1e9))
    compact = explore_with(FACTORY, EngineOptions(fingerprint_bits=32))
    assert compact.extra["bytes_per_state"] < exact.extra["bytes_per_state"]


def test_a_counterexample_reads_the_same_from_the_path_alone() -> None:
    exact = explore_with(FACTORY, EngineOptions())
    compact = explore_with(FACTORY, EngineOptions(fingerprint_bits=48))
    index = compact.violations["all-set"]
    alone, last = path_exploration(FACTORY(), compact, index)
    assert alone.path(last) == list(range(last + 1))
    assert alone.states.tolist() == exact.states[exact.path(index)].tolist()
    assert alone.action.tolist() == exact.action[exact.path(index)].tolist()
