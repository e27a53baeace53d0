"""Check one log: survey it, size the specification to it, then follow it line by line.

Two streaming passes, so memory stays constant in the log's length: the survey validates every
line and learns the log's shape (requesters live at once per node, nodes, the volumes and their
aliases, the meta line); the check follows the log through the specification of that shape.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from shadowspec.model.config import CALLER_GROUPS, OS_VERSIONS, PROTOCOLS, Config
from shadowspec.model.system import System
from shadowspec.spec.requester import PROVIDER_MODIFIERS

from .actors import Slots, VolumeNames, ends_object, node_argument, note_aliases, volume_of
from .findings import Finding
from .oracle import Oracle, TooManyStates
from .reader import Entry, LogError, Malformed, Meta, read
from .report import LogReport
from .tracker import Tracker
from .vocabulary import ASYNC_METHODS as ASYNC_OPERATIONS
from .vocabulary import (GENERIC_FAILURES, NODE_CALLS, RELEASE, Unusable, classify, component_key,
                         context_value, did_you_mean, translate)

ADD_COMPONENT = "IVssBackupComponents::AddComponent"
SET_SUCCEEDED = "IVssBackupComponents::SetBackupSucceeded"
BACKUP_COMPLETE = "IVssBackupComponents::BackupComplete"
ADD_VOLUME = "IVssBackupComponents::AddToSnapshotSet"
SET_CONTEXT = "IVssBackupComponents::SetContext"
BOTH_PROVIDER_MODIFIERS = sum(PROVIDER_MODIFIERS)


@dataclass
class Components:
    """REQ-11 / REQ-33 bookkeeping of one object: the component keys the log shows it added and
    marked with SetBackupSucceeded (the specification keeps one abstract component; the keys
    decide whether an AddComponent is a duplicate and which keys OBLIG-33 names)."""

    added: list[tuple[str, ...]] = field(default_factory=list)
    succeeded: set[tuple[str, ...]] = field(default_factory=set)
    unknown_added: int = 0
    unknown_succeeded: int = 0
    statuses: dict[str, str | None] = field(default_factory=dict)
    """Operation -> the status its IVssAsync last recorded (None: none recorded yet), ASY-09."""
    status_gathers: int = 0
    """GatherWriterStatus calls that succeeded and were not yet followed by FreeWriterStatus (REQ-26)."""
    status_unfreed: bool = False
    gather_open: bool = False
    """The last GatherWriterStatus is counted and its async has recorded no failure yet."""
    completed: bool = False
    """BackupComplete succeeded; ``status_after`` once GatherWriterStatus followed it (REQ-49)."""
    status_after: bool = False

    def unset(self) -> list[str]:
        """Keys added and never given SetBackupSucceeded ('a component' where keys are not shown)."""
        missing = [" / ".join(part or "(no path)" for part in key) for key in self.added if key not in self.succeeded]
        if self.unknown_added or self.unknown_succeeded:
            total = len(self.added) + self.unknown_added
            done = len(self.succeeded & set(self.added)) + self.unknown_succeeded
            return [f"{total - done} component(s)"] if total > done else []
        return missing

HIDDEN_ENVIRONMENT = ("async_failure", "writer_failure", "provider_failure", "freeze_timeout",
                      "timer_expiry", "backup_detection", "other_programs")
"""Steps a log cannot show but that may happen between two lines. Crashes, node failover, the
resource going offline and redirection faults are left out: a log that records calls does not
explain them, and allowing them everywhere would excuse every later call."""

BOUND = 4
MAX_FINDINGS = 1000
"""Findings kept per log (the rest are counted), so memory stays bounded."""


@dataclass(frozen=True)
class Options:
    base: Config = field(default_factory=Config)
    os: str | None = None
    protocol: str | None = None
    strict: bool = False
    max_states: int = 20_000


class Oracles:
    """One oracle per system shape and readings, shared by every log of a run.

    An oracle is a pure function of its configuration (its caches only remember what the declared
    machines answer), so ``shared`` keeps one set per bound for the whole process: a program or
    test that checks logs run after run stops rebuilding the same system and re-deriving the same
    moves (the fuzz suite's conformance examples went from about a second to a fraction of it).
    Between logs, the least recently used oracles are dropped until at most ``LIMIT`` remain and
    their caches hold at most ``STATES`` states in all: a state's cached moves are every call each
    actor may make there (about 70 labels), so crafted logs naming many system shapes, or one
    log wandering through many states, must not keep memory from one log to the next (unbounded,
    2,000 fuzzed logs in one process held 2 GB).
    """

    LIMIT = 8
    STATES = 1_500

    def __init__(self, max_states: int) -> None:
        self.max_states = max_states
        self._cache: OrderedDict[Config, Oracle] = OrderedDict()

    def get(self, config: Config) -> Oracle:
        found = self._cache.get(config)
        if found is None:
            found = self._cache[config] = Oracle(System(config), self.max_states)
        else:
            self._cache.move_to_end(config)
        return found

    def trim(self) -> None:
        """Forget the least recently used oracles beyond the bounds (between logs only: a log's
        tracker holds the states of the oracles it got, which must stay the same objects)."""
        while self._cache and (len(self._cache) > self.LIMIT or self.cached_states() > self.STATES):
            self._cache.popitem(last=False)

    def cached_states(self) -> int:
        """The states whose moves or closures the kept oracles remember."""
        return sum(oracle.cached_states() for oracle in self._cache.values())


_SHARED: dict[int, Oracles] = {}


def shared(max_states: int) -> Oracles:
    """The process's oracles for ``max_states`` (see ``Oracles``)."""
    found = _SHARED.get(max_states)
    if found is None:
        if len(_SHARED) >= 4:
            _SHARED.clear()
        found = _SHARED[max_states] = Oracles(max_states)
    return found


@dataclass
class Survey:
    meta: dict[str, Any] = field(default_factory=dict)
    names: VolumeNames = field(default_factory=VolumeNames)
    slots: Slots = field(default_factory=Slots)
    nodes: int = 1
    lines: int = 0
    async_releases: bool = False
    """The log records IVssAsync releases: only then is a missing one a finding (a log that never
    shows one may come from a recorder that does not log them; the checker does not invent it)."""
    in_set: dict[str, list[str]] = field(default_factory=dict)
    """Log actor -> the volume names its current object added (REQ-16a)."""


def _validate(entry: Entry) -> None:
    """Input errors of a modelled call, found the same way in both passes: such a line is an
    ``input`` finding and both passes skip it, so slots and volumes never see it."""
    if entry.kind == "requester" and entry.call in NODE_CALLS:
        raise Unusable(f"{entry.call} is a cluster call: its actor is node-N, not {entry.actor}")
    if entry.kind == "node" and entry.call not in NODE_CALLS:
        raise Unusable(f"{entry.call} is a call of IVssBackupComponents or IVssAsync: its actor is requester-N")
    volume_of(entry)
    if entry.call == "CreateVssBackupComponents":
        node_argument(entry)
    if entry.call != RELEASE or entry.result == "0":
        translate(entry, entry.actor, 1)


def usable(entry: Entry) -> Malformed | None:
    """None for a line the check can follow, or why it cannot (an ``input`` finding)."""
    if classify(entry.call, entry.args) != "modelled":
        return None
    try:
        _validate(entry)
    except (Unusable, ValueError) as error:
        return Malformed(entry.line, None, str(error), entry.actor, entry.call)
    return None


def survey(path: str, display: str) -> Survey:
    """The log's shape, from the lines the check will follow (malformed ones are left out)."""
    found = Survey()
    for item in read(path, display):
        if isinstance(item, Malformed):
            continue
        if isinstance(item, Meta):
            found.meta = item.values
            try:
                for group in item.values.get("volumes", []):
                    found.names.same(group)
            except ValueError as error:
                raise LogError(display, item.line, str(error)) from None
            continue
        found.lines = item.line
        if usable(item) is not None:
            continue
        if item.call == RELEASE and item.args.get("interface") == "IVssAsync":
            found.async_releases = True
        try:
            note_aliases(found.names, item)
            if classify(item.call, item.args) != "modelled":
                continue
            name = volume_of(item)
            if name is not None:
                found.names.add(name, used=True)
            if item.call == ADD_VOLUME and name is not None:
                _note_added_volume(found, item, name)
            if item.kind == "requester":
                found.slots.slot(item)
                found.nodes = max(found.nodes, found.slots.node_of(item.actor))
                if ends_object(item):
                    found.slots.release(item.actor)
                    found.in_set.pop(item.actor, None)
                elif item.call == "CreateVssBackupComponents":
                    found.in_set.pop(item.actor, None)
            else:
                found.nodes = max(found.nodes, item.number)
        except (Unusable, ValueError) as error:  # a bound of the whole log (distinct names)
            raise LogError(display, item.line, str(error)) from None
    return found


def _kind_of_name(name: str) -> str:
    text = name.strip()
    if text.casefold().startswith(("\\\\?\\volume{", "\\\\.\\volume{")):
        return "guid"
    if len(text.rstrip("\\")) == 2 and text[1] == ":":
        return "drive"
    return "path"


def _note_added_volume(found: Survey, item: Entry, name: str) -> None:
    """REQ-16a: VSS compares volumes by their unique volume name, so an AddToSnapshotSet that gets
    VSS_E_OBJECT_ALREADY_EXISTS names a volume already in the set, perhaps by another of its names
    (a drive letter, a mount folder, a \\?\\Volume{GUID}\\ path). Where the log does not relate the
    names, the duplicate is taken as the log's evidence: the name joins a volume of the set named
    another way (the one added last), so the checker does not invent an error."""
    added = found.in_set.setdefault(item.actor, [])
    if item.result == "S_OK":
        added.append(name)
    elif item.result == "VSS_E_OBJECT_ALREADY_EXISTS" and added:
        if any(found.names.related(name, other) for other in added):
            return
        others = [other for other in added if _kind_of_name(other) != _kind_of_name(name)]
        if others:
            found.names.same([others[-1], name])


def _config(found: Survey, options: Options, display: str) -> tuple[Config, dict[str, str]]:
    volumes = found.names.freeze()
    nodes = found.nodes
    requesters = found.slots.requesters(nodes)
    for what, count in (("requesters live at once", requesters), ("nodes", nodes), ("volumes", volumes)):
        if count > BOUND:
            hint = " (requester-N runs on node-N unless its CreateVssBackupComponents gives args.node)" \
                if what == "nodes" else ""
            raise LogError(display, None, f"uses {count} {what}; the specification is checked with at most {BOUND}{hint}")
    sources = {}
    chosen = {}
    for key, meta_key, option in (("os", "os", options.os), ("protocol", "cluster_protocol", options.protocol)):
        if option is not None:
            chosen[key], sources[key] = option, "option"
        elif meta_key in found.meta:
            chosen[key], sources[key] = found.meta[meta_key], "meta line"
        else:
            chosen[key], sources[key] = getattr(options.base, key), "default"
    config = options.base.with_overrides(
        name="conform", requesters=requesters, nodes=nodes, volumes=volumes,
        environment=HIDDEN_ENVIRONMENT, callers=tuple(CALLER_GROUPS), max_states=None, max_depth=None, **chosen)
    return config, sources


def check(path: str, display: str, options: Options, oracles: Oracles) -> LogReport:
    """The report of one log; an unreadable log gives a report with ``error`` set."""
    try:
        found = survey(path, display)
        config, sources = _config(found, options, display)
    except LogError as error:
        return LogReport.unreadable(display, str(error))
    oracle = oracles.get(config)
    report = LogReport(display, system={
        "os": config.os, "os_from": sources["os"], "protocol": config.protocol,
        "protocol_from": sources["protocol"], "requesters": config.requesters, "nodes": config.nodes,
        "volumes": config.volumes, "writers": config.writers})
    tracker = Tracker(oracle, lambda amb, reading: oracles.get(config.with_overrides(readings=((amb, reading),))))
    slots = Slots(config.nodes)
    last: dict[str, tuple[str, int, str]] = {}
    components: dict[str, Components] = {}
    asyncs: dict[str, Asyncs] = {}
    try:
        for item in read(path, display):
            if isinstance(item, Meta):
                continue
            if isinstance(item, Entry):
                report.calls += 1
                problem = usable(item)
                if problem is None:
                    for finding in _line(item, options, found.names, slots, tracker, last, components, asyncs):
                        report.add(finding, MAX_FINDINGS)
                    continue
                item = problem
            report.add(input_finding(item), MAX_FINDINGS)
        for finding in tracker.finish(last):
            report.add(finding, MAX_FINDINGS)
        for actor in sorted(asyncs) if found.async_releases else ():
            for finding in asyncs[actor].findings(actor):
                report.add(finding, MAX_FINDINGS)
    except TooManyStates as error:
        report.incomplete = f"line {report.calls}: {error}; the rest of the log was not checked"
    except LogError as error:  # the file changed between the two passes
        return LogReport.unreadable(display, str(error))
    report.transitions = tracker.transitions
    return report


def input_finding(item: Malformed) -> Finding:
    """A line the check could not use, as a finding of kind ``input`` (exit code 2)."""
    where = f"field {item.field!r}: " if item.field and f"{item.field!r}" not in item.message else ""
    return Finding(item.line, item.actor, item.call, "input", "input", (), where + item.message, (), "input",
                   strict=True)


def _line(entry: Entry, options: Options, names: VolumeNames, slots: Slots, tracker: Tracker,
          last: dict[str, tuple[str, int, str]], components: dict[str, Components],
          asyncs: dict[str, Asyncs]) -> list[Finding]:
    kind = classify(entry.call, entry.args)
    if entry.kind == "requester" and _note_async(entry, asyncs.setdefault(entry.actor, Asyncs())):
        return []
    if kind == "read-only":
        return []
    if kind == "unknown":
        name = entry.call if entry.call != "ClusterResourceControl" else str(entry.args.get("control"))
        guess = did_you_mean(name)
        message = f"{name} is not modelled by the specification" + (f"; did you mean {guess}?" if guess else "")
        return [Finding(entry.line, entry.actor, entry.call, "caller", "input",
                        (), message, (guess,) if guess else (), "not-modelled", strict=options.strict)]
    if entry.kind == "requester":
        slot, reused = slots.slot(entry)
        if reused:
            tracker.reset_requester(slot)
        actor = f"requester-{slot}"
    else:
        actor = f"node-{entry.number}"
    if entry.call == RELEASE and entry.result != "0":
        return []  # a reference count above zero: the object lives on
    if entry.result in GENERIC_FAILURES and not entry.call.startswith("IVssAsync::"):
        return []  # an IVssAsync failure is the operation's outcome, which the model does judge
    name = volume_of(entry)
    call = translate(entry, actor, names.index(name) if name is not None else None)
    mine = None
    if entry.kind == "requester":
        if entry.call == "CreateVssBackupComponents":
            components.pop(entry.actor, None)
        mine = components.setdefault(entry.actor, Components())
        call = _with_key(entry, call, mine)
    findings = tracker.step(entry, call)
    if entry.call == GET_STATUS and entry.result == "S_OK":
        tracker.note_writer_status(int(actor.split("-")[1]), entry.out.get("pnStatus"))
    if mine is not None:
        findings += _dependency(entry, mine, findings)
        if entry.call == ADD_COMPONENT and entry.result == "S_OK" and not findings \
                and tracker.phases(int(actor.split("-")[1])) <= {"preparing", "prepared"}:
            findings.append(Finding(entry.line, entry.actor, entry.call, "caller", "hazard", ("REQ-10", "AMB-02"),
                                    "AddComponent after PrepareForBackup: accepted, but the writers did not see "
                                    "the component in OnPrepareBackup (undocumented; late_add)", kind="hazard"))
        operation = entry.args.get("operation")
        if entry.call in ASYNC_METHODS and entry.result == "S_OK":
            mine.statuses[entry.call] = None
        elif entry.call.startswith("IVssAsync::") and isinstance(operation, str):
            if entry.status is not None:
                mine.statuses[operation] = entry.status
            elif entry.call == "IVssAsync::Wait" and entry.result != "S_OK":
                mine.statuses[operation] = entry.result
            if operation == GATHER_STATUS and mine.gather_open \
                    and mine.statuses[operation] not in (None, "VSS_S_ASYNC_FINISHED", "VSS_S_ASYNC_PENDING"):
                # 7.1 sets status_gathered only when the gather finishes: a failed one left
                # nothing to free (REQ-26, freewriterstatus.md)
                mine.gather_open = False
                mine.status_gathers -= 1
    if entry.call == SET_CONTEXT and entry.result == "S_OK":
        findings += _context_advice(entry)
    if mine is not None:
        findings += _record_key(entry, mine, tracker, int(actor.split("-")[1]))
        last[entry.actor] = (actor, entry.line, entry.call)
        if ends_object(entry):
            slots.release(entry.actor)
            del last[entry.actor]
            findings += object_ends(entry.actor, components.pop(entry.actor), entry.line, entry.call)
    return findings


ASYNC_METHODS = frozenset(ASYNC_OPERATIONS)
GATHER_STATUS = "IVssBackupComponents::GatherWriterStatus"
GET_STATUS = "IVssBackupComponents::GetWriterStatus"
FREE_STATUS = "IVssBackupComponents::FreeWriterStatus"


@dataclass
class Asyncs:
    """REQ-39 bookkeeping of one log actor's IVssAsync objects, which may outlive the
    IVssBackupComponents object that returned them (a program may release them after it)."""

    asyncs: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Operation -> (last line, call) of its IVssAsync while it is not released."""
    leaked: list[tuple[int, str, str]] = field(default_factory=list)
    """IVssAsync objects never released: (last line, call, operation)."""

    def findings(self, actor: str) -> list[Finding]:
        """OBLIG-01 (minor) for each IVssAsync never released, at its last line."""
        return [Finding(last, actor, what, "caller", "minor", ("REQ-39", "REQ-01a", "LIV-11"),
                        f"the IVssAsync returned by {operation} is never released", (RELEASE,), "obligation",
                        id="OBLIG-01")
                for last, what, operation in sorted(self.leaked + [(*v, k) for k, v in self.asyncs.items()])]


def _note_async(entry: Entry, mine: Asyncs) -> bool:
    """Follow the IVssAsync objects; True for an IVssAsync Release line (which changes no
    modelled state)."""
    operation = entry.args.get("operation")
    if entry.call == RELEASE and entry.args.get("interface") == "IVssAsync":
        if isinstance(operation, str) and entry.result == "0":
            mine.asyncs.pop(operation, None)
        elif not isinstance(operation, str) and len(mine.asyncs) == 1 and entry.result == "0":
            mine.asyncs.clear()
        return True
    if entry.call in ASYNC_METHODS and entry.result == "S_OK":
        if entry.call in mine.asyncs:   # a new IVssAsync replaces a pointer never released
            mine.leaked.append((*mine.asyncs[entry.call], entry.call))
        mine.asyncs[entry.call] = (entry.line, entry.call)
    elif entry.call.startswith("IVssAsync::") and isinstance(operation, str) and operation in mine.asyncs:
        mine.asyncs[operation] = (entry.line, entry.call)
    return False


def object_ends(actor: str, mine: Components, line: int, call: str) -> list[Finding]:
    """SHOULD obligations judged when an object is released: writer status never freed (REQ-26)
    and no writer status after BackupComplete (REQ-49), at the Release line. An object the log
    leaves live gets its one end-of-log finding instead (``Tracker.finish``: OBLIG-01 or OBLIG-36)."""
    findings: list[Finding] = []
    if mine.status_unfreed or mine.status_gathers:
        findings.append(Finding(line, actor, call, "caller", "should", ("REQ-26",),
                                "GatherWriterStatus was not followed by FreeWriterStatus once the statuses "
                                "were read (\"should\", gatherwriterstatus.md)", (FREE_STATUS,), "obligation"))
    if mine.completed and not mine.status_after:
        findings.append(Finding(line, actor, call, "caller", "should", ("REQ-49", "LIV-08"),
                                "no GatherWriterStatus / GetWriterStatus after BackupComplete: writers' "
                                "per-backup state is kept until VSS garbage-collects it (REQ-49)",
                                (GATHER_STATUS,), "obligation"))
    return findings


DEPENDS_ON = {
    "IVssBackupComponents::DoSnapshotSet": "IVssBackupComponents::PrepareForBackup",
    ADD_COMPONENT: "IVssBackupComponents::GatherWriterMetadata",
}
"""ASY-09: calls whose guard needs an operation finished, where no more specific rule (REQ-22,
REQ-24, REQ-33, REQ-34) judges the call instead."""


def _dependency(entry: Entry, mine: Components, findings: list[Finding]) -> list[Finding]:
    """OBLIG-A09: a call that needs an operation finished, made while the status its IVssAsync
    last recorded was not VSS_S_ASYNC_FINISHED (a finite Wait that returned PENDING, a failure,
    a cancel). An error when the call went through; when the API rejected it, which changed
    nothing, a warning (rejected-call). Nothing when the log never recorded a status."""
    operation = DEPENDS_ON.get(entry.call)
    status = mine.statuses.get(operation) if operation else None
    if status is None or status == "VSS_S_ASYNC_FINISHED" or any(f.side == "caller" for f in findings):
        return []
    accepted = entry.result == "S_OK"
    return [Finding(entry.line, entry.actor, entry.call, "caller", "must" if accepted else "rejected-call",
                    ("ASY-09", "ASY-05"),
                    f"{entry.call} needs {operation} finished, but its IVssAsync last reported {status}: "
                    "only VSS_S_ASYNC_FINISHED from QueryStatus means the operation succeeded", kind="order",
                    id="OBLIG-A09")]


def _context_advice(entry: Entry) -> list[Finding]:
    """REQ-07: DIFFERENTIAL together with PLEX "should not" be used: a SHOULD (a warning; the API
    accepts the value, and an unsupported modifier fails later at AddToSnapshotSet, REQ-07a)."""
    value = context_value(entry.args.get("lContext"))
    if value is None or value == 0xFFFFFFFF or value & BOTH_PROVIDER_MODIFIERS != BOTH_PROVIDER_MODIFIERS:
        return []
    return [Finding(entry.line, entry.actor, entry.call, "caller", "should", ("REQ-07",),
                    "lContext ORs VSS_VOLSNAP_ATTR_DIFFERENTIAL with VSS_VOLSNAP_ATTR_PLEX, which should not "
                    "be used together (vss_volume_snapshot_attributes.md)", kind="order")]


def _with_key(entry: Entry, call: Any, mine: Components) -> Any:
    """The abstract ``duplicate`` / ``known`` argument an AddComponent or SetBackupSucceeded stands
    for, from the REQ-11 keys of this object (left free when the log does not show the key)."""
    if entry.call not in (ADD_COMPONENT, SET_SUCCEEDED):
        return call
    key = component_key(entry.args)
    if key is None or mine.unknown_added:
        return call
    if entry.call == ADD_COMPONENT:
        return replace(call, arguments=call.arguments + (("duplicate", frozenset({key in mine.added})),))
    return replace(call, arguments=call.arguments + (("known", frozenset({key in mine.added})),))


def _record_key(entry: Entry, mine: Components, tracker: Tracker, r: int) -> list[Finding]:
    """Keep the keys; at BackupComplete in component mode, OBLIG-33 for each key never marked."""
    if entry.result != "S_OK":
        return []
    key = component_key(entry.args) if entry.call in (ADD_COMPONENT, SET_SUCCEEDED) else None
    if entry.call == ADD_COMPONENT:
        if key is None:
            mine.unknown_added += 1
        elif key not in mine.added:
            mine.added.append(key)
    elif entry.call == SET_SUCCEEDED:
        if key is None:
            mine.unknown_succeeded += 1
        else:
            mine.succeeded.add(key)
    elif entry.call == GATHER_STATUS:
        mine.status_unfreed = mine.status_unfreed or mine.status_gathers > 0
        mine.status_gathers += 1
        mine.gather_open = True
        mine.status_after = mine.status_after or mine.completed
    elif entry.call == FREE_STATUS:
        mine.status_gathers = 0
        mine.gather_open = False
    elif entry.call == BACKUP_COMPLETE:
        mine.completed = tracker.phases(r) <= {"completing", "completed"}
    if entry.call == BACKUP_COMPLETE and tracker.component_modes(r) == {True}:
        return [Finding(entry.line, entry.actor, entry.call, "caller", "must", ("REQ-33", "REQ-11", "INV-28"),
                        f"BackupComplete in component mode without SetBackupSucceeded for {unset} (every "
                        "explicitly added component must get it after DoSnapshotSet and before BackupComplete; "
                        "Windows does not reject the call, the writers find the outcome undefined)",
                        (SET_SUCCEEDED,), "obligation", id="OBLIG-33")
                for unset in mine.unset()]
    return []
