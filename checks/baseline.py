"""Compare a recorded baseline with a fresh measurement, and say what changed in words.

A baseline file is ``{"schema_version", "allow", "configs": {name: entry}}``; an entry is what
``checks.measure.baseline_entry`` records (counts, verdicts and counterexample lengths, fire
counts of the declared transitions, the graph's fingerprint, and the facts that name states).
Every difference has a stable ``key`` (``verdict INV-21``, ``states``, ``transition <id>``...);
an ``allow`` entry ``{"config": NAME, "key": KEY, "why": TEXT}`` marks an intended change, which
the gate reports without failing. ``config`` and ``key`` match exactly. A wildcard is honoured
only when the entry says so with ``"wildcard": true``: then ``key`` is a shell-style pattern and
``config`` may be ``"*"``; the gate shows what it covers as "allowed by wildcard", and a pattern
that covers every key (``*``) is refused, so no entry can silence the gate wholesale. A baseline
file is validated against ``BASELINE_SCHEMA`` before any comparison. Pure functions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from jsonschema import Draft202012Validator

from .schema_error import first_error

SCHEMA_VERSION = 1
SHOWN = 4
"""How many new or lost facts a message names (the rest are counted)."""

_TRANSITION = re.compile(r"^(?P<machine>\w+)\.(?P<event>\w+): (?P<source>\w+) -> (?P<target>\w+) \[(?P<result>[^\]]*)\](?: \((?P<rules>.*)\))?$")


@dataclass(frozen=True)
class Difference:
    config: str
    key: str
    message: str


def _verdict_change(prop: str, old: str, new: str) -> str:
    if old == "violated" and new != "violated":
        return f"{prop} no longer violated (now {new})"
    if new == "violated":
        return f"{prop} now violated (was {old})"
    return f"{prop} was {old}, now {new}"


def _properties(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    found = []
    for prop in sorted(set(old) | set(new)):
        if prop not in new:
            found.append(Difference(name, f"verdict {prop}", f"{prop} no longer checked (was {old[prop]['verdict']})"))
        elif prop not in old:
            found.append(Difference(name, f"verdict {prop}", f"{prop} is new: {new[prop]['verdict']}"))
        elif old[prop]["verdict"] != new[prop]["verdict"]:
            found.append(Difference(name, f"verdict {prop}",
                                    _verdict_change(prop, old[prop]["verdict"], new[prop]["verdict"])))
        elif old[prop]["counterexample"] != new[prop]["counterexample"]:
            found.append(Difference(name, f"counterexample {prop}",
                                    f"{prop} {new[prop]['verdict']} with a {new[prop]['counterexample']}-step "
                                    f"trace (was {old[prop]['counterexample']} steps)"))
    return found


def _facts(entry: dict[str, Any]) -> set[str]:
    return {f"{component}: {fact}" for component, facts in entry.get("facts", {}).items() for fact in facts}


def _minimal(facts: set[str], known: set[str]) -> list[str]:
    """The new facts not implied by a smaller new one: a pair ``a & b`` only when ``a`` and ``b``
    were each already known."""
    chosen = []
    for fact in facts:
        component, _, body = fact.partition(": ")
        parts = body.split(" & ")
        if len(parts) == 2 and any(f"{component}: {p}" not in known for p in parts):
            continue
        chosen.append(fact)
    return chosen


def _words(fact: str) -> str:
    component, _, body = fact.partition(": ")
    return f"{component} with {body.replace(' & ', ' while ')}"


def _listing(facts: list[str], counts: dict[str, int], how: Any = _words) -> str:
    ordered = sorted(facts, key=lambda f: (-counts.get(f, 0), f))
    shown = [f"{how(f)} ({counts[f]:,} states)" if f in counts else how(f) for f in ordered[:SHOWN]]
    more = len(ordered) - SHOWN
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def describe_states(old: dict[str, Any], new: dict[str, Any], counts: dict[str, Any] | None = None) -> str:
    """What the new graph reaches that the old did not, and the reverse, by the smallest facts:
    a component value, a pair of values of one component, or two components' states together."""
    counts = counts or {}
    old_facts, new_facts = _facts(old), _facts(new)
    gained = _minimal(new_facts - old_facts, old_facts)
    lost = _minimal(old_facts - new_facts, new_facts)
    parts = []
    if gained:
        parts.append("now reachable: " + _listing(gained, counts.get("facts", {})))
    if lost:
        parts.append("no longer reachable: " + _listing(lost, {}))
    if not gained and not lost:
        old_pairs, new_pairs = set(old.get("together", [])), set(new.get("together", []))
        pairs_gained, pairs_lost = sorted(new_pairs - old_pairs), sorted(old_pairs - new_pairs)
        together = counts.get("together", {})
        if pairs_gained:
            parts.append("now together: " + _listing(pairs_gained, together, lambda p: p.replace(" & ", " while ")))
        if pairs_lost:
            parts.append("no longer together: " + _listing(pairs_lost, {}, lambda p: p.replace(" & ", " while ")))
    if not parts:
        parts.append("no new or lost component value, pair of values or pair of states: "
                     "only other combinations of them")
    return "; ".join(parts)


def _transition_words(tid: str) -> str:
    match = _TRANSITION.match(tid)
    if not match:
        return f"transition {tid}"
    rules = f"; {match['rules']}" if match["rules"] else ""
    return (f"transition {match['machine']}.{match['event']} from {match['source']} "
            f"(to {match['target']}, {match['result']}{rules})")


def _graph(name: str, old: dict[str, Any], new: dict[str, Any], counts: dict[str, Any] | None) -> list[Difference]:
    found = []
    if old["complete"] != new["complete"]:
        found.append(Difference(name, "complete", "exploration is now complete" if new["complete"]
                                else "exploration is no longer complete (a bound was reached)"))
    if old["states"] != new["states"] or _facts(old) != _facts(new) or set(old["together"]) != set(new["together"]):
        delta = new["states"] - old["states"]
        found.append(Difference(name, "states", f"{delta:+,} states ({old['states']:,} -> {new['states']:,}): "
                                                f"{describe_states(old, new, counts)}"))
    if old["transitions"] != new["transitions"]:
        delta = new["transitions"] - old["transitions"]
        found.append(Difference(name, "transitions", f"{delta:+,} transitions ({old['transitions']:,} -> "
                                                     f"{new['transitions']:,})"))
    if old["depth"] != new["depth"]:
        found.append(Difference(name, "depth", f"depth {old['depth']} -> {new['depth']}"))
    old_fired, new_fired = old["fired"], new["fired"]
    for tid in sorted(set(old_fired) - set(new_fired)):
        found.append(Difference(name, f"transition {tid}",
                                f"{_transition_words(tid)} no longer reachable (fired {old_fired[tid]:,} times)"))
    for tid in sorted(set(new_fired) - set(old_fired)):
        found.append(Difference(name, f"transition {tid}",
                                f"{_transition_words(tid)} now reachable (fires {new_fired[tid]:,} times)"))
    changed = sorted((t for t in set(old_fired) & set(new_fired) if old_fired[t] != new_fired[t]),
                     key=lambda t: (-abs(new_fired[t] - old_fired[t]), t))
    if changed:
        shown = ", ".join(f"{t}: {old_fired[t]:,} -> {new_fired[t]:,}" for t in changed[:SHOWN])
        more = f" and {len(changed) - SHOWN} more" if len(changed) > SHOWN else ""
        found.append(Difference(name, "fire counts", f"{len(changed)} transition{'s fire' if len(changed) > 1 else ' fires'} "
                                                     f"a different number of times: {shown}{more}"))
    if not found and old["fingerprint"] != new["fingerprint"]:
        found.append(Difference(name, "fingerprint", "the graph changed though its counts, facts and transitions "
                                                     f"did not (fingerprint {old['fingerprint'][:12]} -> "
                                                     f"{new['fingerprint'][:12]})"))
    return found


def compare(baseline: dict[str, Any], current: dict[str, dict[str, Any]],
            counts: dict[str, dict[str, Any]] | None = None) -> list[Difference]:
    """Every difference between the baseline's configurations and ``current`` (name -> entry);
    ``counts`` (name -> ``measure.current_counts``) lets messages count the new states."""
    recorded = baseline.get("configs", {})
    found: list[Difference] = []
    for name in sorted(set(recorded) - set(current)):
        found.append(Difference(name, "configuration", f"configuration {name} is in the baseline but was not checked"))
    for name in sorted(current):
        if name not in recorded:
            found.append(Difference(name, "configuration", f"configuration {name} is not in the baseline"))
            continue
        old, new = recorded[name], current[name]
        found.extend(_properties(name, old["properties"], new["properties"]))
        found.extend(_graph(name, old, new, (counts or {}).get(name)))
    return found


def compare_logs(recorded: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]) -> list[Difference]:
    """Differences in the recorded API call logs: a verdict that changed, findings that came or
    went (keyed ``log FILE``, so an allow entry can name a log)."""
    found: list[Difference] = []
    for file in sorted(set(recorded) | set(current)):
        key = f"log {file}"
        old, new = recorded.get(file), current.get(file)
        if old is None or new is None:
            found.append(Difference("logs", key, f"log {file} is not in the baseline" if old is None
                                    else f"log {file} is in the baseline but was not checked"))
            continue
        if old.get("verdict") != new.get("verdict"):
            found.append(Difference("logs", key, f"log {file} now {new.get('verdict')} (was {old.get('verdict')})"))
        gone = sorted(set(old.get("findings", [])) - set(new.get("findings", [])))
        came = sorted(set(new.get("findings", [])) - set(old.get("findings", [])))
        for finding in came:
            found.append(Difference("logs", key, f"log {file}: new finding {finding}"))
        for finding in gone:
            found.append(Difference("logs", key, f"log {file}: finding gone: {finding}"))
    return found


def covers(entry: dict[str, Any], difference: Difference) -> bool:
    """Whether one allow entry covers ``difference``: exactly, or by its documented wildcard."""
    if entry.get("wildcard") is True:
        return (entry["config"] in ("*", difference.config)) and fnmatchcase(difference.key, entry["key"])
    return entry["config"] == difference.config and entry["key"] == difference.key


def allowed(difference: Difference, allow: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The allow entry that covers ``difference``, if any (exact entries before wildcards)."""
    for entry in sorted(allow, key=lambda e: e.get("wildcard") is True):
        if covers(entry, difference):
            return entry
    return None


def split(differences: list[Difference], allow: list[dict[str, str]]) -> tuple[list[Difference], list[Difference], list[dict[str, str]]]:
    """(failing, allowed, allow entries that matched nothing)."""
    failing, intended, used = [], [], []
    for difference in differences:
        entry = allowed(difference, allow)
        if entry is None:
            failing.append(difference)
        else:
            intended.append(difference)
            used.append(entry)
    unused = [entry for entry in allow if entry not in used]
    return failing, intended, unused


_NAME = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\\x00-\\x1f\\x7f]+(?![\\s\\S])"}
_COUNT = {"type": "integer", "minimum": 0}
ENTRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["states", "transitions", "depth", "complete", "fingerprint", "properties", "fired", "facts",
                 "together"],
    "properties": {
        "states": _COUNT, "transitions": _COUNT, "depth": _COUNT, "complete": {"type": "boolean"},
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{12,128}$"},
        "properties": {"type": "object", "propertyNames": _NAME, "additionalProperties": {
            "type": "object", "required": ["verdict", "counterexample"],
            "properties": {"verdict": _NAME, "counterexample": _COUNT}}},
        "fired": {"type": "object", "propertyNames": {"type": "string", "maxLength": 1000},
                  "additionalProperties": _COUNT},
        "facts": {"type": "object", "propertyNames": _NAME,
                  "additionalProperties": {"type": "array", "items": {"type": "string", "maxLength": 1000}}},
        "together": {"type": "array", "items": {"type": "string", "maxLength": 1000}},
        "source": {"type": "string", "minLength": 1, "maxLength": 4096},
    },
}
LOG_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["verdict", "findings"], "additionalProperties": False,
    "properties": {"verdict": {"type": ["string", "null"], "maxLength": 200},
                   "findings": {"type": "array", "items": {"type": "string", "maxLength": 2000}},
                   "config": {"type": "string", "minLength": 1, "maxLength": 4096}},
}
ALLOW_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["config", "key", "why"], "additionalProperties": False,
    "properties": {"config": _NAME, "key": {"type": "string", "minLength": 1, "maxLength": 1000},
                   "why": {"type": "string", "minLength": 1, "maxLength": 2000}, "wildcard": {"type": "boolean"}},
}
BASELINE_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["schema_version", "configs"],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "allow": {"type": "array", "items": ALLOW_SCHEMA},
        "configs": {"type": "object", "propertyNames": _NAME, "additionalProperties": ENTRY_SCHEMA},
        "logs": {"type": "object", "propertyNames": {"type": "string", "minLength": 1, "maxLength": 4096},
                 "additionalProperties": LOG_SCHEMA},
    },
}
_VALIDATOR = Draft202012Validator(BASELINE_SCHEMA)
_WHAT = {"schema_version": f"schema_version {SCHEMA_VERSION}",
         "allow": 'a list of {"config": NAME, "key": KEY, "why": TEXT} objects (and "wildcard": true for a pattern)',
         "configs": "an object of configuration name -> the entry `shadowspec baseline` records",
         "logs": "an object of log file -> {\"verdict\": ..., \"findings\": [...]}"}


def validate(data: Any, where: str) -> str | None:
    """What is wrong with a baseline file's content (one line naming the field), or None."""
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        return f"{where}: not a shadowspec baseline (expected schema_version {SCHEMA_VERSION})"
    wrong = first_error(_VALIDATOR, data, "the file", _WHAT)
    if wrong:
        return f"{where}: {wrong}"
    for index, entry in enumerate(data.get("allow", [])):
        if entry.get("wildcard") is True and entry["key"].strip("*") == "":
            return (f"{where}: allow[{index}] has the key pattern {entry['key']!r}, which would allow every "
                    "difference; name the key (or a narrower pattern)")
        if entry.get("wildcard") is not True and entry["config"] == "*":
            return f"{where}: allow[{index}] has config \"*\"; name the configuration, or add \"wildcard\": true"
    return None
