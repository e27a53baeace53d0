"""Checkpoints: Ctrl-C or a time limit saves the exploration between levels; resuming, with any
backend and number of workers, ends in the result of an uninterrupted run."""

from __future__ import annotations

import functools
import os
import signal

import numpy as np
import pytest

from shadowspec.model.config import ConfigError
from shadowspec.model.engines import EngineOptions, explore_with

from toy_space import observe, toy

FACTORY = functools.partial(toy, 6, 4)


def _interrupt_at(depth: int):
    def progress(p) -> None:
        if p.depth == depth:
            os.kill(os.getpid(), signal.SIGINT)
    return progress


def _same(a, b) -> None:
    assert a.complete and b.complete
    assert np.array_equal(a.states, b.states)
    assert np.array_equal(a.parent, b.parent)
    assert np.array_equal(a.action, b.action)
    assert a.depth_offsets == b.depth_offsets
    assert a.transitions == b.transitions
    assert a.violations == b.violations


@pytest.mark.parametrize("bits", [None, 48])
def test_ctrl_c_saves_and_resume_reaches_the_uninterrupted_result(tmp_path, bits) -> None:
    full = explore_with(FACTORY, EngineOptions(fingerprint_bits=bits, time_limit=1e9), observer=observe)
    path = tmp_path / "run.checkpoint"
    first = explore_with(FACTORY, EngineOptions(fingerprint_bits=bits, checkpoint=str(path)),
                         progress=_interrupt_at(3), observer=observe)
    assert not first.complete and first.stop_reason.startswith("interrupted; checkpoint saved")
    assert first.max_depth == 3 and first.count < full.count
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.checkpoint"]  # no temporary left
    resumed = explore_with(FACTORY, EngineOptions(workers=2, fingerprint_bits=bits, resume=str(path)),
                           observer=observe)
    _same(resumed, full)
    assert resumed.extra["observed"] == full.extra["observed"]
    if bits:
        assert np.array_equal(resumed.extra["fingerprints"], full.extra["fingerprints"])


def test_a_time_limit_stops_after_a_level_and_resumes_to_the_same_result(tmp_path) -> None:
    full = explore_with(FACTORY, EngineOptions())
    path = tmp_path / "slow.checkpoint"
    runs = 0
    result = explore_with(FACTORY, EngineOptions(checkpoint=str(path), time_limit=0))
    while not result.complete:
        assert result.stop_reason == "time limit reached; checkpoint saved (continue with --resume)"
        runs += 1
        result = explore_with(FACTORY, EngineOptions(checkpoint=str(path), resume=str(path), time_limit=0))
    assert runs == full.max_depth  # one level per run
    _same(result, full)


def test_a_time_limit_without_a_checkpoint_is_an_incomplete_search() -> None:
    result = explore_with(FACTORY, EngineOptions(time_limit=0))
    assert not result.complete and result.stop_reason == "time limit reached"
    assert result.max_depth == 1


def test_a_checkpoint_of_another_space_or_mode_is_refused(tmp_path) -> None:
    path = tmp_path / "c"
    explore_with(FACTORY, EngineOptions(checkpoint=str(path), time_limit=0))
    with pytest.raises(ConfigError, match="saved for"):
        explore_with(functools.partial(toy, 5, 4), EngineOptions(resume=str(path)))
    with pytest.raises(ConfigError, match="saved for"):
        explore_with(FACTORY, EngineOptions(resume=str(path), fingerprint_bits=32))
    (tmp_path / "junk").write_text("not a checkpoint")
    with pytest.raises(ConfigError, match="not a readable checkpoint"):
        explore_with(FACTORY, EngineOptions(resume=str(tmp_path / "junk")))
    with pytest.raises(ConfigError, match="not a readable checkpoint"):
        explore_with(FACTORY, EngineOptions(resume=str(tmp_path / "missing")))


def test_a_second_ctrl_c_interrupts_at_once() -> None:
    from shadowspec.model.checkpoint import Interrupt

    with Interrupt() as interrupt:
        os.kill(os.getpid(), signal.SIGINT)
        assert interrupt.requested
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_without_a_checkpoint_ctrl_c_is_not_swallowed() -> None:
    with pytest.raises(KeyboardInterrupt):
        explore_with(FACTORY, EngineOptions(time_limit=1e9), progress=_interrupt_at(2))
