"""Input that cannot be used: one clear message naming file and line, never a traceback."""

from __future__ import annotations

import json

import pytest

from shadowspec.conform.reader import MAX_LINE_BYTES

from .helpers import run

OK = json.dumps({"actor": "requester-1", "call": "CreateVssBackupComponents", "result": "S_OK"})


def line(**fields) -> str:
    return json.dumps({"actor": "requester-1", "call": "CreateVssBackupComponents", "result": "S_OK", **fields})


CASES = {
    "malformed-json": (OK + "\n{\"actor\": \"requester-1\",\n", 2, "malformed JSON"),
    "missing-field": (OK + "\n" + json.dumps({"actor": "requester-1", "call": "X"}) + "\n", 2,
                      "missing required field 'result'"),
    "wrong-type": (OK + "\n" + line(result=5) + "\n", 2, "field 'result' is 5; expected a string"),
    "args-not-object": (line(args=[1]) + "\n", 1, "field 'args' is [1]; expected an object"),
    "unknown-actor": (line(actor="writer-1") + "\n", 1, "actor 'writer-1' is not requester-N or node-N"),
    "not-an-object": ("[1, 2]\n", 1, "a line is one JSON object"),
    "bad-timestamp": (line(ts="yesterday") + "\n", 1, "ts 'yesterday' is not an ISO 8601 time"),
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
    "empty": ("\n\n", None, "empty log"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_kind_of_bad_input_is_named_with_file_and_line(tmp_path, name: str) -> None:
    text, number, fragment = CASES[name]
    path = tmp_path / f"{name}.jsonl"
    path.write_text(text, encoding="utf-8")
    report = run(path)
    assert report.verdict == "unreadable"
    where = f"{name}.jsonl:{number}: " if number else f"{name}.jsonl: "
    assert report.error.startswith(where), report.error
    assert fragment in report.error
    assert "\n" not in report.error and "Traceback" not in report.error


def test_binary_file(tmp_path) -> None:
    path = tmp_path / "core.jsonl"
    path.write_bytes(OK.encode() + b"\n\x7fELF\x00\x01\x02\n")
    assert run(path).error == "core.jsonl:2: binary data (NUL byte); expected UTF-8 JSON Lines"


def test_not_utf8(tmp_path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"actor": "requester-1", "call": "\xe9", "result": "S_OK"}\n')
    assert "latin.jsonl:1: not UTF-8" in run(path).error


def test_a_line_of_megabytes_is_refused_without_reading_it_whole(tmp_path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("w") as handle:
        handle.write(OK + "\n")
        handle.write('{"actor": "requester-1", "call": "' + "x" * (3 * MAX_LINE_BYTES) + '", "result": "S_OK"}\n')
    assert run(path).error == f"huge.jsonl:2: line longer than {MAX_LINE_BYTES:,} bytes; expected one JSON object per line"


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
