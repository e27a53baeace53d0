"""Checkpoints are data: a crafted pickle is refused without running it, an edited or truncated
file is refused in one line, and an interrupted write leaves nothing behind."""

from __future__ import annotations

import functools
import io
import json
import os
import pickle
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from shadowspec.model import checkpoint
from shadowspec.model.config import ConfigError
from shadowspec.model.engines import EngineOptions, explore_with

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engines"))
from toy_space import observe, toy  # noqa: E402

FACTORY = functools.partial(toy, 6, 4)


@pytest.fixture()
def saved(tmp_path) -> Path:
    path = tmp_path / "run.checkpoint"
    result = explore_with(FACTORY, EngineOptions(checkpoint=str(path), time_limit=0), observer=observe)
    assert not result.complete and path.exists()
    return path


def _resume(path: Path):
    return explore_with(FACTORY, EngineOptions(resume=str(path)), observer=observe)


class _Exploit:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_crafted_pickle_is_refused_and_never_run(tmp_path) -> None:
    marker = tmp_path / "ran"
    raw = tmp_path / "raw.checkpoint"
    raw.write_bytes(pickle.dumps(_Exploit(str(marker))))
    with pytest.raises(ConfigError, match="not a readable checkpoint"):
        _resume(raw)
    # the version-1 layout: a pickled member inside the archive
    archive = tmp_path / "member.checkpoint"
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.array(json.dumps({"format": 1})),
             observed=np.frombuffer(pickle.dumps(_Exploit(str(marker))), dtype=np.uint8))
    archive.write_bytes(buffer.getvalue())
    with pytest.raises(ConfigError, match="format"):
        _resume(archive)
    assert not marker.exists()


def _rewrite(path: Path, change) -> None:
    with np.load(path, allow_pickle=False) as data:
        members = {name: data[name] for name in data.files}
    change(members)
    with path.open("wb") as stream:
        np.savez(stream, **members)


def test_edited_metadata_is_refused_by_the_checksum(saved) -> None:
    def more_transitions(members):
        meta = json.loads(str(members["meta"]))
        meta["transitions"] += 1
        members["meta"] = np.array(json.dumps(meta, sort_keys=True))
    _rewrite(saved, more_transitions)
    with pytest.raises(ConfigError, match="checksum mismatch"):
        _resume(saved)


def test_a_truncated_frontier_is_refused(saved) -> None:
    _rewrite(saved, lambda members: members.update(frontier=members["frontier"][:-1]))
    with pytest.raises(ConfigError, match="checksum mismatch"):
        _resume(saved)


def test_a_consistent_edit_with_a_recomputed_checksum_is_still_checked(saved) -> None:
    """Someone who recomputes the checksum still cannot make the arrays disagree."""
    def cut(members):
        members["frontier"] = members["frontier"][:-1]
        arrays = {k: v for k, v in members.items() if k not in ("meta", "checksum")}
        members["checksum"] = np.array(checkpoint.checksum(str(members["meta"]), arrays))
    _rewrite(saved, cut)
    with pytest.raises(ConfigError, match="inconsistent checkpoint"):
        _resume(saved)


def test_another_configuration_is_refused_by_its_fingerprint(saved) -> None:
    with pytest.raises(ConfigError, match="saved for"):
        explore_with(functools.partial(toy, 5, 4), EngineOptions(resume=str(saved)))


def test_a_truncated_file_is_one_line_not_a_traceback(saved) -> None:
    data = saved.read_bytes()
    for size in (0, 10, len(data) // 2, len(data) - 3):
        saved.write_bytes(data[:size])
        with pytest.raises(ConfigError, match="--resume .*: (not a readable checkpoint|checksum)"):
            _resume(saved)


def test_an_interrupted_write_leaves_nothing(tmp_path, monkeypatch) -> None:
    path = tmp_path / "run.checkpoint"
    real = np.savez

    def interrupted(stream, **members):
        stream.write(b"PK\x03\x04 half an archive")
        raise KeyboardInterrupt
    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        explore_with(FACTORY, EngineOptions(checkpoint=str(path), time_limit=0))
    monkeypatch.setattr(np, "savez", real)
    assert list(tmp_path.iterdir()) == []


def test_a_partial_file_of_a_killed_run_is_removed_by_the_next_save(tmp_path) -> None:
    path = tmp_path / "run.checkpoint"
    stale = tmp_path / f".run.checkpoint.abc123{checkpoint.PARTIAL}"
    stale.write_bytes(b"PK half")
    explore_with(FACTORY, EngineOptions(checkpoint=str(path), time_limit=0))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.checkpoint"]
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist())[:3] == ["action.npy", "checksum.npy", "frontier.npy"]
        assert not any(name.endswith(".pkl") for name in archive.namelist())


def test_resume_from_a_verified_checkpoint_gives_the_uninterrupted_result(saved) -> None:
    full = explore_with(FACTORY, EngineOptions(time_limit=1e9), observer=observe)
    result = _resume(saved)
    while not result.complete:
        result = explore_with(FACTORY, EngineOptions(checkpoint=str(saved), resume=str(saved), time_limit=0),
                              observer=observe)
    assert result.count == full.count and result.transitions == full.transitions
    assert os.path.exists(saved)
