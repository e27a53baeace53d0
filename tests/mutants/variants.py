"""Deliberately broken variants of the declared machines: each one must make a property fail.

A variant is the declared class with the transitions of one event declared again, wrongly (a
dropped guard, a wrong target, a forgotten effect). ``tests/mutants/test_mutants.py`` explores the
same small configuration with the real class and with the variant, and requires the paired
property to be decided as expected for the real class and not for the variant: the check bites.

Why not a plain subclass? In python-statemachine 3.x a subclass *shares* its parent's ``State``
objects (``StateMachineMetaclass.add_inherited`` registers the very same instances), and
``State.to(...)`` appends to ``state.transitions``. So::

    class Broken(RequesterSession):
        prepare_for_backup = RequesterSession.set_started.to(RequesterSession.preparing, ...)

does not replace anything: it *adds* the new transitions after the old ones (first match wins,
so the variant behaves like the original) and, worse, adds them to ``RequesterSession`` itself,
for every test that runs afterwards. ``test_subclass_override_pollutes_the_parent`` pins that
behaviour in a separate process.

``variant`` therefore builds a fresh class: new ``State`` objects with the same ids and flags,
every declared transition re-created on them in declaration order (same ``cond``/``unless``/``on``
callbacks, read through the library's introspection, never re-typed), except the transitions of
the events being redeclared, which come from the given builders. The guards, effects and
``VARIABLES``/``ARGUMENTS``/``ACTOR``/``API_NAMES`` are copied, so a variant reads like the
original class with one event written differently.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

from statemachine import State
from statemachine.transition_list import TransitionList

from shadowspec.model.config import Config
from shadowspec.spec.async_operation import AsyncOperation
from shadowspec.spec.cluster_node import SharedVolumeBackupState
from shadowspec.spec.csv_volume import INVALID_FUNCTION, NOT_ONLINE, CsvVolume
from shadowspec.spec.requester import BAD, RequesterSession
from shadowspec.spec.vocabulary import UNDEFINED, SpecMachine, each, returns, returns_variable
from shadowspec.spec.writer import Writer

Builder = Callable[[SimpleNamespace], TransitionList]
"""Declares one event's transitions on the variant's fresh states (``s.<state id>``)."""

_CLASS_VARIABLES = ("ACTOR", "VARIABLES", "ARGUMENTS", "API_NAMES")


def _specs(transition: Any, group: str) -> list[Any]:
    return [spec for spec in getattr(transition, group) if not spec.is_convention]


def variant(role: type[SpecMachine], name: str, doc: str, *,
            methods: dict[str, Callable[..., Any]] | None = None,
            **events: Builder) -> type[SpecMachine]:
    """A copy of ``role`` in which each event of ``events`` is declared by its builder instead.

    ``methods`` adds guards or effects the redeclared transitions name (or replaces some)."""
    unknown = sorted(set(events) - {str(e) for e in role.events})
    if unknown:
        raise ValueError(f"{role.__name__} declares no event {unknown[0]!r}")
    fresh = {state.id: State(name=state.name, initial=state.initial, final=state.final)
             for state in role.states}
    declared: dict[str, TransitionList] = {}
    for state in role.states:
        for transition in state.transitions:
            (event,) = [str(e) for e in transition.events]
            if event in events:
                continue
            for group in ("validators", "before", "after"):
                if _specs(transition, group):
                    raise ValueError(f"{role.__name__}.{event}: '{group}' callbacks are not copied")
            conditions = _specs(transition, "cond")
            copy = fresh[state.id].to(
                fresh[(transition.target or state).id],
                cond=[spec.func for spec in conditions if spec.expected_value],
                unless=[spec.func for spec in conditions if not spec.expected_value],
                on=[spec.func for spec in _specs(transition, "on")],
                internal=transition.internal,
            )
            declared[event] = copy if event not in declared else declared[event] | copy
    states = SimpleNamespace(**fresh)
    for event, build in events.items():
        declared[event] = build(states)

    attrs: dict[str, Any] = {"__module__": __name__, "__qualname__": name, "__doc__": doc}
    for key in _CLASS_VARIABLES:
        attrs[key] = getattr(role, key)
    for key, value in vars(role).items():
        if inspect.isfunction(value):
            attrs[key] = value
    attrs.update(methods or {})
    attrs.update(fresh)
    # the role's event order, so the compiled table and the diagrams keep it
    for event in (str(e) for e in role.events):
        attrs[event] = declared[event]
    cls = type(role)(name, (SpecMachine,), attrs)
    cls.ROLE = role  # type: ignore[attr-defined]
    cls.REDECLARED = tuple(events)  # type: ignore[attr-defined]
    return cls


# -- the variants -------------------------------------------------------------------------------
PrepareWithoutBackupState = variant(
    RequesterSession, "PrepareWithoutBackupState",
    "PrepareForBackup succeeds without SetBackupState (the REQ-08/REQ-28 guard dropped).",
    prepare_for_backup=lambda s: (
        s.created.to.itself(on=returns(BAD, "REQ-03"))
        | s.initialized.to.itself(on=returns(BAD, "REQ-13", "REQ-28"))
        | s.set_started.to.itself(cond="no_writer_context", on=returns(BAD, "REQ-42"))
        | s.set_started.to(s.preparing, on=returns("S_OK", "REQ-28", "REQ-41"))
        | each([s.preparing, s.prepared, s.prepare_failed, s.snapshotting, s.snapshot_done,
                s.snapshot_failed, s.completing, s.completed, s.aborted], BAD, "REQ-28", "REQ-43")
    ),
)

SetContextTwice = variant(
    RequesterSession, "SetContextTwice",
    "SetContext succeeds again after it succeeded once (the REQ-05 guard dropped).",
    set_context=lambda s: (
        s.created.to.itself(on=returns(BAD, "REQ-03"))
        | s.initialized.to.itself(cond="context_invalid", on=returns("E_INVALIDARG", "REQ-07"))
        | s.initialized.to.itself(on=["record_context", returns("S_OK", "REQ-05", "REQ-07")])
        | each([s.set_started, s.preparing, s.prepared, s.prepare_failed, s.snapshotting,
                s.snapshot_done, s.snapshot_failed, s.completing, s.completed, s.aborted],
               BAD, "REQ-05", "AMB-03")
    ),
)

SnapshotWithoutPrepare = variant(
    RequesterSession, "SnapshotWithoutPrepare",
    "DoSnapshotSet in a writer context starts from SetStarted, skipping PrepareForBackup "
    "(a wrong target: the REQ-41 rejection becomes a transition to Snapshotting).",
    do_snapshot_set=lambda s: (
        s.created.to.itself(on=returns(BAD, "REQ-03"))
        | s.initialized.to.itself(on=returns(BAD, "REQ-40"))
        | s.set_started.to(s.snapshotting, cond="no_writer_context", on=returns("S_OK", "REQ-42"))
        | s.set_started.to(s.snapshotting, on=returns("S_OK", "REQ-30", "REQ-41"))
        | s.prepared.to.itself(unless="metadata_was_gathered", on=returns(BAD, "REQ-41"))
        | s.prepared.to(s.snapshotting, on=returns("S_OK", "REQ-30", "REQ-40", "REQ-41"))
        | each([s.preparing, s.prepare_failed, s.snapshotting, s.snapshot_done, s.snapshot_failed,
                s.completing, s.completed, s.aborted], BAD, "REQ-30", "REQ-43")
    ),
)

BackupCompleteGuardInverted = variant(
    RequesterSession, "BackupCompleteGuardInverted",
    "BackupComplete succeeds only in the no-writer context, where REQ-42 rejects it (the guard "
    "inverted): the happy path can no longer be completed.",
    backup_complete=lambda s: (
        s.created.to.itself(on=returns(BAD, "REQ-03"))
        | s.snapshot_failed.to.itself(on=returns(UNDEFINED, "REQ-34", "REQ-45"))
        | s.snapshot_done.to.itself(unless="no_writer_context", on=returns(BAD, "REQ-42"))
        | s.snapshot_done.to(s.completing, on=returns("S_OK", "REQ-34"))
        | each([s.initialized, s.set_started, s.preparing, s.prepared, s.prepare_failed,
                s.snapshotting, s.completing, s.completed, s.aborted], BAD, "REQ-34")
    ),
)


def _leave_backup_timer_kept(self: Any, **arguments: Any) -> None:
    """The broken effect: the declared ``leave_backup``, except that the Volume Backup Timer
    stays as it was (armed, if it was). Takes whatever arguments ``leave_backup`` declares."""
    wanted = inspect.signature(CsvVolume.leave_backup).parameters
    timer = self.model.timer
    CsvVolume.leave_backup(self, **{k: v for k, v in arguments.items() if k in wanted and k != "self"})
    self.model.timer = timer


def _set_backup_mode(s: SimpleNamespace, *, reject_mismatch: bool = True,
                     leave: str = "leave_backup") -> TransitionList:
    """SET_SHARED_VOLUME_BACKUP_MODE as declared, with one part changeable."""
    transitions = (
        s.normal.to.itself(cond="protocol_2", on=returns(INVALID_FUNCTION, "CSV-03", "AMB-16"))
        | s.backup.to.itself(cond="protocol_2", on=returns(INVALID_FUNCTION, "CSV-03", "AMB-16"))
        | s.normal.to.itself(unless="resource_is_csv", on=returns(INVALID_FUNCTION, "CSV-04"))
        | s.backup.to.itself(unless="resource_is_csv", on=returns(INVALID_FUNCTION, "CSV-04"))
        | s.normal.to.itself(unless="resource_online", on=returns(NOT_ONLINE, "CSV-05"))
        | s.backup.to.itself(unless="resource_online", on=returns(NOT_ONLINE, "CSV-05"))
    )
    if reject_mismatch:
        transitions = (
            transitions
            | s.normal.to.itself(cond="delay_mismatch_rejected",
                                 on=returns("ERROR_INVALID_PARAMETER", "CSV-11", "DATA-03", "AMB-10"))
            | s.backup.to.itself(cond="delay_mismatch_rejected",
                                 on=returns("ERROR_INVALID_PARAMETER", "CSV-11", "DATA-03", "AMB-10"))
        )
    return (
        transitions
        | s.normal.to(s.backup, cond="requests_in_progress",
                      on=["arm_timer", returns("ERROR_SUCCESS", "CSV-07", "CSV-06")])
        | s.backup.to(s.backup, cond="requests_in_progress",
                      on=["arm_timer", returns("ERROR_SUCCESS", "CSV-07")])
        | s.normal.to(s.normal, on=[leave, returns("ERROR_SUCCESS", "CSV-10")])
        | s.backup.to(s.normal, on=[leave, returns("ERROR_SUCCESS", "CSV-10", "CSV-09")])
    )


TimerKeptOnLeave = variant(
    CsvVolume, "TimerKeptOnLeave",
    "VolumeBackupNone leaves backup mode but never cancels the Volume Backup Timer (CSV-10 effect lost).",
    methods={"leave_backup_timer_kept": _leave_backup_timer_kept},
    set_backup_mode=lambda s: _set_backup_mode(s, leave="leave_backup_timer_kept"),
)

DelayMismatchAccepted = variant(
    CsvVolume, "DelayMismatchAccepted",
    "SET_SHARED_VOLUME_BACKUP_MODE accepts a DelayTimerInSecs that does not match BackupState "
    "(the CSV-11/DATA-03 rejection dropped).",
    set_backup_mode=lambda s: _set_backup_mode(s, reject_mismatch=False),
)

DirectIoInBackupMode = variant(
    CsvVolume, "DirectIoInBackupMode",
    "ENABLE_SHARED_VOLUME_DIRECTIO succeeds in backup mode (the CSV-12 rejection dropped).",
    enable_directio=lambda s: (
        s.normal.to.itself(cond="protocol_2", on=returns(INVALID_FUNCTION, "CSV-03"))
        | s.backup.to.itself(cond="protocol_2", on=returns(INVALID_FUNCTION, "CSV-03"))
        | s.normal.to.itself(unless="resource_is_csv", on=returns(INVALID_FUNCTION, "CSV-04"))
        | s.backup.to.itself(unless="resource_is_csv", on=returns(INVALID_FUNCTION, "CSV-04"))
        | s.normal.to.itself(unless="resource_online", on=returns(NOT_ONLINE, "CSV-05"))
        | s.backup.to.itself(unless="resource_online", on=returns(NOT_ONLINE, "CSV-05"))
        | s.normal.to.itself(cond="in_maintenance", on=returns("ERROR_CLUSTER_INVALID_REQUEST", "CSV-12"))
        | s.backup.to.itself(cond="in_maintenance", on=returns("ERROR_CLUSTER_INVALID_REQUEST", "CSV-12"))
        | s.backup.to.itself(on=["leave_redirected", returns("ERROR_SUCCESS", "CSV-12")])
        | s.normal.to.itself(on=["leave_redirected", returns("ERROR_SUCCESS", "CSV-12")])
    ),
)

TimerExpiryKeepsBackupMode = variant(
    CsvVolume, "TimerExpiryKeepsBackupMode",
    "The Volume Backup Timer expires but the volume stays in backup mode (a wrong target for CSV-08).",
    env_timer_expires=lambda s: s.backup.to(
        s.backup, cond="timer_armed", unless="backup_was_detected",
        on=["timer_fired", returns("S_OK", "CSV-08")]),
)

def _clear_only_by_owner(others_get: str) -> Any:
    """Clear as declared, except that only the owner's clear ends the mark; others get ``others_get``."""
    return lambda s: (
        s.not_in_backup.to.itself(unless="path_on_csv",
                                  on=returns("ERROR_INVALID_PARAMETER", "NODE-07"))
        | s.backup_in_progress.to.itself(unless="path_on_csv",
                                         on=returns("ERROR_INVALID_PARAMETER", "NODE-07"))
        | s.not_in_backup.to.itself(on=returns("ERROR_SUCCESS", "NODE-10"))
        | s.backup_in_progress.to(s.not_in_backup, cond="pinned_to_caller",
                                  on=["unpin", returns("ERROR_SUCCESS", "NODE-10")])
        | s.backup_in_progress.to.itself(on=returns(others_get, "NODE-11"))
    )


ClearOnlyByOwner = variant(
    SharedVolumeBackupState, "ClearOnlyByOwner",
    "ClusterClearBackupStateForSharedVolume respects other nodes' backups: only the owner clears "
    "(the documented NODE-11 hazard removed, so INV-21 can no longer be violated).",
    clear_backup_state=_clear_only_by_owner("ERROR_SHARING_VIOLATION"),
)

ClearIgnoredForOthers = variant(
    SharedVolumeBackupState, "ClearIgnoredForOthers",
    "Like ClearOnlyByOwner, but a clear from another node returns ERROR_SUCCESS and changes "
    "nothing. No backup is ever cancelled, so INV-21 should hold; it is not in MUTANTS because it "
    "breaks nothing (see test_inv21_judges_what_the_clear_did).",
    clear_backup_state=_clear_only_by_owner("ERROR_SUCCESS"),
)

AbortAfterPostSnapshot = variant(
    Writer, "AbortAfterPostSnapshot",
    "A writer that handled PostSnapshot still receives Abort (WRT-10's 'not delivered' dropped).",
    abort=lambda s: (
        s.backup_prepared.to(s.aborted, on=returns("true", "WRT-10", "REQ-46"))
        | s.snapshot_prepared.to(s.aborted, on=returns("true", "WRT-10", "REQ-46"))
        | s.frozen.to(s.aborted, on=returns("true", "WRT-09", "WRT-10"))
        | s.thawed.to(s.aborted, on=returns("true", "WRT-10", "REQ-46"))
        | s.post_snapshot_done.to(s.aborted, on=returns("true", "WRT-10"))
        | s.aborted.to.itself(on=returns("true", "WRT-10"))
        | each([s.idle, s.backup_completed], "not_delivered", "WRT-10")
    ),
)

CancelChangesFinished = variant(
    AsyncOperation, "CancelChangesFinished",
    "Cancel on a finished IVssAsync turns it into Cancelled (ASY-04 broken).",
    cancel=lambda s: (
        s.pending.to(s.cancelled, on=returns("S_OK", "ASY-04"))
        | s.finished.to(s.cancelled, on=returns("VSS_S_ASYNC_CANCELLED", "ASY-04"))
        | s.cancelled.to.itself(on=returns("VSS_S_ASYNC_CANCELLED", "ASY-04"))
        | s.failed.to.itself(on=returns_variable("error", "ASY-04"))
    ),
)

# PRN-03's two state tables, each with a code the method documents elsewhere (PRN-01 passes them):
AddAfterSnapshotSaysSetFull = variant(
    RequesterSession, "AddAfterSnapshotSaysSetFull",
    "AddToSnapshotSet after DoSnapshotSet returns VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED, a code of "
    "its page, where 7.1 gives VSS_E_BAD_STATE (the call is listed for SetStarted only).",
    add_to_snapshot_set=lambda s: (
        s.created.to.itself(on=returns(BAD, "REQ-03"))
        | s.initialized.to.itself(on=returns(BAD, "REQ-15"))
        | each([s.set_started, s.prepared], "VSS_E_OBJECT_ALREADY_EXISTS", "REQ-16a", cond="volume_already_in_set")
        | each([s.set_started, s.prepared], "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED", "REQ-17",
               "DATA-06", cond="set_is_full")
        | each([s.set_started, s.prepared], "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "REQ-19", "NODE-13",
               cond="volume_contended_by_another_node")
        | each([s.set_started, s.prepared], "VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER", "REQ-07c", "REQ-20",
               cond="refused_by_provider")
        | each([s.set_started, s.prepared], "VSS_E_VOLUME_NOT_SUPPORTED", "REQ-07a", "REQ-07c", "REQ-20",
               unless="provider_supports_volume")
        | s.set_started.to.itself(on=["add_volume", returns("S_OK", "REQ-15")])
        | s.prepared.to.itself(on=["add_volume", returns("S_OK", "REQ-15", "AMB-01")])
        | each([s.preparing, s.prepare_failed, s.snapshotting], BAD, "REQ-15", "REQ-30")
        | each([s.snapshot_done, s.snapshot_failed, s.completing, s.completed, s.aborted],
               "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED", "REQ-15", "REQ-30")
    ),
)

CancelPendingSaysFinished = variant(
    AsyncOperation, "CancelPendingSaysFinished",
    "Cancel on a pending IVssAsync cancels it but returns VSS_S_ASYNC_FINISHED, where 7.2 gives S_OK.",
    cancel=lambda s: (
        s.pending.to(s.cancelled, on=returns("VSS_S_ASYNC_FINISHED", "ASY-04"))
        | s.finished.to.itself(on=returns("VSS_S_ASYNC_FINISHED", "ASY-04"))
        | s.cancelled.to.itself(on=returns("VSS_S_ASYNC_CANCELLED", "ASY-04"))
        | s.failed.to.itself(on=returns_variable("error", "ASY-04"))
    ),
)

FailureNotRecorded = variant(
    AsyncOperation, "FailureNotRecorded",
    "A failed IVssAsync forgets its failure (record_failure dropped): Cancel and Wait on it return "
    "S_OK as its hr, where ASY-02 gives the originating method's documented error.",
    env_fail=lambda s: s.pending.to(s.failed, on=returns_variable("error", "ASY-02", "ASY-03")),
)

DeleteEndsTheBackup = variant(
    RequesterSession, "DeleteEndsTheBackup",
    "A successful DeleteSnapshots after BackupComplete moves the object to Aborted, where 7.1's "
    "DeleteSnapshots row keeps the phase.",
    delete_snapshots=lambda s: (
        s.created.to.itself(on=returns(BAD, "REQ-03", "AMB-20"))
        | each([s.initialized, s.set_started, s.preparing, s.prepared, s.prepare_failed, s.snapshotting,
                s.snapshot_done, s.snapshot_failed, s.completing, s.completed, s.aborted],
               "VSS_E_OBJECT_NOT_FOUND", "REQ-37", unless="snapshots_present")
        | s.snapshot_done.to.itself(on=["delete_all_snapshots", returns("S_OK", "REQ-37", "REQ-48")])
        | s.completing.to.itself(on=["delete_all_snapshots", returns("S_OK", "REQ-37", "AMB-20")])
        | s.completed.to(s.aborted, on=["delete_all_snapshots", returns("S_OK", "REQ-37", "REQ-48")])
        | s.aborted.to.itself(on=["delete_all_snapshots", returns("S_OK", "REQ-37", "REQ-48")])
    ),
)


# -- what each variant must break -------------------------------------------------------------
@dataclass(frozen=True)
class Mutant:
    """A variant, the property it must make fail, and a small configuration exercising both."""

    variant: type[SpecMachine]
    breaks: str
    config: Config
    culprit: str | None
    """The call (or control code) the shortest counterexample ends with; None for a witness."""
    also: tuple[str, ...] = ()
    """Other properties the same mistake breaks, on the same configuration."""

    @property
    def role(self) -> type[SpecMachine]:
        return self.variant.ROLE  # type: ignore[attr-defined]

    @property
    def id(self) -> str:
        return f"{self.variant.__name__}-{self.breaks}"


def _config(name: str, **values: Any) -> Config:
    values.setdefault("environment", ())
    values.setdefault("callers", ())
    return Config(name=name, **values)


# Writer-free, CSV-free sessions are enough for the requester guards; the CSV-only system
# (requesters=0) for the server's control codes; two nodes for the cluster-wide clear.
SESSION = dict(requesters=1, nodes=1, volumes=0, writers=0)
CSV_ONLY = dict(requesters=0, nodes=1, volumes=1, writers=0)

IVSS = "IVssBackupComponents::"
SET_BACKUP_MODE = CsvVolume.API_NAMES["set_backup_mode"]

MUTANTS: tuple[Mutant, ...] = (
    Mutant(PrepareWithoutBackupState, "INV-03", _config("session", **SESSION),
           culprit=f"{IVSS}PrepareForBackup"),
    Mutant(SetContextTwice, "INV-02", _config("session+context", **SESSION, callers=("context_calls",)),
           culprit=f"{IVSS}SetContext",
           also=("EFF-64",)),  # 7.1 SetContext row: accepted once only (REQ-05), BAD_STATE for a second call
    Mutant(SnapshotWithoutPrepare, "INV-04", _config("session", **SESSION),
           culprit=f"{IVSS}DoSnapshotSet"),
    Mutant(TimerKeptOnLeave, "INV-17", _config("csv", **CSV_ONLY, callers=("backup_mode",)),
           culprit=SET_BACKUP_MODE,
           also=("EFF-02", "EFF-67")),  # EFF-02 / EFF-67 (CSV-10): leaving backup mode leaves no timer
    Mutant(DelayMismatchAccepted, "INV-19",
           _config("csv+bad-arguments", **CSV_ONLY, callers=("backup_mode", "bad_arguments")),
           culprit=SET_BACKUP_MODE, also=("PRN-02",)),  # the only rejected call is now accepted: PRN-02 vacuous
    Mutant(DirectIoInBackupMode, "INV-14",
           _config("csv+directio", **CSV_ONLY, callers=("backup_mode", "directio")),
           culprit=CsvVolume.API_NAMES["enable_directio"]),
    Mutant(TimerExpiryKeepsBackupMode, "LIV-03",
           _config("csv+timer", **CSV_ONLY, callers=("backup_mode",), environment=("timer_expiry",)),
           culprit="Volume Backup Timer expires", also=("EFF-07",)),  # EFF-07: expiry leaves backup mode
    Mutant(ClearOnlyByOwner, "INV-21",
           _config("two-nodes+resapi", requesters=0, nodes=2, volumes=1, writers=0, os="2008r2",
                   callers=("resapi",)),
           culprit=SharedVolumeBackupState.API_NAMES["clear_backup_state"],
           also=("PRN-01",)),  # the refused Clear returns a result its page does not document
    Mutant(AbortAfterPostSnapshot, "INV-10",
           _config("session+writer", requesters=1, nodes=1, volumes=0, writers=1),
           culprit=f"{IVSS}AbortBackup",
           also=("INV-09", "PRN-05", "EFF-53")),  # 7.3: PostSnapshotDone | Abort requested | unchanged
    Mutant(CancelChangesFinished, "INV-08", _config("session+cancel", **SESSION, callers=("async_calls", "cancel")),
           culprit="IVssAsync::Cancel",
           also=("PRN-03",)),  # 7.2: Cancel on a finished operation returns VSS_S_ASYNC_FINISHED, not _CANCELLED
    Mutant(AddAfterSnapshotSaysSetFull, "PRN-03", _config("session+volume", requesters=1, nodes=1, volumes=1,
                                                          writers=0),
           culprit=f"{IVSS}AddToSnapshotSet",
           also=("EFF-19",)),  # the set-full code with no full set: REQ-17 / DATA-06 as well
    Mutant(FailureNotRecorded, "PRN-03",
           _config("session+cancel+failure", **SESSION, callers=("async_calls", "cancel"),
                   environment=("async_failure",)),
           culprit="IVssAsync::Cancel",  # the first call to read the lost hr
           also=("EFF-33",)),  # ASY-05: with the hr lost, Wait on a failed operation never returns it
    Mutant(DeleteEndsTheBackup, "PRN-04", _config("session+delete", **SESSION, callers=("delete_snapshots",)),
           culprit=f"{IVSS}DeleteSnapshots"),
    Mutant(CancelPendingSaysFinished, "PRN-03",
           _config("session+cancel", **SESSION, callers=("async_calls", "cancel")),
           culprit="IVssAsync::Cancel"),
    Mutant(BackupCompleteGuardInverted, "WIT-01",
           _config("happy-path", requesters=1, nodes=1, volumes=1, writers=0, callers=("backup_mode",)),
           culprit=None),
)
