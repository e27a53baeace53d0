"""Property-based tests: the checker never crashes, and one log's verdict is its own."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

from shadowspec.conform.checker import Options, check
from shadowspec.conform.report import VERDICTS, Report
from shadowspec.conform.vocabulary import KNOWN_NAMES

from .helpers import CORPUS, ORACLES

ACTORS = ["requester-1", "requester-2", "node-1", "node-2", "requester-0", "writer-1", 7]
RESULTS = ["S_OK", "VSS_E_BAD_STATE", "ERROR_SUCCESS", "ERROR_INVALID_PARAMETER", "0", "1", "E_OUTOFMEMORY",
           "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "UNDEFINED", 3]
VOLUMES = ["C:\\ClusterStorage\\Volume1\\", "Cluster Disk 2", "\\\\?\\Volume{1}\\", "D:\\"]
ODD = st.sampled_from([[1], {"a": 1}, None, 1.5])
ARGS = st.fixed_dictionaries({}, optional={
    "lContext": st.one_of(st.sampled_from(["VSS_CTX_BACKUP", "VSS_CTX_FILE_SHARE_BACKUP"]), ODD),
    "pwszVolumeName": st.one_of(st.sampled_from(VOLUMES), ODD), "VolumeName": st.sampled_from(VOLUMES),
    "lpszFileName": st.sampled_from(VOLUMES), "lpszVolumePathName": st.sampled_from(VOLUMES),
    "control": st.one_of(ODD, st.sampled_from(["CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE",
                                "CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO", "CLUSCTL_RESOURCE_GET_ID", "X"])),
    "BackupState": st.sampled_from(["VolumeBackupInProgress", "VolumeBackupNone", "Other"]),
    "DelayTimerInSecs": st.one_of(st.sampled_from([0, 1, 300, -1, "0"]), ODD),
    "operation": st.one_of(ODD, st.sampled_from(["IVssBackupComponents::PrepareForBackup",
                                                 "IVssBackupComponents::DoSnapshotSet", "nope"])),
    "dwMilliseconds": st.sampled_from([0, "INFINITE"]),
    "bSelectComponents": st.sampled_from([True, False, "yes"]),
    "node": st.one_of(ODD, st.sampled_from([1, 2, "node-2", "x"])),
    "InMaintenance": st.one_of(ODD, st.booleans()),
    "interface": st.sampled_from(["IVssBackupComponents", "IVssAsync"]),
})
ENTRY = st.fixed_dictionaries(
    {"actor": st.sampled_from(ACTORS),
     "call": st.sampled_from(list(KNOWN_NAMES) + ["ClusterResourceControl", "Bogus::Call", "PrepareForBakup"]),
     "result": st.sampled_from(RESULTS)},
    optional={"args": ARGS, "status": st.sampled_from(["VSS_S_ASYNC_FINISHED", "VSS_S_ASYNC_PENDING", "VSS_E_X"]),
              "ts": st.one_of(st.integers(0, 4000), st.just("2026-01-01T00:00:00Z"), st.just("soon"))})
LINE = st.one_of(ENTRY.map(json.dumps), ENTRY.map(json.dumps), ENTRY.map(json.dumps),
                 st.just(""), st.just("{"), st.just("[]"), st.just(json.dumps({"meta": {"os": "2012"}})),
                 st.text(max_size=20))
LOG = st.lists(LINE, max_size=25)


def _write(lines: list[str], folder: str, name: str) -> str:
    path = Path(folder) / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    return str(path)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LOG)
def test_never_crashes(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = _write(lines, folder, "fuzz.jsonl")
        except UnicodeEncodeError:
            return
        report = check(path, "fuzz.jsonl", Options(), ORACLES)
    assert report.verdict in VERDICTS
    if report.error:
        assert report.error.startswith("fuzz.jsonl") and "\n" not in report.error
    Report([report], {}).as_dict()


VALID = sorted((CORPUS / "good").glob("*.jsonl")) + sorted((CORPUS / "bad").glob("*.jsonl"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VALID), LOG.filter(lambda lines: "{" in lines or "[]" in lines))
def test_a_valid_logs_verdict_ignores_a_malformed_neighbour(valid: Path, broken: list[str]) -> None:
    alone = check(str(valid), valid.name, Options(), ORACLES).as_dict()
    with tempfile.TemporaryDirectory() as folder:
        try:
            other = _write(broken, folder, "broken.jsonl")
        except UnicodeEncodeError:
            return
        together = Report([check(other, "broken.jsonl", Options(), ORACLES),
                           check(str(valid), valid.name, Options(), ORACLES)], {}).as_dict()
    assert together["logs"][0]["verdict"] in ("unreadable", "violates", "conforms", "incomplete")
    assert together["logs"][1] == alone


MODELLED = ["CreateVssBackupComponents", "IUnknown::Release", "ClusterResourceControl",
            "ClusterPrepareSharedVolumeForBackup", "ClusterClearBackupStateForSharedVolume",
            "IVssAsync::Wait", "IVssAsync::QueryStatus", "IVssAsync::Cancel"] + [
    f"IVssBackupComponents::{m}" for m in ("InitializeForBackup", "SetContext", "SetBackupState",
                                           "GatherWriterMetadata", "AddComponent", "StartSnapshotSet",
                                           "AddToSnapshotSet", "PrepareForBackup", "DoSnapshotSet",
                                           "BackupComplete", "AbortBackup", "GatherWriterStatus",
                                           "FreeWriterMetadata", "SetBackupSucceeded", "DeleteSnapshots")]
WELL_FORMED = st.builds(
    lambda n, call, result, volume, state, delay, op, ts: {
        "actor": f"{'node' if call.startswith('Cluster') else 'requester'}-{n}", "call": call,
        "result": result, "ts": ts,
        "args": {"pwszVolumeName": volume, "VolumeName": volume, "lpszFileName": volume,
                 "lpszVolumePathName": volume, "control": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE",
                 "BackupState": state, "DelayTimerInSecs": delay, "operation": op}},
    st.integers(1, 2), st.sampled_from(MODELLED), st.sampled_from([r for r in RESULTS if isinstance(r, str)]),
    st.sampled_from(VOLUMES), st.sampled_from(["VolumeBackupInProgress", "VolumeBackupNone"]),
    st.sampled_from([0, 60, 300]),
    st.sampled_from(["IVssBackupComponents::PrepareForBackup", "IVssBackupComponents::GatherWriterMetadata"]),
    st.integers(0, 5000))


@pytest.mark.slow  # 80 generated logs of up to 30 calls: run by `pytest -m slow` (and .ci/run)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WELL_FORMED, min_size=1, max_size=30))
def test_well_formed_logs_always_get_a_verdict(entries: list[dict]) -> None:
    """Readable logs of modelled calls in any order are always judged, never rejected as input."""
    with tempfile.TemporaryDirectory() as folder:
        path = _write([json.dumps(e) for e in entries], folder, "calls.jsonl")
        report = check(path, "calls.jsonl", Options(), ORACLES)
    assert report.error is None
    assert report.verdict in ("conforms", "violates", "incomplete")
    assert all(f.line <= len(entries) for f in report.findings)
