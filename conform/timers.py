"""What a log's timestamps say about the timers: which cannot have fired yet, which must have.

A ``ts`` on a line bounds the hidden timer steps between lines. A CSV's Volume Backup Timer
(CSV-07/08) fires ``DelayTimerInSecs`` after the SET_SHARED_VOLUME_BACKUP_MODE that armed it, and
the resapi mark's automatic clear (NODE-09) 30 minutes after the Prepare that set it: before
that time the step is blocked, after it a state where the timer is still armed is impossible.
Lines without ``ts`` leave every timer free.
"""

from __future__ import annotations

from typing import Any, Iterable

from shadowspec.checks.view import View
from shadowspec.spec.cluster_node import SharedVolumeBackupState
from shadowspec.spec.csv_volume import CsvVolume

from .findings import Finding, unique_rules
from .vocabulary import is_success

AUTO_CLEAR_SECONDS = 30 * 60
"""NODE-09: the "Backup in Progress" mark clears itself 30 minutes after Prepare without a snapshot."""

WORKING = ("set_started", "preparing", "prepared", "snapshotting")
"""Requester phases in which a backup of the set's volumes is under way."""


class TimerWatch:
    """Deadlines of the timers the log's calls armed, by component."""

    def __init__(self, system: Any, expiry_rules: tuple[str, ...]) -> None:
        self.system = system
        self.expiry_rules = expiry_rules
        self.deadlines: dict[int, tuple[float, str, str]] = {}   # component -> (time, variable, event)
        self.armed_at: dict[int, int] = {}                        # csv component -> line that armed it
        self.warned: dict[int, int] = {}                          # csv component -> arming line warned about

    def blocked(self, ts: float | None) -> frozenset[tuple[int, str]]:
        """(component, event) of the timers that cannot have fired by ``ts``."""
        if ts is None:
            return frozenset()
        return frozenset((c, event) for c, (when, _, event) in self.deadlines.items() if ts < when)

    def prune(self, states: frozenset[Any], ts: float | None) -> frozenset[Any]:
        """Drop the states where a timer whose deadline has passed is still armed."""
        if ts is None:
            return states
        expired = [(c, variable) for c, (when, variable, _) in self.deadlines.items() if ts >= when]
        if not expired:
            return states
        machines = self.system.machines
        kept = frozenset(s for s in states if not any(machines[c].value(s[c], v) == "armed" for c, v in expired))
        return kept or states

    def watch(self, entry: Any, labels: Iterable[Any]) -> None:
        """Arm the deadlines of the timers this line's call armed."""
        for label in labels:
            for step in label.steps:
                transition = step.transition
                arms = (transition.machine == CsvVolume.__name__ and step.event == "set_backup_mode"
                        and transition.target == "backup")
                marks = (transition.machine == SharedVolumeBackupState.__name__ and step.event == "prepare_for_backup"
                         and transition.target == "backup_in_progress" and is_success(transition.result))
                if not (arms or marks):
                    continue
                if entry.ts is None:
                    self.deadlines.pop(step.component, None)
                elif arms:
                    self.deadlines[step.component] = (entry.ts + entry.args["DelayTimerInSecs"], "timer",
                                                      "env_timer_expires")
                    self.armed_at[step.component] = entry.line
                else:
                    self.deadlines[step.component] = (entry.ts + AUTO_CLEAR_SECONDS, "auto_clear",
                                                      "env_auto_clear_expires")

    def expired_backup(self, entry: Any, r: int, states: set[Any]) -> list[Finding]:
        """Requester ``r`` works on a volume whose DelayTimerInSecs ran out before any backup was seen."""
        if entry.ts is None:
            return []
        system, findings = self.system, []
        for v, csv in system.csv.items():
            when, armed = self.deadlines.get(csv), self.armed_at.get(csv, 0)
            if when is None or entry.ts < when[0] or self.warned.get(csv) == armed:
                continue
            if all(system.local(s, csv)[0] == "normal"
                   and system.machines[csv].value(s[csv], "request_state") == "VolumeBackupInProgress"
                   and View(system, s).holds_volume(r, v) and View(system, s).phase(r) in WORKING
                   for s in states):
                self.warned[csv] = armed
                findings.append(Finding(
                    entry.line, entry.actor, entry.call, "caller", "hazard", unique_rules(self.expiry_rules),
                    f"the backup continues on a volume whose DelayTimerInSecs (set on line {armed}) expired "
                    "before a backup was detected: the volume has left backup mode (detection is "
                    "implementation-specific, AMB-13)", kind="timer"))
        return findings
