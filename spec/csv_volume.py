"""One Cluster Shared Volume as the MS-CMRP server sees it.

What is modelled: the independent mode variables of MS-CMRP 3.1.1.4 (backup mode, redirected
mode, maintenance mode, and block redirected mode as an inert variable: AMB-17), the Volume Backup
Timer armed with DelayTimerInSecs (abstract: off or armed), backup detection (a nondeterministic
environment event: CSV-09, AMB-13), the three control codes SET_SHARED_VOLUME_BACKUP_MODE,
ENABLE_/DISABLE_SHARED_VOLUME_DIRECTIO and SET_CSV_MAINTENANCE_MODE with their documented error
precedence (protocol 2.0, not a CSV, not online, then the code's own checks), redirection faults
(CSV-14) and the resource going offline (AMB-12).

What is abstracted: DelayTimerInSecs is 0 or non-zero; the timer's remaining time is not counted.

Invariants: DelayTimerInSecs is 0 exactly when BackupState is VolumeBackupNone for every accepted
request (INV-19); the timer runs only in backup mode (INV-17); DIRECTIO requests are rejected in
maintenance and backup mode and change nothing then (INV-14, INV-15); no request changes two mode
variables at once (INV-16); protocol 2.0 or a non-CSV resource rejects the three codes (INV-18).

Sources: MS-CMRP 2.2.3.20, 3.1.1.4, 3.1.4.3.1.51..54, 3.1.5.1 (CSV-01..19, DATA-01..04).
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import SpecMachine, Variable, each, effect, guard, returns

INVALID_FUNCTION = "ERROR_INVALID_FUNCTION"
NOT_ONLINE = "ERROR_RESOURCE_NOT_ONLINE"


class CsvVolume(SpecMachine):
    """The server-side state of one CSV: backup mode is the control state."""

    ACTOR = "node"

    VARIABLES = {
        "timer": Variable("off", "the Volume Backup Timer (CSV-07..09)", ("off", "armed")),
        "detected": Variable(False, "a backup was detected since backup mode was entered (CSV-09)"),
        "maintenance": Variable(False, "volume maintenance mode (CSV-16)"),
        "redirected": Variable(False, "redirected mode (CSV-12..14)"),
        "block_redirected": Variable(False, "block redirected mode: inert (AMB-17)"),
        "online": Variable(True, "the resource is online (CSV-05)"),
        "request_state": Variable("VolumeBackupNone", "BackupState of the last accepted request",
                                  ("VolumeBackupNone", "VolumeBackupInProgress")),
        "request_delay": Variable(0, "DelayTimerInSecs of the last accepted request (0 or 1 = non-zero)",
                                  (0, 1)),
    }

    ARGUMENTS = {
        "set_backup_mode": {"backup_state": ("VolumeBackupInProgress", "VolumeBackupNone"),
                            "delay_secs": (1, 0)},
        "set_maintenance_mode": {"in_maintenance": (True, False)},
        "env_go_offline": {"clears_backup": (False, True)},
    }

    API_NAMES = {
        "set_backup_mode": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE",
        "enable_directio": "CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO",
        "disable_directio": "CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO",
        "set_maintenance_mode": "CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE",
        "env_timer_expires": "Volume Backup Timer expiry",
        "env_backup_detected": "backup detected on the volume",
        "env_redirect_fault": "server redirects the volume",
        "env_go_offline": "resource offline",
        "env_come_online": "resource online",
    }

    normal = State(initial=True)   # backup mode off
    backup = State()               # backup mode on

    _both = [normal, backup]

    def _common_checks(states=_both):  # noqa: N805 - runs in the class body, once per control code
        """The precedence shared by the three control codes: protocol 2.0, not a CSV, not online."""
        return (each(states, INVALID_FUNCTION, "CSV-03", "AMB-16", cond="protocol_2")
                | each(states, INVALID_FUNCTION, "CSV-04", unless="resource_is_csv")
                | each(states, NOT_ONLINE, "CSV-05", unless="resource_online"))

    set_backup_mode = (
        _common_checks()
        | normal.to.itself(cond="delay_mismatch_rejected",
                           on=returns("ERROR_INVALID_PARAMETER", "CSV-11", "DATA-03", "AMB-10"))
        | backup.to.itself(cond="delay_mismatch_rejected",
                           on=returns("ERROR_INVALID_PARAMETER", "CSV-11", "DATA-03", "AMB-10"))
        | normal.to(backup, cond="requests_in_progress",
                    on=["arm_timer", returns("ERROR_SUCCESS", "CSV-07", "CSV-06")])
        | backup.to(backup, cond="requests_in_progress",
                    on=["arm_timer", returns("ERROR_SUCCESS", "CSV-07")])
        | normal.to(normal, on=["leave_backup", returns("ERROR_SUCCESS", "CSV-10")])
        | backup.to(normal, on=["leave_backup", returns("ERROR_SUCCESS", "CSV-10", "CSV-09")])
    )

    enable_directio = (
        _common_checks()
        | normal.to.itself(cond="in_maintenance", on=returns("ERROR_CLUSTER_INVALID_REQUEST", "CSV-12"))
        | backup.to.itself(cond="in_maintenance", on=returns("ERROR_CLUSTER_INVALID_REQUEST", "CSV-12"))
        | backup.to.itself(on=returns("ERROR_CLUSTER_BACKUP_IN_PROGRESS", "CSV-12"))
        | normal.to.itself(on=["leave_redirected", returns("ERROR_SUCCESS", "CSV-12")])
    )

    disable_directio = (
        _common_checks()
        | normal.to.itself(cond="in_maintenance", on=returns("ERROR_CLUSTER_INVALID_REQUEST", "CSV-13"))
        | backup.to.itself(cond="in_maintenance", on=returns("ERROR_CLUSTER_INVALID_REQUEST", "CSV-13"))
        | backup.to.itself(on=returns("ERROR_CLUSTER_BACKUP_IN_PROGRESS", "CSV-13"))
        | normal.to.itself(on=["enter_redirected", returns("ERROR_SUCCESS", "CSV-13")])
    )

    set_maintenance_mode = (
        normal.to.itself(unless="maintenance_supported", on=returns(INVALID_FUNCTION, "CSV-16", "AMB-11"))
        | backup.to.itself(unless="maintenance_supported", on=returns(INVALID_FUNCTION, "CSV-16", "AMB-11"))
        | normal.to.itself(unless="resource_is_csv", on=returns(INVALID_FUNCTION, "CSV-16"))
        | backup.to.itself(unless="resource_is_csv", on=returns(INVALID_FUNCTION, "CSV-16"))
        | normal.to.itself(unless="resource_online", on=returns(NOT_ONLINE, "CSV-16"))
        | backup.to.itself(unless="resource_online", on=returns(NOT_ONLINE, "CSV-16"))
        | normal.to.itself(on=["set_maintenance", returns("ERROR_SUCCESS", "CSV-16")])
        | backup.to.itself(on=["set_maintenance", returns("ERROR_SUCCESS", "CSV-16", "AMB-11", "INV-24")])
    )

    # -- the environment ------------------------------------------------------------------
    env_timer_expires = backup.to(normal, cond="timer_armed", unless="backup_was_detected",
                                  on=["timer_fired", returns("S_OK", "CSV-08")])
    env_backup_detected = backup.to(backup, cond="timer_armed",
                                    on=["detect_backup", returns("S_OK", "CSV-09", "AMB-13")])
    env_redirect_fault = (
        normal.to.itself(on=["enter_redirected", returns("S_OK", "CSV-14")])
        | backup.to.itself(on=["enter_redirected", returns("S_OK", "CSV-14")])
    )
    env_go_offline = (
        backup.to(normal, cond="offline_clears_backup",
                  on=["go_offline", "timer_fired", returns("S_OK", "CSV-05", "AMB-12")])
        | backup.to.itself(on=["go_offline", returns("S_OK", "CSV-05", "AMB-12")])
        | normal.to.itself(on=["go_offline", returns("S_OK", "CSV-05", "AMB-12")])
    )
    env_come_online = (
        normal.to.itself(on=["come_online", returns("S_OK", "CSV-05")])
        | backup.to.itself(on=["come_online", returns("S_OK", "CSV-05")])
    )

    del _common_checks

    # -- guards ---------------------------------------------------------------------------
    @guard("CSV-03", "AMB-16")
    def protocol_2(self) -> bool:
        return self.model.params.protocol == "2.0"

    @guard("CSV-01", "CSV-04")
    def resource_is_csv(self) -> bool:
        return self.model.params.is_csv

    @guard("CSV-05")
    def resource_online(self) -> bool:
        return self.model.online

    @guard("CSV-11", "DATA-03", "AMB-10")
    def delay_mismatch_rejected(self, backup_state: str = "VolumeBackupNone", delay_secs: int = 0) -> bool:
        mismatch = (backup_state == "VolumeBackupNone") != (delay_secs == 0)
        return mismatch and self.model.params.readings["AMB-10"] == "reject"

    @guard("CSV-07")
    def requests_in_progress(self, backup_state: str = "VolumeBackupNone") -> bool:
        return backup_state == "VolumeBackupInProgress"

    @guard("CSV-12", "CSV-13")
    def in_maintenance(self) -> bool:
        return self.model.maintenance

    @guard("CSV-16", "AMB-11")
    def maintenance_supported(self) -> bool:
        return self.model.params.readings["AMB-11"] == "supported"

    @guard("CSV-08")
    def timer_armed(self) -> bool:
        return self.model.timer == "armed"

    @guard("CSV-08", "CSV-09")
    def backup_was_detected(self) -> bool:
        return self.model.detected

    @guard("AMB-12")
    def offline_clears_backup(self, clears_backup: bool = False) -> bool:
        return clears_backup

    # -- effects --------------------------------------------------------------------------
    @effect("CSV-07", "CSV-11")
    def arm_timer(self, backup_state: str = "VolumeBackupInProgress", delay_secs: int = 1) -> None:
        self.model.timer = "armed"
        self.model.detected = False
        self.model.request_state = backup_state
        self.model.request_delay = delay_secs

    @effect("CSV-10", "CSV-09")
    def leave_backup(self, backup_state: str = "VolumeBackupNone", delay_secs: int = 0) -> None:
        self.model.timer = "off"
        self.model.detected = False
        self.model.request_state = backup_state
        self.model.request_delay = delay_secs

    @effect("CSV-08")
    def timer_fired(self) -> None:
        self.model.timer = "off"
        self.model.detected = False

    @effect("CSV-09")
    def detect_backup(self) -> None:
        self.model.timer = "off"
        self.model.detected = True

    @effect("CSV-12")
    def leave_redirected(self) -> None:
        self.model.redirected = False

    @effect("CSV-13", "CSV-14")
    def enter_redirected(self) -> None:
        self.model.redirected = True

    @effect("CSV-16")
    def set_maintenance(self, in_maintenance: bool = False) -> None:
        self.model.maintenance = in_maintenance

    @effect("CSV-05")
    def go_offline(self) -> None:
        self.model.online = False

    @effect("CSV-05")
    def come_online(self) -> None:
        self.model.online = True
