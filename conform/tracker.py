"""The set-of-states automaton that follows one log through the specification.

It keeps every system state consistent with the log so far, closed under hidden steps. A line
is matched against the calls each state offers (same actor, call and the arguments the log
shows; the result must be one the transition declares). A line that leaves no state is a
finding; the tracker then recovers from the states the specification allows after that call, so
one run lists every finding. Rule IDs always come from the declared transitions involved: the
ones that fired, or the ones the specification would have fired instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from shadowspec.checks.catalogue import PROPERTIES
from shadowspec.checks.view import View
from shadowspec.model.compiled import TransitionId, cited_rules, declared_transitions
from shadowspec.model.config import READINGS
from shadowspec.model.system import MACHINES, OPERATIONS
from shadowspec.spec.async_operation import AsyncOperation, status_of
from shadowspec.spec.csv_volume import CsvVolume
from shadowspec.spec.requester import RequesterSession

from .findings import Finding, unique_rules
from .oracle import Oracle, State
from .timers import TimerWatch
from .vocabulary import ModelCall, failure_class, is_success

CALLER_PROPERTIES = ("INV-13", "INV-19", "INV-21", "INV-27", "LIV-07")
"""Catalogue edge properties that judge the caller's own call (a hazard the documentation warns
against, an obligation, or an argument rule such as INV-19's DelayTimerInSecs, which a reading of
AMB-10 lets the API accept): when a logged call breaks one, it is a caller finding. The other
properties describe the API's documented behaviour (a status that masks a failure, a timer that
drops backup mode), which a program cannot be blamed for."""

HOLD_EDGES = tuple(p for p in PROPERTIES if p.kind == "edge" and p.expected == "HOLD")
HAZARDS = tuple(p for p in PROPERTIES if p.id in CALLER_PROPERTIES)
PREPARED_WINDOW = next(p for p in PROPERTIES if p.id == "LIV-07")

MATCH_CACHE = 50_000
"""(state, call) pairs whose matches are remembered at once (memory bound)."""


def declared(cls: type, event: str, source: str | None = None, result: str | None = None) -> list[TransitionId]:
    return [t for t in declared_transitions(cls) if t.event == event
            and (source is None or t.source == source) and (result is None or t.result == result)]


def call_rules(labels: Any) -> tuple[str, ...]:
    """The rules of the transitions a set of labels fired for the call itself (its first step), in
    an order that does not depend on how the set of states happens to be iterated."""
    fired = sorted({label.steps[0].transition for label in labels if label.steps}, key=str)
    return unique_rules(*(t.rules for t in fired))


def prepare_was_called(view: View, r: int) -> bool:
    """LIV-07 speaks of a session that called PrepareForBackup; in the no-writer context
    (VSS_CTX_FILE_SHARE_BACKUP, REQ-42) the phases after DoSnapshotSet are reached without it."""
    return view.req(r, "context") != "file_share_backup"


def applies(prop: Any, label: Any, before: View) -> bool:
    if not prop.applies(label):
        return False
    return prop is not PREPARED_WINDOW or prepare_was_called(before, int(label.actor.split("-")[1]))


_CITED: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {}


def ambiguities(moves: Any) -> tuple[str, ...]:
    """The AMBs with selectable readings that any declared transition of the calls' events cites
    (through its result, guards or effects): the readings that could change the verdict."""
    found: list[str] = []
    for move in moves:
        tid = move.label.steps[0].transition
        if tid.machine not in _CITED:
            cls = next(c for c in MACHINES if c.__name__ == tid.machine)
            table: dict[tuple[str, str], tuple[str, ...]] = {}
            for t, rules in cited_rules(cls).items():
                table[(t.source, t.event)] = unique_rules(table.get((t.source, t.event), ()), rules)
            _CITED[tid.machine] = table
        found += [r for r in _CITED[tid.machine].get((tid.source, tid.event), ()) if r in READINGS]
    return tuple(sorted(set(found)))


@dataclass
class Match:
    label: Any
    before: State
    after: State


class Tracker:
    """Follows one log; ``alternative(amb, reading)`` gives the oracle under another reading."""

    def __init__(self, oracle: Oracle, alternative: Callable[[str, str], Oracle]) -> None:
        self.oracle = oracle
        self.system = oracle.system
        self.alternative = alternative
        self.pending: set[State] = {self.system.initial}
        self.timers = TimerWatch(self.system, unique_rules(*(t.rules for t in declared(CsvVolume, "env_timer_expires"))))
        self.transitions: set[TransitionId] = set()
        self._matches: dict[tuple[State, ModelCall], tuple[tuple[Match, ...], tuple[Match, ...]]] = {}

    # -- states ---------------------------------------------------------------------------------
    def current(self, ts: float | None) -> frozenset[State]:
        """The states consistent with the log before a line at time ``ts``."""
        states = self.timers.prune(self.oracle.closure(self.pending, self.timers.blocked(ts)), ts)
        self.pending = set(states)
        return states

    def reset_requester(self, r: int) -> None:
        """A new object takes requester slot ``r``: its components start again."""
        system = self.system
        components = [system.requester[r], system.creation[r], *system.writers[r],
                      *(system.asyncs[(r, op)] for op in OPERATIONS)]
        fresh = set()
        for state in self.pending:
            local = list(state)
            for c in components:
                local[c] = system.machines[c].initial
            fresh.add(tuple(local))
        self.pending = fresh

    def _match(self, oracle: Oracle, states: Any, call: ModelCall) -> tuple[list[Match], list[Match]]:
        """(moves that match the line, moves of the same call and arguments with any result)."""
        matched: list[Match] = []
        alternatives: list[Match] = []
        for state in states:
            key = (state, call)
            found = self._matches.get(key) if oracle is self.oracle else None
            if found is None:
                found = self._match_state(oracle, state, call)
                if oracle is self.oracle:
                    if len(self._matches) >= MATCH_CACHE:
                        self._matches.clear()
                    self._matches[key] = found
            matched += found[0]
            alternatives += found[1]
        return matched, alternatives

    def _match_state(self, oracle: Oracle, state: State, call: ModelCall) -> tuple[tuple[Match, ...], tuple[Match, ...]]:
        matched, alternatives = [], []
        for label, target in oracle.calls(state, call.actor, call.call):
            if not call.same_call(label):
                continue
            move = Match(label, state, target)
            alternatives.append(move)
            if call.result_matches(label.result) and self._status_ok(oracle.system, call, target):
                matched.append(move)
        return tuple(matched), tuple(alternatives)

    def _status(self, target: State, call: ModelCall, system: Any = None) -> str | None:
        """What QueryStatus would report for the logged call's operation in ``target``."""
        system = system or self.system
        component = system.asyncs[(int(call.actor.split("-")[1]), call.operation)]
        return status_of(system.machines[component].locals[target[component]])

    def _status_ok(self, system: Any, call: ModelCall, target: State) -> bool:
        if call.operation is None:
            return True
        status = self._status(target, call, system)
        if call.status is not None and failure_class(status) != failure_class(call.status):
            return False
        return not (call.infinite_wait and status == "VSS_S_ASYNC_PENDING")

    # -- one line ---------------------------------------------------------------------------------
    def step(self, entry: Any, call: ModelCall) -> list[Finding]:
        states = self.current(entry.ts)
        matched, alternatives = self._match(self.oracle, states, call)
        if matched:
            findings = self._judge(entry, matched)
            for move in matched:
                self.transitions.update(step.transition for step in move.label.steps)
            self.pending = {m.after for m in matched}
            self.timers.watch(entry, (m.label for m in matched))
            if call.actor.startswith("requester-"):
                findings += self.timers.expired_backup(entry, int(call.actor.split("-")[1]), self.pending)
            return findings
        finding = self._unmatched(entry, call, states, alternatives)
        self.pending = {m.after for m in alternatives} or set(states)
        return [finding]

    def _judge(self, entry: Any, matched: list[Match]) -> list[Finding]:
        """Hazards and obligations a matched call breaks, and calls with undefined outcome."""
        findings = []
        views = [(m, View(self.system, m.before), View(self.system, m.after)) for m in matched]
        for prop in HAZARDS:
            hits = [m for m, before, after in views
                    if applies(prop, m.label, before) and not prop.check(m.label, before, after)]  # type: ignore[misc]
            if hits:
                findings.append(Finding(
                    entry.line, entry.actor, entry.call, "caller",
                    "must" if len(hits) == len(matched) else "hidden-step",
                    unique_rules(prop.rules, call_rules(m.label for m in hits)),
                    f"{prop.id} broken: {prop.sentence}" + ("" if len(hits) == len(matched) else
                                                            " (in some of the states the log allows)"),
                    kind="hazard"))
        undefined = [m for m in matched if m.label.result == "UNDEFINED"]
        if undefined and not findings:
            findings.append(Finding(
                entry.line, entry.actor, entry.call, "caller",
                "must" if len(undefined) == len(matched) else "hidden-step",
                call_rules(m.label for m in undefined),
                "the documentation gives no outcome for this call at this point: the caller must not make it",
                kind="undefined"))
        return findings

    def _unmatched(self, entry: Any, call: ModelCall, states: frozenset[State],
                   alternatives: list[Match]) -> Finding:
        if not alternatives:
            return self._not_offered(entry, call, states)
        results = tuple(sorted({m.label.result for m in alternatives}))
        rules = call_rules(m.label for m in alternatives)
        if is_success(entry.result) and not any(is_success(r) for r in results):
            side, kind, allowed = "caller", "order", self._successful_calls(states, call.actor)
            message = (f"{entry.call} returned {entry.result} where the specification requires "
                       f"{' or '.join(results)}: called out of order or with arguments the state rejects")
        elif call.operation is not None and any(call.result_matches(r) for r in results):
            statuses = tuple(sorted({str(status) for m in alternatives
                                     if (status := self._status(m.after, call)) != "VSS_S_ASYNC_PENDING"
                                     or not call.infinite_wait}))
            side, kind, allowed = "api", "result", statuses
            message = (f"reported status {entry.status or '(none, after an INFINITE Wait)'}; the specification "
                       f"allows {' or '.join(statuses)} here")
        else:
            side, kind, allowed = "api", "result", results
            message = f"returned {entry.result}; the specification allows {' or '.join(results)} here"
        ambiguity = self._accepted_elsewhere(entry, call, states, ambiguities(alternatives))
        if ambiguity:
            message += (f" (depends on {ambiguity['amb']}: reading '{ambiguity['used']}' used; "
                        f"under '{ambiguity['accepting']}' the line conforms)")
        return Finding(entry.line, entry.actor, entry.call, side, "doc-conflict" if ambiguity else "must",
                       rules, message, allowed, kind, ambiguity or {})

    def _not_offered(self, entry: Any, call: ModelCall, states: frozenset[State]) -> Finding:
        allowed = self._successful_calls(states, call.actor)
        rules: tuple[str, ...] = ()
        message = "the specification offers this call in no state consistent with the log"
        if call.actor.startswith("requester-"):
            r = int(call.actor.split("-")[1])
            phases = {self.system.local(s, self.system.requester[r])[0] for s in states}
            if phases == {"absent"}:
                message = ("called before CreateVssBackupComponents returned an object to this requester "
                           "(after IUnknown::Release, only a new object may be used)")
                rules = unique_rules(*(t.rules for t in declared(RequesterSession, "create_vss_backup_components",
                                                                   result="S_OK")))
            elif phases == {"released"}:
                message = "called after IUnknown::Release ended this object"
                rules = unique_rules(*(t.rules for t in declared(RequesterSession, "release", source="created")))
            elif call.operation is not None:
                message = f"no {entry.args.get('operation')} has returned an IVssAsync to this object"
                rules = unique_rules(*(t.rules for t in declared(AsyncOperation, "env_start", source="idle")))
        message += "; checking goes on from the states before this line"
        return Finding(entry.line, entry.actor, entry.call, "caller", "must", rules, message, allowed, "order")

    def _successful_calls(self, states: frozenset[State], actor: str) -> tuple[str, ...]:
        names = {label.call for s in states for label, _ in self.oracle.calls(s, actor) if is_success(label.result)}
        return tuple(sorted(names))

    def _accepted_elsewhere(self, entry: Any, call: ModelCall, states: frozenset[State],
                            ambs: tuple[str, ...]) -> dict[str, str] | None:
        """Another reading of an ambiguity the call's transitions cite, under which the line conforms."""
        config = self.system.config
        for amb in ambs:
            used = config.reading(amb)
            for reading in READINGS[amb][0]:
                if reading == used:
                    continue
                other = self.alternative(amb, reading)
                there = other.closure(self.oracle.translate(other, states))
                matched, _ = self._match(other, there, call)
                if matched and not self._breaks_holds(other, matched):
                    return {"amb": amb, "used": used, "accepting": reading}
        return None

    @staticmethod
    def _breaks_holds(oracle: Oracle, matched: list[Match]) -> bool:
        """Whether every way the line is taken breaks a property that must hold (an argument rule)."""
        def broken(m: Match) -> bool:
            before, after = View(oracle.system, m.before), View(oracle.system, m.after)
            return any(applies(p, m.label, before) and not p.check(m.label, before, after)  # type: ignore[misc]
                       for p in HOLD_EDGES + HAZARDS)
        return all(broken(m) for m in matched)

    # -- the end ----------------------------------------------------------------------------------
    def finish(self, last_lines: dict[str, tuple[str, int, str]]) -> list[Finding]:
        """Obligations open at the end: requesters never released (after Prepare: LIV-07 too)."""
        states = self.current(None)
        findings = []
        for actor, (model_actor, line, call) in sorted(last_lines.items(), key=lambda item: item[1][1]):
            r = int(model_actor.split("-")[1])
            phases = {self.system.local(s, self.system.requester[r])[0] for s in states}
            if phases & {"absent", "released"}:
                continue
            rules = unique_rules(*(t.rules for phase in sorted(phases)
                                   for t in declared(RequesterSession, "release", source=phase)))
            message = "never released: the log ends without IUnknown::Release of this IVssBackupComponents"
            window = {"preparing", "prepared", "snapshotting", "snapshot_done", "snapshot_failed"}
            if phases & window and any(prepare_was_called(View(self.system, s), r) for s in states):
                rules = unique_rules(PREPARED_WINDOW.rules, rules)
                message += ", and it called PrepareForBackup without BackupComplete or AbortBackup"
            findings.append(Finding(line, actor, call, "caller", "must", rules, message,
                                    ("IUnknown::Release",), "obligation"))
        return findings
