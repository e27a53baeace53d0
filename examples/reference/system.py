"""The reference model composed: R requesters (one per node) and V volumes, over interned local ids.

A system state is the tuple ``(requester 1..R local ids, volume 1..V local ids)`` of the compiled
machines (``model/compiled.py``). A system action fires one or more local events; the
cross-machine effects are declared here, once, as data (``Action``), and read both by the generic
successor function below (for ``model/explorer.explore``) and by the packed compiler
(``packed.py``):

* setting a volume InProgress is the requester's step and the volume's (CSV-07);
* DoSnapshotSet detects the backup on every volume the requester holds (CSV-09, AMB-13);
* resetting an own volume after Completed/Aborted is the requester's step and the volume's
  (CSV-10); ClusterClearBackupStateForSharedVolume from any node touches only the volume
  (NODE-11); the delay timer is the environment's (CSV-08).

Action order (the order successors are generated, and so the order of action ids) follows
``gen_promela.py``: per requester its calls, then its node's clears; then the timers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, NamedTuple

from statemachine.exceptions import TransitionNotAllowed

from shadowspec.model.compiled import Arguments, CompiledMachine, TransitionId

from .machines import ReferenceRequester, ReferenceVolume

REQUESTER_CALLS = ("initialize_for_backup", "set_backup_state", "gather_writer_metadata",
                   "start_snapshot_set")
AFTER_VOLUMES = ("add_to_snapshot_set", "prepare_for_backup", "do_snapshot_set", "backup_complete",
                 "abort_backup")


@dataclass(frozen=True)
class Fire:
    """One local event an action fires on one component."""

    component: int
    event: str
    arguments: Arguments = ()


@dataclass(frozen=True)
class Action:
    """One system action: who calls what, the local events it fires, and the cross effect.

    ``snapshot_of`` is the component of a requester whose held volumes (read from its record
    before the step) each receive ``snapshot_taken`` (DoSnapshotSet detects the backup, CSV-09)."""

    actor: str
    call: str
    arguments: Arguments
    fires: tuple[Fire, ...]
    snapshot_of: int = -1


class Label(NamedTuple):
    """What an edge did: who, which call, with what, its result, and the transitions fired."""

    actor: str
    call: str
    arguments: Arguments
    result: str
    transitions: tuple[TransitionId, ...]

    def describe(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.arguments)
        return f"{self.actor}: {self.call}({args}) -> {self.result}"


class ReferenceSystem:
    """The composed reference model for ``requesters`` x ``volumes``."""

    def __init__(self, requesters: int, volumes: int,
                 classes: tuple[type, type] = (ReferenceRequester, ReferenceVolume)) -> None:
        """``classes``: the declared requester and volume classes (a variant under test keeps
        its role's name)."""
        if requesters < 1 or volumes < 1:
            raise ValueError("the reference model needs at least one requester and one volume")
        self.requesters, self.volumes = requesters, volumes
        self.requester_machine = CompiledMachine(classes[0], None, "ReferenceRequester")
        self.volume_machine = CompiledMachine(classes[1], None, "ReferenceVolume")
        R, V = requesters, volumes
        self.names = [f"requester-{r}" for r in range(1, R + 1)] + [f"volume-{v}" for v in range(1, V + 1)]
        self.machines = [self.requester_machine] * R + [self.volume_machine] * V
        self.initial: tuple[int, ...] = tuple(m.initial for m in self.machines)
        self.actions = self._declare_actions()

    def volume_component(self, v: int) -> int:
        """The component of volume ``v`` (1-based)."""
        return self.requesters + v - 1

    def _declare_actions(self) -> list[Action]:
        R, V = self.requesters, self.volumes
        api = ReferenceRequester.API_NAMES
        actions: list[Action] = []
        for r in range(R):
            actor = f"requester-{r + 1}"
            for event in REQUESTER_CALLS:
                actions.append(Action(actor, api[event], (), (Fire(r, event),)))
            for v in range(1, V + 1):
                arg = (("volume", v),)
                actions.append(Action(actor, api["set_volume_in_progress"],
                                      (("volume", f"volume-{v}"), ("BackupState", "VolumeBackupInProgress"),
                                       ("DelayTimerInSecs", "non-zero")),
                                      (Fire(r, "set_volume_in_progress", arg),
                                       Fire(self.volume_component(v), "set_in_progress"))))
            for event in AFTER_VOLUMES:
                actions.append(Action(actor, api[event], (), (Fire(r, event),),
                                      snapshot_of=r if event == "do_snapshot_set" else -1))
            for v in range(1, V + 1):
                actions.append(Action(actor, api["reset_volume"],
                                      (("volume", f"volume-{v}"), ("BackupState", "VolumeBackupNone"),
                                       ("DelayTimerInSecs", 0)),
                                      (Fire(r, "reset_volume", (("volume", v),)),
                                       Fire(self.volume_component(v), "clear"))))
            for v in range(1, V + 1):
                actions.append(Action(f"node-{r + 1}", ReferenceVolume.API_NAMES["clear"],
                                      (("volume", f"volume-{v}"),),
                                      (Fire(self.volume_component(v), "clear"),)))
        for v in range(1, V + 1):
            actions.append(Action("environment", ReferenceVolume.API_NAMES["env_timer_expires"],
                                  (("volume", f"volume-{v}"),),
                                  (Fire(self.volume_component(v), "env_timer_expires"),)))
        return actions

    # -- reading a state ----------------------------------------------------------------------
    def record(self, state: tuple[int, ...], component: int) -> dict[str, Any]:
        return self.machines[component].record(state[component])

    def records(self, state: tuple[int, ...]) -> dict[str, dict[str, Any]]:
        return {name: self.record(state, i) for i, name in enumerate(self.names)}

    def held(self, local_id: int) -> list[int]:
        """The volumes (1-based) a requester local state holds."""
        vols = self.requester_machine.value(local_id, "vols")
        return [v for v in range(1, self.volumes + 1) if vols >> (v - 1) & 1]

    # -- the actions --------------------------------------------------------------------------
    def fire(self, state: tuple[int, ...], action: Action) -> tuple[Label, tuple[int, ...]] | None:
        """The label and target of ``action`` in ``state``, or None where it is not enabled."""
        nxt = list(state)
        results, fired = [], []
        try:
            for f in action.fires:
                result, nxt[f.component], tid = self.machines[f.component].step(
                    nxt[f.component], f.event, f.arguments)
                results.append(result)
                fired.append(tid)
        except TransitionNotAllowed:
            return None
        if action.snapshot_of >= 0:
            for v in self.held(state[action.snapshot_of]):
                c = self.volume_component(v)
                _, nxt[c], tid = self.machines[c].step(nxt[c], "snapshot_taken")
                fired.append(tid)
        label = Label(action.actor, action.call, action.arguments, results[0], tuple(fired))
        return label, tuple(nxt)

    def successors(self, state: tuple[int, ...]) -> Iterator[tuple[Label, tuple[int, ...]]]:
        """Every enabled action in ``state``, in action order, with the state it leads to."""
        for action in self.actions:
            found = self.fire(state, action)
            if found is not None:
                yield found
