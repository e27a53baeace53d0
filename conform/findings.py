"""A finding: one thing a log shows that the specification does not allow.

``side`` keeps apart the caller's use of the API (order, arguments, hazards, obligations) and the
results the API returned; ``severity`` is ``error`` for a broken MUST and ``warning`` where the
verdict depends on an ambiguity of rules.md (or on a hidden step the log cannot show).
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


@dataclass(frozen=True)
class Finding:
    line: int
    actor: str
    call: str
    side: str
    severity: str
    rules: tuple[str, ...]
    message: str
    allowed: tuple[str, ...] = ()
    kind: str = "order"
    """order, result, hazard, undefined, obligation, timer, not-modelled, ambiguity, input."""
    ambiguity: dict[str, str] = field(default_factory=dict)
    """For an AMB-dependent verdict: the AMB, the reading used and the reading that accepts."""

    def __post_init__(self) -> None:
        assert self.side in SIDES and self.severity in SEVERITIES, (self.side, self.severity)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "line": self.line, "actor": self.actor, "call": self.call, "side": self.side,
            "severity": self.severity, "kind": self.kind, "rules": list(self.rules),
            "sources": {rule: SOURCES[rule] for rule in self.rules if SOURCES.get(rule)},
            "message": self.message, "allowed": list(self.allowed),
        }
        if self.ambiguity:
            data["ambiguity"] = dict(self.ambiguity)
        return data


def unique_rules(*groups: Any) -> tuple[str, ...]:
    """Rule ids in first-cited order, without repeats."""
    return tuple(dict.fromkeys(rule for group in groups for rule in group))
