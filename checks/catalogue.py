"""The properties of rules.md section 8 (INV-01..27, LIV-01..09) and the witnesses.

Each entry is written from the rule's sentence, not from the machines: it reads states and
edge labels (who called what, with what result) and never a transition table. ``needs`` says
when a configuration cannot exercise the property, so that nothing passes vacuously.
"""

from __future__ import annotations

from typing import Any

from shadowspec.model.config import Config
from shadowspec.model.system import OPERATIONS, Label
from shadowspec.spec.csv_volume import CsvVolume

from .property import Property
from .view import View, actor_index, argument, volume_of

IVSS = "IVssBackupComponents::"
SET_BACKUP_MODE = "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE"
DIRECTIO = ("CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO", "CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO")
MAINTENANCE = "CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE"
THREE_CODES = (SET_BACKUP_MODE, *DIRECTIO)
WRITER_ORDER = ("idle", "backup_prepared", "snapshot_prepared", "frozen", "thawed",
                "post_snapshot_done", "backup_completed")


# -- small matchers ------------------------------------------------------------------------
def by(label: Label, r: int) -> bool:
    return label.actor == f"requester-{r}"


def call(name: str, result: str | None = None) -> Any:
    """Matcher: requester r called ``name`` (and got ``result``)."""
    def match(label: Label, view: View | None, r: int) -> bool:
        return by(label, r) and label.call == name and (result is None or label.result == result)
    return match


def control(label: Label) -> str | None:
    return argument(label, "control") if label.call == "ClusterResourceControl" else None


def steps_on(label: Label, machine: str) -> list[Any]:
    return [step for step in label.steps if step.transition.machine == machine]


# -- needs -----------------------------------------------------------------------------------
def needs(*requirements: str, requesters: int = 0, nodes: int = 0, volumes: int = 0,
          writers: int = 0, os: str | None = None, protocol: str | None = None) -> Any:
    def reason(config: Config) -> str | None:
        for item in requirements:
            if not config.has(item):
                return f"needs '{item}' enabled"
        if "backup_mode" in requirements and config.protocol == "2.0":
            return "backup mode cannot be entered with protocol 2.0 (CSV-03)"
        for key, low in (("requesters", requesters), ("nodes", nodes), ("volumes", volumes),
                         ("writers", writers)):
            if getattr(config, key) < low:
                return f"needs at least {low} {key}"
        if os and config.os != os:
            return f"applies to os {os} only"
        if protocol and config.protocol != protocol:
            return f"needs protocol {protocol}"
        return None
    return reason


def any_of(*reasons: Any) -> Any:
    def reason(config: Config) -> str | None:
        found = [r(config) for r in reasons]
        return None if any(f is None for f in found) else " or ".join(f for f in found if f)
    return reason


def both(*reasons: Any) -> Any:
    def reason(config: Config) -> str | None:
        for r in reasons:
            found = r(config)
            if found:
                return found
        return None
    return reason


def never(why: str) -> Any:
    return lambda config: why


BEFORE_SNAPSHOT_DONE = ("initialized", "set_started", "preparing", "prepared", "prepare_failed",
                        "snapshotting", "snapshot_failed")
"""Phases in which DoSnapshotSet has not completed successfully (REQ-34, INV-13)."""


def _inv28_check(label: Label, before: View, after: View) -> bool:
    r = actor_index(label)
    return not (before.req(r, "component_mode") and before.req(r, "component_added")
                and not before.req(r, "backup_succeeded_set"))


def _holds_lock(view: View) -> bool:
    return any(view.creating(r) for r in requesters(view))


def _liv10_p(view: View) -> bool:
    """A requester holds the creation lock while another object waits to start its own set."""
    return _holds_lock(view) and any(view.phase(o) == "initialized" for o in requesters(view))


# -- helpers over views ------------------------------------------------------------------------
def requesters(view: View) -> list[int]:
    return list(view.system.requester)


def volumes(view: View) -> list[int]:
    return list(view.system.csv)


def csv_before_after(label: Label, before: View, after: View) -> tuple[int, tuple, tuple]:
    v = volume_of(label)
    component = before.system.csv[v]
    return v, before._local(component), after._local(component)


def modes(local: tuple) -> tuple:
    variables = ("state",) + tuple(CsvVolume.VARIABLES)
    record = dict(zip(variables, local))
    return (record["state"] == "backup", record["maintenance"], record["redirected"],
            record["block_redirected"])




def _writer_moves(label: Label) -> list[tuple[str, str, str, str]]:
    return [(s.event, s.transition.source, s.transition.target, s.transition.result)
            for s in label.steps if s.transition.machine == "Writer"]


# -- the catalogue -----------------------------------------------------------------------------
def _inv01_check(label: Label, before: View, after: View) -> bool:
    r = actor_index(label)
    if before.phase(r) != "created":
        return True
    allowed = (f"{IVSS}InitializeForBackup", "IUnknown::Release", "CreateVssBackupComponents")
    return label.call in allowed or label.result != "S_OK"


def _inv05_check(label: Label, before: View, after: View) -> bool:
    r = actor_index(label)
    limit = before.system.config.max_volumes_per_set
    if after.req(r, "volumes").bit_count() > limit:
        return False
    if label.result == "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED":
        return before.req(r, "volumes") == after.req(r, "volumes")
    return True


def _inv06_check(view: View) -> bool:
    config = view.system.config
    for n, node in view.system.node.items():
        other = 1 if view.system.machines[node].value(view.state[node], "other_program_creating") else 0
        if other + sum(1 for r in requesters(view) if config.node_of(r) == n and view.creating(r)) > 1:
            return False
    for v in volumes(view):
        holders = {config.node_of(r) for r in requesters(view) if view.creating(r) and view.holds_volume(r, v)}
        if len(holders) > 1:
            return False
    return True


def _inv08(label: Label) -> bool:
    return all(not (s.transition.source in ("finished", "cancelled", "failed")
                    and s.transition.target != s.transition.source and s.event != "env_start")
               for s in steps_on(label, "AsyncOperation"))


def _inv09(label: Label) -> bool:
    for event, source, target, _ in _writer_moves(label):
        if target == source or target == "shutdown":
            continue
        if target == "aborted":
            if source not in ("backup_prepared", "snapshot_prepared", "frozen", "thawed"):
                return False
            continue
        if source not in WRITER_ORDER or target not in WRITER_ORDER:
            return False
        if WRITER_ORDER.index(target) != WRITER_ORDER.index(source) + 1:
            return False
    return True


def _inv10(label: Label) -> bool:
    for event, source, target, result in _writer_moves(label):
        delivered = result != "not_delivered"
        if event == "abort" and delivered and source in ("post_snapshot_done", "backup_completed"):
            return False
        if source == "aborted" and delivered and event not in ("abort", "backup_shutdown", "identify"):
            return False
    return True


def _inv14_check(label: Label, before: View, after: View) -> bool:
    v, old, new = csv_before_after(label, before, after)
    if old[0] != "backup" or before.system.config.protocol == "2.0" or not before.csv_var(v, "online"):
        return True
    return label.result in ("ERROR_CLUSTER_BACKUP_IN_PROGRESS", "ERROR_CLUSTER_INVALID_REQUEST") \
        and before.csv_var(v, "redirected") == after.csv_var(v, "redirected")


def _inv15_check(label: Label, before: View, after: View) -> bool:
    v, old, new = csv_before_after(label, before, after)
    if not before.csv_var(v, "maintenance") or before.system.config.protocol == "2.0" \
            or not before.csv_var(v, "online"):
        return True
    return label.result == "ERROR_CLUSTER_INVALID_REQUEST" and old == new


def _inv16_check(label: Label, before: View, after: View) -> bool:
    v, old, new = csv_before_after(label, before, after)
    return sum(a != b for a, b in zip(modes(old), modes(new))) <= 1


def _inv18_check(label: Label, before: View, after: View) -> bool:
    v, old, new = csv_before_after(label, before, after)
    if before.system.config.protocol == "2.0":
        return label.result == "ERROR_INVALID_FUNCTION" and old == new
    if not before.csv_var(v, "online"):
        return label.result == "ERROR_RESOURCE_NOT_ONLINE" and old == new
    return True


def _inv19_check(label: Label, before: View, after: View) -> bool:
    if label.result != "ERROR_SUCCESS":
        return True
    return (argument(label, "BackupState") == "VolumeBackupNone") == (argument(label, "DelayTimerInSecs") == 0)


def _inv20_check(label: Label, before: View, after: View) -> bool:
    v = volume_of(label)
    touched = [v] if v else volumes(before)  # a path not on a CSV must change no volume at all
    return all(before._local(before.system.mark[u]) == after._local(after.system.mark[u]) and
               before._local(before.system.csv[u]) == after._local(after.system.csv[u]) for u in touched)


def _inv21_check(label: Label, before: View, after: View) -> bool:
    v = volume_of(label)
    if not v or before.mark(v) != "backup_in_progress" or after.mark(v) == "backup_in_progress":
        return True
    return before.mark_var(v, "owner") == actor_index(label)


def _inv22_check(view: View) -> bool:
    return all(view.backup_running(v) for v in volumes(view) if view.csv(v) == "backup")


def _inv23_check(label: Label, before: View, after: View) -> bool:
    for v in volumes(before):
        if before.csv(v) == "backup" and after.csv(v) == "normal" and before.backup_running(v):
            return False
    return True


def _inv23_applies(label: Label) -> bool:
    return any(s.transition.machine == "CsvVolume" and s.transition.source == "backup"
               and s.transition.target == "normal" for s in label.steps)


def _inv24_check(label: Label, before: View, after: View) -> bool:
    v = volume_of(label)
    return not (argument(label, "InMaintenance") is True and label.result == "ERROR_SUCCESS"
                and before.csv(v) == "backup")


def _inv25_check(label: Label, before: View, after: View) -> bool:
    r = actor_index(label)
    return label.result != "S_OK" or not any(w[1] for w in before.writers(r))


def _inv26_check(label: Label, before: View, after: View) -> bool:
    r = actor_index(label)
    operation = argument(label, "operation", "")
    op = next(o for o in OPERATIONS if operation.endswith("::" + _method(o)))
    return label.result != "S_OK" or before.async_state(r, op) not in ("failed", "cancelled")


def _method(op: str) -> str:
    return "".join(part.capitalize() for part in op.split("_"))


def _orphaned_mark(view: View, snapshot: bool) -> bool:
    """A volume marked "Backup in Progress" (with or without a snapshot) whose owner node's
    requesters all crashed: nobody is left to finish the backup."""
    config = view.system.config
    for v in volumes(view):
        if view.mark(v) == "backup_in_progress" and view.mark_var(v, "snapshot") == snapshot:
            owner = view.mark_var(v, "owner")
            owners = [r for r in requesters(view) if config.node_of(r) == owner]
            if owners and all(view.req(r, "crashed") for r in owners):
                return True
    return False


def _liv04_p(view: View) -> bool:
    return _orphaned_mark(view, snapshot=False)


def _liv05_p(view: View) -> bool:
    return _orphaned_mark(view, snapshot=True)


def _liv09_check(label: Label, before: View, after: View) -> bool:
    for s in steps_on(label, "CsvVolume"):
        t = s.transition
        if t.source == "backup" and t.target == "normal":
            v = volume_of(label)
            if before.csv_var(v, "detected") and s.event not in ("set_backup_mode", "env_go_offline"):
                return False
    return True


def _writer_milestone(event: str) -> Any:
    def match(label: Label, view: View | None, r: int) -> bool:
        return any(s.event == event and s.transition.result == "true" for s in steps_on(label, "Writer"))
    return match


def _op_completes(method: str) -> Any:
    def match(label: Label, view: View | None, r: int) -> bool:
        if label.actor != "vss" or label.call != f"{IVSS}{method} completes":
            return False
        return view is None or _session_of(label, view) == r
    return match


def _session_of(label: Label, view: View) -> int:
    components = view.system.components
    for step in label.steps:
        if step.transition.machine == "RequesterSession":
            return components[step.component].owner
    return 0


def _node_call(control_code: str, state: str) -> Any:
    def match(label: Label, view: View | None, r: int) -> bool:
        return control(label) == control_code and argument(label, "BackupState") == state \
            and label.result == "ERROR_SUCCESS"
    return match


def _do_snapshot_in_writer_context(label: Label, view: View | None, r: int) -> bool:
    if not call(f"{IVSS}DoSnapshotSet", "S_OK")(label, view, r):
        return False
    return view is None or view.req(r, "context") == "backup"


def _metadata_completes(label: Label, view: View | None, r: int) -> bool:
    return _op_completes("GatherWriterMetadata")(label, view, r)


def _requester_call(label: Label) -> bool:
    return label.actor.startswith("requester-") and label.call.startswith(IVSS)


PROPERTIES: tuple[Property, ...] = (
    Property("INV-01", "nothing_succeeds_before_initialize",
             "No IVssBackupComponents method but InitializeForBackup succeeds while the object is only created.",
             "edge", ("REQ-02", "REQ-03"), "HOLD", needs(requesters=1),
             applies=_requester_call, check=_inv01_check),
    Property("INV-02", "set_context_at_most_once",
             "SetContext succeeds at most once per session.",
             "once", ("REQ-05",), "HOLD", needs("context_calls", requesters=1),
             milestones=(call(f"{IVSS}SetContext", "S_OK"),)),
    Property("INV-03", "prepare_only_after_backup_state_and_start",
             "PrepareForBackup succeeds only after SetBackupState and StartSnapshotSet succeeded in the same session.",
             "precedes", ("REQ-08", "REQ-13", "REQ-28"), "HOLD", needs(requesters=1),
             milestones=(call(f"{IVSS}SetBackupState", "S_OK"), call(f"{IVSS}StartSnapshotSet", "S_OK"),
                         call(f"{IVSS}PrepareForBackup", "S_OK"))),
    Property("INV-04", "snapshot_only_after_prerequisites",
             "DoSnapshotSet succeeds only after InitializeForBackup and StartSnapshotSet, and in a writer "
             "context after GatherWriterMetadata completed and PrepareForBackup was called.",
             "precedes", ("REQ-40", "REQ-41"), "HOLD", needs(requesters=1),
             milestones=(call(f"{IVSS}InitializeForBackup", "S_OK"), call(f"{IVSS}StartSnapshotSet", "S_OK"),
                         _metadata_completes, call(f"{IVSS}PrepareForBackup", "S_OK"),
                         _do_snapshot_in_writer_context)),
    Property("INV-05", "volume_limit_per_set",
             "A snapshot set never holds more than the volume limit; the call that would exceed it returns "
             "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED and leaves the set unchanged.",
             "edge", ("REQ-17", "DATA-06"), "HOLD",
             lambda c: None if c.volumes > c.max_volumes_per_set and c.requesters else
             f"needs more volumes than max_volumes_per_set ({c.max_volumes_per_set})",
             applies=lambda label: label.call == f"{IVSS}AddToSnapshotSet", check=_inv05_check),
    Property("INV-06", "one_creation_per_node",
             "At most one shadow-copy creation is in progress on a machine (one VSS service, across all its "
             "processes: the modelled requesters and the other programs), and a CSV is in the creations of "
             "one node only.",
             "state", ("REQ-14", "REQ-19", "AMB-23"), "HOLD", needs(requesters=2),
             applies=lambda view: any(view.creating(r) for r in requesters(view)), check=_inv06_check),
    Property("INV-07", "component_keys_unique",
             "AddComponent never adds a component whose key (writer instance, writer class, logical path, "
             "name) is already in the Backup Components Document; the duplicate leaves it unchanged.",
             "edge", ("REQ-11", "DATA-08"), "HOLD", needs("metadata_calls", requesters=1),
             applies=lambda label: label.call == f"{IVSS}AddComponent" and dict(label.arguments).get("duplicate"),
             check=lambda label, before, after: label.result != "S_OK"
             and before.req(actor_index(label), "late_add") == after.req(actor_index(label), "late_add")),
    Property("INV-08", "async_terminal_is_final",
             "An IVssAsync never leaves Finished, Cancelled or Failed; Cancel never changes a terminal status.",
             "edge", ("ASY-03", "ASY-04"), "HOLD", needs(requesters=1),
             applies=lambda label: bool(steps_on(label, "AsyncOperation")),
             check=lambda label, before, after: _inv08(label)),
    Property("INV-09", "writer_event_order",
             "Each writer receives PrepareBackup, PrepareSnapshot, Freeze, Thaw, PostSnapshot, BackupComplete in that order.",
             "edge", ("WRT-01", "WRT-02", "WRT-03"), "HOLD", needs(requesters=1, writers=1),
             applies=lambda label: bool(steps_on(label, "Writer")),
             check=lambda label, before, after: _inv09(label)),
    Property("INV-10", "no_abort_after_post_snapshot",
             "A writer never receives Abort after PostSnapshot, nor an operation event after Abort "
             "(repeated Abort and BackupShutdown excepted).",
             "edge", ("WRT-10", "AMB-05"), "HOLD", needs(requesters=1, writers=1),
             applies=lambda label: bool(steps_on(label, "Writer")),
             check=lambda label, before, after: _inv10(label)),
    Property("INV-11", "freeze_window_ends_in_abort",
             "When a frozen writer's freeze window expires, the writer is aborted.",
             "edge", ("WRT-04",), "HOLD", needs("freeze_timeout", requesters=1, writers=1),
             applies=lambda label: any(s.event == "env_freeze_timeout" for s in label.steps),
             check=lambda label, before, after: all(s.transition.target == "aborted" for s in label.steps
                                                    if s.event == "env_freeze_timeout")),
    Property("INV-12", "document_final_after_backup_complete",
             "The Backup Components Document is not modified after BackupComplete.",
             "edge", ("WRT-12", "REQ-29"), "HOLD", needs("metadata_calls", requesters=1),
             applies=lambda label: label.call in (f"{IVSS}AddComponent", f"{IVSS}SetBackupSucceeded"),
             check=lambda label, before, after: label.result != "S_OK"
             or before.phase(actor_index(label)) not in ("completing", "completed")),
    Property("INV-13", "no_completion_after_failed_snapshot",
             "BackupComplete and SetBackupSucceeded are never called when DoSnapshotSet failed or has not "
             "completed successfully (a requester obligation, OBLIG-34: the service rejects the call with "
             "VSS_E_BAD_STATE and nothing changes, so the breach is the call itself).",
             "edge", ("REQ-33", "REQ-34"), "OBLIG", needs(requesters=1),
             applies=lambda label: label.call in (f"{IVSS}BackupComplete", f"{IVSS}SetBackupSucceeded"),
             check=lambda label, before, after: before.phase(actor_index(label)) not in BEFORE_SNAPSHOT_DONE),
    Property("INV-14", "directio_rejected_in_backup_mode",
             "In backup mode every ENABLE/DISABLE_SHARED_VOLUME_DIRECTIO is rejected and leaves redirection unchanged.",
             "edge", ("CSV-12", "CSV-13"), "HOLD", needs("directio", "backup_mode", volumes=1),
             applies=lambda label: control(label) in DIRECTIO, check=_inv14_check),
    Property("INV-15", "directio_rejected_in_maintenance",
             "In maintenance mode every DIRECTIO request returns ERROR_CLUSTER_INVALID_REQUEST.",
             "edge", ("CSV-12", "CSV-13"), "HOLD", needs("directio", "maintenance", volumes=1),
             applies=lambda label: control(label) in DIRECTIO, check=_inv15_check),
    Property("INV-16", "modes_orthogonal",
             "No request changes two of the CSV's mode variables at once.",
             "edge", ("CSV-02", "AMB-17"), "HOLD",
             both(needs(volumes=1), any_of(needs("backup_mode"), needs("directio"), needs("maintenance"))),
             applies=lambda label: control(label) is not None, check=_inv16_check),
    Property("INV-17", "timer_only_in_backup_mode",
             "The Volume Backup Timer runs only while the volume is in backup mode.",
             "local", ("CSV-07", "CSV-08", "CSV-09", "CSV-10"), "HOLD", needs("backup_mode", volumes=1),
             machine="CsvVolume", applies=lambda record: record["timer"] == "armed",
             check=lambda record: record["state"] == "backup"),
    Property("INV-18", "codes_need_protocol_3_and_online",
             "With protocol 2.0 the three CSV control codes return ERROR_INVALID_FUNCTION, and on an offline "
             "resource ERROR_RESOURCE_NOT_ONLINE, changing nothing.",
             "edge", ("CSV-03", "CSV-04", "CSV-05"), "HOLD",
             both(needs(volumes=1), any_of(needs(protocol="2.0"), needs("offline"))),
             applies=lambda label: control(label) in THREE_CODES, check=_inv18_check),
    Property("INV-19", "delay_timer_zero_iff_none",
             "DelayTimerInSecs is 0 exactly when BackupState is VolumeBackupNone, for every accepted request.",
             "edge", ("CSV-11", "DATA-03", "AMB-10"), "HOLD", needs("backup_mode", "bad_arguments", volumes=1),
             applies=lambda label: control(label) == SET_BACKUP_MODE, check=_inv19_check),
    Property("INV-20", "prepare_inert_after_2008r2",
             "On Windows Server 2012 and later, ClusterPrepareSharedVolumeForBackup changes no CSV state.",
             "edge", ("NODE-03",), "HOLD", needs("resapi", volumes=1, os="2012"),
             applies=lambda label: label.call == "ClusterPrepareSharedVolumeForBackup", check=_inv20_check),
    Property("INV-21", "clear_never_cancels_other_nodes_backup",
             "A backup in progress on node A is never cancelled by ClusterClearBackupStateForSharedVolume from node B.",
             "edge", ("NODE-11", "NODE-10"), "HAZARD", needs("resapi", nodes=2, volumes=1, os="2008r2"),
             applies=lambda label: label.call == "ClusterClearBackupStateForSharedVolume", check=_inv21_check),
    Property("INV-22", "backup_mode_means_backup_running",
             "A volume in backup mode always has a backup actually running on it.",
             "state", ("CSV-07", "CSV-08", "NODE-09"), "HAZARD", needs("backup_mode", volumes=1),
             applies=lambda view: any(view.csv(v) == "backup" for v in volumes(view)), check=_inv22_check),
    Property("INV-23", "started_backup_keeps_backup_mode",
             "A backup that has started keeps its volume in backup mode until it finishes.",
             "edge", ("CSV-08", "CSV-09", "CSV-10"), "HAZARD", needs("backup_mode", requesters=1, volumes=1),
             applies=_inv23_applies, check=_inv23_check),
    Property("INV-24", "no_maintenance_during_backup",
             "SET_CSV_MAINTENANCE_MODE is rejected while the volume is in backup mode.",
             "edge", ("CSV-16", "AMB-11"), "HAZARD", needs("maintenance", "backup_mode", volumes=1),
             applies=lambda label: control(label) == MAINTENANCE, check=_inv24_check),
    Property("INV-25", "writer_status_ok_means_writer_ok",
             "GetWriterStatus returns S_OK only when no writer failed.",
             "edge", ("REQ-24", "REQ-25"), "HAZARD", needs("status_calls", "writer_failure", requesters=1, writers=1),
             applies=lambda label: label.call == f"{IVSS}GetWriterStatus", check=_inv25_check),
    Property("INV-26", "wait_ok_means_operation_ok",
             "IVssAsync::Wait returns S_OK only when the operation succeeded (not failed, cancelled, or "
             "still pending after a finite Wait).",
             "edge", ("ASY-05", "ASY-09"), "HAZARD", needs("async_calls", "async_failure", requesters=1),
             applies=lambda label: label.call == "IVssAsync::Wait", check=_inv26_check),
    Property("INV-27", "free_metadata_only_after_gather",
             "FreeWriterMetadata is never called while GatherWriterMetadata is still pending.",
             "edge", ("REQ-23", "ASY-07"), "HAZARD", needs("metadata_calls", requesters=1),
             applies=lambda label: label.call == f"{IVSS}FreeWriterMetadata",
             check=lambda label, before, after: before.req(actor_index(label), "metadata") != "pending"),
    Property("LIV-01", "async_eventually_terminal",
             "Every pending IVssAsync eventually finishes, fails or is cancelled.",
             "leads_to", ("ASY-03", "ASY-04"), "HOLD", needs(requesters=1),
             p=lambda view: any(view.async_state(r, op) == "pending" for r in requesters(view) for op in OPERATIONS),
             q=lambda view: all(view.async_state(r, op) != "pending" for r in requesters(view) for op in OPERATIONS)),
    Property("LIV-02", "frozen_writer_eventually_leaves",
             "Every frozen writer eventually leaves Frozen (Thaw or Abort).",
             "leads_to", ("WRT-04", "WRT-09"), "HOLD", needs(requesters=1, writers=1),
             p=lambda view: any(w[0] == "frozen" for r in requesters(view) for w in view.writers(r)),
             q=lambda view: all(w[0] != "frozen" for r in requesters(view) for w in view.writers(r))),
    Property("LIV-03", "undetected_backup_mode_eventually_left",
             "Backup mode entered without a detected backup is eventually left when the timer expires.",
             "leads_to", ("CSV-08",), "HOLD", needs("backup_mode", "timer_expiry", volumes=1),
             p=lambda view: any(view.csv(v) == "backup" and view.csv_var(v, "timer") == "armed" for v in volumes(view)),
             q=lambda view: all(view.csv(v) == "normal" or view.csv_var(v, "detected") for v in volumes(view))),
    Property("LIV-04", "crashed_prepare_cleared_in_30_minutes",
             "After a requester crash before the snapshot, Backup in Progress is cleared within 30 minutes.",
             "leads_to", ("NODE-09",), "HOLD",
             needs("resapi", "crash", "timer_expiry", requesters=1, volumes=1, os="2008r2"),
             p=_liv04_p, q=lambda view: not _liv04_p(view)),
    Property("LIV-05", "orphaned_snapshot_mark_cleared",
             "After a requester crash once a software snapshot exists, Backup in Progress is eventually cleared.",
             "leads_to", ("NODE-12",), "HAZARD", needs("resapi", "crash", requesters=1, volumes=1, os="2008r2"),
             p=_liv05_p, q=lambda view: not _liv05_p(view)),
    Property("LIV-06", "writer_eventually_gets_backup_complete",
             "A writer that handled PostSnapshot eventually receives BackupComplete.",
             "leads_to", ("WRT-13", "REQ-47"), "HAZARD", needs(requesters=1, writers=1),
             p=lambda view: any(w[0] == "post_snapshot_done" for r in requesters(view) for w in view.writers(r)),
             q=lambda view: all(w[0] != "post_snapshot_done" for r in requesters(view) for w in view.writers(r))),
    Property("LIV-07", "prepared_session_completes_or_aborts",
             "A session that called PrepareForBackup calls BackupComplete or AbortBackup before it ends "
             "(Release, or process exit: the system's Release).",
             "edge", ("REQ-36", "REQ-45", "REQ-47", "REQ-01a", "AMB-06"), "OBLIG", needs(requesters=1),
             applies=lambda label: label.call == "IUnknown::Release",
             check=lambda label, before, after: before.phase(actor_index(label))
             not in ("preparing", "prepared", "snapshotting", "snapshot_done", "snapshot_failed")),
    Property("LIV-08", "status_gathered_after_complete_on_old_os",
             "After BackupComplete the requester calls GatherWriterStatus (a MUST on Windows Server 2008 SP2 "
             "and earlier; a SHOULD, REQ-49, on later versions).",
             "edge", ("REQ-27", "REQ-49"), "OBLIG",
             never("applies to Windows Server 2008 SP2 and earlier only; the modelled versions are 2008 R2 and 2012"),
             applies=lambda label: label.call == "IUnknown::Release",
             check=lambda label, before, after: True),
    Property("INV-28", "backup_succeeded_before_complete",
             "In component mode, every explicitly added component has had SetBackupSucceeded when BackupComplete "
             "is called (OBLIG-33; the call itself still succeeds).",
             "edge", ("REQ-33", "REQ-11"), "OBLIG", needs("metadata_calls", requesters=1),
             applies=lambda label: label.call == f"{IVSS}BackupComplete" and label.result == "S_OK",
             check=_inv28_check),
    Property("LIV-10", "leaked_lock_blocks_other_requesters",
             "An object that holds the creation lock eventually gives it back, so another requester waiting to "
             "start a snapshot set can (false: a living process that leaks the object keeps it).",
             "leads_to", ("REQ-14", "REQ-01a"), "HAZARD", needs(requesters=2),
             p=_liv10_p, q=lambda view: not _holds_lock(view)),
    Property("LIV-11", "every_object_eventually_released",
             "Every IVssBackupComponents object is eventually released (a log that ends with a live object is "
             "OBLIG-01, minor; one that still holds the creation lock without AbortBackup is OBLIG-36).",
             "leads_to", ("REQ-01a", "REQ-39", "REQ-36"), "OBLIG", needs(requesters=1),
             p=lambda view: any(view.phase(r) not in ("absent", "released") for r in requesters(view)),
             q=lambda view: all(view.phase(r) in ("absent", "released") for r in requesters(view))),
    Property("LIV-09", "detected_backup_keeps_mode",
             "A backup detected before the timer expires keeps backup mode until an explicit VolumeBackupNone.",
             "edge", ("CSV-09",), "HOLD", needs("backup_mode", "backup_detection", requesters=1, volumes=1),
             applies=lambda label: bool(steps_on(label, "CsvVolume")), check=_liv09_check),
)

WITNESSES: tuple[Property, ...] = (
    Property("WIT-01", "happy_path",
             "The full backup is reachable: CreateVssBackupComponents through BackupComplete and Release, "
             "with the CSV backup mode set before and cleared after.",
             "witness", ("REQ-01", "REQ-02", "REQ-08", "REQ-09", "REQ-13", "REQ-15", "REQ-28", "REQ-30",
                         "REQ-34", "REQ-47", "CSV-07", "CSV-10"), "HOLD",
             needs("backup_mode", requesters=1, volumes=1),
             milestones=(call("CreateVssBackupComponents", "S_OK"),
                         call(f"{IVSS}InitializeForBackup", "S_OK"),
                         call(f"{IVSS}SetBackupState", "S_OK"),
                         call(f"{IVSS}GatherWriterMetadata", "S_OK"),
                         _metadata_completes,
                         _node_call(SET_BACKUP_MODE, "VolumeBackupInProgress"),
                         call(f"{IVSS}StartSnapshotSet", "S_OK"),
                         call(f"{IVSS}AddToSnapshotSet", "S_OK"),
                         call(f"{IVSS}PrepareForBackup", "S_OK"),
                         _op_completes("PrepareForBackup"),
                         call(f"{IVSS}DoSnapshotSet", "S_OK"),
                         _op_completes("DoSnapshotSet"),
                         call(f"{IVSS}BackupComplete", "S_OK"),
                         _op_completes("BackupComplete"),
                         _node_call(SET_BACKUP_MODE, "VolumeBackupNone"),
                         call("IUnknown::Release", "S_OK"))),
)


# == Issue 13 (shadowspec mutate): the catalogue's general principles ============================
# A block of its own, appended (issue 9 edits the entries above). The checks live in
# checks/principles.py; the documented results per method come from rules.md (checks/result_index.py).
from . import principles  # noqa: E402

PRINCIPLES: tuple[Property, ...] = (
    Property("PRN-01", "results_are_documented",
             "Every result a call returns is one of the results its documentation page gives for the method.",
             "edge", ("REQ-03", "ASY-02", "CSV-05", "NODE-06"), "HOLD",
             applies=principles.is_call, check=principles.result_documented),
    Property("PRN-02", "rejected_call_changes_nothing",
             "A call rejected with one of its documented errors changes nothing.",
             "edge", ("REQ-03", "REQ-14", "REQ-17", "CSV-02", "NODE-05"), "HOLD",
             applies=principles.is_rejected, check=principles.changes_nothing),
    Property("PRN-03", "results_are_documented_for_the_state",
             "Every result a requester's call returns is one the state tables give for the method in the state "
             "the call is made in (anything not listed for a phase: VSS_E_BAD_STATE).",
             "edge", ("REQ-03", "REQ-15", "REQ-30", "ASY-02", "ASY-04", "ASY-05", "AMB-01"), "HOLD", needs(requesters=1),
             applies=principles.is_stated_call, check=principles.documented_in_state),
    Property("PRN-04", "success_leads_to_the_documented_phase",
             "A successful requester call leads to the phase its state-table row names, or keeps the phase "
             "where the row names none.",
             "edge", ("REQ-01", "REQ-02", "REQ-13", "REQ-28", "REQ-30", "REQ-34", "REQ-36", "REQ-47"), "HOLD",
             needs(requesters=1),
             applies=principles.is_succeeding_stated_call, check=principles.leads_to_documented_phase),
)

# The writer metadata and the Backup Components Document (rules.md 7.1 rows), which the
# revision-2 mutation run found unprotected (docs/mutation-run-2026-12-02.md).
_META = needs("metadata_calls", requesters=1)
DOCUMENT: tuple[Property, ...] = (
    Property("EFF-13", "writer_metadata_readable_exactly_when_gathered",
             "GetWriterMetadata succeeds exactly while the writer metadata is gathered (before the gather "
             "completes, and after FreeWriterMetadata, VSS_E_BAD_STATE), and changes nothing.",
             "edge", ("REQ-22", "REQ-23", "ASY-07"), "HOLD", _META,
             applies=principles.requester_call("GetWriterMetadata"), check=principles.succeeds_iff_metadata_gathered),
    Property("EFF-14", "free_writer_metadata_frees_gathered_metadata",
             "FreeWriterMetadata of gathered metadata returns S_OK and frees it; with no metadata gathered it "
             "returns VSS_E_BAD_STATE.",
             "edge", ("REQ-23",), "HOLD", _META,
             applies=principles.requester_call("FreeWriterMetadata"), check=principles.free_metadata_as_documented),
    Property("EFF-15", "free_while_gathering_is_undefined",
             "FreeWriterMetadata has an undefined result exactly while the gather is pending.",
             "edge", ("REQ-23", "ASY-07", "INV-27"), "HOLD", _META,
             applies=principles.pending_free_is_undefined, check=principles.undefined_while_pending),
    Property("EFF-16", "finished_gather_leaves_metadata_gathered",
             "When a GatherWriterMetadata operation finishes, its session's metadata is gathered and its phase "
             "is unchanged.",
             "edge", ("ASY-02", "REQ-22"), "HOLD", needs(requesters=1),
             applies=principles.gather_finished, check=principles.metadata_gathered_after),
    Property("EFF-17", "duplicate_component_rejected",
             "AddComponent with a key already in the document fails (VSS_E_OBJECT_ALREADY_EXISTS, or the "
             "phase's VSS_E_BAD_STATE) and leaves the document unchanged; only such a key gets that code.",
             "edge", ("REQ-11", "DATA-08"), "HOLD", _META,
             applies=principles.duplicate_component, check=principles.duplicate_rejected),
    Property("EFF-18", "unknown_component_never_succeeded",
             "SetBackupSucceeded for a key that is not in the document never succeeds and changes nothing.",
             "edge", ("REQ-33",), "HOLD", _META,
             applies=principles.unknown_component_succeeded, check=principles.unknown_component_not_found),
    Property("EFF-19", "set_full_only_at_the_limit",
             "AddToSnapshotSet returns VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED only when the set already holds "
             "the maximum number of volumes.",
             "edge", ("REQ-17", "DATA-06"), "HOLD", needs(requesters=1, volumes=1),
             applies=principles.set_full_reported, check=principles.set_was_full),
    Property("EFF-20", "end_of_object_deletes_auto_release_copies",
             "A Release or a process exit deletes the object's shadow copies in an auto-release context and "
             "keeps them in a persistent one.",
             "edge", ("REQ-38", "REQ-48", "REQ-01a"), "HOLD", needs(requesters=1),
             applies=principles.object_ends, check=principles.auto_release_copies_deleted),
    Property("EFF-21", "identify_changes_no_writer",
             "The Identify event (GatherWriterMetadata by anyone) never changes a writer's backup state.",
             "edge", ("WRT-03",), "HOLD", needs(requesters=1, writers=1),
             applies=principles.identify_raised, check=principles.identify_changes_no_writer),
    Property("EFF-22", "invalid_request_only_in_maintenance",
             "A DIRECTIO control code returns ERROR_CLUSTER_INVALID_REQUEST only for a CSV in maintenance mode.",
             "edge", ("CSV-12", "CSV-13"), "HOLD", needs("directio", volumes=1),
             applies=principles.directio_call, check=principles.invalid_request_only_in_maintenance),
    Property("EFF-23", "offline_resource_is_offline",
             "When a CSV resource goes offline it is offline afterwards.",
             "edge", ("CSV-05", "AMB-12"), "HOLD", needs("offline", volumes=1),
             applies=principles.goes_offline, check=principles.offline_after),
)


# The documented effects the first mutation run found unprotected (each reads a row of rules.md
# section 7.4 / section 4: what a successful control code or a server step leaves behind).
_CSV = needs("backup_mode", volumes=1)
EFFECTS: tuple[Property, ...] = (
    Property("EFF-01", "backup_mode_on_arms_timer",
             "A successful SET_SHARED_VOLUME_BACKUP_MODE(VolumeBackupInProgress) turns backup mode on and arms "
             "the Volume Backup Timer, with no backup detected yet.",
             "edge", ("CSV-07", "CSV-11"), "HOLD", _CSV,
             applies=principles.control_succeeded(principles.SET_BACKUP_MODE, BackupState="VolumeBackupInProgress"),
             check=principles.csv_after(state="backup", timer="armed", detected=False)),
    Property("EFF-02", "backup_mode_none_leaves_backup",
             "A successful SET_SHARED_VOLUME_BACKUP_MODE(VolumeBackupNone) takes the volume out of backup mode "
             "and cancels the timer.",
             "edge", ("CSV-10", "CSV-09"), "HOLD", _CSV,
             applies=principles.control_succeeded(principles.SET_BACKUP_MODE, BackupState="VolumeBackupNone"),
             check=principles.csv_after(state="normal", timer="off")),
    Property("EFF-03", "control_codes_fail_while_offline",
             "Every control code on a CSV that is not online fails: ERROR_RESOURCE_NOT_ONLINE, or "
             "ERROR_INVALID_FUNCTION from a check that precedes it.",
             "edge", ("CSV-05", "CSV-16"), "HOLD", needs("offline", volumes=1),
             applies=principles.control_while_offline, check=principles.offline_control_fails),
    Property("EFF-04", "directio_moves_redirected_mode",
             "A successful ENABLE_SHARED_VOLUME_DIRECTIO leaves the CSV not redirected; a successful "
             "DISABLE_SHARED_VOLUME_DIRECTIO leaves it redirected.",
             "edge", ("CSV-12", "CSV-13"), "HOLD", needs("directio", volumes=1, protocol="3.0"),
             applies=lambda label: principles.control_succeeded(principles.ENABLE_DIRECTIO)(label)
             or principles.control_succeeded(principles.DISABLE_DIRECTIO)(label),
             check=lambda label, before, after: principles.csv_after(
                 redirected=argument(label, "control") == principles.DISABLE_DIRECTIO)(label, before, after)),
    Property("EFF-05", "maintenance_mode_as_requested",
             "A successful SET_CSV_MAINTENANCE_MODE leaves volume maintenance mode as requested (idempotent).",
             "edge", ("CSV-16",), "HOLD", needs("maintenance", volumes=1),
             applies=principles.control_succeeded(principles.MAINTENANCE),
             check=principles.maintenance_as_requested),
    Property("EFF-06", "server_fault_redirects",
             "When the server redirects a CSV to handle a fault, the CSV is in redirected mode afterwards.",
             "edge", ("CSV-14",), "HOLD", needs("redirect_fault", volumes=1),
             applies=principles.cluster_step("volume redirected by the server"),
             check=principles.csv_after(redirected=True)),
    Property("EFF-07", "timer_expiry_leaves_backup",
             "When the Volume Backup Timer expires with no backup detected, backup mode is off and the timer stopped.",
             "edge", ("CSV-08",), "HOLD", needs("backup_mode", "timer_expiry", volumes=1),
             applies=principles.cluster_step("Volume Backup Timer expires"),
             check=principles.csv_after(state="normal", timer="off")),
    Property("EFF-08", "detection_cancels_timer",
             "A backup detected in backup mode cancels the Volume Backup Timer and keeps backup mode.",
             "edge", ("CSV-09",), "HOLD", needs("backup_mode", "backup_detection", volumes=1),
             applies=principles.cluster_step("backup detected"),
             check=principles.csv_after(state="backup", timer="off", detected=True)),
)

ERRORS: tuple[Property, ...] = (
    Property("ERR-01", "bad_state_until_initialised",
             "Every backup method but InitializeForBackup called on an object that is not initialized fails "
             "with VSS_E_BAD_STATE (DeleteSnapshots aside: AMB-20).",
             "edge", ("REQ-03", "AMB-01"), "HOLD", needs(requesters=1),
             applies=principles.uninitialised_call, check=principles.bad_state_until_initialised),
)

_RESAPI = needs("resapi", volumes=1, nodes=1)
MARKS: tuple[Property, ...] = (
    Property("EFF-09", "prepare_marks_the_caller",
             "On Windows Server 2008 R2 a successful ClusterPrepareSharedVolumeForBackup of an unmarked CSV marks "
             "it \"Backup in Progress\" for the calling node and arms the 30-minute clear; of a marked CSV, it "
             "leaves it marked and pinned to the calling node.",
             "edge", ("NODE-02", "NODE-09", "NODE-03"), "HOLD", both(_RESAPI, needs(os="2008r2")),
             applies=principles.node_call("ClusterPrepareSharedVolumeForBackup"),
             check=principles.prepare_marks_caller),
    Property("EFF-10", "clear_unmarks",
             "A successful ClusterClearBackupStateForSharedVolume leaves the CSV not \"Backup in Progress\", "
             "whichever node marked it.",
             "edge", ("NODE-10", "NODE-11"), "HOLD", _RESAPI,
             applies=principles.node_call("ClusterClearBackupStateForSharedVolume"),
             check=principles.mark_after("not_in_backup", owner=0, auto_clear="off")),
    Property("EFF-11", "auto_clear_unmarks",
             "The 30-minute automatic clear leaves the CSV not \"Backup in Progress\".",
             "edge", ("NODE-09",), "HOLD", both(_RESAPI, needs("timer_expiry", os="2008r2")),
             applies=principles.cluster_step("30-minute automatic clear"),
             check=principles.mark_after("not_in_backup", owner=0, auto_clear="off")),
    Property("EFF-12", "snapshot_disarms_auto_clear",
             "A snapshot created while the CSV is \"Backup in Progress\" disarms its 30-minute clear.",
             "edge", ("NODE-09", "NODE-12"), "HOLD", both(_RESAPI, needs(os="2008r2", requesters=1)),
             applies=principles.snapshot_disarms_clear, check=principles.snapshot_recorded),
)

ARGUMENTS: tuple[Property, ...] = (
    Property("ERR-02", "argument_errors_name_an_invalid_argument",
             "An argument error (E_INVALIDARG, VSS_E_INVALID_XML_DOCUMENT, E_ACCESSDENIED, ERROR_MORE_DATA, a "
             "system error, ERROR_INVALID_PARAMETER) is returned only for the invalid argument its page names.",
             "edge", ("REQ-01", "REQ-02", "REQ-07", "REQ-08", "NODE-05", "NODE-06", "NODE-07", "CSV-11"), "HOLD",
             any_of(needs(requesters=1), needs("resapi", volumes=1)),
             applies=principles.may_return_argument_error, check=principles.names_an_invalid_argument),
    Property("ERR-03", "invalid_arguments_never_succeed",
             "A call with an argument its page calls invalid does not succeed.",
             "edge", ("REQ-01", "REQ-02", "REQ-07", "REQ-08", "NODE-05", "NODE-06", "NODE-07"), "HOLD",
             both(needs("bad_arguments"), any_of(needs(requesters=1), needs("resapi", volumes=1))),
             applies=principles.invalid_argument_call, check=principles.does_not_succeed),
)

# The writer table (rules.md 7.3) and the composition's cross-machine effects, which the second
# mutation run found unprotected (docs/mutation-run-2026-12-03.md); checks in checks/writer_table.py
# and checks/composition_effects.py.
from . import composition_effects as cross  # noqa: E402
from . import session_effects as session  # noqa: E402
from . import wait_results  # noqa: E402
from . import writer_table  # noqa: E402

_WRITER = needs(requesters=1, writers=1)
COMPOSITION: tuple[Property, ...] = (
    Property("PRN-05", "writer_events_follow_the_writer_table",
             "Every event delivered to a writer leads to the state rules.md's writer table gives for the event, "
             "the writer's state and the handler's result; a handler returning false (or the freeze timeout) "
             "records a writer failure; an event the table does not list for the state changes nothing.",
             "edge", ("WRT-02", "WRT-07", "WRT-08", "WRT-10", "WRT-15", "WRT-04", "REQ-46"), "HOLD", _WRITER,
             applies=writer_table.delivers_writer_event, check=writer_table.follows_writer_table),
    Property("EFF-24", "writer_handler_result_reported",
             "The result of a writer event (OnPrepareSnapshot, OnFreeze, OnThaw, OnPostSnapshot) is the result "
             "its handler returned: false on a fatal error, never reported as true.",
             "edge", ("WRT-07", "WRT-15"), "HOLD", _WRITER,
             applies=writer_table.handler_event, check=writer_table.handler_result_reported),
    Property("EFF-25", "snapshot_end_releases_the_creation",
             "When a DoSnapshotSet ends (finished, failed or cancelled), or the object is aborted or released, "
             "it holds no shadow-copy creation any more.",
             "edge", ("REQ-14", "REQ-30", "REQ-36", "REQ-47", "AMB-23"), "HOLD", needs(requesters=1),
             applies=cross.ends_the_creation, check=cross.snapshot_end_releases_lock),
    Property("EFF-26", "failed_snapshot_aborts_its_writers",
             "When a DoSnapshotSet fails, no writer of that session is left in a state Abort is delivered to "
             "(BackupPrepared through Thawed): each got Abort.",
             "edge", ("REQ-46", "WRT-15", "WRT-10", "AMB-23"), "HOLD", _WRITER,
             applies=cross.leaves_snapshotting, check=cross.failed_snapshot_aborts_writers),
    Property("EFF-27", "async_call_hands_out_a_pending_operation",
             "A successful call of an asynchronous method (GatherWriterMetadata, PrepareForBackup, DoSnapshotSet, "
             "BackupComplete, GatherWriterStatus) hands out its IVssAsync in the Pending state.",
             "edge", ("ASY-01",), "HOLD", needs(requesters=1),
             applies=cross.async_call_succeeded, check=cross.async_handed_out_pending),
    Property("EFF-28", "job_end_clears_its_marks",
             "When a backup job ends (Release or BackupComplete's completion, as the configuration reads AMB-15), "
             "the \"Backup in Progress\" marks its node holds on the volumes of its snapshot set are cleared.",
             "edge", ("NODE-08", "AMB-15"), "HOLD", needs("resapi", requesters=1, volumes=1),
             applies=cross.may_end_a_job, check=cross.job_end_clears_its_marks),
    Property("EFF-29", "failed_node_is_not_a_member",
             "A node that fails is not a member of the cluster afterwards (the resapi calls need a member node).",
             "edge", ("NODE-01", "AMB-12"), "HOLD", needs("failover", nodes=1),
             applies=cross.node_fails, check=cross.failed_node_not_member),
    Property("EFF-30", "not_online_only_when_offline",
             "A control code returns ERROR_RESOURCE_NOT_ONLINE only for a CSV resource that is not online.",
             "edge", ("CSV-05",), "HOLD",
             any_of(needs("backup_mode", volumes=1), needs("directio", volumes=1), needs("maintenance", volumes=1)),
             applies=cross.control_call, check=cross.not_online_only_when_offline),
    Property("EFF-31", "provider_commit_result_as_the_provider",
             "The provider's commit reports success exactly when the provider succeeded; its failure is one of "
             "DoSnapshotSet's documented errors.",
             "edge", ("REQ-30", "REQ-31", "REQ-46"), "HOLD", needs(requesters=1),
             applies=cross.provider_commit, check=cross.commit_result_as_provider),
    Property("EFF-32", "wait_on_failed_may_return_s_ok",
             "Claim: IVssAsync::Wait on a failed operation always returns the failure. ASY-05 allows the observed "
             "S_OK as well, so the model must meet a counterexample.",
             "edge", ("ASY-05", "ASY-09", "INV-26"), "HAZARD", needs("async_calls", "async_failure", requesters=1),
             applies=wait_results.wait_on_failed, check=wait_results.reports_the_failure),
    Property("EFF-33", "wait_on_failed_may_return_hr",
             "Claim: IVssAsync::Wait on a failed operation always returns S_OK. ASY-05 documents the failure as a "
             "result as well, so the model must meet a counterexample.",
             "edge", ("ASY-05",), "HAZARD", needs("async_calls", "async_failure", requesters=1),
             applies=wait_results.wait_on_failed, check=wait_results.reports_success),
    Property("EFF-34", "abort_backup_bad_state_only_if_not_initialized",
             "AbortBackup returns VSS_E_BAD_STATE only on an object that is not initialized.",
             "edge", ("REQ-36",), "HOLD", needs(requesters=1),
             applies=session.abort_backup_call, check=session.bad_state_only_if_not_initialized),
    Property("EFF-35", "added_volume_is_in_the_set",
             "A successful AddToSnapshotSet leaves the volume in the snapshot set.",
             "edge", ("REQ-15",), "HOLD", needs(requesters=1, volumes=1),
             applies=session.add_to_set_call, check=session.added_volume_in_set),
    Property("EFF-36", "already_exists_only_for_a_volume_in_the_set",
             "AddToSnapshotSet returns VSS_E_OBJECT_ALREADY_EXISTS only for a volume already in the set.",
             "edge", ("REQ-16a",), "HOLD", needs(requesters=1, volumes=1),
             applies=session.add_to_set_call, check=session.already_exists_only_if_in_set),
    Property("EFF-37", "set_in_progress_only_for_a_contended_csv",
             "AddToSnapshotSet returns VSS_E_SNAPSHOT_SET_IN_PROGRESS only for a CSV another node's creation in "
             "progress holds.",
             "edge", ("REQ-19", "NODE-13"), "HOLD", needs(requesters=1, volumes=1),
             applies=session.add_to_set_call, check=session.in_progress_only_if_contended),
    Property("EFF-38", "async_end_as_documented",
             "When an operation's work ends its IVssAsync is Finished (or Failed), and a session waiting for it "
             "moves on as the state table says (Prepared, SnapshotDone / SnapshotFailed, Completed; metadata "
             "gathered).",
             "edge", ("ASY-02", "ASY-03", "REQ-28", "REQ-30", "REQ-34", "REQ-22"), "HOLD", needs(requesters=1),
             applies=session.ends_async_work, check=session.async_end_as_documented),
    Property("EFF-39", "finished_snapshot_leaves_shadow_copies",
             "A DoSnapshotSet that finishes leaves the shadow copies of its set.",
             "edge", ("REQ-30",), "HOLD", needs(requesters=1),
             applies=session.snapshot_finishes, check=session.finished_snapshot_leaves_copies),
    Property("EFF-40", "back_online_and_member",
             "A CSV resource that comes online is online; a node that rejoins is a cluster member.",
             "edge", ("CSV-05", "NODE-01", "AMB-12"), "HOLD", any_of(needs("offline", volumes=1), needs("failover", nodes=1)),
             applies=session.comes_back, check=session.back_after),
    Property("EFF-41", "csv_environment_never_enters_backup_mode",
             "A server fault, the resource going offline or coming online never turns a CSV's backup mode on; "
             "only going offline may turn it off.",
             "edge", ("CSV-02", "CSV-05", "CSV-14", "AMB-12"), "HOLD",
             any_of(needs("offline", volumes=1), needs("redirect_fault", volumes=1)),
             applies=session.csv_environment_step, check=session.environment_never_enters_backup),
    Property("EFF-42", "moved_coordinator_clears_the_mark",
             "When a CSV's coordinator moves to another node, the CSV is no longer \"Backup in Progress\".",
             "edge", ("NODE-12", "AMB-12"), "HOLD", needs("resapi", "failover", volumes=1, nodes=1),
             applies=cross.coordinator_moves, check=cross.moved_coordinator_clears_mark),
)

# The RequesterSession rules the full mutation run on every CI configuration left unprotected
# (REQ-08, REQ-37/48, REQ-42, REQ-47/01a); checks in checks/requester_rules.py.
from . import requester_rules as req_rules  # noqa: E402

_DELETE = needs("delete_snapshots", requesters=1)
_NO_WRITER = needs("context_calls", requesters=1)
REQUESTER_RULES: tuple[Property, ...] = (
    Property("EFF-43", "delete_snapshots_deletes_what_exists",
             "DeleteSnapshots succeeds only for shadow copies that exist and leaves none of them; a provider "
             "failure stops at a copy it could not delete, so copies are left.",
             "edge", ("REQ-37", "REQ-48"), "HOLD", _DELETE,
             applies=req_rules.delete_call, check=req_rules.delete_deletes_what_exists),
    Property("EFF-44", "delete_snapshots_not_found_only_without_copies",
             "DeleteSnapshots returns VSS_E_OBJECT_NOT_FOUND only when the object has no shadow copy.",
             "edge", ("REQ-37",), "HOLD", _DELETE,
             applies=req_rules.delete_call, check=req_rules.not_found_only_without_copies),
    Property("EFF-45", "delete_snapshots_never_bad_state_once_initialized",
             "DeleteSnapshots on an initialized object never returns VSS_E_BAD_STATE (its page documents none).",
             "edge", ("REQ-37", "AMB-20"), "HOLD", _DELETE,
             applies=req_rules.delete_call, check=req_rules.delete_never_bad_state_once_initialized),
    Property("EFF-46", "no_writer_context_rejects_writer_calls",
             "In a no-writer context AddComponent, PrepareForBackup and BackupComplete fail with VSS_E_BAD_STATE.",
             "edge", ("REQ-42",), "HOLD", _NO_WRITER,
             applies=req_rules.no_writer_call, check=req_rules.no_writer_call_rejected),
    Property("EFF-47", "no_writer_context_raises_no_writer_events",
             "In a no-writer context no writer receives a backup event (PrepareForBackup, PrepareForSnapshot, "
             "Freeze, Thaw, PostSnapshot, BackupComplete).",
             "edge", ("REQ-42",), "HOLD", needs("context_calls", requesters=1, writers=1),
             applies=req_rules.writer_backup_event, check=req_rules.no_writer_event_without_writers),
    Property("EFF-48", "process_exit_ends_the_object_by_its_process",
             "A process exit ends the object by the system's Release, recorded as ended by its process (the "
             "OBLIG-01 finding, NODE-09's dead requester); a Release by the requester is not a process exit.",
             "edge", ("REQ-01a", "REQ-47"), "HOLD", needs(requesters=1),
             applies=req_rules.object_ends, check=req_rules.ended_by_its_process),
    Property("EFF-49", "set_backup_state_records_the_backup_state",
             "A successful SetBackupState records the backup state: PrepareForBackup may follow, and the object "
             "is in component mode exactly when bSelectComponents was TRUE.",
             "edge", ("REQ-08",), "HOLD", needs(requesters=1),
             applies=req_rules.backup_state_set, check=req_rules.backup_state_recorded),
    Property("EFF-51", "abort_backup_aborts_the_writers",
             "An AbortBackup that aborts the backup leaves no writer of its session in a state Abort is delivered "
             "to (BackupPrepared through Thawed): each got OnAbort.",
             "edge", ("REQ-36", "REQ-46", "WRT-10"), "HOLD", needs(requesters=1, writers=1),
             applies=req_rules.abort_backup_accepted, check=req_rules.abort_reaches_the_writers),
    Property("EFF-52", "end_of_object_shuts_down_its_writers",
             "When an object whose PrepareForBackup was called ends (Release, or the system's Release at process "
             "exit), its writers receive BackupShutdown.",
             "edge", ("REQ-47", "REQ-01a", "WRT-14", "LIV-06"), "HOLD", needs(requesters=1, writers=1),
             applies=req_rules.object_with_writers_ends, check=req_rules.end_shuts_down_the_writers),
    Property("EFF-53", "abort_reaches_exactly_the_writers_in_the_operation",
             "An Abort runs OnAbort for a writer in BackupPrepared through Thawed; a writer in Idle, "
             "PostSnapshotDone or BackupCompleted gets no event and is left as it was.",
             "edge", ("WRT-10", "REQ-46", "REQ-36"), "HOLD", needs(requesters=1, writers=1),
             applies=req_rules.abort_to_a_writer, check=req_rules.abort_delivered_as_the_table_says),
    Property("EFF-54", "set_backup_succeeded_records_a_known_component",
             "In component mode, after DoSnapshotSet succeeded, SetBackupSucceeded of a component in the "
             "document succeeds and records it; VSS_E_OBJECT_NOT_FOUND is for a key not in the document only.",
             "edge", ("REQ-33",), "HOLD", needs("metadata_calls", requesters=1),
             applies=req_rules.set_backup_succeeded_after_snapshot, check=req_rules.known_component_marked_succeeded),
)

PROPERTIES = PROPERTIES + PRINCIPLES + EFFECTS + ERRORS + MARKS + ARGUMENTS + DOCUMENT + COMPOSITION + REQUESTER_RULES

# == Issue 13, engineer B (EFF-60..79): the survivors of the full CI mutation run citing REQ-09,
# REQ-10, REQ-07, REQ-15, CSV-10 and AMB-12. Checks in checks/call_windows.py (when a requester
# call is accepted and what it records, 7.1) and checks/cluster_readings.py (the CSV server's
# record of a request; AMB-12's two fates as HAZARD pairs).
from . import call_windows as window  # noqa: E402
from . import cluster_readings as readings  # noqa: E402
from . import writer_delivery as delivery  # noqa: E402

_AMB12 = readings.amb12_either
WINDOWS: tuple[Property, ...] = (
    Property("EFF-60", "failed_gather_keeps_the_phase",
             "When a GatherWriterMetadata operation fails, its session stays in its phase and its writer metadata "
             "is neither pending nor gathered.",
             "edge", ("ASY-02", "ASY-03", "REQ-09"), "HOLD", needs("async_failure", requesters=1),
             applies=window.gather_fails, check=window.failed_gather_stays),
    Property("EFF-61", "gather_writer_metadata_once_in_its_window",
             "GatherWriterMetadata succeeds exactly in Initialized or SetStarted (before PrepareForBackup) on an "
             "object that has not gathered before, leaves the metadata pending and keeps the phase; otherwise "
             "it returns VSS_E_BAD_STATE.",
             "edge", ("REQ-09", "AMB-04", "AMB-01", "REQ-41"), "HOLD", needs(requesters=1),
             applies=window.gather_call, check=window.gather_as_documented),
    Property("EFF-62", "add_component_in_its_window",
             "AddComponent succeeds exactly from a completed gather until DoSnapshotSet, outside a no-writer "
             "context, for a new key; it records the component and marks a late add exactly after "
             "PrepareForBackup; a duplicate there gets VSS_E_OBJECT_ALREADY_EXISTS, any other refusal "
             "VSS_E_BAD_STATE.",
             "edge", ("REQ-10", "AMB-02", "REQ-22", "REQ-42", "REQ-11"), "HOLD", _META,
             applies=window.add_component_call, check=window.add_component_as_documented),
    Property("EFF-63", "add_to_snapshot_set_keeps_the_phase",
             "AddToSnapshotSet never changes the session's phase, whatever it returns.",
             "edge", ("REQ-15", "AMB-01"), "HOLD", needs(requesters=1, volumes=1),
             applies=window.add_to_set_call, check=window.phase_kept),
    Property("EFF-77", "initialize_for_backup_in_sequence",
             "On a created object InitializeForBackup succeeds and initializes it, or with a bad document returns "
             "VSS_E_INVALID_XML_DOCUMENT and leaves it created; on an initialized object it returns VSS_E_BAD_STATE "
             "and changes no phase.",
             "edge", ("REQ-02",), "HOLD", needs(requesters=1),
             applies=window.initialize_call, check=window.initialize_as_documented),
    Property("EFF-64", "set_context_once_before_the_set",
             "SetContext succeeds exactly in Initialized, once, with a valid context, and records the context "
             "and its provider modifier; a failed SetContext leaves them and the once-only flag unchanged.",
             "edge", ("REQ-05", "REQ-07", "REQ-07a", "AMB-03", "AMB-26"), "HOLD", needs("context_calls", requesters=1),
             applies=window.set_context_call, check=window.set_context_as_documented),
    Property("EFF-65", "invalid_context_may_get_the_observed_code",
             "Claim: SetContext with an invalid context always returns E_INVALIDARG. REQ-07 allows the observed "
             "VSS_E_UNSUPPORTED_CONTEXT as well, so the model must meet a counterexample.",
             "edge", ("REQ-07",), "HAZARD", needs("context_calls", "bad_arguments", requesters=1),
             applies=window.invalid_context_call, check=window.invalid_context_always_invalidarg),
    Property("EFF-66", "invalid_context_may_get_the_documented_code",
             "Claim: SetContext with an invalid context always returns VSS_E_UNSUPPORTED_CONTEXT. REQ-07 documents "
             "E_INVALIDARG, so the model must meet a counterexample.",
             "edge", ("REQ-07",), "HAZARD", needs("context_calls", "bad_arguments", requesters=1),
             applies=window.invalid_context_call, check=window.invalid_context_always_unsupported),
    Property("EFF-67", "backup_mode_request_recorded",
             "A successful SET_SHARED_VOLUME_BACKUP_MODE leaves its BackupState and DelayTimerInSecs as the "
             "volume's last accepted request, whatever mode the volume was in; VolumeBackupNone leaves no timer "
             "and no backup detected.",
             "edge", ("CSV-10", "CSV-07", "CSV-11", "CSV-09"), "HOLD", _CSV,
             applies=readings.backup_mode_request, check=readings.request_recorded),
    Property("EFF-68", "offline_may_keep_backup_mode",
             "Claim: a CSV in backup mode that goes offline always leaves backup mode. AMB-12 leaves its fate "
             "undocumented (keep or clear), so the model must meet a counterexample.",
             "edge", ("AMB-12", "CSV-05"), "HAZARD", both(needs("offline", "backup_mode", volumes=1), _AMB12),
             applies=readings.offline_in_backup, check=readings.offline_always_clears),
    Property("EFF-69", "offline_may_clear_backup_mode",
             "Claim: a CSV in backup mode that goes offline never leaves backup mode. AMB-12 leaves its fate "
             "undocumented (keep or clear), so the model must meet a counterexample.",
             "edge", ("AMB-12", "CSV-05"), "HAZARD", both(needs("offline", "backup_mode", volumes=1), _AMB12),
             applies=readings.offline_in_backup, check=readings.offline_never_clears),
    Property("EFF-70", "failed_node_may_keep_its_marks",
             "Claim: when a node fails, every \"Backup in Progress\" mark it holds (outside its own jobs' sets) is "
             "cleared. AMB-12 leaves the coordinator change undocumented, so the model must meet a counterexample.",
             "edge", ("AMB-12", "NODE-12", "NODE-01"), "HAZARD", both(needs("resapi", "failover", volumes=1, nodes=1), _AMB12),
             applies=readings.node_fails_with_marks, check=readings.failure_always_clears),
    Property("EFF-71", "failed_node_may_lose_its_marks",
             "Claim: when a node fails, every \"Backup in Progress\" mark it holds (outside its own jobs' sets) is "
             "kept. AMB-12 leaves the coordinator change undocumented, so the model must meet a counterexample.",
             "edge", ("AMB-12", "NODE-12", "NODE-01"), "HAZARD", both(needs("resapi", "failover", volumes=1, nodes=1), _AMB12),
             applies=readings.node_fails_with_marks, check=readings.failure_never_clears),
    Property("EFF-72", "prepare_restarts_the_30_minute_clear",
             "On Windows Server 2008 R2 every successful ClusterPrepareSharedVolumeForBackup leaves the CSV "
             "\"Backup in Progress\" for the calling node with the 30-minute clear armed and no snapshot recorded, "
             "also when the caller had marked it before.",
             "edge", ("NODE-09", "NODE-02"), "HOLD", both(needs("resapi", volumes=1, nodes=1), needs(os="2008r2")),
             applies=readings.prepare_2008r2, check=readings.prepare_arms_the_clear),
    Property("EFF-73", "writer_event_delivered_where_the_table_lists_it",
             "A writer event whose state-table row moves the writer on reaches the writer (its handler runs); "
             "an event the table does not list for the writer's state is not delivered.",
             "edge", ("WRT-01", "WRT-12", "WRT-10", "REQ-34"), "HOLD", _WRITER,
             applies=delivery.writer_step, check=delivery.delivered_as_the_table_says),
    Property("EFF-74", "wait_and_query_status_change_nothing",
             "IVssAsync::Wait and IVssAsync::QueryStatus never change the operation or anything else: a pending "
             "operation stays pending until its work ends.",
             "edge", ("ASY-05", "ASY-02", "DATA-09"), "HOLD", needs("async_calls", requesters=1),
             applies=window.async_read_call, check=window.async_read_changes_nothing),
    Property("EFF-75", "operation_end_raises_its_writer_event",
             "When a PrepareForBackup operation finishes, every writer of the session that was Idle has received "
             "PrepareForBackup; when a BackupComplete operation finishes, every writer in PostSnapshotDone has "
             "received BackupComplete.",
             "edge", ("WRT-01", "WRT-12", "REQ-28", "REQ-34"), "HOLD", _WRITER,
             applies=delivery.operation_raises_writer_event, check=delivery.writers_got_the_event),
    Property("EFF-76", "undefined_result_keeps_the_phase",
             "A requester call whose result the documentation leaves undefined (FreeWriterMetadata while the "
             "gather is pending) does not change the session's phase.",
             "edge", ("REQ-23", "ASY-07", "INV-27"), "HOLD", _META,
             applies=window.undefined_requester_call, check=window.undefined_keeps_the_phase),
)

PROPERTIES = PROPERTIES + WINDOWS
