"""A finding: one thing a log shows that the specification does not allow.

Fields (the JSON object of a finding has the same keys):

- ``line``: the log line the finding is reported at (for an obligation open at the end of the log:
  the object's last line; for OBLIG-33: the BackupComplete line).
- ``actor``, ``call``: as the log names them.
- ``side``: ``caller`` (the program's use of the API: order, arguments, hazards, obligations) or
  ``api`` (a result or IVssAsync status the API returned that no consistent state declares).
- ``strength``: how strong the broken rule is, from its Kind in rules.md (legend "What a Kind
  means for a checker"); exactly one of
  ``must`` (a MUST / MUST NOT / ORDER / DATA / ERR rule, or a result the documentation does not
  allow), ``should`` (a SHOULD, or a *vague* MUST whose AMB gives the reading),
  ``doc-conflict`` (the verdict depends on which of two contradicting readings is followed: an
  AMB; ``ambiguity`` names the AMB, the reading used and the reading that accepts the line),
  ``rejected-call`` (the API rejected the call with its documented error and nothing changed:
  REQ-34's "rejected-benign"), ``minor`` (a row rules.md marks minor: an object or IVssAsync
  never released before the log ends, REQ-01a / REQ-39 / LIV-11),
  ``observed`` (the rule is an OBS row: behaviour seen in real programs, not documented),
  ``hidden-step`` (the verdict holds only in some of the states the log allows: a step no log
  shows, such as a timer or another program on the machine, could explain the line),
  ``hazard`` (a documented hazard the caller ran into, e.g. a component added after
  PrepareForBackup, or a Volume Backup Timer that ran out), ``input`` (a call the specification
  does not model).
- ``severity``: ``error`` exactly when ``strength`` is ``must`` (``input`` too with ``--strict``);
  every other strength is a ``warning``. A MAY is never a finding.
- ``id``: the finding id where rules.md names one: ``OBLIG-<rule>`` for a breach of a
  "(requester)"/"(caller)" rule (``OBLIG-01`` never released, ``OBLIG-33`` SetBackupSucceeded
  missing at BackupComplete, ``OBLIG-34`` BackupComplete/SetBackupSucceeded without a successful
  DoSnapshotSet, ``OBLIG-36`` the abort obligation, ``OBLIG-N10`` a Clear during another
  backup, ``OBLIG-A09`` a call that needs a finished operation whose status was not
  VSS_S_ASYNC_FINISHED); otherwise the catalogue property the call broke (``INV-19``,
  ``LIV-07``...), or ``null``.
- ``rules``: rule ids (``REQ-..``, ``ASY-..``, ``NODE-..``, ``AMB-..``, ``INV-..``, ``LIV-..``) behind
  the verdict, first the decisive one; ``sources`` their documentation links.
- ``kind``: what was checked: ``order``, ``result``, ``hazard``, ``undefined``, ``obligation``,
  ``timer``, ``not-modelled``.
- ``message``, ``allowed`` (the calls or results the specification allowed there).

One mistake gives one finding: after a call the specification does not allow, the checker goes on
from what the log says happened (an out-of-order S_OK as if it had succeeded; a rejected call as
rejected), so the later correct calls of the program are not flagged again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shadowspec.checks.rule_index import RULES
from shadowspec.checks.rule_sources import source_text

SOURCES = {rule: source_text(rule) for rule, *_ in RULES}
"""Rule id -> its documentation link, or the rule quoted with where rules.md says it comes from
(``checks.rule_sources``: never shorthand such as "seed:001")."""

SIDES = ("caller", "api", "input")
"""``input``: a log line that cannot be used (``reader.Malformed``); neither side's doing."""
SEVERITIES = ("error", "warning")
STRENGTHS = ("must", "should", "doc-conflict", "rejected-call", "minor", "observed", "hidden-step",
             "hazard", "input")
"""The strength words (see the module docstring); only ``must`` is an error."""


def severity_of(strength: str, strict: bool = False) -> str:
    """A finding's severity follows its strength: the rule's Kind (rules.md legend)."""
    return "error" if strength == "must" or (strict and strength == "input") else "warning"


@dataclass(frozen=True)
class Finding:
    line: int
    actor: str
    call: str
    side: str
    strength: str
    rules: tuple[str, ...]
    message: str
    allowed: tuple[str, ...] = ()
    kind: str = "order"
    """order, result, hazard, undefined, obligation, timer, not-modelled, ambiguity, input."""
    ambiguity: dict[str, str] = field(default_factory=dict)
    """For an AMB-dependent verdict: the AMB, the reading used and the reading that accepts."""
    id: str | None = None
    """The finding id (OBLIG-33, OBLIG-N10, INV-19 ...), see the module docstring."""
    strict: bool = False
    """``--strict``: an unmodelled call is an error."""

    def __post_init__(self) -> None:
        assert self.side in SIDES and self.strength in STRENGTHS, (self.side, self.strength)

    @property
    def severity(self) -> str:
        return severity_of(self.strength, self.strict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "line": self.line, "actor": self.actor, "call": self.call, "side": self.side,
            "severity": self.severity, "strength": self.strength, "id": self.id, "kind": self.kind,
            "rules": list(self.rules),
            "sources": {rule: SOURCES[rule] for rule in self.rules if SOURCES.get(rule)},
            "message": self.message, "allowed": list(self.allowed),
        }
        if self.ambiguity:
            data["ambiguity"] = dict(self.ambiguity)
        return data


KINDS = {rule: kind for rule, kind, _title, _source, _url in RULES}
"""Rule id -> its Kind cell in rules.md (``MUST (requester)``, ``SHOULD``, ``ERR (OBS)``...)."""


def rule_strength(rules: tuple[str, ...]) -> str:
    """The strength of a verdict that rests on ``rules``: ``must`` if one of them is a MUST /
    MUST NOT / ORDER / DATA / ERR / VER / TIMER rule (the strongest wins); ``should`` if the
    strongest is a SHOULD (the first Kind of an "X (A) / Y (B)" cell is the default reading);
    ``observed`` if the only rules are OBS rows. AMB, INV and LIV ids carry no Kind of their own."""
    found = [KINDS.get(rule, "") for rule in rules if rule.split("-")[0] not in ("AMB", "INV", "LIV")]
    if not found or any(kind.startswith(("MUST", "ORDER", "DATA", "ERR", "VER", "TIMER"))
                        and not kind.startswith("ERR (OBS)") for kind in found):
        return "must"
    if any(kind.startswith("SHOULD") for kind in found):
        return "should"
    return "observed"


def unique_rules(*groups: Any) -> tuple[str, ...]:
    """Rule ids in first-cited order, without repeats."""
    return tuple(dict.fromkeys(rule for group in groups for rule in group))
