"""Check one log: survey it, size the specification to it, then follow it line by line.

Two streaming passes, so memory stays constant in the log's length: the survey validates every
line and learns the log's shape (requesters live at once per node, nodes, the volumes and their
aliases, the meta line); the check follows the log through the specification of that shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shadowspec.model.config import CALLER_GROUPS, OS_VERSIONS, PROTOCOLS, Config
from shadowspec.model.system import System

from .actors import Slots, VolumeNames, ends_object, note_aliases, volume_of
from .findings import Finding
from .oracle import Oracle, TooManyStates
from .reader import Entry, LogError, Meta, read
from .report import LogReport
from .tracker import Tracker
from .vocabulary import (GENERIC_FAILURES, NODE_CALLS, RELEASE, Unusable, classify, did_you_mean,
                         translate)

HIDDEN_ENVIRONMENT = ("async_failure", "writer_failure", "provider_failure", "freeze_timeout",
                      "timer_expiry", "backup_detection")
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
    """One oracle per system shape and readings, shared by every log of a run."""

    def __init__(self, max_states: int) -> None:
        self.max_states = max_states
        self._cache: dict[Config, Oracle] = {}

    def get(self, config: Config) -> Oracle:
        found = self._cache.get(config)
        if found is None:
            found = self._cache[config] = Oracle(System(config), self.max_states)
        return found


@dataclass
class Survey:
    meta: dict[str, Any] = field(default_factory=dict)
    names: VolumeNames = field(default_factory=VolumeNames)
    slots: Slots = field(default_factory=Slots)
    nodes: int = 1
    lines: int = 0


def _check_meta(meta: Meta, display: str) -> None:
    values = meta.values
    if "os" in values and values["os"] not in OS_VERSIONS:
        raise LogError(display, meta.line, f"meta os {values['os']!r}; expected one of {', '.join(OS_VERSIONS)}")
    if "cluster_protocol" in values and values["cluster_protocol"] not in PROTOCOLS:
        raise LogError(display, meta.line, f"meta cluster_protocol {values['cluster_protocol']!r}; "
                                           f"expected one of {', '.join(PROTOCOLS)}")
    volumes = values.get("volumes", [])
    if not (isinstance(volumes, list) and all(isinstance(group, list) and all(isinstance(n, str) for n in group)
                                              for group in volumes)):
        raise LogError(display, meta.line, "meta volumes must be a list of lists of names that denote one volume")


def _validate(entry: Entry) -> None:
    """Input errors of a modelled call, found in the survey so the check never meets one."""
    if entry.kind == "requester" and entry.call in NODE_CALLS:
        raise Unusable(f"{entry.call} is a cluster call: its actor is node-N, not {entry.actor}")
    if entry.kind == "node" and entry.call not in NODE_CALLS:
        raise Unusable(f"{entry.call} is a call of IVssBackupComponents or IVssAsync: its actor is requester-N")
    volume_of(entry)
    if entry.call != RELEASE or entry.result == "0":
        translate(entry, entry.actor, 1)


def survey(path: str, display: str) -> Survey:
    found = Survey()
    for item in read(path, display):
        if isinstance(item, Meta):
            _check_meta(item, display)
            found.meta = item.values
            for group in item.values.get("volumes", []):
                found.names.same(group)
            continue
        found.lines = item.line
        try:
            note_aliases(found.names, item)
            if classify(item.call, item.args) != "modelled":
                continue
            _validate(item)
            name = volume_of(item)
            if name is not None:
                found.names.add(name, used=True)
            if item.kind == "requester":
                found.slots.slot(item)
                found.nodes = max(found.nodes, found.slots.node_of(item.actor))
                if ends_object(item):
                    found.slots.release(item.actor)
            else:
                found.nodes = max(found.nodes, item.number)
        except (Unusable, ValueError) as error:
            raise LogError(display, item.line, str(error)) from None
    return found


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
    try:
        for item in read(path, display):
            if isinstance(item, Meta):
                continue
            report.calls += 1
            for finding in _line(item, options, found.names, slots, tracker, last):
                report.add(finding, MAX_FINDINGS)
        for finding in tracker.finish(last):
            report.add(finding, MAX_FINDINGS)
    except TooManyStates as error:
        report.incomplete = f"line {report.calls}: {error}; the rest of the log was not checked"
    except LogError as error:  # the file changed between the two passes
        return LogReport.unreadable(display, str(error))
    report.transitions = tracker.transitions
    return report


def _line(entry: Entry, options: Options, names: VolumeNames, slots: Slots, tracker: Tracker,
          last: dict[str, tuple[str, int, str]]) -> list[Finding]:
    kind = classify(entry.call, entry.args)
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
    findings = tracker.step(entry, call)
    if entry.kind == "requester":
        last[entry.actor] = (actor, entry.line, entry.call)
        if ends_object(entry):
            slots.release(entry.actor)
            del last[entry.actor]
    return findings
