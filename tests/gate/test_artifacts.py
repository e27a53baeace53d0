"""The committed artifacts (reports/baseline.json, reports/generated/) are what the current
specification generates: regenerated into a temporary folder, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shadowspec import regenerate
from shadowspec.checks.baseline import compare
from shadowspec.model.config import shipped

pytestmark = pytest.mark.slow  # exhaustive: run by `pytest -m slow` (and .ci/run)

REPO = Path(__file__).resolve().parents[2]
HOW = "run `python -m shadowspec.regenerate` from the repository root and commit the result"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_artifacts_are_not_stale(tmp_path: Path, shipped_measured) -> None:
    (tmp_path / "reports").mkdir()
    shutil.copy(REPO / "reports" / "baseline.json", tmp_path / "reports" / "baseline.json")
    measured = {name: shipped_measured(name) for name in shipped()}
    written = regenerate.write(tmp_path, measured)
    fresh, committed = _tree(tmp_path / "reports" / "generated"), _tree(REPO / "reports" / "generated")
    assert sorted(fresh) == sorted(committed), f"files differ; {HOW}"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"stale: {stale[:5]}; {HOW}"
    assert (tmp_path / "reports" / "baseline.json").read_bytes() == \
        (REPO / "reports" / "baseline.json").read_bytes(), f"reports/baseline.json is stale; {HOW}"
    assert len(written) == len(fresh) + 1


def test_the_gate_passes_on_the_committed_baseline(shipped_measured) -> None:
    import json

    from shadowspec.checks.measure import baseline_entry

    recorded = json.loads((REPO / "reports" / "baseline.json").read_text(encoding="utf-8"))
    current = {name: baseline_entry(shipped_measured(name)) for name in shipped()}
    assert compare(recorded, current) == []


def test_regenerate_refuses_a_folder_that_is_not_the_repository(tmp_path: Path, capsys) -> None:
    assert regenerate.main(["--root", str(tmp_path)]) == 2
    assert "not the repository root" in capsys.readouterr().err
