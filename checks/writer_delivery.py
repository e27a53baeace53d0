"""EFF-73: a writer event reaches the writer exactly where the writer table (rules.md 7.3) has a row;
EFF-75: the end of PrepareForBackup and of BackupComplete raises their writer events (WRT-01).

Why: the full mutation run (``shadowspec mutate --ci --sample 0``) left
``Writer.backup_complete@post_snapshot_done#0:swap-result(not_delivered)`` alive: the writer
moved to BackupCompleted, yet the event was recorded as never delivered (no OnBackupComplete).
PRN-05 reads only the writer's state, INV-10 only Abort after PostSnapshot. 7.3 names, per state,
the events whose handler runs ("PostSnapshotDone | BackupComplete | OnBackupComplete; doc
read-only | BackupCompleted", WRT-12; WRT-01's event mapping), and section 7 says anything not
listed for a state is rejected: not delivered. So, read from the generated index of 7.3
(``checks/writer_table_index.py``), never from ``spec/writer.py``:

* an event whose 7.3 row moves the writer to another state runs its handler: the step is
  delivered (the handler's result, never ``not_delivered``);
* an event 7.3 has no row for in the writer's state is not delivered.

Rows that leave the state as it is (Identify, a repeated Abort, 7.3's "PostSnapshotDone | Abort
requested | unchanged: OnAbort is not called") are not judged here (INV-10 and PRN-05 read them).
The delivery of a writer event is recorded only in its step (the composition passes no writer
result to the requester), as INV-10 reads it.
"""

from __future__ import annotations

from shadowspec.model.system import Label

from .view import View
from .writer_table_index import WRITER_TABLE

NOT_DELIVERED = "not_delivered"
_WITH_RESULT = frozenset(event for event, _, ok in WRITER_TABLE if ok is not None)


def writer_step(label: Label) -> bool:
    return any(step.transition.machine == "Writer" for step in label.steps)


def delivered_as_the_table_says(label: Label, before: View, after: View) -> bool:
    """EFF-73 (see the module docstring)."""
    writers = frozenset(w for ws in before.system.writers.values() for w in ws)
    state: dict[int, str] = {}
    for step in label.steps:
        if step.component not in writers:
            continue
        now = state.get(step.component) or before._field(step.component, 0)
        ok = dict(step.arguments).get("ok", True) if step.event in _WITH_RESULT else None
        row = WRITER_TABLE.get((step.event, now, ok))
        delivered = step.transition.result != NOT_DELIVERED
        if row is None and delivered:
            return False
        if row is not None and row[0] != now and not delivered:
            return False
        state[step.component] = row[0] if row is not None else now
    return True


# -- EFF-75: the end of PrepareForBackup and BackupComplete raises their writer events -------------
RAISED_AT_THE_END = {
    # (the phase a session waits in, the phase after): (operation, writer state before, after)
    ("preparing", "prepared"): ("prepare_for_backup", "idle", "backup_prepared"),  # WRT-01 OnPrepareBackup
    ("completing", "completed"): ("backup_complete", "post_snapshot_done", "backup_completed"),  # WRT-12
}
"""WRT-01's event mapping, read with 7.3's rows (Idle | PrepareForBackup → BackupPrepared;
PostSnapshotDone | BackupComplete → BackupCompleted): what a writer of the session is after the
operation that raises the event has finished."""


def operation_raises_writer_event(label: Label) -> bool:
    return any(step.transition.machine == "RequesterSession" and step.event in ("env_prepare_finished",
               "env_complete_finished") for step in label.steps)


def writers_got_the_event(label: Label, before: View, after: View) -> bool:
    """EFF-75 (WRT-01, WRT-12, REQ-28, REQ-34): a session whose PrepareForBackup finishes (its
    IVssAsync Finished, the session Prepared) has no
    writer left Idle (each got PrepareForBackup: REQ-28 "raises the PrepareForBackup event"); a
    session whose BackupComplete finishes has no writer left in PostSnapshotDone (each got
    BackupComplete). No-writer contexts raise no events (REQ-42) and are not judged."""
    from shadowspec.spec.requester import NO_WRITER_CONTEXTS

    for r in before.system.requester:
        moved = RAISED_AT_THE_END.get((before.phase(r), after.phase(r)))
        if moved is None or before.req(r, "context") in NO_WRITER_CONTEXTS:
            continue
        operation, waiting, reached = moved
        if not (before.async_state(r, operation) == "pending" and after.async_state(r, operation) == "finished"):
            continue  # a failed operation raises no event; 7.1 "async finished" rows only
        for w in before.system.writers.get(r, ()):
            if before._field(w, 0) == waiting and after._field(w, 0) != reached:
                return False
    return True
