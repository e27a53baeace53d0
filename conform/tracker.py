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
from shadowspec.spec.requester import NO_WRITER_CONTEXTS, RequesterSession

from .findings import Finding, rule_strength, unique_rules
from .oracle import Oracle, State
from .timers import TimerWatch
from .vocabulary import ModelCall, failure_class, is_success

CALLER_PROPERTIES = ("INV-13", "INV-19", "INV-21", "INV-27", "LIV-07")
"""Catalogue edge properties that judge the caller's own call (a hazard the documentation warns
against, an obligation, or an argument rule such as INV-19's DelayTimerInSecs, which a reading of
AMB-10 lets the API accept): when a logged call breaks one, it is a caller finding. The other
properties describe the API's documented behaviour (a status that masks a failure, a timer that
drops backup mode), which a program cannot be blamed for."""

CALLER_FINDINGS = {
    "INV-13": ("rejected-call", "OBLIG-34"),
    "INV-19": ("must", "INV-19"),
    "INV-21": ("must", "OBLIG-N10"),
    "INV-27": ("must", "INV-27"),
    "LIV-07": ("must", "OBLIG-36"),
}
"""Strength and finding id of each caller property (rules.md rev 2: INV-13 is OBLIG-34,
rejected-benign; INV-21 an OBLIG-N10 breach; LIV-07's strength depends on the window, REQ-36)."""

ABORT_WINDOW = {
    "preparing": ("must", "OBLIG-36", ("REQ-36",)),
    "prepared": ("must", "OBLIG-36", ("REQ-36",)),
    "snapshotting": ("must", "OBLIG-36", ("REQ-36",)),
    "snapshot_failed": ("should", "OBLIG-36", ("REQ-45", "REQ-36")),
    "snapshot_done": ("should", "LIV-07", ("REQ-36", "AMB-06")),
}
"""REQ-36 / LIV-07 under AMB-06's default reading: the strength of ending an object (Release or
process exit) in each phase without BackupComplete or AbortBackup. PrepareForBackup succeeded and
DoSnapshotSet not completed: error; after a failed DoSnapshotSet (REQ-45, SHOULD) or a successful
one without BackupComplete (a vague MUST: no page makes BackupComplete mandatory): warning. A
failed PrepareForBackup (prepare_failed) or none: no finding."""

VETO_WINDOW = ("should", "OBLIG-36", ("REQ-36", "AMB-06"))
"""AMB-06's default: after a writer veto (GetWriterStatus showed a writer in
VSS_WS_FAILED_AT_PREPARE_BACKUP, the 7.1 GetWriterStatus row's ``writer_veto``) the abort
obligation is a SHOULD (aborting-vss-operations.md), so a window that would be an error is a warning."""

VETO_STATES = frozenset({"VSS_WS_FAILED_AT_PREPARE_BACKUP"})
"""Writer states that set ``writer_veto``: exactly the one the 7.1 GetWriterStatus row names."""

ACTIVE_BACKUP = ("set_started", "preparing", "prepared", "prepare_failed", "snapshotting", "snapshot_done",
                 "snapshot_failed")
"""Phases in which a requester object's backup of the volumes in its set is active (NODE-10: it
has them in a snapshot set and has not ended with BackupComplete, AbortBackup, Release or exit)."""

HOLD_EDGES = tuple(p for p in PROPERTIES if p.kind == "edge" and p.expected == "HOLD")
HAZARDS = tuple(p for p in PROPERTIES if p.id in CALLER_PROPERTIES)
PREPARED_WINDOW = next(p for p in PROPERTIES if p.id == "LIV-07")

ASYNC_OF = {RequesterSession.API_NAMES[op]: op for op in OPERATIONS}
"""The methods that return an IVssAsync (an IVssAsync line names its method as ``operation``)."""

MATCH_CACHE = 50_000
"""(state, call) pairs whose matches are remembered at once (memory bound)."""


DOCUMENTED_ARGUMENTS = {"BackupState", "DelayTimerInSecs", "InMaintenance", "control", "VolumeName",
                        "lpszFileName", "lpszVolumePathName", "select_components", "context"}
"""Arguments of the model that are documented parameters (the rest are the model's bookkeeping)."""


def rule_title(rules: tuple[str, ...]) -> str:
    """``; REQ-02: the rule's words`` for the first rule of a finding (what the documentation says)."""
    from shadowspec.checks.rule_sources import INDEX

    for rule in sorted(rules, key=lambda r: not r.startswith("DATA-")):  # an argument rule says most
        row = INDEX.get(rule)
        if row and row[1]:
            return f" ({rule}: {row[1]})"
    return ""


def _index(actor: str) -> int:
    return int(actor.split("-")[1])


def declared(cls: type, event: str, source: str | None = None, result: str | None = None) -> list[TransitionId]:
    return [t for t in declared_transitions(cls) if t.event == event
            and (source is None or t.source == source) and (result is None or t.result == result)]


def call_rules(labels: Any) -> tuple[str, ...]:
    """The rules of the transitions a set of labels fired for the call itself (its first step), in
    an order that does not depend on how the set of states happens to be iterated."""
    fired = sorted({label.steps[0].transition for label in labels if label.steps}, key=str)
    return unique_rules(*(t.rules for t in fired))


def prepare_was_called(view: View, r: int) -> bool:
    """LIV-07 speaks of a session that called PrepareForBackup; in the no-writer contexts
    (REQ-42) the phases after DoSnapshotSet are reached without it."""
    return view.req(r, "context") not in NO_WRITER_CONTEXTS


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
        self.rejected: dict[tuple[str, str], tuple[int, bool, tuple[str, ...]]] = {}
        self.vetoes: set[int] = set()
        """Requester slots whose object read a writer veto (``writer_veto``, REQ-36)."""
        """(actor, operation) -> (line, reported, rules) of a rejected asynchronous call."""

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
        self.rejected = {key: value for key, value in self.rejected.items() if key[0] != f"requester-{r}"}
        self.vetoes.discard(r)
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
            if call.operation is None and call.actor.startswith("requester-"):
                op = ASYNC_OF.get(entry.call)
                if op is not None:
                    if is_success(entry.result):
                        self.rejected.pop((call.actor, op), None)
                    else:
                        self.rejected[(call.actor, op)] = (entry.line, False, call_rules(m.label for m in matched))
            findings = self._judge(entry, matched)
            for move in matched:
                self.transitions.update(step.transition for step in move.label.steps)
            self.pending = {m.after for m in matched}
            self.timers.watch(entry, (m.label for m in matched))
            if call.actor.startswith("requester-"):
                findings += self.timers.expired_backup(entry, int(call.actor.split("-")[1]), self.pending)
            return findings
        if not alternatives and call.operation is not None:
            rejected = self.rejected.get((call.actor, call.operation))
            if rejected is not None:
                # the program ignored a rejection: one finding, at its first dependent line
                self.pending = set(states)
                if rejected[1]:
                    return []
                self.rejected[(call.actor, call.operation)] = (rejected[0], True)
                return [Finding(entry.line, entry.actor, entry.call, "caller", "rejected-call",
                                rejected[2], f"uses the IVssAsync of {call.operation} although that call "
                                f"was rejected on line {rejected[0]}: the program ignored the rejection "
                                "(reported once; later uses of it are not findings)", kind="order")]
        finding = self._unmatched(entry, call, states, alternatives)
        repaired = None
        if finding.side == "caller" and is_success(entry.result) and call.actor.startswith("requester-"):
            repaired = self._as_if_succeeded(call, states)
        self.pending = repaired or {m.after for m in alternatives} or set(states)
        return [finding]

    def _as_if_succeeded(self, call: ModelCall, states: frozenset[State]) -> set[State] | None:
        """One mistake, one finding: the log says the call succeeded, so the program goes on
        believing it did. The states after it are those the call's declared success transition
        leads to, taken as if its guards held (``System.forced``), closed under hidden steps; None
        if no consistent state declares that result for the call (the checker then goes on from
        the rejection, which changed nothing)."""
        found = set()
        for state in states:
            for label, target in self.system.forced(state, call.actor, call.call, call.result):
                if call.same_call(label) and call.result_matches(label.result):
                    found.add(target)
        return set(self.oracle.closure(found)) if found else None

    def _judge(self, entry: Any, matched: list[Match]) -> list[Finding]:
        """Hazards and obligations a matched call breaks, and calls with undefined outcome."""
        findings = []
        views = [(m, View(self.system, m.before), View(self.system, m.after)) for m in matched]
        clear = self._clear_during_backup(entry, views)
        if clear:
            findings.append(clear)
        for prop in HAZARDS:
            if prop.id == "INV-21" and clear:
                continue  # the same mistake: one finding
            hits = [m for m, before, after in views
                    if applies(prop, m.label, before) and not prop.check(m.label, before, after)]  # type: ignore[misc]
            if not hits:
                continue
            strength, finding_id = CALLER_FINDINGS.get(prop.id, ("must", prop.id))
            extra: tuple[str, ...] = ()
            if prop.id == "LIV-07":
                windows = {self.window(_index(m.label.actor), View(self.system, m.before).phase(_index(m.label.actor)))
                           for m in hits}
                strength, finding_id, extra = max(windows, key=lambda w: w[0] == "must")
            if len(hits) < len(matched) and strength == "must" and prop.id != "LIV-07":
                # LIV-07: AMB-06's default counts an outcome the program did not see as not
                # happened (a pending PrepareForBackup counts as succeeded)
                strength = "hidden-step"
            before = frozenset(m.before for m in hits)
            allowed = tuple(c for c in self._successful_calls(before, entry.actor) if c != entry.call)
            findings.append(Finding(
                entry.line, entry.actor, entry.call, "caller", strength,
                unique_rules(extra, prop.rules, call_rules(m.label for m in hits)),
                f"{prop.id} broken: {prop.sentence}" + ("" if len(hits) == len(matched) else
                                                        " (in some of the states the log allows)")
                + (f"; the documentation allowed instead: {', '.join(allowed)}" if allowed else ""),
                allowed, kind="obligation" if prop.expected == "OBLIG" else "hazard", id=finding_id))
        undefined = [m for m in matched if m.label.result == "UNDEFINED"]
        if undefined and not findings:
            findings.append(Finding(
                entry.line, entry.actor, entry.call, "caller",
                "must" if len(undefined) == len(matched) else "hidden-step",
                call_rules(m.label for m in undefined),
                "the documentation gives no outcome for this call at this point: the caller must not make it",
                kind="undefined"))
        return findings

    def _clear_during_backup(self, entry: Any, views: list[tuple[Match, View, View]]) -> Finding | None:
        """NODE-10 (OBLIG-N10): a Clear of a CSV while a requester object's backup of it is active,
        on any node; an error when every state the log allows shows that backup active."""
        if entry.call != "ClusterClearBackupStateForSharedVolume":
            return None
        v = next((int(str(value).split("-")[1]) for name, value in views[0][0].label.arguments
                  if name == "lpszVolumePathName" and str(value).startswith("volume-")), None)
        if v is None:
            return None
        active = [before for _m, before, _a in views
                  if any(before.phase(r) in ACTIVE_BACKUP and before.holds_volume(r, v) for r in self.system.requester)]
        if not active:
            return None
        return Finding(entry.line, entry.actor, entry.call, "caller",
                       "must" if len(active) == len(views) else "hidden-step",
                       unique_rules(("NODE-10", "NODE-11"), call_rules(m.label for m, _b, _a in views)),
                       "ClusterClearBackupStateForSharedVolume while a backup of this CSV is active "
                       "(StartSnapshotSet to BackupComplete or Release): the caller must not clear it "
                       "(the service clears unconditionally and corrupts that backup)",
                       kind="obligation", id="OBLIG-N10")

    def _unmatched(self, entry: Any, call: ModelCall, states: frozenset[State],
                   alternatives: list[Match]) -> Finding:
        if not alternatives:
            return self._not_offered(entry, call, states)
        results = tuple(sorted({m.label.result for m in alternatives}))
        rules = call_rules(m.label for m in alternatives)
        if is_success(entry.result) and not any(is_success(r) for r in results):
            side, kind = "caller", "order"
            variants = self._successful_variants(states, call.actor, entry.call, entry.args.get("control"))
            others = tuple(c for c in self._successful_calls(states, call.actor) if c != entry.call)
            if variants:  # the call itself was allowed here, with other arguments
                allowed = variants + others
                wrong = f"the state rejects these arguments; allowed here: {' or '.join(variants)}"
            else:
                allowed = others
                wrong = "called out of order: no state consistent with the log lets it succeed here"
            message = (f"{entry.call} returned {entry.result} where the specification requires "
                       f"{' or '.join(results)}: {wrong}{rule_title(rules)}")
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
        strength = "doc-conflict" if ambiguity else rule_strength(rules)
        broken = sorted({CALLER_FINDINGS.get(p.id, ("must", p.id))[1] for m in alternatives for p in HAZARDS
                         if side == "caller" and applies(p, m.label, View(self.system, m.before))
                         and not p.check(m.label, View(self.system, m.before), View(self.system, m.after))})  # type: ignore[misc]
        return Finding(entry.line, entry.actor, entry.call, side, strength,
                       rules, message, allowed, kind, ambiguity or {}, id=broken[0] if broken else None)

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

    def _successful_variants(self, states: frozenset[State], actor: str, call: str,
                             control: Any = None) -> tuple[str, ...]:
        """The ways ``call`` itself succeeds in ``states``, with the arguments that make it succeed
        (``Call(BackupState=VolumeBackupNone, DelayTimerInSecs=0)``), so that ``allowed`` never
        lists the refused call as if it were allowed as made."""
        found = set()
        for s in states:
            for label, _ in self.oracle.calls(s, actor, call):
                arguments = dict(label.arguments)
                if is_success(label.result) and (control is None or arguments.get("control") in (None, control)):
                    shown = ", ".join(f"{k}={'non-zero' if k == 'DelayTimerInSecs' and v == 1 else v}"
                                      for k, v in label.arguments if k in DOCUMENTED_ARGUMENTS and k != "control")
                    found.add(f"{call}({shown})")
        return tuple(sorted(found))

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

    def note_writer_status(self, r: int, writer_state: Any) -> None:
        """A GetWriterStatus line's ``pnStatus``: a writer state of VETO_STATES sets writer_veto."""
        if writer_state in VETO_STATES:
            self.vetoes.add(r)

    def window(self, r: int, phase: str) -> tuple[str, str, tuple[str, ...]]:
        """The ABORT_WINDOW entry of ``phase`` for requester ``r``, a warning after a writer veto."""
        found = ABORT_WINDOW[phase]
        return VETO_WINDOW if found[0] == "must" and r in self.vetoes else found

    def phases(self, r: int) -> set[str]:
        """Requester ``r``'s phase in the states the log allows."""
        return {View(self.system, s).phase(r) for s in self.pending}

    def component_modes(self, r: int) -> set[bool]:
        """bSelectComponents as every state the log allows has it for requester ``r``."""
        return {View(self.system, s).req(r, "component_mode") for s in self.pending}

    # -- the end ----------------------------------------------------------------------------------
    def finish(self, last_lines: dict[str, tuple[str, int, str]]) -> list[Finding]:
        """Obligations open at the end of the log, one finding per object (REQ-01a, LIV-11).

        A log that ends with a live object means the process exited and the system released it:
        OBLIG-01, minor. If the object still held the machine-wide creation lock without
        AbortBackup (in every state the log allows), AbortBackup's own page applies: OBLIG-36, an
        error. Otherwise the process exit is judged like a Release (REQ-36 / LIV-07 windows)."""
        states = self.current(None)
        findings = []
        for actor, (model_actor, line, call) in sorted(last_lines.items(), key=lambda item: item[1][1]):
            r = _index(model_actor)
            views = [View(self.system, s) for s in states]
            phases = {view.phase(r) for view in views}
            if phases & {"absent", "released"}:
                continue
            holding = [view for view in views if view.creating(r)]
            exits = declared(RequesterSession, "env_crash")
            rules = unique_rules(("REQ-01a",), *(t.rules for t in exits if t.source in phases))
            if holding:
                # an outcome of DoSnapshotSet the log never showed did not end the lock for the
                # program (AMB-06's default: what the program did not see has not happened)
                strength = "must"
                findings.append(Finding(
                    line, actor, call, "caller", strength,
                    unique_rules(("REQ-36", "REQ-14", "REQ-01a"), ("LIV-11", "LIV-10")),
                    "the log ends while this object holds the machine-wide shadow-copy creation lock "
                    "(StartSnapshotSet succeeded, DoSnapshotSet has not ended) without AbortBackup: "
                    "AbortBackup must be called, and the lock blocks every other backup on the machine "
                    "for as long as the process lives", ("IVssBackupComponents::AbortBackup",),
                    "obligation", id="OBLIG-36"))
                continue
            windows = [self.window(r, view.phase(r)) for view in views
                       if view.phase(r) in ABORT_WINDOW and prepare_was_called(view, r)]
            if windows and len(windows) == len(views):
                strength, finding_id, extra = max(set(windows), key=lambda w: w[0] == "must")
                findings.append(Finding(
                    line, actor, call, "caller", strength, unique_rules(extra, PREPARED_WINDOW.rules, rules),
                    "the log ends (the process exited: the system released the object) after PrepareForBackup "
                    "without BackupComplete or AbortBackup", ("IVssBackupComponents::AbortBackup",
                                                              "IVssBackupComponents::BackupComplete"),
                    "obligation", id=finding_id))
                continue
            findings.append(Finding(
                line, actor, call, "caller", "minor", unique_rules(rules, ("REQ-39", "LIV-11")),
                "never released: the log ends without IUnknown::Release of this IVssBackupComponents "
                "(the process exit releases it: BackupShutdown, auto-release copies deleted)",
                ("IUnknown::Release",), "obligation", id="OBLIG-01"))
        return findings
