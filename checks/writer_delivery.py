"""EFF-73: a writer event reaches the writer exactly where the writer table (rules.md 7.3) has a row.

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
