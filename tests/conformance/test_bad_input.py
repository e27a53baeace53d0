"""Input that cannot be used: one clear message naming file and line, never a traceback."""

from __future__ import annotations

import json

import pytest

from shadowspec.conform.reader import MAX_LINE_BYTES

from .helpers import CORPUS, run

OK = json.dumps({"actor": "requester-1", "call": "CreateVssBackupComponents", "result": "S_OK"})


def line(**fields) -> str:
    return json.dumps({"actor": "requester-1", "call": "CreateVssBackupComponents", "result": "S_OK", **fields})


CASES = {
    "malformed-json": (OK + "\n{\"actor\": \"requester-1\",\n", 2, "malformed JSON"),
    "missing-field": (OK + "\n" + json.dumps({"actor": "requester-1", "call": "X"}) + "\n", 2,
                      "missing required field 'result'"),
    "wrong-type": (OK + "\n" + line(result=5) + "\n", 2, "field 'result' is 5; expected a return code name"),
    "args-not-object": (line(args=[1]) + "\n", 1, "field 'args' is [1]; expected an object"),
    "unknown-actor": (line(actor="writer-1") + "\n", 1, "field 'actor' is 'writer-1'; expected requester-N or node-N"),
    "actor-newline": (line(actor="requester-1\n") + "\n", 1, "field 'actor' is 'requester-1\\n'"),
    "actor-null": (line(actor=None) + "\n", 1, "field 'actor' is None"),
    "call-null": (line(call=None) + "\n", 1, "field 'call' is None"),
    "result-null": (line(call="Nope::Unknown", result=None) + "\n", 1, "field 'result' is None"),
    "not-an-object": ("[1, 2]\n", 1, "a line is one JSON object"),
    "bad-timestamp": (line(ts="yesterday") + "\n", 1, "ts 'yesterday' is not an ISO 8601 time"),
    "nan-timestamp": (OK + "\n" + OK[:-1] + ', "ts": NaN}\n', 2, "NaN is not JSON"),
    "infinite-timestamp": (OK + "\n" + OK[:-1] + ', "ts": 1e999}\n', 2, "beyond the range of a double"),
    "huge-timestamp": (OK + "\n" + OK[:-1] + ', "ts": ' + "9" * 30 + "}\n", 2, "is out of range"),
    "huge-integer": (OK + "\n" + OK[:-1] + ', "n": ' + "9" * 4301 + "}\n", 2, "an integer of 4,301 digits"),
    "lone-surrogate": (OK + "\n" + line(call="IVssBackupComponents::X\\ud800").replace("\\\\ud800", "\\ud800")
                       + "\n", 2, "lone surrogate"),
    "meta-late": (OK + "\n" + json.dumps({"meta": {"os": "2012"}}) + "\n", 2, "meta line may only be the first"),
    "meta-os": (json.dumps({"meta": {"os": "nt4"}}) + "\n" + OK + "\n", 1, "expected one of 2008r2, 2012"),
    "volume-missing": (OK + "\n" + line(call="IVssBackupComponents::AddToSnapshotSet") + "\n", 2,
                       "args.pwszVolumeName is None"),
    "async-operation": (OK + "\n" + line(call="IVssAsync::Wait", args={"operation": "Nope"}) + "\n", 2,
                        "args.operation is 'Nope'"),
    "cluster-call-by-requester": (line(call="ClusterClearBackupStateForSharedVolume",
                                       args={"lpszVolumePathName": "C:\\"}) + "\n", 1, "its actor is node-N"),
    "delay-not-a-number": (json.dumps({"actor": "node-1", "call": "ClusterResourceControl", "args": {
        "control": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE", "BackupState": "VolumeBackupNone",
        "DelayTimerInSecs": "0", "VolumeName": "v"}, "result": "ERROR_SUCCESS"}) + "\n", 1,
        "args.DelayTimerInSecs is '0'"),
}


def _input_findings(report) -> list:
    return [f for f in report.findings if f.kind == "input"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_line_is_an_input_finding_and_the_rest_is_checked(tmp_path, name: str) -> None:
    """Each kind of bad line is one ``input`` finding naming its line and field; the log is still
    checked (not "unreadable"), never conforms, and a run of it exits 2."""
    text, number, fragment = CASES[name]
    path = tmp_path / f"{name}.jsonl"
    path.write_text(text, encoding="utf-8")
    report = run(path)
    assert report.error is None and report.verdict != "conforms"
    found = _input_findings(report)
    assert [f.line for f in found] == [number], [f.as_dict() for f in report.findings]
    assert fragment in found[0].message, found[0].message
    assert "\n" not in found[0].message and "Traceback" not in found[0].message
    assert report.malformed == 1


def test_the_other_lines_are_checked_as_if_the_bad_one_were_absent(tmp_path) -> None:
    """A corpus log with a malformed line inserted gives the findings of the log without it, plus
    the input finding (line numbers shift by one after the inserted line)."""
    source = CORPUS / "bad" / "prepare-before-set-backup-state.jsonl"
    lines = source.read_text().splitlines()
    clean = run(source)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], '{"actor": null}', *lines[1:]]) + "\n")
    report = run(broken)
    assert [f.line for f in _input_findings(report)] == [2]
    shifted = [(f.line - (f.line > 1), f.kind, f.rules, f.message) for f in report.findings if f.kind != "input"]
    assert shifted == [(f.line, f.kind, f.rules, f.message) for f in clean.findings]
    assert clean.errors and report.errors == clean.errors + 1


def test_backwards_timestamps_are_findings_and_the_call_is_still_checked(tmp_path) -> None:
    path = tmp_path / "back.jsonl"
    path.write_text(line(ts=100) + "\n" + line(call="IVssBackupComponents::InitializeForBackup", ts=50) + "\n")
    report = run(path)
    found = _input_findings(report)
    assert [f.line for f in found] == [2] and "ts goes backwards" in found[0].message
    assert report.calls == 2


def test_a_zoneless_time_is_utc_under_any_tz(tmp_path, monkeypatch) -> None:
    import time as clock

    from shadowspec.conform.reader import timestamp
    for zone in ("UTC", "America/New_York", "Asia/Kolkata"):
        monkeypatch.setenv("TZ", zone)
        clock.tzset()
        assert timestamp("1970-01-02T00:00:00") == 86400.0
        assert timestamp("1970-01-02T00:00:00+01:00") == 82800.0
    monkeypatch.delenv("TZ")
    clock.tzset()


def test_an_empty_log_is_unreadable(tmp_path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n")
    assert run(path).error == "empty.jsonl: empty log; expected one JSON object per line"


def test_binary_file(tmp_path) -> None:
    path = tmp_path / "core.jsonl"
    path.write_bytes(OK.encode() + b"\n\x7fELF\x00\x01\x02\n")
    found = _input_findings(run(path))
    assert [(f.line, f.message) for f in found] == [(2, "binary data (NUL byte); expected UTF-8 JSON Lines")]


def test_not_utf8(tmp_path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"actor": "requester-1", "call": "\xe9", "result": "S_OK"}\n')
    assert "not UTF-8" in _input_findings(run(path))[0].message


def test_a_line_of_megabytes_is_refused_without_reading_it_whole(tmp_path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("w") as handle:
        handle.write(OK + "\n")
        handle.write('{"actor": "requester-1", "call": "' + "x" * (3 * MAX_LINE_BYTES) + '", "result": "S_OK"}\n')
        handle.write(line(call="IVssBackupComponents::InitializeForBackup") + "\n")
    report = run(path)
    assert [(f.line, f.message) for f in _input_findings(report)] == [
        (2, f"line longer than {MAX_LINE_BYTES:,} bytes; expected one JSON object per line")]
    assert report.calls == 2   # the line after the long one is read as line 3 and checked


def test_unreadable_paths(tmp_path) -> None:
    assert "cannot read" in run(tmp_path / "missing.jsonl").error
    assert "cannot read" in run(tmp_path).error


def test_a_log_beyond_the_bounds_of_the_model(tmp_path) -> None:
    calls = [json.dumps({"actor": "node-1", "call": "ClusterResourceControl", "args": {
        "control": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE", "BackupState": "VolumeBackupNone",
        "DelayTimerInSecs": 0, "VolumeName": f"Cluster Disk {n}"}, "result": "ERROR_SUCCESS"}) for n in range(5)]
    path = tmp_path / "wide.jsonl"
    path.write_text("\n".join(calls) + "\n")
    assert run(path).error == "wide.jsonl: uses 5 volumes; the specification is checked with at most 4"


def test_a_log_on_a_pipe_is_read_once_and_checked(tmp_path) -> None:
    """The checker reads a log twice; a FIFO is copied once to a temporary file first."""
    import os
    import threading

    from shadowspec.conform.checker import Options, Oracles
    from shadowspec.conform.run import check_one

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    source = (CORPUS / "good" / "csv-backup-2008r2.jsonl").read_bytes()
    writer = threading.Thread(target=fifo.write_bytes, args=(source,))
    writer.start()
    report = check_one(str(fifo), "pipe.jsonl", Options(), Oracles(20_000))
    writer.join()
    assert report.error is None and report.verdict == "conforms"
    assert report.calls == run(CORPUS / "good" / "csv-backup-2008r2.jsonl").calls


def test_counting_live_requesters_is_linear(tmp_path) -> None:
    """20,000 requesters alive at once: refused for the model's bound, quickly (it was 25 s)."""
    import time

    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"actor": f"requester-{n}", "call": "CreateVssBackupComponents",
                                        "args": {"node": 1}, "result": "S_OK"}) + "\n" for n in range(1, 20_001)))
    started = time.process_time()  # CPU time: a loaded machine's waiting is not the checker's cost
    report = run(path)
    assert time.process_time() - started < 15
    assert report.error == "many.jsonl: uses 20000 requesters live at once; the specification is checked with at most 4"
