"""What a property is: an id, a sentence, its rules, its expectation, and how it is decided.

Kinds (each decided on the finished exploration by ``checks.decide``):

* ``local``: an invariant of one machine's record, checked on every local state that occurs;
* ``state``: an invariant over the whole system state;
* ``edge``: a condition on every transition where it applies (a call, its result, the states
  before and after);
* ``precedes``: an edge of one kind happens only after edges of other kinds by the same actor
  (a path property: decided by searching the graph without those earlier edges);
* ``once``: an edge of one kind happens at most once per actor;
* ``leads_to``: from every state where ``p`` holds, ``q`` eventually holds under the stated
  fairness (decided with attracting components);
* ``witness``: a sequence of milestones that must be reachable in order.

Expectations: HOLD (must hold), HAZARD (the documentation admits a bad outcome: a counterexample
must be found), OBLIG (a requester obligation the API does not enforce: its violation must be
reachable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from shadowspec.model.config import Config

EXPECTATIONS = ("HOLD", "HAZARD", "OBLIG")
KINDS = ("local", "state", "edge", "precedes", "once", "leads_to", "witness")


@dataclass(frozen=True)
class Property:
    """One named property of rules.md section 8 (or a witness)."""

    id: str
    slug: str
    sentence: str
    kind: str
    rules: tuple[str, ...]
    expected: str
    needs: Callable[[Config], str | None] = field(default=lambda config: None, compare=False)
    """Why this configuration cannot exercise the property, or None if it can."""
    machine: str = ""
    """For ``local``: the declared class whose records are checked."""
    check: Callable[..., Any] | None = field(default=None, compare=False)
    """local: record -> bool; state: view -> bool; edge: (label, before, after) -> bool."""
    applies: Callable[..., bool] | None = field(default=None, compare=False)
    """The antecedent: where the property says something (counted, so it is never vacuous)."""
    milestones: tuple[Callable[..., bool], ...] = field(default=(), compare=False)
    """precedes: (required..., then); once: (event,); witness: the ordered milestones."""
    p: Callable[..., bool] | None = field(default=None, compare=False)
    q: Callable[..., bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: kind {self.kind!r} is not one of {KINDS}")
        if self.expected not in EXPECTATIONS:
            raise ValueError(f"{self.id}: expected {self.expected!r} is not one of {EXPECTATIONS}")

    @property
    def expects_violation(self) -> bool:
        return self.expected in ("HAZARD", "OBLIG")
