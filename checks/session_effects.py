"""What a requester's call or the end of its asynchronous work leaves behind (rules.md 7.1, 7.2).

Why: the full mutation run on the CI configurations (``--sample 0``,
docs/mutation-run-2026-12-03.md) found these documented effects unjudged: each check reads the
views before and after the step and the rule's sentence, never the declared transitions.

* EFF-34 (REQ-36, the AbortBackup page: VSS_E_BAD_STATE "The backup components object is not
  initialized"; 7.1 "BAD_STATE only if not initialized"): AbortBackup on an initialized object
  never returns VSS_E_BAD_STATE;
* EFF-35 (REQ-15, 7.1 "volumes += unique(v)"): a successful AddToSnapshotSet leaves the volume
  in the set;
* EFF-36 (REQ-16a): AddToSnapshotSet returns VSS_E_OBJECT_ALREADY_EXISTS only for a volume
  already in the set;
* EFF-37 (REQ-19, NODE-13): AddToSnapshotSet returns VSS_E_SNAPSHOT_SET_IN_PROGRESS only for a
  CSV that another node's creation in progress holds;
* EFF-38 (7.2 "Pending | work completes OK | Finished", "work fails with hr | Failed(hr)"; 7.1's
  "async finished / failed" rows, ASY-02): when an operation's work ends, its IVssAsync is
  Finished or Failed, and a session still waiting for it moves on as 7.1 says (Preparing ->
  Prepared or the failed Prepared; Snapshotting -> SnapshotDone or SnapshotFailed; Completing ->
  Completed on success; the metadata of a live object's pending gather is gathered on success);
* EFF-39 (REQ-30: DoSnapshotSet "commits all shadow copies of the set"): a DoSnapshotSet that
  finishes leaves shadow copies;
* EFF-40 (CSV-05, NODE-01): a resource that comes online is online, a node that rejoins is a
  member (the converses of EFF-23 and EFF-29);
* EFF-41 (CSV-02, 7.4's environment rows): a fault, offline or online step never turns backup
  mode on; only offline may turn it off (AMB-12).
"""

from __future__ import annotations

from shadowspec.model.system import Label
from shadowspec.spec.requester import RequesterSession

from .view import View, actor_index, argument

ABORT_BACKUP = RequesterSession.API_NAMES["abort_backup"]
ADD_TO_SET = RequesterSession.API_NAMES["add_to_snapshot_set"]
NOT_INITIALIZED = ("absent", "created", "released")
"""7.1: the phases before InitializeForBackup and after Release."""

WAITING = {
    # operation: (the phase a session waits in, phase after success, phase after failure or None)
    "prepare_for_backup": ("preparing", "prepared", "prepare_failed"),  # 7.1 Preparing row; failed: Prepared, prepared_ok false
    "do_snapshot_set": ("snapshotting", "snapshot_done", "snapshot_failed"),  # 7.1 Snapshotting rows
    "backup_complete": ("completing", "completed", None),  # 7.1 Completing | async finished; failure: not stated
}


def abort_backup_call(label: Label) -> bool:
    return label.kind == "call" and label.actor.startswith("requester-") and label.call == ABORT_BACKUP


def bad_state_only_if_not_initialized(label: Label, before: View, after: View) -> bool:
    """EFF-34."""
    return label.result != "VSS_E_BAD_STATE" or before.phase(actor_index(label)) in NOT_INITIALIZED


def add_to_set_call(label: Label) -> bool:
    return label.kind == "call" and label.actor.startswith("requester-") and label.call == ADD_TO_SET \
        and isinstance(argument(label, "volume"), int)


def _volume(label: Label) -> int:
    return int(argument(label, "volume")) + 1  # the call's volume argument counts from 0


def added_volume_in_set(label: Label, before: View, after: View) -> bool:
    """EFF-35."""
    return label.result != "S_OK" or after.holds_volume(actor_index(label), _volume(label))


def already_exists_only_if_in_set(label: Label, before: View, after: View) -> bool:
    """EFF-36."""
    return label.result != "VSS_E_OBJECT_ALREADY_EXISTS" or before.holds_volume(actor_index(label), _volume(label))


def in_progress_only_if_contended(label: Label, before: View, after: View) -> bool:
    """EFF-37."""
    if label.result != "VSS_E_SNAPSHOT_SET_IN_PROGRESS":
        return True
    r, v, config = actor_index(label), _volume(label), before.system.config
    return any(before.creating(o) and before.holds_volume(o, v) for o in before.system.requester
               if o != r and config.node_of(o) != config.node_of(r))


def _async_ends(label: Label, view: View) -> list[tuple[int, str, bool]]:
    where = {c: key for key, c in view.system.asyncs.items()}
    return [(*where[s.component], s.event == "env_finish") for s in label.steps
            if s.component in where and s.event in ("env_finish", "env_fail")]


def ends_async_work(label: Label) -> bool:
    return any(s.transition.machine == "AsyncOperation" and s.event in ("env_finish", "env_fail") for s in label.steps)


def async_end_as_documented(label: Label, before: View, after: View) -> bool:
    """EFF-38."""
    for r, op, ok in _async_ends(label, before):
        if after.async_state(r, op) != ("finished" if ok else "failed"):
            return False
        if op in WAITING:
            waiting, done, failed = WAITING[op]
            expected = done if ok else failed
            if before.phase(r) == waiting and expected is not None and after.phase(r) != expected:
                return False
        if op == "gather_writer_metadata" and ok and before.phase(r) not in ("absent", "released") \
                and before.req(r, "metadata") == "pending" and after.req(r, "metadata") != "gathered":
            return False
    return True


def snapshot_finishes(label: Label) -> bool:
    return any(s.transition.machine == "RequesterSession" and s.transition.source == "snapshotting" for s in label.steps)


def finished_snapshot_leaves_copies(label: Label, before: View, after: View) -> bool:
    """EFF-39."""
    return all(after.req(r, "snapshots_exist") for r in before.system.requester
               if before.phase(r) == "snapshotting" and after.phase(r) == "snapshot_done")


def comes_back(label: Label) -> bool:
    return any(s.event in ("env_come_online", "env_node_rejoins") for s in label.steps)


def back_after(label: Label, before: View, after: View) -> bool:
    """EFF-40."""
    system = before.system
    online = {s.component for s in label.steps if s.event == "env_come_online"}
    rejoined = {s.component for s in label.steps if s.event == "env_node_rejoins"}
    return all(after.csv_var(v, "online") for v, c in system.csv.items() if c in online) \
        and all(after.member(n) for n, c in system.node.items() if c in rejoined)


CSV_ENVIRONMENT = ("env_redirect_fault", "env_go_offline", "env_come_online")
"""7.4's environment rows: fault (redirected := true), resource offline (online := false; backup
mode's fate undocumented, AMB-12), resource online."""


def csv_environment_step(label: Label) -> bool:
    return any(s.transition.machine == "CsvVolume" and s.event in CSV_ENVIRONMENT for s in label.steps)


def environment_never_enters_backup(label: Label, before: View, after: View) -> bool:
    """EFF-41 (CSV-02: "none of these effects touches any other mode variable"; 7.4 environment rows):
    a fault, the resource going offline or coming online never turns backup mode on; only the
    offline step may turn it off (AMB-12), the others leave it as it was."""
    system = before.system
    for v, c in system.csv.items():
        events = {s.event for s in label.steps if s.component == c and s.event in CSV_ENVIRONMENT}
        if not events:
            continue
        was, now = before.csv(v) == "backup", after.csv(v) == "backup"
        if now and not was:
            return False
        if was and not now and "env_go_offline" not in events:
            return False
    return True
