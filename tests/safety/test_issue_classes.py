"""Classes of issue 11 that had no test of their own: each crashing line in every output format of
``conform`` (the crash was often in writing the report, not in reading the line), a checker bug in
one log of a run, and the cost of relating volume names (aliases)."""

from __future__ import annotations

import contextlib
import io
import json
import time
import traceback
from pathlib import Path

import pytest

from shadowspec.cli import main
from shadowspec.conform import run as conform_run
from shadowspec.conform.checker import Options

CORPUS = Path(__file__).resolve().parents[1] / "conformance" / "corpus"
OK = {"actor": "requester-1", "call": "CreateVssBackupComponents", "result": "S_OK"}
CRASHED = {  # issue 11, "269 crashed with a traceback": one line each, after a good first line
    "integer-4301-digits": json.dumps(OK)[:-1] + ', "n": ' + "9" * 4301 + "}",
    "surrogate-in-call": json.dumps({**OK, "call": "IVssBackupComponents::X\ud800"}),
    "surrogate-in-result": json.dumps({**OK, "call": "IVssBackupComponents::SetContext", "result": "S_\udfff"}),
    "ts-beyond-float": json.dumps(OK)[:-1] + ', "ts": 1e999}',
    "actor-null": json.dumps({**OK, "actor": None}),
    "call-null": json.dumps({**OK, "call": None}),
    "result-null": json.dumps({**OK, "result": None}),
    "result-null-unknown-call": json.dumps({**OK, "call": "Nope::Unknown", "result": None}),
}


def _main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException:  # noqa: BLE001 - any escape is the failure
        pytest.fail(f"shadowspec {' '.join(argv)} raised:\n{traceback.format_exc()}")
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", sorted(CRASHED))
def test_each_crashing_line_is_an_input_finding_in_every_format(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes((json.dumps(OK) + "\n" + CRASHED[name] + "\n").encode("utf-8", "surrogatepass"))
    for fmt in ("text", "md", "json"):
        code, out, err = _main(["conform", "--format", fmt, str(path)])
        assert code == 2, (fmt, code, out, err)
        assert "Traceback" not in err and "internal error" not in out
        if fmt == "json":
            log = json.loads(out)["logs"][0]
            assert log["verdict"] != "unreadable" and log["malformed_lines"] == 1
            assert [f["line"] for f in log["findings"] if f["kind"] == "input"] == [2]
        out.encode("utf-8")  # whatever the log held, the report is valid UTF-8


def test_a_checker_bug_in_one_log_costs_no_other_log_its_verdict(monkeypatch, tmp_path: Path) -> None:
    good, bad = CORPUS / "good" / "no-writer-context.jsonl", CORPUS / "bad" / "call-after-release.jsonl"
    victim = tmp_path / "victim.jsonl"
    victim.write_bytes(good.read_bytes())
    alone = {str(p): r.as_dict() for p, r in zip((good, bad), conform_run.check_logs([str(good), str(bad)],
                                                                                      Options()))}
    real = conform_run.check

    def failing(path: str, *args, **kwargs):
        if path == str(victim):
            raise KeyError("a bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(conform_run, "check", failing)
    reports = conform_run.check_logs([str(good), str(victim), str(bad)], Options())
    assert reports[1].verdict == "unreadable" and "internal error" in reports[1].error
    assert "KeyError" in reports[1].error and "the other logs are unaffected" in reports[1].error
    assert reports[0].as_dict() == alone[str(good)] and reports[2].as_dict() == alone[str(bad)]


@pytest.mark.slow
def test_relating_volume_names_is_linear(tmp_path: Path) -> None:
    """9,000 new mount points each said to be the first one's volume: each union makes the newest
    name the root over the last, so the first name sits at the bottom of a chain that a walk
    without path compression would climb on every line (quadratic: about a minute here)."""
    lines = [json.dumps(OK)]
    for n in range(1, 9_001):
        lines.append(json.dumps({"actor": "requester-1", "call": "GetVolumeNameForVolumeMountPoint",
                                 "args": {"lpszVolumeMountPoint": f"C:\\m{n}\\"},
                                 "out": {"lpszVolumeName": "C:\\m0\\"}, "result": "TRUE"}))
    lines.append(json.dumps({"actor": "requester-1", "call": "IUnknown::Release", "result": "0"}))
    path = tmp_path / "aliases.jsonl"
    path.write_text("\n".join(lines) + "\n")
    started = time.process_time()  # CPU time: a loaded machine's waiting is not the checker's cost
    report = conform_run.check_logs([str(path)], Options())[0]
    assert time.process_time() - started < 15
    assert report.error is None, report.error
