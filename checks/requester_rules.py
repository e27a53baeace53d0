"""The requester rules REQ-08, REQ-37/48, REQ-42 and REQ-47/01a, read as what a step leaves behind.

Why: the full mutation run on every CI configuration (``shadowspec mutate --ci --sample 0``,
docs/mutation-run-2026-12-03.md) left RequesterSession mutants of these rules alive: no property
read the object after DeleteSnapshots, after a process exit or after SetBackupState, nor what a
no-writer context forbids. Each check below reads the views before and after the step and the
rule's sentence in rules.md revision 2, never the declared transitions:

* EFF-43 (REQ-37, REQ-48; 7.1 "any | DeleteSnapshots | id exists | delete sequentially, stop at
  first failure"): DeleteSnapshots succeeds only for shadow copies that exist, and its success
  deleted them all (the page: the count deleted, GUID_NULL as the first undeleted id); a provider
  failure (VSS_E_PROVIDER_VETO, VSS_E_UNEXPECTED_PROVIDER_ERROR) stopped at a copy it could not
  delete, so copies are left;
* EFF-44 (REQ-37, the DeleteSnapshots page: VSS_E_OBJECT_NOT_FOUND "The specified shadow copy
  does not exist"): VSS_E_OBJECT_NOT_FOUND only when the object has no shadow copy;
* EFF-45 (REQ-37 "no VSS_E_BAD_STATE documented", AMB-20 "allow in any initialized phase"):
  DeleteSnapshots on an initialized object never returns VSS_E_BAD_STATE;
* EFF-46 (REQ-42): in a no-writer context AddComponent, PrepareForBackup and BackupComplete
  fail with VSS_E_BAD_STATE;
* EFF-47 (REQ-42 "no PrepareForSnapshot/Freeze/Thaw/PostSnapshot events are generated", and the
  events of the calls REQ-42 rejects, PrepareForBackup and BackupComplete): in a no-writer context
  no writer receives a backup operation event;
* EFF-48 (REQ-01a, REQ-47, 7.1 process_exit row): a process exit ends the object by the system's
  Release, recorded as the process's end (the OBLIG-01 finding of 7.1, the dead requester of
  NODE-09 that LIV-04 reads), and a Release by the requester is not one;
* EFF-49 (REQ-08): a successful SetBackupState records the backup state: PrepareForBackup may
  follow, and the object is in component mode exactly when bSelectComponents was TRUE.

* EFF-51 (REQ-36, REQ-46 a, WRT-10; 7.1's AbortBackup row "Abort event to the writers in
  BackupPrepared…Thawed (7.3)"): an AbortBackup that aborts the backup (Initialized…SnapshotFailed)
  leaves no writer of its session in a state Abort is delivered to: each got OnAbort;
* EFF-52 (REQ-47, WRT-14, 7.3 "any | BackupShutdown (requester object released) | Shutdown",
  LIV-06: "only BackupShutdown is guaranteed on release"): when an object whose PrepareForBackup
  was called ends (Release, or the system's Release at process exit), its writers are shut down.

* EFF-53 (WRT-10, REQ-46, REQ-36; 7.3's Abort rows: "BackupPrepared / SnapshotPrepared / Frozen /
  Thawed | Abort | OnAbort", "PostSnapshotDone | Abort requested | unchanged: OnAbort is not
  called, no event reaches this writer", and no row for Idle or BackupCompleted): an Abort runs
  OnAbort (the step reports the event delivered) exactly for a writer in BackupPrepared…Thawed; a
  writer in Idle, PostSnapshotDone or BackupCompleted gets no event and is left as it was, its
  recorded failure included. Aborted (a repeated Abort) is not judged: 7.3's row names no handler
  ("—") while WRT-10 says OnAbort may be called several times;
* EFF-54 (REQ-33; 7.1 "SnapshotDone | SetBackupSucceeded(key, b) | key ∈ components | succeeded
  += key | VSS_E_OBJECT_NOT_FOUND"): in component mode, after DoSnapshotSet succeeded,
  SetBackupSucceeded of a key added to the document succeeds and records it (INV-28 reads that
  record at BackupComplete); VSS_E_OBJECT_NOT_FOUND is for an unknown key only.

The modelled values these read (``snapshots_exist``, ``context``, ``crashed``,
``backup_state_set``, ``component_mode``) are the variables the declared machine documents for
those rules (spec/requester.py ``VARIABLES``); the contexts are REQ-42's own list.
"""

from __future__ import annotations

from shadowspec.model.system import Label
from shadowspec.spec.requester import NO_WRITER_CONTEXTS, RequesterSession
from shadowspec.spec.writer import Writer

from .composition_effects import ABORT_DELIVERED  # 7.3: the writer states Abort takes to Aborted
from .principles import UNDEFINED
from .view import View, actor_index, argument

API = RequesterSession.API_NAMES
DELETE_SNAPSHOTS = API["delete_snapshots"]
SET_BACKUP_STATE = API["set_backup_state"]
NO_WRITER_CALLS = (API["add_component"], API["prepare_for_backup"], API["backup_complete"])
"""REQ-42: the calls that are an error in a no-writer context."""

BACKUP_EVENTS = ("prepare_backup", "prepare_snapshot", "freeze", "thaw", "post_snapshot", "backup_complete")
"""REQ-42: the writer events no no-writer context generates (OnPrepareBackup, OnPrepareSnapshot,
OnFreeze, OnThaw, OnPostSnapshot, OnBackupComplete; Identify and BackupShutdown are not among
them: GatherWriterMetadata stays optional there and Release still shuts down)."""

PROVIDER_FAILURES = ("VSS_E_PROVIDER_VETO", "VSS_E_UNEXPECTED_PROVIDER_ERROR")
"""REQ-37: DeleteSnapshots' failures of a deletion under way (the provider refused one copy)."""

NOT_INITIALIZED = ("absent", "created", "released")
"""7.1: the phases before InitializeForBackup and after Release."""


def _requester_call(label: Label, name: str) -> bool:
    return label.kind == "call" and label.actor.startswith("requester-") and label.call == name


# -- DeleteSnapshots (REQ-37, REQ-48, AMB-20) ----------------------------------------------------
def delete_call(label: Label) -> bool:
    return _requester_call(label, DELETE_SNAPSHOTS)


def delete_deletes_what_exists(label: Label, before: View, after: View) -> bool:
    """EFF-43: success: there were copies and none is left; a provider failure: there were copies
    and the first undeleted one is still there."""
    r = actor_index(label)
    if label.result == "S_OK":
        return bool(before.req(r, "snapshots_exist")) and not after.req(r, "snapshots_exist")
    if label.result in PROVIDER_FAILURES:
        return bool(before.req(r, "snapshots_exist")) and bool(after.req(r, "snapshots_exist"))
    return True


def not_found_only_without_copies(label: Label, before: View, after: View) -> bool:
    """EFF-44."""
    return label.result != "VSS_E_OBJECT_NOT_FOUND" or not before.req(actor_index(label), "snapshots_exist")


def delete_never_bad_state_once_initialized(label: Label, before: View, after: View) -> bool:
    """EFF-45."""
    return label.result != "VSS_E_BAD_STATE" or before.phase(actor_index(label)) in NOT_INITIALIZED


# -- no-writer contexts (REQ-42) ------------------------------------------------------------------
def _no_writer_context(view: View, r: int) -> bool:
    return view.phase(r) not in NOT_INITIALIZED and view.req(r, "context") in NO_WRITER_CONTEXTS


def no_writer_call(label: Label) -> bool:
    return label.kind == "call" and label.actor.startswith("requester-") and label.call in NO_WRITER_CALLS \
        and label.result != UNDEFINED


def no_writer_call_rejected(label: Label, before: View, after: View) -> bool:
    """EFF-46."""
    return label.result == "VSS_E_BAD_STATE" or not _no_writer_context(before, actor_index(label))


def writer_backup_event(label: Label) -> bool:
    return any(step.transition.machine == "Writer" and step.event in BACKUP_EVENTS for step in label.steps)


def no_writer_event_without_writers(label: Label, before: View, after: View) -> bool:
    """EFF-47: the session a writer event belongs to is not in a no-writer context."""
    system = before.system
    owner = {w: r for r, writers in system.writers.items() for w in writers}
    return not any(_no_writer_context(before, owner[step.component]) for step in label.steps
                   if step.transition.machine == "Writer" and step.event in BACKUP_EVENTS
                   and step.component in owner)


# -- process exit (REQ-01a, REQ-47) ---------------------------------------------------------------
def object_ends(label: Label) -> bool:
    """A process exit (the system's Release), or a Release by the requester."""
    return any(step.event == "env_crash" and step.transition.machine == "RequesterSession"
               for step in label.steps) or (_requester_call(label, API["release"]) and label.result == "S_OK")


def ended_by_its_process(label: Label, before: View, after: View) -> bool:
    """EFF-48: every object the step's process exit ended is Released and recorded as ended by its
    process; an object the requester Released is not."""
    system = before.system
    died = {r for r, c in system.requester.items()
            if any(step.component == c and step.event == "env_crash" for step in label.steps)}
    for r in died:
        if after.phase(r) != "released" or not after.req(r, "crashed"):
            return False
    if _requester_call(label, API["release"]):
        r = actor_index(label)
        if r not in died and after.req(r, "crashed"):
            return False
    return True


# -- SetBackupState (REQ-08) ----------------------------------------------------------------------
def backup_state_set(label: Label) -> bool:
    return _requester_call(label, SET_BACKUP_STATE) and label.result == "S_OK"


def backup_state_recorded(label: Label, before: View, after: View) -> bool:
    """EFF-49."""
    r = actor_index(label)
    return bool(after.req(r, "backup_state_set")) \
        and bool(after.req(r, "component_mode")) == bool(argument(label, "select_components"))


# -- AbortBackup and the end of the object: what reaches the writers (REQ-36, REQ-46, REQ-47) -----

PREPARE_CALLED = ("preparing", "prepared", "prepare_failed", "snapshotting", "snapshot_done",
                  "snapshot_failed", "completing", "completed")
"""7.1: the phases only a PrepareForBackup that was accepted leads to (Aborted is left out: it is
also reached from SetStarted, before any writer took part)."""


def abort_backup_accepted(label: Label) -> bool:
    return _requester_call(label, API["abort_backup"]) and label.result == "S_OK"


def abort_reaches_the_writers(label: Label, before: View, after: View) -> bool:
    """EFF-51: after an AbortBackup that moved the object to Aborted, none of its writers is left
    where 7.3 delivers Abort."""
    r = actor_index(label)
    if after.phase(r) != "aborted" or before.phase(r) == "aborted":
        return True
    return all(after._field(w, 0) not in ABORT_DELIVERED for w in after.system.writers[r])


def _ending(label: Label, before: View) -> set[int]:
    system = before.system
    ended = {r for r, c in system.requester.items()
             if any(step.component == c and step.event in ("env_crash", "release") for step in label.steps)}
    return ended


def object_with_writers_ends(label: Label) -> bool:
    return any(step.transition.machine == "RequesterSession" and step.event in ("env_crash", "release")
               and step.transition.target == "released" for step in label.steps)


def end_shuts_down_the_writers(label: Label, before: View, after: View) -> bool:
    """EFF-52."""
    for r in _ending(label, before):
        if before.phase(r) in PREPARE_CALLED and after.phase(r) == "released" \
                and any(after._field(w, 0) != "shutdown" for w in after.system.writers[r]):
            return False
    return True


# -- what Abort does to each writer (WRT-10, 7.3) --------------------------------------------------
ABORT_SKIPS = frozenset(state.id for state in Writer.states) - ABORT_DELIVERED - {"aborted", "shutdown"}
"""The writer states 7.3 delivers no Abort to (Idle and BackupCompleted: no row; PostSnapshotDone:
"no event reaches this writer"); Aborted is left out (see the module docstring), Shutdown is final."""
NOT_DELIVERED = "not_delivered"


def abort_to_a_writer(label: Label) -> bool:
    return any(step.transition.machine == "Writer" and step.event == "abort" for step in label.steps)


def abort_delivered_as_the_table_says(label: Label, before: View, after: View) -> bool:
    """EFF-53: read for each Abort step from the writer's state before it (the first step a writer
    takes in the label; later ones are judged by PRN-05's order)."""
    seen: set[int] = set()
    for step in label.steps:
        if step.transition.machine != "Writer" or step.component in seen:
            continue
        seen.add(step.component)
        if step.event != "abort":
            continue
        state = before._field(step.component, 0)
        delivered = step.transition.result != NOT_DELIVERED
        if state in ABORT_DELIVERED and not delivered:
            return False
        if state in ABORT_SKIPS:
            others = [s for s in label.steps if s.component == step.component and s is not step]
            if delivered or (not others and before._local(step.component) != after._local(step.component)):
                return False
    return True


# -- SetBackupSucceeded in component mode (REQ-33) ---------------------------------------------------
def set_backup_succeeded_after_snapshot(label: Label) -> bool:
    return _requester_call(label, API["set_backup_succeeded"]) and label.result != UNDEFINED


def known_component_marked_succeeded(label: Label, before: View, after: View) -> bool:
    """EFF-54: judged in SnapshotDone and component mode (the mode the obligation of REQ-33 binds;
    outside it the catalogue does not say what SetBackupSucceeded returns)."""
    r = actor_index(label)
    if before.phase(r) != "snapshot_done" or not before.req(r, "component_mode"):
        return True
    known = bool(before.req(r, "component_added")) and argument(label, "known") is True
    if label.result == "VSS_E_OBJECT_NOT_FOUND":
        return not known
    if label.result == "S_OK":
        return known and bool(after.req(r, "backup_succeeded_set"))
    return True
