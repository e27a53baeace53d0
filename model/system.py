"""The declared machines composed into one bounded system: who may call what, and what follows.

The system state is the tuple of every component's interned local state (see ``compiled``). A
system action is one API call by one actor, or one step the environment takes (the VSS service
completing an operation or driving a writer, a timer, a fault). Each action fires one or more
local events; the cross-machine effects are declared here, once:

* an asynchronous method that succeeds starts its ``IVssAsync`` (ASY-01);
* GatherWriterMetadata raises Identify in every writer (WRT-03); PrepareForBackup's completion
  raises PrepareForBackup in every writer; DoSnapshotSet drives PrepareForSnapshot, Freeze, the
  provider commit, Thaw and PostSnapshot in that order (WRT-01/02), and a veto, a timeout or a
  provider failure raises Abort in every writer still in the operation (REQ-46, WRT-10);
* BackupComplete's completion raises BackupComplete (WRT-01); AbortBackup raises Abort;
  Release (or a crash, REQ-47) raises BackupShutdown;
* StartSnapshotSet sees the node's one creation slot (REQ-14), AddToSnapshotSet sees the other
  nodes' sets holding the same CSV (REQ-19);
* while a creation holding a CSV is in progress, the cluster may detect the backup (AMB-13); a
  snapshot created under a "Backup in Progress" mark disarms its 30-minute clear (NODE-09); the
  backup job's end clears the mark (NODE-08, AMB-15).

Abstractions: when an operation's session has moved on (aborted or released), the operation may
still finish or fail, touching only its IVssAsync; a requester runs on ``node_of(r)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any, Callable, Iterator, NamedTuple

from shadowspec.spec.async_operation import AsyncOperation
from shadowspec.spec.cluster_node import SharedVolumeBackupState
from shadowspec.spec.creation import IN_PROGRESS, SnapshotSetCreation
from shadowspec.spec.csv_volume import CsvVolume
from shadowspec.spec.node_membership import ClusterNode
from shadowspec.spec.requester import CONTEXTS, RequesterSession
from shadowspec.spec.writer import Writer

from .compiled import Arguments, CompiledMachine, TransitionId
from .config import Config

OPERATIONS = ("gather_writer_metadata", "prepare_for_backup", "do_snapshot_set",
              "backup_complete", "gather_writer_status")

ASYNC_FAILURE = {
    "gather_writer_metadata": "VSS_E_WRITER_INFRASTRUCTURE",
    "prepare_for_backup": "VSS_E_UNEXPECTED",
    "do_snapshot_set": "VSS_E_PROVIDER_VETO",
    "backup_complete": "VSS_E_UNEXPECTED",
    "gather_writer_status": "VSS_E_WRITER_INFRASTRUCTURE",
}
"""The failure each operation's IVssAsync reports when it fails (one documented code each)."""

IN_OPERATION = frozenset({"backup_prepared", "snapshot_prepared", "frozen", "thawed"})
"""Writer states inside a backup operation, where Abort is delivered (WRT-10)."""

MACHINES = (RequesterSession, AsyncOperation, Writer, SnapshotSetCreation, CsvVolume,
            SharedVolumeBackupState, ClusterNode)


class Step(NamedTuple):
    """One local event fired by a system action."""

    component: int
    event: str
    arguments: Arguments
    transition: TransitionId


class Label(NamedTuple):
    """What an edge of the system graph did: who, which call, with what, and what it returned.

    ``kind`` is ``call`` for a program's API call, ``service`` for the VSS service, the cluster
    and timers (the steps fairness applies to), ``fault`` for crashes, failures and detection
    that may or may not happen."""

    actor: str
    call: str
    arguments: Arguments
    result: str
    kind: str
    steps: tuple[Step, ...]

    def describe(self) -> str:
        args = ", ".join(f"{k}={_show(v)}" for k, v in self.arguments)
        return f"{self.actor}: {self.call}({args}) -> {self.result}"


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class Component:
    name: str
    kind: str
    machine: CompiledMachine
    owner: int  # requester, volume or node index (1-based)


class _Tx:
    """A system action under construction: a mutable copy of the state and the steps fired."""

    __slots__ = ("state", "steps", "machines", "force")

    def __init__(self, machines: list[CompiledMachine], state: tuple[int, ...],
                 force: tuple[int, str, str] | None = None) -> None:
        self.machines = machines
        self.state = list(state)
        self.steps: list[Step] = []
        self.force = force
        """(component, event, result): that step is taken as if its guards held (``forced``)."""

    def fire(self, component: int, event: str, **arguments: Any) -> str:
        return self.fire_with(component, event, tuple(sorted(arguments.items())))

    def fire_with(self, component: int, event: str, args: Arguments) -> str:
        if self.force is not None and self.force[:2] == (component, event):
            forced = self.machines[component].force(self.state[component], event, args, self.force[2])
            if forced is None:
                raise _NotForced()
            result, local, tid = forced
        else:
            result, local, tid = self.machines[component].step(self.state[component], event, args)
        self.state[component] = local
        self.steps.append(Step(component, event, args, tid))
        return result

    def at(self, component: int) -> str:
        return self.machines[component].locals[self.state[component]][0]

    def var(self, component: int, name: str) -> Any:
        return self.machines[component].value(self.state[component], name)


Effect = Callable[[_Tx], str]


class _NotForced(Exception):
    """The forced step's state declares no transition with the wanted result."""


class System:
    """The composed system for one configuration."""

    def __init__(self, config: Config, replace: dict[type, type] | None = None) -> None:
        """``replace`` swaps a declared class for another (a variant under test) by role."""
        self.config = config
        params = config.params()
        chosen = {cls: (replace or {}).get(cls, cls) for cls in MACHINES}
        compiled = {cls: CompiledMachine(chosen[cls], params, cls.__name__) for cls in MACHINES}
        self.compiled = compiled
        self.components: list[Component] = []

        def add(name: str, cls: type, owner: int) -> int:
            self.components.append(Component(name, cls.__name__, compiled[cls], owner))
            return len(self.components) - 1

        R, V, N, W = config.requesters, config.volumes, config.nodes, config.writers
        self.requester = {r: add(f"requester-{r}", RequesterSession, r) for r in range(1, R + 1)}
        self.asyncs = {(r, op): add(f"requester-{r}.{op}", AsyncOperation, r)
                       for r in range(1, R + 1) for op in OPERATIONS}
        self.writers = {r: [add(f"writer-{w}@requester-{r}", Writer, r) for w in range(1, W + 1)]
                        for r in range(1, R + 1)}
        self.creation = {r: add(f"creation@requester-{r}", SnapshotSetCreation, r)
                         for r in range(1, R + 1)}
        self.csv = {v: add(f"volume-{v}", CsvVolume, v) for v in range(1, V + 1)}
        self.mark = {v: add(f"volume-{v}.backup-in-progress", SharedVolumeBackupState, v)
                     for v in range(1, V + 1)}
        self.node = {n: add(f"node-{n}", ClusterNode, n) for n in range(1, N + 1)}
        self.machines = [c.machine for c in self.components]
        self.initial: tuple[int, ...] = tuple(m.initial for m in self.machines)

    # -- reading a state ----------------------------------------------------------------------
    def local(self, state: tuple[int, ...], component: int) -> tuple[Any, ...]:
        return self.machines[component].locals[state[component]]

    def records(self, state: tuple[int, ...]) -> dict[str, dict[str, Any]]:
        """Every component's record, by component name (for reports and properties)."""
        return {c.name: c.machine.record(state[i]) for i, c in enumerate(self.components)}

    # -- the actions --------------------------------------------------------------------------
    def successors(self, state: tuple[int, ...]) -> Iterator[tuple[Label, tuple[int, ...]]]:
        """Every action enabled in ``state``, in a fixed order, with the state it leads to."""
        for actor, call, arguments, kind, effect in self._actions(state):
            tx = _Tx(self.machines, state)
            result = effect(tx)
            if result is None:
                continue
            yield Label(actor, call, arguments, result, kind, tuple(tx.steps)), tuple(tx.state)

    def forced(self, state: tuple[int, ...], actor: str, call: str, result: str) -> Iterator[tuple[Label, tuple[int, ...]]]:
        """The requester ``actor``'s ``call`` taken as if it had returned ``result`` (its guards
        ignored, its declared effects and the composition's cross-machine effects applied): the
        states a program is in when it goes on believing a success the specification rejects."""
        r = int(actor.split("-")[1])
        events = {name: event for event, name in RequesterSession.API_NAMES.items()}
        if call not in events:
            return
        for who, name, arguments, kind, effect in self._requester_calls(state, r):
            if who != actor or name != call:
                continue
            tx = _Tx(self.machines, state, force=(self.requester[r], events[call], result))
            try:
                got = effect(tx)
            except _NotForced:
                continue
            yield Label(actor, call, arguments, got, kind, tuple(tx.steps)), tuple(tx.state)

    def _actions(self, s: tuple[int, ...]) -> Iterator[tuple[str, str, Arguments, str, Effect]]:
        for group in self.action_groups():
            yield from group(s)

    def action_groups(self) -> list[Callable[[tuple[int, ...]], Iterator[tuple[str, str, Arguments, str, Effect]]]]:
        """The actions in independent groups, in order (``_actions`` chains them): each group
        reads only part of the state, which lets ``model/packed_system.py`` tabulate it."""
        config = self.config

        def requester_calls(r: int) -> Callable[[tuple[int, ...]], Iterator[Any]]:
            def group(s: tuple[int, ...]) -> Iterator[Any]:
                if self._member(s, config.node_of(r)):
                    yield from self._requester_calls(s, r)
            return group

        def node_calls(n: int) -> Callable[[tuple[int, ...]], Iterator[Any]]:
            def group(s: tuple[int, ...]) -> Iterator[Any]:
                if self._member(s, n):
                    yield from self._node_calls(n)
            return group

        groups: list[Callable[[tuple[int, ...]], Iterator[Any]]] = []
        for r in self.requester:
            groups.append(requester_calls(r))
            groups.append(lambda s, r=r: self._service_steps(s, r))
        groups.extend(node_calls(n) for n in self.node)
        groups.append(self._cluster_steps)
        return groups

    def argument_values(self) -> dict[str, tuple[Any, ...]]:
        """The values of the event arguments a declaration leaves open (an empty domain in
        ``ARGUMENTS``): which node calls, which volume (0-based) is added."""
        return {"node": tuple(self.node), "volume": tuple(v - 1 for v in self.csv)}

    def _member(self, s: tuple[int, ...], n: int) -> bool:
        return self.machines[self.node[n]].locals[s[self.node[n]]][0] == "member"

    def _phase(self, s: tuple[int, ...], r: int) -> str:
        return self.local(s, self.requester[r])[0]

    # -- a requester's calls --------------------------------------------------------------
    def _requester_calls(self, s: tuple[int, ...], r: int) -> Iterator[tuple[str, str, Arguments, str, Effect]]:
        config, req, actor = self.config, self.requester[r], f"requester-{r}"
        phase = self._phase(s, r)
        api = RequesterSession.API_NAMES
        bad = config.has("bad_arguments")

        def call(event: str, then: Callable[[_Tx, str], None] | None = None, **arguments: Any):
            args = tuple(sorted(arguments.items()))

            def run(tx: _Tx) -> str:
                result = tx.fire_with(req, event, args)
                if then is not None:
                    then(tx, result)
                return result
            return (actor, api[event], args, "call", run)

        if phase == "released":
            return
        if phase == "absent":
            for privileged in ((True, False) if bad else (True,)):
                yield call("create_vss_backup_components", privileged=privileged)
            return
        for xml_valid in ((True, False) if bad else (True,)):
            yield call("initialize_for_backup", xml_valid=xml_valid)
        if config.has("context_calls"):
            contexts = CONTEXTS if config.has("all_contexts") else ("backup", "file_share_backup")
            for context in contexts + (("invalid",) if bad else ()):
                for modifier in (False, True) if config.has("all_contexts") and context != "invalid" else (False,):
                    for observed in (False, True) if context == "invalid" else (False,):
                        yield call("set_context", context=context, provider_modifier=modifier,
                                   observed_code=observed)
        for select, valid in product((False, True), (True, False) if bad else (True,)):
            yield call("set_backup_state", select_components=select, valid=valid)
        yield call("gather_writer_metadata", then=self._started("gather_writer_metadata", r, identify=True))
        if config.has("metadata_calls"):
            yield call("get_writer_metadata")
            yield call("free_writer_metadata")
            yield call("add_component", duplicate=False)
            if self.machines[req].value(s[req], "component_added"):
                yield call("add_component", duplicate=True)
        yield call("start_snapshot_set", then=self._creation_started(r),
                   creation_busy=self._creation_busy(s, r))
        for v in self.csv:
            contended = self._contended(s, r, v)
            yield call("add_to_snapshot_set", volume=v - 1, csv_contended=contended, supported=True,
                       by_provider=False)
            if bad:
                for by_provider in (False, True):
                    yield call("add_to_snapshot_set", volume=v - 1, csv_contended=contended, supported=False,
                               by_provider=by_provider)
        yield call("prepare_for_backup", then=self._started("prepare_for_backup", r))
        yield call("do_snapshot_set", then=self._snapshot_started(r))
        if config.has("status_calls"):
            yield call("gather_writer_status", then=self._started("gather_writer_status", r))
            yield call("get_writer_status")
            yield call("free_writer_status")
        if config.has("metadata_calls"):
            yield call("set_backup_succeeded", known=True)
            yield call("set_backup_succeeded", known=False)
        yield call("backup_complete", then=self._started("backup_complete", r))
        yield call("abort_backup", then=self._aborted(r))
        if config.has("delete_snapshots"):
            yield call("delete_snapshots")
        yield call("release", then=self._session_ended(r, crashed=False))
        if config.has("async_calls"):
            for op in OPERATIONS:
                a = self.asyncs[(r, op)]
                status = self.local(s, a)[0]
                if status == "idle":
                    continue
                operation = (("operation", api[op]),)
                ways = ("result", "status") if status == "failed" else ("result",)
                for way in ways:
                    yield (actor, "IVssAsync::Wait", operation + (("reports_failure_as", way),), "call",
                           self._fire(a, "wait", reports_failure_as=way))
                yield (actor, "IVssAsync::QueryStatus", operation, "call", self._fire(a, "query_status"))
                if config.has("cancel"):
                    yield (actor, "IVssAsync::Cancel", operation, "call",
                           self._cancelled_snapshot(r) if op == "do_snapshot_set" else self._fire(a, "cancel"))

    def _cancelled_snapshot(self, r: int) -> Effect:
        """AMB-23: a DoSnapshotSet cancelled while pending is treated like a failed one: the
        session's snapshot fails, writers still in the operation get Abort (WRT-15: a VSS failure
        after PrepareForSnapshot) and the creation lock is released (REQ-14)."""
        a, req = self.asyncs[(r, "do_snapshot_set")], self.requester[r]

        def run(tx: _Tx) -> str:
            result = tx.fire(a, "cancel")
            if tx.at(a) == "cancelled" and tx.at(req) == "snapshotting":
                for w in self.writers[r]:
                    if tx.at(w) in IN_OPERATION:
                        tx.fire(w, "abort")
                tx.fire(req, "env_snapshot_failed")
                if tx.at(self.creation[r]) in IN_PROGRESS:
                    tx.fire(self.creation[r], "env_end")
            return result
        return run

    def _fire(self, component: int, event: str, **arguments: Any) -> Effect:
        args = tuple(sorted(arguments.items()))
        return lambda tx: tx.fire_with(component, event, args)

    def _started(self, op: str, r: int, identify: bool = False) -> Callable[[_Tx, str], None]:
        def then(tx: _Tx, result: str) -> None:
            if result == "S_OK":
                tx.fire(self.asyncs[(r, op)], "env_start")
                if identify:
                    for w in self.writers[r]:
                        if tx.at(w) != "shutdown":
                            tx.fire(w, "identify")
        return then

    def _creation_started(self, r: int) -> Callable[[_Tx, str], None]:
        def then(tx: _Tx, result: str) -> None:
            if result == "S_OK":
                tx.fire(self.creation[r], "env_start")
        return then

    def _snapshot_started(self, r: int) -> Callable[[_Tx, str], None]:
        def then(tx: _Tx, result: str) -> None:
            if result == "S_OK":
                tx.fire(self.asyncs[(r, "do_snapshot_set")], "env_start")
                tx.fire(self.creation[r], "env_begin")
        return then

    def _aborted(self, r: int) -> Callable[[_Tx, str], None]:
        def then(tx: _Tx, result: str) -> None:
            if tx.steps[-1].transition.target == "aborted" and tx.steps[-1].transition.source != "aborted":
                for w in self.writers[r]:
                    if tx.at(w) != "shutdown":
                        tx.fire(w, "abort")
                if tx.at(self.creation[r]) in IN_PROGRESS:
                    tx.fire(self.creation[r], "env_end")
        return then

    def _session_ended(self, r: int, crashed: bool) -> Callable[[_Tx, str], None]:
        def then(tx: _Tx, result: str) -> None:
            source = tx.steps[-1].transition.source
            if source not in ("created", "initialized"):
                for w in self.writers[r]:
                    if tx.at(w) != "shutdown":
                        tx.fire(w, "backup_shutdown")
            if tx.at(self.creation[r]) in IN_PROGRESS:
                tx.fire(self.creation[r], "env_end")
            if not crashed and self.config.reading("AMB-15") in ("release_or_complete", "release"):
                self._job_completes(tx, r)
        return then

    def _job_completes(self, tx: _Tx, r: int) -> None:
        """The backup job of requester r ended: its node's marks on its volumes clear (NODE-08)."""
        node = self.config.node_of(r)
        volumes = tx.var(self.requester[r], "volumes")
        for v, mark in self.mark.items():
            if volumes >> (v - 1) & 1 and tx.at(mark) == "backup_in_progress" and tx.var(mark, "owner") == node:
                tx.fire(mark, "env_backup_job_completes")

    def _creation_busy(self, s: tuple[int, ...], r: int) -> bool:
        """REQ-14: another object on the node's VSS service, or another program, holds the lock."""
        node = self.config.node_of(r)
        if self.machines[self.node[node]].value(s[self.node[node]], "other_program_creating"):
            return True
        return any(self.local(s, self.creation[o])[0] in IN_PROGRESS
                   for o in self.requester if o != r and self.config.node_of(o) == node)

    def _contended(self, s: tuple[int, ...], r: int, v: int) -> bool:
        node = self.config.node_of(r)
        return any(self.local(s, self.creation[o])[0] in IN_PROGRESS
                   and self.machines[self.requester[o]].value(s[self.requester[o]], "volumes") >> (v - 1) & 1
                   for o in self.requester if self.config.node_of(o) != node)

    # -- the VSS service and the requester's process ----------------------------------------
    def _service_steps(self, s: tuple[int, ...], r: int) -> Iterator[tuple[str, str, Arguments, str, Effect]]:
        config = self.config
        phase = self._phase(s, r)
        fails = config.has("async_failure")
        for op in OPERATIONS:
            a = self.asyncs[(r, op)]
            pending = self.local(s, a)[0] == "pending"
            waiting = self._waiting(s, r, op, phase)
            if op == "do_snapshot_set" and waiting:
                yield from self._snapshot_steps(s, r)
                continue
            if not (waiting or pending):
                continue
            name = RequesterSession.API_NAMES[op]
            yield ("vss", f"{name} completes", (), "service", self._completes(r, op, ok=True, moved_on=not waiting))
            if fails:
                yield ("vss", f"{name} fails", (("code", ASYNC_FAILURE[op]),), "fault",
                       self._completes(r, op, ok=False, moved_on=not waiting))
        if config.has("freeze_timeout"):
            for w in self.writers[r]:
                if self.local(s, w)[0] == "frozen":
                    yield ("vss", "freeze window expires", (("writer", self.components[w].name),), "service",
                           self._freeze_timeout(r, w))
        if config.has("crash") and phase not in ("absent", "released"):
            yield ("fault", "requester process dies", (("requester", f"requester-{r}"),), "fault",
                   self._crash(r))

    def _waiting(self, s: tuple[int, ...], r: int, op: str, phase: str) -> bool:
        """Whether requester r's session is still waiting for the work of ``op`` (which goes on
        whatever happens to its IVssAsync: Cancel affects only the async object, AMB-07)."""
        if op == "gather_writer_metadata":
            return phase not in ("absent", "released") and \
                self.machines[self.requester[r]].value(s[self.requester[r]], "metadata") == "pending"
        if op == "gather_writer_status":
            return phase not in ("absent", "released") and \
                self.machines[self.requester[r]].value(s[self.requester[r]], "writer_status") == "pending"
        return phase == {"prepare_for_backup": "preparing", "do_snapshot_set": "snapshotting",
                         "backup_complete": "completing"}[op]

    def _async_ends(self, tx: _Tx, r: int, op: str, ok: bool) -> str:
        """The IVssAsync of ``op`` reports the outcome, unless it was cancelled (AMB-07)."""
        a = self.asyncs[(r, op)]
        if tx.at(a) != "pending":
            return "VSS_S_ASYNC_FINISHED" if ok else ASYNC_FAILURE[op]
        if ok:
            return tx.fire(a, "env_finish")
        return tx.fire(a, "env_fail", code=ASYNC_FAILURE[op])

    def _completes(self, r: int, op: str, ok: bool, moved_on: bool) -> Effect:
        req = self.requester[r]

        def run(tx: _Tx) -> str:
            result = self._async_ends(tx, r, op, ok)
            if moved_on:
                return result
            if op == "gather_writer_metadata":
                tx.fire(req, "env_metadata_gathered" if ok else "env_metadata_failed")
            elif op == "prepare_for_backup":
                if ok:
                    if tx.var(req, "context") != "file_share_backup":
                        for w in self.writers[r]:
                            if tx.at(w) == "idle":
                                tx.fire(w, "prepare_backup")
                    tx.fire(req, "env_prepare_finished")
                else:
                    tx.fire(req, "env_prepare_failed")
            elif op == "backup_complete":
                if ok:
                    for w in self.writers[r]:
                        if tx.at(w) in ("post_snapshot_done", "idle", "aborted"):
                            tx.fire(w, "backup_complete")
                tx.fire(req, "env_complete_finished")
                if self.config.reading("AMB-15") in ("release_or_complete", "complete"):
                    self._job_completes(tx, r)
            elif op == "gather_writer_status":
                tx.fire(req, "env_status_gathered" if ok else "env_status_failed")
            return result
        return run

    def _snapshot_steps(self, s: tuple[int, ...], r: int) -> Iterator[tuple[str, str, Arguments, str, Effect]]:
        """DoSnapshotSet in progress: the writer sequence, the commit, then completion."""
        config = self.config
        writers = [w for w in self.writers[r] if self.local(s, w)[0] not in ("idle", "shutdown")]
        states = {w: self.local(s, w)[0] for w in writers}
        creation = self.local(s, self.creation[r])[0]
        outcomes = (True, False) if config.has("writer_failure") else (True,)
        failed = creation == "commit_failed" or any(v == "aborted" for v in states.values())

        def writer_event(stage: str, before: str) -> Iterator[tuple[str, str, Arguments, str, Effect]]:
            for w in writers:
                if states[w] == before:
                    for ok in outcomes:
                        yield ("vss", Writer.API_NAMES[stage],
                               (("ok", ok), ("writer", self.components[w].name)), "service" if ok else "fault",
                               self._fire(w, stage, ok=ok))

        if failed:
            live = [w for w in writers if states[w] in IN_OPERATION]
            if live:
                yield ("vss", "CVssWriter::OnAbort", (("requester", f"requester-{r}"),), "service",
                       self._abort_writers(live))
            else:
                yield ("vss", "IVssBackupComponents::DoSnapshotSet fails",
                       (("code", ASYNC_FAILURE["do_snapshot_set"]),), "service", self._snapshot_ends(r, ok=False))
            return
        pending = set(states.values())
        if "backup_prepared" in pending:
            yield from writer_event("prepare_snapshot", "backup_prepared")
        elif "snapshot_prepared" in pending:
            yield from writer_event("freeze", "snapshot_prepared")
        elif creation == "creating":
            for ok in ((True, False) if config.has("provider_failure") else (True,)):
                yield ("vss", "provider CommitSnapshots", (("ok", ok),), "service" if ok else "fault",
                       self._fire(self.creation[r], "env_commit", ok=ok))
        elif "frozen" in pending:
            yield from writer_event("thaw", "frozen")
        elif "thawed" in pending:
            yield from writer_event("post_snapshot", "thawed")
        else:
            yield ("vss", "IVssBackupComponents::DoSnapshotSet completes", (), "service",
                   self._snapshot_ends(r, ok=True))

    def _abort_writers(self, writers: list[int]) -> Effect:
        def run(tx: _Tx) -> str:
            for w in writers:
                tx.fire(w, "abort")
            return "true"
        return run

    def _snapshot_ends(self, r: int, ok: bool) -> Effect:
        req, creation = self.requester[r], self.creation[r]

        def run(tx: _Tx) -> str:
            result = self._async_ends(tx, r, "do_snapshot_set", ok)
            if ok:
                tx.fire(req, "env_snapshot_finished")
                node, volumes = self.config.node_of(r), tx.var(req, "volumes")
                for v, mark in self.mark.items():
                    if volumes >> (v - 1) & 1 and tx.at(mark) == "backup_in_progress" \
                            and tx.var(mark, "owner") == node:
                        tx.fire(mark, "env_snapshot_created")
            else:
                tx.fire(req, "env_snapshot_failed")
            tx.fire(creation, "env_end")
            return result
        return run

    def _freeze_timeout(self, r: int, w: int) -> Effect:
        return lambda tx: tx.fire(w, "env_freeze_timeout")

    def _crash(self, r: int) -> Effect:
        ended = self._session_ended(r, crashed=True)

        def run(tx: _Tx) -> str:
            result = tx.fire(self.requester[r], "env_crash")
            ended(tx, result)
            return result
        return run

    # -- a node's cluster calls ---------------------------------------------------------------
    def _node_calls(self, n: int) -> Iterator[tuple[str, str, Arguments, str, Effect]]:
        config, actor, bad = self.config, f"node-{n}", self.config.has("bad_arguments")
        control = "ClusterResourceControl"
        for v, csv in self.csv.items():
            volume = ("VolumeName", f"volume-{v}")
            if config.has("backup_mode"):
                combos = [("VolumeBackupInProgress", 1), ("VolumeBackupNone", 0)]
                if bad:
                    combos += [("VolumeBackupInProgress", 0), ("VolumeBackupNone", 1)]
                for state, delay in combos:
                    yield (actor, control, (("BackupState", state), ("DelayTimerInSecs", delay), volume,
                                            ("control", CsvVolume.API_NAMES["set_backup_mode"])), "call",
                           self._fire(csv, "set_backup_mode", backup_state=state, delay_secs=delay))
            if config.has("directio"):
                for event in ("enable_directio", "disable_directio"):
                    yield (actor, control, (volume, ("control", CsvVolume.API_NAMES[event])), "call",
                           self._fire(csv, event))
            if config.has("maintenance"):
                for on in (True, False):
                    yield (actor, control, (("InMaintenance", on), volume,
                                            ("control", CsvVolume.API_NAMES["set_maintenance_mode"])), "call",
                           self._fire(csv, "set_maintenance_mode", in_maintenance=on))
            if config.has("resapi"):
                mark = self.mark[v]
                for on_csv, fits in product((True, False) if bad else (True,), (True, False) if bad else (True,)):
                    yield (actor, "ClusterPrepareSharedVolumeForBackup",
                           (("buffers_large_enough", fits), ("lpszFileName", f"volume-{v}" if on_csv else "C:\\")),
                           "call", self._fire(mark, "prepare_for_backup", node=n, on_csv=on_csv,
                                              buffers_large_enough=fits))
                for on_csv in (True, False) if bad else (True,):
                    yield (actor, "ClusterClearBackupStateForSharedVolume",
                           (("lpszVolumePathName", f"volume-{v}" if on_csv else "C:\\"),), "call",
                           self._fire(mark, "clear_backup_state", node=n, on_csv=on_csv))

    # -- the cluster: timers, detection, faults --------------------------------------------
    def _cluster_steps(self, s: tuple[int, ...]) -> Iterator[tuple[str, str, Arguments, str, Effect]]:
        config = self.config
        for v, csv in self.csv.items():
            name = (("volume", f"volume-{v}"),)
            state, timer = self.local(s, csv)[0], self.machines[csv].value(s[csv], "timer")
            if config.has("timer_expiry") and state == "backup" and timer == "armed":
                yield ("cluster", "Volume Backup Timer expires", name, "service",
                       self._fire(csv, "env_timer_expires"))
            if config.has("backup_detection") and state == "backup" and timer == "armed" \
                    and self._backup_running(s, v):
                yield ("cluster", "backup detected", name, "fault", self._fire(csv, "env_backup_detected"))
            if config.has("redirect_fault") and not self.machines[csv].value(s[csv], "redirected"):
                yield ("fault", "volume redirected by the server", name, "fault",
                       self._fire(csv, "env_redirect_fault"))
            if config.has("offline"):
                if self.machines[csv].value(s[csv], "online"):
                    for clears in self._amb12():
                        yield ("fault", "resource goes offline", name + (("clears_backup", clears),), "fault",
                               self._fire(csv, "env_go_offline", clears_backup=clears))
                else:
                    yield ("cluster", "resource comes online", name, "service", self._fire(csv, "env_come_online"))
            mark = self.mark[v]
            if config.has("timer_expiry") and self.machines[mark].value(s[mark], "auto_clear") == "armed":
                yield ("cluster", "30-minute automatic clear", name, "service",
                       self._fire(mark, "env_auto_clear_expires"))
        if config.has("other_programs"):
            for n, node in self.node.items():
                if not self._member(s, n):
                    continue
                if self.machines[node].value(s[node], "other_program_creating"):
                    yield ("vss", "another program's creation ends", (("node", f"node-{n}"),), "fault",
                           self._fire(node, "env_other_program_ends"))
                elif not any(self.local(s, self.creation[r])[0] in IN_PROGRESS
                             for r in self.requester if self.config.node_of(r) == n):
                    yield ("vss", "another program's StartSnapshotSet", (("node", f"node-{n}"),), "fault",
                           self._fire(node, "env_other_program_starts"))
        if config.has("failover"):
            for n, node in self.node.items():
                if self._member(s, n):
                    for clears in self._amb12():
                        yield ("fault", "node fails", (("clears_backup", clears), ("node", f"node-{n}")), "fault",
                               self._node_fails(n, clears))
                else:
                    yield ("cluster", "node rejoins", (("node", f"node-{n}"),), "service",
                           self._fire(node, "env_node_rejoins"))

    def _amb12(self) -> tuple[bool, ...]:
        reading = self.config.reading("AMB-12")
        return {"either": (False, True), "keep": (False,), "clear": (True,)}[reading]

    def _backup_running(self, s: tuple[int, ...], v: int) -> bool:
        return any(self.local(s, self.creation[r])[0] in IN_PROGRESS
                   and self.machines[self.requester[r]].value(s[self.requester[r]], "volumes") >> (v - 1) & 1
                   for r in self.requester)

    def _node_fails(self, n: int, clears: bool) -> Effect:
        def run(tx: _Tx) -> str:
            result = tx.fire(self.node[n], "env_node_fails")
            for r, req in self.requester.items():
                if self.config.node_of(r) == n and tx.at(req) not in ("absent", "released"):
                    tx.fire(req, "env_crash")
                    self._session_ended(r, crashed=True)(tx, "S_OK")
            if clears:
                for v, mark in self.mark.items():
                    if tx.at(mark) == "backup_in_progress" and tx.var(mark, "owner") == n:
                        tx.fire(mark, "env_coordinator_moves")
            return result
        return run
