"""``shadowspec check`` with the engine options: same verdicts and counts with any engine, hash
compaction states its probability, checkpoints resume to the same report, and options that do not
apply are refused in one line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_reports import cli_report, essentials

from shadowspec.cli import main

REFERENCE = ["check", "--spec", "reference", "--requesters", "2", "--volumes", "2", "--format", "json",
             "--no-timings"]


def _report(capsys, *extra: str, code: int = 0) -> dict:
    return cli_report(capsys, REFERENCE, *extra, code=code)


@pytest.fixture(scope="module")
def plain() -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(REFERENCE) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("options", [["--workers", "2"], ["--backend", "processes", "--workers", "3"],
                                     ["--fingerprint-bits", "64"], ["--workers", "2", "--fingerprint-bits", "48"]])
def test_every_engine_gives_the_same_report(capsys, plain: dict, options: list[str]) -> None:
    report = _report(capsys, *options)
    assert essentials(report) == plain
    assert report["exploration"]["engine"]["backend"] in ("local", "processes")


def test_hash_compaction_states_its_probability(capsys) -> None:
    report = _report(capsys, "--fingerprint-bits", "32")
    hc = report["exploration"]["hash_compaction"]
    assert hc["bits"] == 32 and 0 < hc["omission_probability"]["birthday"] < 1e-2
    assert main(REFERENCE[:-3] + ["--fingerprint-bits", "32"]) == 0
    assert "probability of a missed state" in capsys.readouterr().out


def test_a_checkpointed_run_resumes_to_the_same_report(tmp_path: Path, capsys, plain: dict) -> None:
    saved = str(tmp_path / "run.checkpoint")
    report = _report(capsys, "--checkpoint", saved, "--time-limit", "0", code=1)  # incomplete
    assert not report["exploration"]["complete"]
    assert report["exploration"]["stop_reason"].startswith("time limit reached; checkpoint saved")
    assert not report["passed"] and all(p["verdict"] != "holds" for p in report["properties"])
    for _ in range(100):  # one level per run
        code = main(REFERENCE + ["--resume", saved, "--checkpoint", saved, "--time-limit", "0"])
        report = json.loads(capsys.readouterr().out)
        if code == 0:
            break
    assert essentials(report) == plain


@pytest.mark.parametrize("args,fragment", [
    (["check", "--config", "default", "--workers", "0"], "--workers 0: expected at least 1"),
    (REFERENCE + ["--backend", "local", "--workers", "2"], "--workers 2: the local backend is one process"),
    (REFERENCE + ["--fingerprint-bits", "4"], "--fingerprint-bits 4: expected 8..64"),
    (REFERENCE + ["--ray-address", "auto"], "--ray-address: only with --backend ray"),
    (REFERENCE + ["--workers", "0"], "--workers 0: expected at least 1"),
    (REFERENCE + ["--resume", "/nonexistent/run.checkpoint"], "--resume /nonexistent/run.checkpoint: no such"),
    (REFERENCE + ["--checkpoint", "/nonexistent/dir/x"], "--checkpoint /nonexistent/dir/x: folder"),
])
def test_options_that_do_not_apply_are_one_line_errors(capsys, args: list[str], fragment: str) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_the_command_line_offers_every_backend() -> None:
    from shadowspec.engine_options import BACKENDS as OFFERED
    from shadowspec.model.engines import BACKENDS

    assert OFFERED == BACKENDS
