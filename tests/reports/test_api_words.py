"""Counterexample steps in the API's own vocabulary (what the issue saw instead in brackets)."""

from __future__ import annotations

from shadowspec.reports.steps import steps_lines


def step(actor: str, call: str, result: str = "S_OK", **arguments) -> dict:
    return {"step": 1, "actor": actor, "call": call, "arguments": arguments, "result": result, "changes": {}}


def test_documented_parameters_and_a_details_line() -> None:
    lines = steps_lines([step("requester-1", "IVssBackupComponents::AddToSnapshotSet", volume=0, csv_contended=False)])
    # [AddToSnapshotSet(csv_contended=false, volume=0)]
    assert lines[0].endswith('requester-1: IVssBackupComponents::AddToSnapshotSet(pwszVolumeName="volume-1") -> S_OK')
    assert lines[1].strip() == "(model: csv_contended=false)"


def test_environment_steps_are_sentences_without_their_bookkeeping_result() -> None:
    # [requester process dies -> S_OK]
    (crash,) = steps_lines([step("fault", "requester process dies", requester="requester-1")])
    assert crash.endswith("requester-1's process exits")
    (done,) = steps_lines([step("vss", "IVssBackupComponents::DoSnapshotSet completes")])
    assert done.endswith("the VSS service completes DoSnapshotSet")


def test_wait_and_the_backup_mode_control_code() -> None:
    (wait,) = steps_lines([step("requester-1", "IVssAsync::Wait", operation="IVssBackupComponents::DoSnapshotSet",
                                reports_failure_as="status")])
    assert "IVssAsync::Wait(dwMilliseconds=INFINITE) on DoSnapshotSet's IVssAsync" in wait and "-> S_OK" in wait
    (control,) = steps_lines([step("node-1", "ClusterResourceControl", "ERROR_SUCCESS", BackupState="VolumeBackupNone",
                                   DelayTimerInSecs=0, VolumeName="volume-1",
                                   control="CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE")])
    assert ('ClusterResourceControl(hResource="volume-1", dwControlCode=CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, '
            "lpInBuffer={BackupState=VolumeBackupNone, DelayTimerInSecs=0}) -> ERROR_SUCCESS") in control
