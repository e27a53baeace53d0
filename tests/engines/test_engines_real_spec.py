"""The engine options on the real specification (small configurations): processes, Ray, hash
compaction, checkpoint and resume, time limit. Same counts and the same report as one process;
what cannot be decided is never reported as holding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_reports import cli_report, essentials

from shadowspec.cli import main

CHECK = ["check", "--config", "cluster-2008r2", "--format", "json", "--no-timings"]


def _report(capsys, *extra: str, code: int = 0) -> dict:
    return cli_report(capsys, CHECK, *extra, code=code)


@pytest.fixture(scope="module")
def plain() -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(CHECK) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("options", [["--workers", "2"], ["--backend", "processes", "--workers", "3"],
                                     ["--backend", "local", "--time-limit", "1000"]])
def test_every_engine_gives_the_same_report(capsys, plain: dict, options: list[str]) -> None:
    report = _report(capsys, *options)
    assert essentials(report) == plain
    assert "engine" in report["exploration"]


@pytest.mark.slow
def test_ray_gives_the_same_report(capsys, plain: dict) -> None:
    report = _report(capsys, "--backend", "ray", "--workers", "2")
    assert essentials(report) == plain
    assert report["exploration"]["engine"]["backend"] == "ray"


def test_hash_compaction_counts_but_decides_nothing_it_cannot(capsys, plain: dict) -> None:
    report = _report(capsys, "--fingerprint-bits", "48", code=1)
    assert report["exploration"]["states"] == plain["exploration"]["states"]
    assert report["exploration"]["transitions"] == plain["exploration"]["transitions"]
    assert report["exploration"]["hash_compaction"]["bits"] == 48
    assert all(p["verdict"] in ("not exercised", "no violation within bound") for p in report["properties"])
    assert not report["passed"]


def test_a_checkpointed_run_resumes_to_the_same_report(tmp_path: Path, capsys, plain: dict) -> None:
    saved = str(tmp_path / "run.checkpoint")
    report = _report(capsys, "--checkpoint", saved, "--time-limit", "0", code=1)
    assert not report["exploration"]["complete"]
    assert not report["passed"] and all(p["verdict"] != "holds" for p in report["properties"])
    for _ in range(100):  # one level per run
        code = main(CHECK + ["--resume", saved, "--checkpoint", saved, "--time-limit", "0"])
        report = json.loads(capsys.readouterr().out)
        if code == 0:
            break
    assert essentials(report) == plain
