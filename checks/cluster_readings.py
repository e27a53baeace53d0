"""The CSV server's record of a backup-mode request, and both fates AMB-12 leaves open.

Why: the full mutation run on every mutant of the CI configurations left these alive:

* EFF-67 (CSV-10, CSV-07, CSV-11, CSV-09; 7.4 "SET_BACKUP_MODE(None, 0) | backup:=false;
  timer:=off", "SET_BACKUP_MODE(InProgress, d) | backup:=true; timer:=d; backup_detected:=false"):
  a successful SET_SHARED_VOLUME_BACKUP_MODE is the request the server now acts on, whatever mode
  the volume was in: the volume's last accepted request is its BackupState and DelayTimerInSecs,
  and a VolumeBackupNone leaves no backup detected and no timer. The record is what tells a volume
  the caller took out of backup mode from one whose timer expired under a running backup (INV-23,
  ``conform/timers.py``), so a VolumeBackupNone on a volume already out of backup mode still
  replaces it.
* EFF-68 / EFF-69 (AMB-12: "What happens to backup mode and the Volume Backup Timer when the
  resource goes offline … is not documented. Leave unspecified: nondeterministically keep or
  clear; checker explores both"): HAZARD pair, the claims "going offline always takes a CSV out of
  backup mode" and "… never does" must each meet a counterexample, as EFF-32/33 do for ASY-05. A
  model that loses one fate proves nothing about programs that meet the other.
* EFF-70 / EFF-71 (AMB-12, "… or moves to another node (coordinator change)"; NODE-12 names the
  coordinator move as what clears a software snapshot's "Backup in Progress"; 7.5): the same pair
  for a node's failure: the marks the failed node holds may be kept or cleared. The claims judge
  only marks on CSVs outside the snapshot sets of that node's requesters, whose job's end (NODE-08,
  EFF-28) clears them anyway.

EFF-72 (NODE-09, NODE-02): every successful 2008 R2 Prepare, also by the node that marked
the CSV before, leaves the mark armed for the 30-minute clear with no snapshot recorded.

Both pairs need AMB-12's reading ``either`` (the catalogue's suggestion); a configuration that
picks ``keep`` or ``clear`` cannot exercise them.
"""

from __future__ import annotations

from shadowspec.model.config import Config
from shadowspec.model.system import Label

from .principles import SET_BACKUP_MODE
from .view import View, argument, volume_of


def backup_mode_request(label: Label) -> bool:
    return label.call == "ClusterResourceControl" and argument(label, "control") == SET_BACKUP_MODE \
        and label.result == "ERROR_SUCCESS" and volume_of(label) > 0


def request_recorded(label: Label, before: View, after: View) -> bool:
    """EFF-67."""
    v = volume_of(label)
    state, delay = argument(label, "BackupState"), argument(label, "DelayTimerInSecs")
    if after.csv_var(v, "request_state") != state or after.csv_var(v, "request_delay") != delay:
        return False
    if state == "VolumeBackupNone":
        return after.csv(v) == "normal" and after.csv_var(v, "timer") == "off" and not after.csv_var(v, "detected")
    return True


def amb12_either(config: Config) -> str | None:
    """needs: AMB-12 read as the catalogue suggests (both fates explored)."""
    reading = config.reading("AMB-12")
    return None if reading == "either" else f"AMB-12 read as '{reading}': only one fate is modelled"


# -- EFF-68 / EFF-69: a CSV in backup mode goes offline ------------------------------------------
def offline_in_backup(label: Label) -> bool:
    return any(step.event == "env_go_offline" and step.transition.machine == "CsvVolume"
               and step.transition.source == "backup" for step in label.steps)


def _offline_volumes(label: Label, before: View) -> list[int]:
    gone = {step.component for step in label.steps if step.event == "env_go_offline"}
    return [v for v, c in before.system.csv.items() if c in gone and before.csv(v) == "backup"]


def offline_always_clears(label: Label, before: View, after: View) -> bool:
    """EFF-68's claim."""
    return all(after.csv(v) == "normal" for v in _offline_volumes(label, before))


def offline_never_clears(label: Label, before: View, after: View) -> bool:
    """EFF-69's claim."""
    return all(after.csv(v) == "backup" for v in _offline_volumes(label, before))


# -- EFF-70 / EFF-71: a node holding marks fails ---------------------------------------------------
def _failed_nodes(label: Label, view: View) -> set[int]:
    down = {step.component for step in label.steps if step.event == "env_node_fails"}
    return {n for n, c in view.system.node.items() if c in down}


def _marks_outside_jobs(label: Label, before: View) -> list[int]:
    system, config = before.system, before.system.config
    found = []
    for n in _failed_nodes(label, before):
        jobs = [r for r in system.requester if config.node_of(r) == n]
        found.extend(v for v in system.mark if before.mark(v) == "backup_in_progress"
                     and before.mark_var(v, "owner") == n
                     and not any(before.holds_volume(r, v) for r in jobs))
    return found


def node_fails_with_marks(label: Label) -> bool:
    return any(step.event == "env_node_fails" for step in label.steps)


def failure_always_clears(label: Label, before: View, after: View) -> bool:
    """EFF-70's claim."""
    return all(after.mark(v) == "not_in_backup" for v in _marks_outside_jobs(label, before))


def failure_never_clears(label: Label, before: View, after: View) -> bool:
    """EFF-71's claim."""
    return all(after.mark(v) == "backup_in_progress" for v in _marks_outside_jobs(label, before))


# -- EFF-72: a 2008 R2 Prepare starts the 30-minute clock again -----------------------------------
def prepare_2008r2(label: Label) -> bool:
    return label.actor.startswith("node-") and label.call == "ClusterPrepareSharedVolumeForBackup" \
        and label.result == "ERROR_SUCCESS" and volume_of(label) > 0


def prepare_arms_the_clear(label: Label, before: View, after: View) -> bool:
    """EFF-72 (NODE-09: "If the backup process dies after ClusterPrepareSharedVolumeForBackup and
    before snapshot creation completes, CSV clears 'Backup in Progress' on its own after 30
    minutes"; NODE-02: on 2008 R2 the call "really prepares" the CSV): every successful 2008 R2
    Prepare, also of a CSV its caller marked before, begins a backup whose snapshot is not created
    yet, so the mark is the caller's with the 30-minute clear armed and no snapshot recorded. (Who
    may Prepare a CSV another node marked, 7.5 does not say: that is left to the model.)"""
    if before.system.config.os != "2008r2":
        return True
    v, node = volume_of(label), int(label.actor.split("-")[1])
    return after.mark(v) == "backup_in_progress" and after.mark_var(v, "owner") == node \
        and after.mark_var(v, "auto_clear") == "armed" and not after.mark_var(v, "snapshot")
