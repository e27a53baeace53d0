"""One writer instance taking part in one requester's backup (CVssWriter event handlers).

What is modelled: the events VSS raises to a writer (WRT-01): PrepareForBackup, PrepareForSnapshot,
Freeze, Thaw, PostSnapshot, BackupComplete, Abort, BackupShutdown, Identify at any time (WRT-03);
the handler's result (``ok``: true or false, WRT-07); the freeze window as an abstract timer that
may expire while the writer is frozen (WRT-04); and whether the writer recorded a failure
(SetWriterFailure), which GetWriterStatus reports while itself returning S_OK (REQ-24/25).

What is abstracted: the Backup Components Document is writable exactly in the states between
BackupPrepared and PostSnapshotDone (WRT-12); time inside a handler.

Invariants: events arrive in the order PrepareBackup < PrepareSnapshot < Freeze < Thaw <
PostSnapshot < BackupComplete (INV-09); no Abort after PostSnapshot and no operation event after
Abort, BackupShutdown excepted (INV-10, AMB-05); a frozen writer leaves Frozen by Thaw or Abort
(WRT-09, LIV-02).

Sources: sdk-api vswriter CVssWriter::On* pages; win32 "Aborting VSS Operations",
"Handling BackupShutdown Events" (WRT-01..17).
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import SpecMachine, Variable, effect, each, guard, returns


class Writer(SpecMachine):
    """The writer's view of one backup: which event it handled last."""

    ACTOR = "vss"

    VARIABLES = {
        "failed": Variable(False, "the writer called SetWriterFailure in some handler (WRT-07)"),
    }

    ARGUMENTS = {
        "prepare_snapshot": {"ok": (True, False)},
        "freeze": {"ok": (True, False)},
        "thaw": {"ok": (True, False)},
        "post_snapshot": {"ok": (True, False)},
    }

    API_NAMES = {
        "identify": "CVssWriter::OnIdentify",
        "prepare_backup": "CVssWriter::OnPrepareBackup",
        "prepare_snapshot": "CVssWriter::OnPrepareSnapshot",
        "freeze": "CVssWriter::OnFreeze",
        "thaw": "CVssWriter::OnThaw",
        "post_snapshot": "CVssWriter::OnPostSnapshot",
        "backup_complete": "CVssWriter::OnBackupComplete",
        "abort": "CVssWriter::OnAbort",
        "backup_shutdown": "CVssWriter::OnBackupShutdown",
        "env_freeze_timeout": "freeze timeout (dwTimeoutFreeze)",
    }

    idle = State(initial=True)
    backup_prepared = State()
    snapshot_prepared = State()
    frozen = State()
    thawed = State()
    post_snapshot_done = State()
    backup_completed = State()
    aborted = State()
    shutdown = State(final=True)

    _all = [idle, backup_prepared, snapshot_prepared, frozen, thawed, post_snapshot_done,
            backup_completed, aborted]

    identify = each(_all, "true", "WRT-03")
    prepare_backup = idle.to(backup_prepared, on=returns("true", "WRT-01"))
    prepare_snapshot = (
        backup_prepared.to(snapshot_prepared, cond="handler_succeeds",
                           on=returns("true", "WRT-02"))
        | backup_prepared.to(snapshot_prepared,
                             on=["record_failure", returns("false", "WRT-07", "WRT-15")])
    )
    freeze = (
        snapshot_prepared.to(frozen, cond="handler_succeeds", on=returns("true", "WRT-02", "WRT-04"))
        | snapshot_prepared.to(aborted, on=["record_failure", returns("false", "WRT-08")])
    )
    thaw = (
        frozen.to(thawed, cond="handler_succeeds", on=returns("true", "WRT-09", "WRT-11"))
        | frozen.to(aborted, on=["record_failure", returns("false", "WRT-08", "WRT-09")])
    )
    post_snapshot = (
        thawed.to(post_snapshot_done, cond="handler_succeeds", on=returns("true", "WRT-02"))
        | thawed.to(post_snapshot_done,
                    on=["record_failure", returns("false", "WRT-07", "WRT-15")])
    )
    backup_complete = (
        post_snapshot_done.to(backup_completed, on=returns("true", "WRT-12", "REQ-34"))
        | each([idle, aborted], "not_delivered", "WRT-10", "WRT-13")
    )
    abort = (
        backup_prepared.to(aborted, on=returns("true", "WRT-10", "REQ-46"))
        | snapshot_prepared.to(aborted, on=returns("true", "WRT-10", "REQ-46"))
        | frozen.to(aborted, on=returns("true", "WRT-09", "WRT-10"))
        | thawed.to(aborted, on=returns("true", "WRT-10", "REQ-46"))
        | aborted.to.itself(on=returns("true", "WRT-10"))
        | each([idle, post_snapshot_done, backup_completed], "not_delivered", "WRT-10")
    )
    backup_shutdown = (
        idle.to(shutdown, on=returns("true", "REQ-47", "WRT-14"))
        | backup_prepared.to(shutdown, on=returns("true", "REQ-47", "WRT-13"))
        | snapshot_prepared.to(shutdown, on=returns("true", "REQ-47", "WRT-13"))
        | frozen.to(shutdown, on=returns("true", "REQ-47", "WRT-13"))
        | thawed.to(shutdown, on=returns("true", "REQ-47", "WRT-13"))
        | post_snapshot_done.to(shutdown, on=returns("true", "REQ-47", "WRT-13"))
        | backup_completed.to(shutdown, on=returns("true", "REQ-47", "WRT-14"))
        | aborted.to(shutdown, on=returns("true", "REQ-47", "AMB-05"))
    )
    env_freeze_timeout = frozen.to(aborted, on=["record_failure",
                                                returns("VSS_E_WRITERERROR_TIMEOUT", "WRT-04", "REQ-25")])

    @guard("WRT-07")
    def handler_succeeds(self, ok: bool = True) -> bool:
        return ok

    @effect("WRT-07")
    def record_failure(self) -> None:
        self.model.failed = True


DOCUMENT_WRITABLE = frozenset({"backup_prepared", "snapshot_prepared", "frozen", "thawed",
                               "post_snapshot_done"})
"""Writer states in which the Backup Components Document may still change (REQ-29, WRT-12)."""
