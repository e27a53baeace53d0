"""The composed specification as an oracle: which calls each state offers, and hidden steps.

A log shows only the program's calls. Between two of them the system may take steps no log
shows (an operation finishes or fails, writers handle events, a timer fires, the cluster detects
a backup): those are the labels of kind ``service`` and ``fault``. The oracle caches, per system
state, the calls offered by each actor and the hidden successors, and closes a set of states
under hidden steps, except those a timer watch forbids (a timer that cannot have fired yet).
Caches are bounded so memory does not grow with the length of a log.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable

from shadowspec.model.system import Label, System

State = tuple[int, ...]
Move = tuple[Label, State]
Blocked = frozenset[tuple[int, str]]

CACHE_LIMIT = 50_000
"""States whose moves are cached at once; beyond it the cache starts again (memory bound)."""


class TooManyStates(Exception):
    """The set of states consistent with a log grew past the bound: the check is incomplete."""


class Oracle:
    """One ``System`` with cached moves and hidden-step closures."""

    def __init__(self, system: System, max_states: int) -> None:
        self.system = system
        self.max_states = max_states
        self._moves: dict[State, tuple[dict[str, list[Move]], tuple[Move, ...]]] = {}
        self._closures: dict[tuple[State, Blocked], frozenset[State]] = {}

    def cached_states(self) -> int:
        """How many entries the caches hold (moves per state, closures per state and block)."""
        return len(self._moves) + len(self._closures)

    def moves(self, state: State) -> tuple[dict[tuple[str, str], list[Move]], tuple[Move, ...]]:
        """(calls by actor and name, hidden moves) offered in ``state``."""
        found = self._moves.get(state)
        if found is None:
            if len(self._moves) >= CACHE_LIMIT:
                self._moves.clear()
            calls: dict[tuple[str, str], list[Move]] = {}
            hidden: list[Move] = []
            for label, target in self.system.successors(state):
                if label.kind == "call":
                    calls.setdefault((label.actor, label.call), []).append((label, target))
                else:
                    hidden.append((label, target))
            found = self._moves[state] = (calls, tuple(hidden))
        return found

    def calls(self, state: State, actor: str, call: str | None = None) -> list[Move]:
        """The calls ``actor`` may make in ``state`` (only those named ``call`` if given)."""
        offered = self.moves(state)[0]
        if call is not None:
            return offered.get((actor, call), [])
        return [move for (who, _), moves in offered.items() if who == actor for move in moves]

    def _closure_of(self, state: State, blocked: Blocked) -> frozenset[State]:
        key = (state, blocked)
        found = self._closures.get(key)
        if found is not None:
            return found
        seen = {state}
        queue = deque([state])
        while queue:
            current = queue.popleft()
            for label, target in self.moves(current)[1]:
                if target in seen:
                    continue
                if blocked and any((step.component, step.event) in blocked for step in label.steps):
                    continue
                seen.add(target)
                if len(seen) > self.max_states:
                    raise TooManyStates(f"more than {self.max_states:,} states are consistent with the log")
                queue.append(target)
        if len(self._closures) >= CACHE_LIMIT:
            self._closures.clear()
        found = self._closures[key] = frozenset(seen)
        return found

    def closure(self, states: Iterable[State], blocked: Blocked = frozenset()) -> frozenset[State]:
        """Every state reachable from ``states`` by hidden steps that ``blocked`` does not forbid."""
        result: set[State] = set()
        for state in states:
            result |= self._closure_of(state, blocked)
            if len(result) > self.max_states:
                raise TooManyStates(f"more than {self.max_states:,} states are consistent with the log")
        return frozenset(result)

    def translate(self, other: "Oracle", states: Iterable[State]) -> set[State]:
        """The same states in ``other`` (the same shape under other readings of the ambiguities)."""
        mine, theirs = self.system.machines, other.system.machines
        return {tuple(theirs[i].intern(mine[i].locals[local]) for i, local in enumerate(state))
                for state in states}
