"""The cluster API a node calls for one CSV (resapi.h), and the "Backup in Progress" mark it sets.

What is modelled: ClusterPrepareSharedVolumeForBackup, which on Windows Server 2008 R2 pins the
volume to the calling node, disables direct I/O and marks it "Backup in Progress" (NODE-02) and on
later versions only returns the paths (NODE-03); its ERROR_MORE_DATA buffer protocol with no side
effects (NODE-05, AMB-08); ClusterClearBackupStateForSharedVolume, unconditional and cluster-wide
(NODE-10, NODE-11); the automatic clear when the backup job completes (NODE-08, AMB-15) and after
30 minutes when no snapshot was created (NODE-09), and no automatic clear once a software
snapshot exists (NODE-12).

What is abstracted: the 30-minute timer is armed or not; the paths are "on a CSV" or not; the
owner is a node index.

Invariants: on 2012 and later, Prepare never changes this state (INV-20). Hazards: a Clear from
another node ends a running backup's state (INV-21, NODE-11); an orphaned snapshot keeps the volume
"Backup in Progress" forever (LIV-05, NODE-12).

Sources: seed 000 (ClusterPrepareSharedVolumeForBackup), sdk-api resapi
ClusterClearBackupStateForSharedVolume (NODE-01..13).
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import UNDEFINED, SpecMachine, Variable, effect, guard, returns


class SharedVolumeBackupState(SpecMachine):
    """The resapi "Backup in Progress" mark of one CSV."""

    ACTOR = "node"

    VARIABLES = {
        "owner": Variable(0, "the node the volume is pinned to (0 = none) (NODE-02)"),
        "snapshot": Variable(False, "a snapshot was created under this mark (NODE-09, NODE-12)"),
        "auto_clear": Variable("off", "the 30-minute automatic clear (NODE-09)", ("off", "armed")),
    }

    ARGUMENTS = {
        "prepare_for_backup": {"node": (), "on_csv": (True, False), "buffers_large_enough": (True, False)},
        "clear_backup_state": {"node": (), "on_csv": (True, False)},
    }

    API_NAMES = {
        "prepare_for_backup": "ClusterPrepareSharedVolumeForBackup",
        "clear_backup_state": "ClusterClearBackupStateForSharedVolume",
        "env_snapshot_created": "snapshot created on the volume",
        "env_backup_job_completes": "backup job completes",
        "env_auto_clear_expires": "30-minute automatic clear",
        "env_coordinator_moves": "coordinator moves to another node",
    }

    not_in_backup = State(initial=True)
    backup_in_progress = State()

    _both = [not_in_backup, backup_in_progress]

    prepare_for_backup = (
        not_in_backup.to.itself(unless="path_on_csv", on=returns("SYSTEM_ERROR", "NODE-06"))
        | backup_in_progress.to.itself(unless="path_on_csv", on=returns("SYSTEM_ERROR", "NODE-06"))
        | not_in_backup.to.itself(unless="buffers_fit",
                                  on=returns("ERROR_MORE_DATA", "NODE-05", "AMB-08"))
        | backup_in_progress.to.itself(unless="buffers_fit",
                                       on=returns("ERROR_MORE_DATA", "NODE-05", "AMB-08"))
        | not_in_backup.to.itself(unless="os_2008r2", on=returns("ERROR_SUCCESS", "NODE-03"))
        | backup_in_progress.to.itself(unless="os_2008r2", on=returns("ERROR_SUCCESS", "NODE-03"))
        | not_in_backup.to(backup_in_progress,
                           on=["pin_to_caller", returns("ERROR_SUCCESS", "NODE-02", "NODE-09")])
        | backup_in_progress.to.itself(cond="pinned_to_caller",
                                       on=["pin_to_caller", returns("ERROR_SUCCESS", "NODE-02")])
        | backup_in_progress.to.itself(on=returns(UNDEFINED, "NODE-02", "NODE-11"))
    )

    clear_backup_state = (
        not_in_backup.to.itself(unless="path_on_csv", on=returns("ERROR_INVALID_PARAMETER", "NODE-07"))
        | backup_in_progress.to.itself(unless="path_on_csv",
                                       on=returns("ERROR_INVALID_PARAMETER", "NODE-07"))
        | not_in_backup.to.itself(on=returns("ERROR_SUCCESS", "NODE-10"))
        | backup_in_progress.to(not_in_backup,
                                on=["unpin", returns("ERROR_SUCCESS", "NODE-10", "NODE-11")])
    )

    # -- the environment --------------------------------------------------------------------
    env_snapshot_created = backup_in_progress.to.itself(
        on=["record_snapshot", returns("S_OK", "NODE-09", "NODE-12")])
    env_backup_job_completes = backup_in_progress.to(
        not_in_backup, on=["unpin", returns("S_OK", "NODE-08", "AMB-15")])
    env_auto_clear_expires = backup_in_progress.to(
        not_in_backup, cond="auto_clear_armed", on=["unpin", returns("S_OK", "NODE-09")])
    env_coordinator_moves = backup_in_progress.to(
        not_in_backup, on=["unpin", returns("S_OK", "NODE-12", "AMB-12")])

    @guard("NODE-04", "NODE-07")
    def path_on_csv(self, on_csv: bool = True) -> bool:
        return on_csv

    @guard("NODE-05")
    def buffers_fit(self, buffers_large_enough: bool = True) -> bool:
        return buffers_large_enough

    @guard("NODE-02", "NODE-03")
    def os_2008r2(self) -> bool:
        return self.model.params.os == "2008r2"

    @guard("NODE-02")
    def pinned_to_caller(self, node: int = 0) -> bool:
        return self.model.owner == node

    @guard("NODE-09")
    def auto_clear_armed(self) -> bool:
        return self.model.auto_clear == "armed"

    @effect("NODE-02", "NODE-09")
    def pin_to_caller(self, node: int = 0) -> None:
        self.model.owner = node
        self.model.snapshot = False
        self.model.auto_clear = "armed"

    @effect("NODE-09", "NODE-12")
    def record_snapshot(self) -> None:
        self.model.snapshot = True
        self.model.auto_clear = "off"

    @effect("NODE-08", "NODE-10")
    def unpin(self) -> None:
        self.model.owner = 0
        self.model.snapshot = False
        self.model.auto_clear = "off"

