"""rules.md revision 2 and the five classes of mistakes of issue 9, one small log per case.

Each log is written from the rule it exercises (its row in rules.md is named in the test); the
expected findings are decided from that row, never copied from the checker's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shadowspec.conform.findings import STRENGTHS, rule_strength, severity_of
from shadowspec.conform.vocabulary import component_key, context_value
from shadowspec.spec.requester import decode_context

from .helpers import run

R = "requester-1"
IVSS = "IVssBackupComponents::"


def m(name: str, result: str = "S_OK", actor: str = R, **fields: Any) -> dict[str, Any]:
    """A line of an IVssBackupComponents method."""
    return {"actor": actor, "call": IVSS + name, "result": result, **fields}


def wait(operation: str, status: str = "VSS_S_ASYNC_FINISHED", actor: str = R) -> dict[str, Any]:
    return {"actor": actor, "call": "IVssAsync::Wait", "result": "S_OK", "status": status,
            "args": {"operation": IVSS + operation, "dwMilliseconds": "INFINITE"}}


def create(actor: str = R) -> list[dict[str, Any]]:
    return [{"actor": actor, "call": "CreateVssBackupComponents", "result": "S_OK"},
            m("InitializeForBackup", actor=actor, args={"bstrXML": None})]


def release(actor: str = R) -> dict[str, Any]:
    return {"actor": actor, "call": "IUnknown::Release", "args": {"interface": "IVssBackupComponents"}, "result": "0"}


def state(select: bool = False, actor: str = R) -> dict[str, Any]:
    return m("SetBackupState", actor=actor, args={"bSelectComponents": select, "bBackupBootableSystemState": False,
                                                  "backupType": "VSS_BT_FULL", "bPartialFileSupport": False})


def gather(actor: str = R) -> list[dict[str, Any]]:
    return [m("GatherWriterMetadata", actor=actor), wait("GatherWriterMetadata", actor=actor)]


def add(volume: str = "C:\\", result: str = "S_OK", actor: str = R) -> dict[str, Any]:
    return m("AddToSnapshotSet", result, actor=actor, args={"pwszVolumeName": volume, "ProviderId": "GUID_NULL"})


def snapshot(actor: str = R) -> list[dict[str, Any]]:
    return [m("PrepareForBackup", actor=actor), wait("PrepareForBackup", actor=actor),
            m("DoSnapshotSet", actor=actor), wait("DoSnapshotSet", actor=actor)]


def complete(actor: str = R) -> list[dict[str, Any]]:
    return [m("BackupComplete", actor=actor), wait("BackupComplete", actor=actor),
            m("GatherWriterStatus", actor=actor), wait("GatherWriterStatus", actor=actor),
            m("FreeWriterStatus", actor=actor)]


def happy(*middle: dict[str, Any]) -> list[dict[str, Any]]:
    return [*create(), state(), *gather(), *middle, m("StartSnapshotSet"), add(), *snapshot(), *complete(), release()]


def check(tmp_path: Path, lines: list[dict[str, Any]]) -> Any:
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(entry) + "\n" for entry in lines))
    report = run(path)
    assert report.error is None and report.incomplete is None, (report.error, report.incomplete)
    return report


def summary(report: Any) -> list[tuple[int, str, str, str, str | None]]:
    return [(f.line, f.side, f.severity, f.strength, f.id) for f in report.findings]


def test_the_happy_path_conforms(tmp_path: Path) -> None:
    assert summary(check(tmp_path, happy())) == []


# -- class 5: one mistake, one finding -----------------------------------------------------------
def test_one_out_of_order_success_then_a_correct_continuation_gives_exactly_one_finding(tmp_path: Path) -> None:
    """PrepareForBackup before SetBackupState returned S_OK (REQ-08: VSS_E_BAD_STATE is
    documented). The program goes on as if it had succeeded: Wait, DoSnapshotSet, BackupComplete,
    the writer status and Release are all correct after a successful PrepareForBackup."""
    lines = [*create(), *gather(), m("StartSnapshotSet"), add(), *snapshot(), *complete(), release()]
    report = check(tmp_path, lines)
    prepare = 1 + next(i for i, e in enumerate(lines) if e["call"] == IVSS + "PrepareForBackup")
    assert summary(report) == [(prepare, "caller", "error", "must", None)]
    assert "REQ-08" in report.findings[0].rules


def test_a_success_the_specification_can_never_give_is_one_finding_and_checking_goes_on(tmp_path: Path) -> None:
    """SetContext after StartSnapshotSet returned S_OK (AMB-03 default: rejected); nothing can make
    it succeed there, so the checker goes on from the rejection, which changed nothing."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), m("SetContext", args={"lContext": 0}),
             add(), *snapshot(), *complete(), release()]
    report = check(tmp_path, lines)
    assert [(f.line, f.severity) for f in report.findings] == [(7, "error")]


def test_a_rejected_call_the_program_ignores_gives_one_finding(tmp_path: Path) -> None:
    """PrepareForBackup rejected (no SetBackupState); the program waits on its IVssAsync twice and
    goes on: one warning (rejected-call) at the first use, none later."""
    lines = [*create(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup", "VSS_E_BAD_STATE"),
             wait("PrepareForBackup"), wait("PrepareForBackup"), m("AbortBackup"), release()]
    report = check(tmp_path, lines)
    assert summary(report) == [(8, "caller", "warning", "rejected-call", None)]


# -- class 1: abstractions wide enough for real arguments -------------------------------------
@pytest.mark.parametrize("value, expected", [
    (0x0, ("backup", False)), (0x10, ("file_share_backup", False)), (0x19, ("nas_rollback", False)),
    (0x9, ("app_rollback", False)), (0x1D, ("client_accessible", False)),
    (0xD, ("client_accessible_writers", False)), (0xFFFFFFFF, ("all", False)),
    (0x9 | 0x2, ("app_rollback", False)), (0x9 | 0x20 | 0x2 | 0x2000000, ("app_rollback", False)),
    (0x0 | 0x20000, ("backup", True)), (0x0 | 0x40000 | 0x20000, ("backup", True)), (0x0 | 0x80, ("backup", False)),
    (0x0 | 0x800000, ("backup", False)),
    (0x7, ("invalid", False)), (0x1D | 0x20, ("invalid", False)), (0x0 | 0x4, ("invalid", False)),
    (0x0 | 0x1000, ("invalid", False)),
])
def test_every_context_value_and_modifier_bit_maps_to_a_context_that_behaves_alike(value: int, expected: tuple) -> None:
    """REQ-07: C | M with the context values and the wide modifier set of AMB-26; no modifier on
    CLIENT_ACCESSIBLE; PERSISTENT (0x1), NO_WRITERS (0x4) and HARDWARE_ASSISTED-like bits invalid."""
    assert decode_context(value) == expected


def test_lcontext_is_read_as_a_number_a_hex_string_or_names() -> None:
    assert context_value(9) == context_value("0x9") == context_value("VSS_CTX_APP_ROLLBACK") == 9
    assert context_value("VSS_CTX_BACKUP | VSS_VOLSNAP_ATTR_DIFFERENTIAL") == 0x20000
    assert context_value(-1) == 0xFFFFFFFF
    assert context_value("VSS_CTX_NONSENSE") is None and context_value(True) is None


@pytest.mark.parametrize("value", [0x9 | 0x2, 0xD, 0x10, 0x19, 0x1D])
def test_valid_contexts_set_after_set_backup_state_are_accepted(tmp_path: Path, value: int) -> None:
    """REQ-05: SetContext is accepted from Initialized up to StartSnapshotSet, after SetBackupState
    and a completed gather (UrBackup). No-writer contexts skip PrepareForBackup (REQ-42)."""
    writers = value in (0x9 | 0x2, 0xD)
    tail = (snapshot() + complete()) if writers else [m("DoSnapshotSet"), wait("DoSnapshotSet")]
    lines = [*create(), state(), *gather(), m("SetContext", args={"lContext": value}), m("StartSnapshotSet"),
             add(), *tail, release()]
    assert summary(check(tmp_path, lines)) == []


@pytest.mark.parametrize("result", ["E_INVALIDARG", "VSS_E_UNSUPPORTED_CONTEXT"])
def test_an_invalid_context_may_get_either_code_and_the_retry_is_legal(tmp_path: Path, result: str) -> None:
    """REQ-07 / AMB-03: restic's raw 7 is rejected with E_INVALIDARG (documented) or
    VSS_E_UNSUPPORTED_CONTEXT (observed); the failed call does not use up the single SetContext."""
    lines = happy(m("SetContext", result, args={"lContext": 7}), m("SetContext", args={"lContext": 0}))
    assert summary(check(tmp_path, lines)) == []


def test_an_invalid_context_that_succeeds_is_an_error(tmp_path: Path) -> None:
    """REQ-07: nothing may be OR-ed into VSS_CTX_CLIENT_ACCESSIBLE; a logged S_OK is a call the
    specification rejects succeeding (a caller finding, like every out-of-order success)."""
    report = check(tmp_path, happy(m("SetContext", args={"lContext": 0x1D | 0x20})))
    assert [(f.line, f.side, f.severity) for f in report.findings] == [(6, "caller", "error")]


def test_vss_ctx_all_is_accepted_but_no_set_can_be_started_under_it(tmp_path: Path) -> None:
    """REQ-07b: SetContext(VSS_CTX_ALL) succeeds (query and delete); StartSnapshotSet fails."""
    lines = [*create(), m("SetContext", args={"lContext": "VSS_CTX_ALL"}), m("StartSnapshotSet", "VSS_E_BAD_STATE"),
             m("DeleteSnapshots", "VSS_E_OBJECT_NOT_FOUND"), release()]
    assert summary(check(tmp_path, lines)) == []
    lines[3] = m("StartSnapshotSet")
    assert [(f.line, f.severity) for f in check(tmp_path, lines).findings] == [(4, "error")]


def test_differential_with_plex_is_a_should_and_an_unsupported_modifier_fails_at_add(tmp_path: Path) -> None:
    """REQ-07 (SHOULD NOT, a warning) and REQ-07a (VSS_E_VOLUME_NOT_SUPPORTED at AddToSnapshotSet)."""
    lines = [*create(), m("SetContext", args={"lContext": 0x60000}), state(), *gather(), m("StartSnapshotSet"),
             add(result="VSS_E_VOLUME_NOT_SUPPORTED"), m("AbortBackup"), release()]
    assert summary(check(tmp_path, lines)) == [(3, "caller", "warning", "should", None)]


def component(writer: str, instance: str, name: str, path: Any = None, result: str = "S_OK",
              call: str = "AddComponent") -> dict[str, Any]:
    return m(call, result, args={"instanceId": instance, "writerId": writer, "ct": "VSS_CT_FILEGROUP",
                                 "wszLogicalPath": path, "wszComponentName": name})


W1, W2, I1, I2 = "{a-1}", "{b-2}", "{c-3}", "{d-4}"


def test_components_of_two_writers_with_one_name_are_two_keys(tmp_path: Path) -> None:
    """REQ-11: the key is (instance, writer class, logical path, name)."""
    adds = [component(W1, I1, "System Files"), component(W2, I2, "System Files"),
            component(W1, I2, "System Files")]
    assert summary(check(tmp_path, happy(*adds))) == []


def test_the_same_key_twice_is_rejected_and_null_path_equals_empty_path(tmp_path: Path) -> None:
    """REQ-11 duplicate: VSS_E_OBJECT_ALREADY_EXISTS, document unchanged; AMB-22 default reading."""
    adds = [component(W1, I1, "Registry", None), component(W1, I1, "Registry", "", "VSS_E_OBJECT_ALREADY_EXISTS")]
    assert summary(check(tmp_path, happy(*adds))) == []
    adds[1] = component(W1, I1, "Registry", "")
    assert [(f.line, f.side, f.severity) for f in check(tmp_path, happy(*adds)).findings] == [(7, "caller", "error")]


def test_component_key_needs_all_its_parts() -> None:
    assert component_key({"instanceId": "{A}", "writerId": "{B}", "wszComponentName": "x"}) == ("a", "b", "", "x")
    assert component_key({"writerId": "{B}", "wszComponentName": "x"}) is None


def test_a_volume_added_twice_by_another_name_is_the_duplicate_the_api_reports(tmp_path: Path) -> None:
    """REQ-16a: volumes compare by unique volume name; the drive letter and the GUID path of one
    volume are one volume: VSS_E_OBJECT_ALREADY_EXISTS, set unchanged."""
    guid = "\\\\?\\Volume{3f1c2d40-8a7e-11e9-a3d2-806e6f6e6963}\\"
    report = check(tmp_path, [*create(), state(), *gather(), m("StartSnapshotSet"), add("C:\\"),
                              add(guid, "VSS_E_OBJECT_ALREADY_EXISTS"), add("c:", "VSS_E_OBJECT_ALREADY_EXISTS"),
                              *snapshot(), *complete(), release()])
    assert summary(report) == []
    assert report.system["volumes"] == 1


# -- class 2: the world outside the log -------------------------------------------------------
def test_snapshot_set_in_progress_with_no_other_requester_is_another_programs_doing(tmp_path: Path) -> None:
    """REQ-14: the creation lock is machine-wide; another program may hold it. A retry succeeds."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet", "VSS_E_SNAPSHOT_SET_IN_PROGRESS"),
             m("StartSnapshotSet"), add(), *snapshot(), *complete(), release()]
    assert summary(check(tmp_path, lines)) == []


def test_the_programs_own_second_requester_cannot_start_inside_the_first_ones_window(tmp_path: Path) -> None:
    """The hidden other programs do not make verdicts vacuous: requester-2 on the same node gets
    S_OK while requester-1 holds the lock (REQ-14, INV-06): an error."""
    two = "requester-2"
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"),
             {"actor": two, "call": "CreateVssBackupComponents", "args": {"node": 1}, "result": "S_OK"},
             m("InitializeForBackup", actor=two, args={"bstrXML": None}), m("StartSnapshotSet", actor=two),
             add(), *snapshot(), *complete(), release(), release(two)]
    report = check(tmp_path, lines)
    assert [(f.line, f.actor, f.severity, f.rules[0]) for f in report.findings] == [(9, two, "error", "REQ-14")]


# -- class 3: severity follows the rule's strength ---------------------------------------------
def test_strength_words_and_severity() -> None:
    assert [severity_of(s) for s in STRENGTHS] == ["error"] + ["warning"] * (len(STRENGTHS) - 1)
    assert severity_of("input", strict=True) == "error"
    assert rule_strength(("REQ-09", "AMB-04")) == "should"          # SHOULD (rev 2)
    assert rule_strength(("REQ-08", "REQ-28")) == "must"            # ORDER
    assert rule_strength(("REQ-16a",)) == "observed"                # ERR (OBS)


def test_a_log_that_ends_with_a_live_object_is_minor(tmp_path: Path) -> None:
    """REQ-01a / LIV-11: process exit releases the object: OBLIG-01, a warning."""
    lines = happy()[:-1]
    assert summary(check(tmp_path, lines)) == [(len(lines), "caller", "warning", "minor", "OBLIG-01")]


def test_a_log_that_ends_holding_the_creation_lock_is_an_error(tmp_path: Path) -> None:
    """LIV-11's exception: StartSnapshotSet succeeded, no DoSnapshotSet, no AbortBackup: OBLIG-36."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add()]
    assert summary(check(tmp_path, lines)) == [(len(lines), "caller", "error", "must", "OBLIG-36")]


def test_abort_obligation_windows_follow_req_36(tmp_path: Path) -> None:
    """REQ-36 / AMB-06 default: after a successful PrepareForBackup and before DoSnapshotSet
    completed, Release without AbortBackup is an error; after a failed DoSnapshotSet a warning
    (REQ-45); after a successful DoSnapshotSet without BackupComplete a warning (LIV-07)."""
    base = [*create(), state(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup"), wait("PrepareForBackup")]
    assert summary(check(tmp_path, [*base, release()])) == [(len(base) + 1, "caller", "error", "must", "OBLIG-36")]
    failed = [*base, m("DoSnapshotSet"), wait("DoSnapshotSet", "VSS_E_PROVIDER_VETO"), release()]
    assert summary(check(tmp_path, failed)) == [(len(failed), "caller", "warning", "should", "OBLIG-36")]
    done = [*base, m("DoSnapshotSet"), wait("DoSnapshotSet"), release()]
    assert summary(check(tmp_path, done)) == [(len(done), "caller", "warning", "should", "LIV-07")]


def test_backup_complete_rejected_after_a_failed_snapshot_is_a_rejected_call(tmp_path: Path) -> None:
    """REQ-34 / INV-13: the service rejects it (VSS_E_BAD_STATE), nothing changes: OBLIG-34, a
    warning; the program then aborts and releases correctly."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup"),
             wait("PrepareForBackup"), m("DoSnapshotSet"), wait("DoSnapshotSet", "VSS_E_PROVIDER_VETO"),
             m("BackupComplete", "VSS_E_BAD_STATE"), m("AbortBackup"), release()]
    assert summary(check(tmp_path, lines)) == [(12, "caller", "warning", "rejected-call", "OBLIG-34")]


# -- class 4: obligations --------------------------------------------------------------------
def test_backup_complete_in_component_mode_without_set_backup_succeeded(tmp_path: Path) -> None:
    """REQ-33 / INV-28: one OBLIG-33 error per added key never marked, at the BackupComplete line."""
    lines = [*create(), state(select=True), *gather(), component(W1, I1, "A"), component(W2, I2, "B"),
             m("StartSnapshotSet"), add(), *snapshot(),
             component(W1, I1, "A", call="SetBackupSucceeded") | {"args": {**component(W1, I1, "A")["args"],
                                                                          "bSucceded": True}},
             *complete(), release()]
    report = check(tmp_path, lines)
    at = 1 + next(i for i, e in enumerate(lines) if e["call"] == IVSS + "BackupComplete")
    assert summary(report) == [(at, "caller", "error", "must", "OBLIG-33")]
    assert "B" in report.findings[0].message


def test_non_component_mode_needs_no_set_backup_succeeded(tmp_path: Path) -> None:
    assert summary(check(tmp_path, happy(component(W1, I1, "A")))) == []


def test_clear_during_another_objects_active_backup_is_oblig_n10(tmp_path: Path) -> None:
    """NODE-10: no Clear while another backup of that CSV is active, on any node (own node too)."""
    csv = "C:\\ClusterStorage\\Volume1\\"
    clear = {"actor": "node-1", "call": "ClusterClearBackupStateForSharedVolume",
             "args": {"lpszVolumePathName": csv}, "result": "ERROR_SUCCESS"}
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add(csv), clear, m("AbortBackup"), release()]
    assert summary(check(tmp_path, lines)) == [(8, "caller", "error", "must", "OBLIG-N10")]
    after = [*create(), state(), *gather(), m("StartSnapshotSet"), add(csv), m("AbortBackup"), release(), clear]
    assert summary(check(tmp_path, after)) == []


def test_should_obligations_at_release(tmp_path: Path) -> None:
    """REQ-49 (no writer status after BackupComplete) and REQ-26 (status never freed): SHOULDs."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add(), *snapshot(),
             m("GatherWriterStatus"), wait("GatherWriterStatus"), m("BackupComplete"), wait("BackupComplete"),
             release()]
    report = check(tmp_path, lines)
    assert sorted((f.line, f.strength, f.rules[0]) for f in report.findings) == [
        (len(lines), "should", "REQ-26"), (len(lines), "should", "REQ-49")]


def finite_wait(operation: str, status: str) -> dict[str, Any]:
    return {"actor": R, "call": "IVssAsync::Wait", "result": "S_OK", "status": status,
            "args": {"operation": IVSS + operation, "dwMilliseconds": 60000}}


def test_a_call_that_needs_a_finished_operation_after_a_pending_status_is_oblig_a09(tmp_path: Path) -> None:
    """ASY-09 (restic #3142): a finite Wait returned S_OK with PrepareForBackup still PENDING, and
    the program went on to DoSnapshotSet, which the API accepted: OBLIG-A09, an error."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup"),
             finite_wait("PrepareForBackup", "VSS_S_ASYNC_PENDING"), m("DoSnapshotSet"), wait("DoSnapshotSet"),
             *complete(), release()]
    assert summary(check(tmp_path, lines)) == [(10, "caller", "error", "must", "OBLIG-A09")]


def test_the_same_call_rejected_by_the_api_is_a_rejected_call(tmp_path: Path) -> None:
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup"),
             finite_wait("PrepareForBackup", "VSS_S_ASYNC_PENDING"), m("DoSnapshotSet", "VSS_E_BAD_STATE"),
             wait("PrepareForBackup"), m("DoSnapshotSet"), wait("DoSnapshotSet"), *complete(), release()]
    assert summary(check(tmp_path, lines)) == [(10, "caller", "warning", "rejected-call", "OBLIG-A09")]


def test_waiting_again_after_pending_is_not_a_failure(tmp_path: Path) -> None:
    """ASY-09: PENDING after a finite Wait means wait again; it is not a failure."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup"),
             finite_wait("PrepareForBackup", "VSS_S_ASYNC_PENDING"), finite_wait("PrepareForBackup", "VSS_S_ASYNC_FINISHED"),
             m("DoSnapshotSet"), wait("DoSnapshotSet"), *complete(), release()]
    assert summary(check(tmp_path, lines)) == []


def test_a_component_added_after_prepare_for_backup_is_a_hazard_warning(tmp_path: Path) -> None:
    """REQ-10 / AMB-02: accepted before DoSnapshotSet, but after PrepareForBackup the writers did
    not see it (flag late_add): a warning."""
    lines = [*create(), state(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup"),
             wait("PrepareForBackup"), component(W1, I1, "A"), m("DoSnapshotSet"), wait("DoSnapshotSet"),
             *complete(), release()]
    assert summary(check(tmp_path, lines)) == [(10, "caller", "warning", "hazard", None)]


# -- writer veto and a failed writer-status gather (held-out corpus classes) ----------------------
def writer_status(state: str) -> dict[str, Any]:
    return m("GetWriterStatus", args={"iWriter": 0}, out={"pnStatus": state, "phResultFailure": "S_OK"})


def prepared_then(*middle: dict[str, Any]) -> list[dict[str, Any]]:
    """PrepareForBackup succeeded; ``middle``; Release without AbortBackup or DoSnapshotSet."""
    return [*create(), state(), *gather(), m("StartSnapshotSet"), add(), m("PrepareForBackup"),
            wait("PrepareForBackup"), *middle, release()]


GATHERED = [m("GatherWriterStatus"), wait("GatherWriterStatus")]


def test_a_writer_veto_makes_the_abort_obligation_a_warning(tmp_path: Path) -> None:
    """7.1 GetWriterStatus row: VSS_WS_FAILED_AT_PREPARE_BACKUP sets writer_veto; AMB-06's default
    (aborting-vss-operations.md): after a veto, Release without AbortBackup is a SHOULD."""
    lines = prepared_then(*GATHERED, writer_status("VSS_WS_FAILED_AT_PREPARE_BACKUP"), m("FreeWriterStatus"))
    assert summary(check(tmp_path, lines)) == [(len(lines), "caller", "warning", "should", "OBLIG-36")]


def test_a_stable_writer_is_no_veto(tmp_path: Path) -> None:
    """Only the state the row names is a veto: a stable writer leaves the error window (REQ-36)."""
    lines = prepared_then(*GATHERED, writer_status("VSS_WS_STABLE"), m("FreeWriterStatus"))
    assert summary(check(tmp_path, lines)) == [(len(lines), "caller", "error", "must", "OBLIG-36")]


def test_a_failed_gather_owes_no_free_writer_status(tmp_path: Path) -> None:
    """7.1 sets status_gathered only when GatherWriterStatus finishes: a failed one produced no
    statuses, so REQ-26 (FreeWriterStatus once they were read) is not owed."""
    lines = prepared_then(m("GatherWriterStatus"), wait("GatherWriterStatus", "VSS_E_WRITER_INFRASTRUCTURE"))
    assert summary(check(tmp_path, lines)) == [(len(lines), "caller", "error", "must", "OBLIG-36")]


def test_a_finished_gather_still_owes_free_writer_status(tmp_path: Path) -> None:
    lines = prepared_then(*GATHERED)
    assert sorted(summary(check(tmp_path, lines))) == [(len(lines), "caller", "error", "must", "OBLIG-36"),
                                                       (len(lines), "caller", "warning", "should", None)]
