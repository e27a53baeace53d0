"""The two machines of the benchmark reference model (``../shared/bench/README.md``).

A deliberately small abstraction of the real specification, written so that shadowspec can be
measured against SPIN and TLC on exactly the same state space (``gen_promela.py`` and
``reference.tla`` beside that README give the exact semantics). Same vocabulary as ``spec/``:
the declared transitions are the only transition table; ``system`` composes them and ``packed``
compiles them into table look-ups.

What is abstracted: one requester per node; DelayTimerInSecs is 0 or non-zero; a volume's
"backup detected" is set by DoSnapshotSet of a requester holding it (AMB-13's reading "the
snapshot is the backup").
"""

from __future__ import annotations

from statemachine import State

from shadowspec.spec.vocabulary import SpecMachine, Variable, effect, guard, returns


class ReferenceRequester(SpecMachine):
    """One backup session on its own node: the phase is the control state (REQ-02..36)."""

    ACTOR = "requester"

    VARIABLES = {
        "bss": Variable(False, "SetBackupState has been called (history, REQ-08)"),
        "vols": Variable(0, "bit set of the volumes added to the snapshot set; after Completed or "
                            "Aborted, the ones still to be reset (REQ-15, CSV-10)"),
        "pend": Variable(0, "the volume set InProgress but not yet added (0: none, else its index)"),
    }

    ARGUMENTS = {"set_volume_in_progress": {"volume": ()}, "reset_volume": {"volume": ()}}
    """``volume`` ranges over 1..V (the composition fills it in)."""

    API_NAMES = {
        "initialize_for_backup": "InitializeForBackup",
        "set_backup_state": "SetBackupState",
        "gather_writer_metadata": "GatherWriterMetadata",
        "start_snapshot_set": "StartSnapshotSet",
        "set_volume_in_progress": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE",
        "add_to_snapshot_set": "AddToSnapshotSet",
        "prepare_for_backup": "PrepareForBackup",
        "do_snapshot_set": "DoSnapshotSet",
        "backup_complete": "BackupComplete",
        "abort_backup": "AbortBackup",
        "reset_volume": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE",
    }

    created = State(initial=True)
    initialized = State()
    backup_state_set = State()
    metadata_gathered = State()
    snapshot_set_started = State()
    prepared = State()
    snapshot_done = State()
    completed = State()
    aborted = State()

    initialize_for_backup = created.to(initialized, on=returns("S_OK", "REQ-02"))
    set_backup_state = initialized.to(backup_state_set,
                                      on=["record_backup_state", returns("S_OK", "REQ-08")])
    gather_writer_metadata = backup_state_set.to(metadata_gathered, on=returns("S_OK", "REQ-09"))
    start_snapshot_set = metadata_gathered.to(snapshot_set_started, on=returns("S_OK", "REQ-13"))
    set_volume_in_progress = snapshot_set_started.to.itself(
        cond=["nothing_pending", "volume_not_held"],
        on=["mark_pending", returns("ERROR_SUCCESS", "CSV-07", "CSV-11")])
    add_to_snapshot_set = snapshot_set_started.to.itself(
        cond="volume_pending", on=["add_pending", returns("S_OK", "REQ-15")])
    prepare_for_backup = snapshot_set_started.to(
        prepared, cond=["nothing_pending", "holds_volumes"],
        on=returns("S_OK", "REQ-08", "REQ-13", "REQ-28", "INV-03"))
    do_snapshot_set = prepared.to(snapshot_done, on=returns("S_OK", "REQ-30"))
    backup_complete = snapshot_done.to(completed, on=returns("S_OK", "REQ-34"))
    abort_backup = (
        backup_state_set.to(aborted, on=["add_pending", returns("S_OK", "REQ-36")])
        | metadata_gathered.to(aborted, on=["add_pending", returns("S_OK", "REQ-36")])
        | snapshot_set_started.to(aborted, on=["add_pending", returns("S_OK", "REQ-36")])
        | prepared.to(aborted, on=["add_pending", returns("S_OK", "REQ-36")])
        | snapshot_done.to(aborted, on=["add_pending", returns("S_OK", "REQ-36")])
    )
    reset_volume = (
        completed.to.itself(cond="volume_held",
                            on=["drop_volume", returns("ERROR_SUCCESS", "CSV-10", "NODE-08")])
        | aborted.to.itself(cond="volume_held",
                            on=["drop_volume", returns("ERROR_SUCCESS", "CSV-10", "NODE-08")])
    )

    # -- guards ---------------------------------------------------------------------------
    @guard("CSV-07")
    def nothing_pending(self) -> bool:
        return self.model.pend == 0

    @guard("REQ-15")
    def volume_pending(self) -> bool:
        return self.model.pend != 0

    @guard("REQ-15")
    def volume_not_held(self, volume: int = 1) -> bool:
        return not self.model.vols >> (volume - 1) & 1

    @guard("CSV-10")
    def volume_held(self, volume: int = 1) -> bool:
        return bool(self.model.vols >> (volume - 1) & 1)

    @guard("REQ-28")
    def holds_volumes(self) -> bool:
        return self.model.vols != 0

    # -- effects --------------------------------------------------------------------------
    @effect("REQ-08")
    def record_backup_state(self) -> None:
        self.model.bss = True

    @effect("CSV-07")
    def mark_pending(self, volume: int = 1) -> None:
        self.model.pend = volume

    @effect("REQ-15", "REQ-36")
    def add_pending(self) -> None:
        if self.model.pend:
            self.model.vols |= 1 << (self.model.pend - 1)
        self.model.pend = 0

    @effect("CSV-10")
    def drop_volume(self, volume: int = 1) -> None:
        self.model.vols &= ~(1 << (volume - 1))


class ReferenceVolume(SpecMachine):
    """One CSV's backup mode as the server keeps it: the BackupState is the control state."""

    ACTOR = "node"

    VARIABLES = {
        "dly": Variable(0, "DelayTimerInSecs: 0 or 1 (= non-zero, abstract) (CSV-11)", (0, 1)),
        "det": Variable(False, "a backup was detected on the volume (CSV-09)"),
    }

    API_NAMES = {
        "set_in_progress": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE",
        "clear": "ClusterClearBackupStateForSharedVolume",
        "snapshot_taken": "backup detected on the volume",
        "env_timer_expires": "Volume Backup Timer expiry",
    }

    none = State(initial=True)        # VolumeBackupNone
    in_progress = State()             # VolumeBackupInProgress

    set_in_progress = (
        none.to(in_progress, on=["arm_timer", returns("ERROR_SUCCESS", "CSV-07", "CSV-11")])
        | in_progress.to.itself(on=["arm_timer", returns("ERROR_SUCCESS", "CSV-07", "CSV-11")])
    )
    clear = (
        none.to.itself(on=["reset", returns("ERROR_SUCCESS", "CSV-10", "NODE-11")])
        | in_progress.to(none, on=["reset", returns("ERROR_SUCCESS", "CSV-10", "NODE-11", "INV-21")])
    )
    snapshot_taken = (
        in_progress.to.itself(on=["detect_backup", returns("S_OK", "CSV-09", "AMB-13")])
        | none.to.itself(on=returns("S_OK", "CSV-09"))
    )
    env_timer_expires = in_progress.to(none, unless="backup_detected",
                                       on=["reset", returns("S_OK", "CSV-08")])

    @guard("CSV-08", "CSV-09")
    def backup_detected(self) -> bool:
        return self.model.det

    @effect("CSV-07", "CSV-11")
    def arm_timer(self) -> None:
        self.model.dly = 1

    @effect("CSV-10", "CSV-08", "CSV-11")
    def reset(self) -> None:
        self.model.dly = 0
        self.model.det = False

    @effect("CSV-09")
    def detect_backup(self) -> None:
        self.model.det = True
