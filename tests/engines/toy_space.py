"""A small packed transition system with a known scalar twin, for testing the engines.

``n`` switches and a counter modulo ``k``, packed as ``switches | counter << n``. Actions:
set switch i (if clear); clear switch i (if set and switch i+1 is clear); tick (counter + 1);
jump (two successors with one label: counter + 2 and counter + 3, to exercise ranks).
Invariant "all-set" fails once every switch is set (first at depth n); "counter" always holds.
``successors_of`` is the same system written one state at a time, the oracle of the tests.
"""

from __future__ import annotations

import numpy as np


class ToySpace:
    def __init__(self, n: int = 5, k: int = 3) -> None:
        self.n, self.k = n, k
        self.name = f"toy(n={n},k={k})"
        self.bits = n + 3  # the counter stays below 8
        self.labels = ([f"set {i}" for i in range(n)] + [f"clear {i}" for i in range(n)]
                       + ["tick", "jump"])

    def initial(self) -> np.ndarray:
        return np.array([0, 0, 1 << self.n], dtype=np.uint64)

    def successors_of(self, state: int) -> list[tuple[int, int]]:
        n, k = self.n, self.k
        bits, counter = state & ((1 << n) - 1), state >> n
        out = []
        for i in range(n):
            if not bits >> i & 1:
                out.append((i, state | 1 << i))
        for i in range(n):
            if bits >> i & 1 and not bits >> ((i + 1) % n) & 1:
                out.append((n + i, state & ~(1 << i)))
        out.append((2 * n, bits | ((counter + 1) % k) << n))
        out.append((2 * n + 1, bits | ((counter + 2) % k) << n))
        out.append((2 * n + 1, bits | ((counter + 3) % k) << n))
        return out

    def expand(self, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n, k = self.n, np.uint64(self.k)
        x = np.asarray(frontier, dtype=np.uint64)
        one = np.uint64(1)
        bits = x & np.uint64((1 << n) - 1)
        counter = x >> np.uint64(n)
        sources, actions, targets = [], [], []
        index = np.arange(len(x), dtype=np.int64)

        def emit(mask: np.ndarray, action: int, target: np.ndarray) -> None:
            sources.append(index[mask])
            actions.append(np.full(int(mask.sum()), action, dtype=np.int32))
            targets.append(target[mask])

        for i in range(n):
            emit((bits >> np.uint64(i)) & one == 0, i, x | (one << np.uint64(i)))
        for i in range(n):
            nxt = np.uint64((i + 1) % n)
            emit(((bits >> np.uint64(i)) & one == 1) & ((bits >> nxt) & one == 0), n + i,
                 x & ~(one << np.uint64(i)))
        always = np.ones(len(x), dtype=bool)
        for action, step in ((2 * n, 1), (2 * n + 1, 2), (2 * n + 1, 3)):
            emit(always, action, bits | ((counter + np.uint64(step)) % k) << np.uint64(n))
        source = np.concatenate(sources)
        order = np.argsort(source, kind="stable")
        return source[order], np.concatenate(actions)[order], np.concatenate(targets)[order]

    def invariants(self) -> dict:
        full = np.uint64((1 << self.n) - 1)
        n, k = np.uint64(self.n), np.uint64(self.k)
        return {
            "all-set": lambda s: (s & full) != full,
            "counter": lambda s: (s >> n) < k,
        }


def toy(n: int = 5, k: int = 3) -> ToySpace:
    return ToySpace(n, k)


def oracle(space: ToySpace) -> dict:
    """Sequential FIFO breadth-first search, one Python int at a time."""
    index: dict[int, int] = {}
    states, parent, depth = [], [], []
    for s in space.initial().tolist():
        if s not in index:
            index[s] = len(states)
            states.append(s); parent.append(-1); depth.append(0)
    transitions, head = 0, 0
    while head < len(states):
        for _, t in space.successors_of(states[head]):
            transitions += 1
            if t not in index:
                index[t] = len(states)
                states.append(t); parent.append(head); depth.append(depth[head] + 1)
        head += 1
    checks = space.invariants()
    violations = {}
    for pid, holds in checks.items():
        bad = np.flatnonzero(~holds(np.array(states, dtype=np.uint64)))
        if len(bad):
            violations[pid] = int(bad[0])
    return {"states": states, "parent": parent, "transitions": transitions,
            "depth": max(depth), "violations": violations}


def observe(space: ToySpace, states: np.ndarray) -> dict:
    """An observer of every kind ``partition.combine`` adds up: a number, a set, a dict."""
    counters = (np.asarray(states, dtype=np.uint64) >> np.uint64(space.n)).tolist()
    bits = (np.asarray(states, dtype=np.uint64) & np.uint64((1 << space.n) - 1)).tolist()
    per = {}
    for c in counters:
        per[c] = per.get(c, 0) + 1
    return {"seen": len(counters), "switch patterns": set(bits), "per counter": per}
