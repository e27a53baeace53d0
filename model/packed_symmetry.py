"""Symmetry reduction of the real system (``VssSpace``): interchangeable actors explored once.

Why: two requesters on one node, or two CSVs, make the same moves in mirrored states; storing one
state per orbit divides the search by up to the group's order. Nothing here knows about VSS.

The group is derived from the configuration (``System``'s components): a permutation of the
requesters (carrying their async operations, writers and creation), of the nodes and of the
volumes (carrying their backup mark), kept only if it maps every requester's node onto the
image requester's node (``Config.node_of``) and every component onto one of the *same* compiled
machine (same declared class and parameters). Anything else is not a symmetry, and ``refused``
says which permutations were dropped and why.

A permutation acts on a state (a tuple of per-component codes, ``VssSpace.codes``) in two ways:
it moves components, and it renames the actors that local values refer to (a volume in a
snapshot set, the node a mark is pinned to). The renaming is derived, never typed: every local
code is reached from the initial one by a declared step (the machine's memo: local, event,
arguments), and only the arguments of the open domains (``System.argument_values``: which node,
which volume) name actors; so the image of a code is the image of its parent stepped by the
same event with renamed arguments. Every memoised step is checked against the tables (the step
of the images returns the same result by the same transition, to the image of the target;
``Symmetry.check``): a permutation under which a declaration does not
commute is reported (``SymmetryError``), never silently used.

``canonical`` maps a codes matrix (components x states) through the per-permutation tables,
permutes the rows and takes the lexicographic minimum, vectorised over the frontier; it works on
codes, so it survives a change of the packing. ``SymmetricSpace`` wraps a ``VssSpace`` so that
the explorers store canonical representatives (the smallest change to the explorer: none).
"""

from __future__ import annotations

import re
from collections import deque
from itertools import permutations
from typing import Any

import numpy as np

from .packed_system import U64, VssSpace, Widen
from .words import empty, lex_min, unique_rows

_ACTOR = re.compile(r"\b(requester|node|volume)-(\d+)\b")


class SymmetryError(Exception):
    """A permutation of the derived group is not a symmetry of the declarations."""


class Symmetry:
    """The interchangeable actors of one ``VssSpace`` and the canonical form of its states."""

    def __init__(self, space: VssSpace) -> None:
        self.space = space
        system = space.system
        config = system.config
        self.machines = system.machines
        components = system.components
        by_name = {c.name: i for i, c in enumerate(components)}
        domains = system.argument_values()
        self.domains = {name: tuple(values) for name, values in domains.items()}
        R, N, V = config.requesters, config.nodes, config.volumes
        self.refused: list[str] = []
        self.elements: list[dict[str, tuple[int, ...]]] = []  # actor kind -> 1-based image of 1..k
        self.moves: list[np.ndarray] = []  # component i -> component it moves to
        for sigma in permutations(range(1, R + 1)):
            for tau in permutations(range(1, N + 1)):
                if any(config.node_of(sigma[r - 1]) != tau[config.node_of(r) - 1] for r in range(1, R + 1)):
                    continue
                for rho in permutations(range(1, V + 1)):
                    element = {"requester": sigma, "node": tau, "volume": rho}
                    move = np.empty(len(components), dtype=np.int64)
                    why = ""
                    for i, component in enumerate(components):
                        j = by_name.get(self.rename(component.name, element))
                        if j is None:
                            why = f"{component.name} has no image"
                        elif self.machines[j] is not self.machines[i]:
                            why = (f"{component.name} and {components[j].name} differ in declaration "
                                   "or parameters")
                        if why:
                            break
                        move[i] = j
                    if why:
                        self.refused.append(f"{self.describe(element)}: {why}")
                        continue
                    self.elements.append(element)
                    self.moves.append(move)
        # tables[g][id(machine)]: image code of each known code (grown on demand)
        self.tables: list[dict[int, list[int]]] = [{} for _ in self.elements]
        self._origin: dict[int, dict[int, tuple[int, str, tuple]]] = {}
        self._checked: dict[int, int] = {}
        self._arrays: dict[tuple[int, int], np.ndarray] = {}

    # -- the group ----------------------------------------------------------------------------
    @property
    def order(self) -> int:
        return len(self.elements)

    @staticmethod
    def describe(element: dict[str, tuple[int, ...]]) -> str:
        moved = [f"{kind}-{i + 1}->{kind}-{j}" for kind, images in element.items()
                 for i, j in enumerate(images) if j != i + 1]
        return ", ".join(moved) or "identity"

    def actors(self) -> dict[str, list[list[str]]]:
        """Per actor kind, the classes of actors some element of the group exchanges."""
        out: dict[str, list[list[str]]] = {}
        for kind in ("requester", "node", "volume"):
            size = len(self.elements[0][kind]) if self.elements else 0
            parent = list(range(size))
            for element in self.elements:
                for i, j in enumerate(element[kind]):
                    a, b = _find(parent, i), _find(parent, j - 1)
                    parent[a] = b
            classes: dict[int, list[str]] = {}
            for i in range(size):
                classes.setdefault(_find(parent, i), []).append(f"{kind}-{i + 1}")
            out[kind] = [c for c in classes.values() if len(c) > 1]
        return out

    def rename(self, text: str, element: dict[str, tuple[int, ...]]) -> str:
        return _ACTOR.sub(lambda m: f"{m.group(1)}-{element[m.group(1)][int(m.group(2)) - 1]}", text)

    def rename_arguments(self, arguments: tuple, element: dict[str, tuple[int, ...]]) -> tuple:
        """A machine step's arguments with the open-domain ones (which node, which volume) renamed:
        the k-th value of a domain names the k-th actor of that kind."""
        out = []
        for name, value in arguments:
            domain = self.domains.get(name)
            if domain is not None and name in element:
                value = domain[element[name][domain.index(value)] - 1]
            elif isinstance(value, str):
                value = self.rename(value, element)
            out.append((name, value))
        return tuple(out)

    # -- local rename tables --------------------------------------------------------------------
    def _origins(self, machine: Any) -> dict[int, tuple[int, str, tuple]]:
        """A parent step (local, event, arguments) of every known code, breadth first from the
        initial local (rebuilt when the machine has learnt codes since)."""
        known = self._origin.get(id(machine))
        if known is not None and len(known) + 1 >= len(machine.locals):
            return known
        edges: dict[int, list[tuple[int, str, tuple]]] = {}
        for (local, event, arguments), (_, target, _) in list(machine._memo.items()):
            edges.setdefault(local, []).append((target, event, arguments))
        origin: dict[int, tuple[int, str, tuple]] = {}
        queue = deque([machine.initial])
        seen = {machine.initial}
        while queue:
            local = queue.popleft()
            for target, event, arguments in edges.get(local, ()):
                if target not in seen:
                    seen.add(target)
                    origin[target] = (local, event, arguments)
                    queue.append(target)
        self._origin[id(machine)] = origin
        return origin

    def _image(self, g: int, machine: Any, code: int) -> int:
        table = self.tables[g].setdefault(id(machine), [])
        if code < len(table) and table[code] >= 0:
            return table[code]
        origin = self._origins(machine)
        chain = []
        cursor = code
        while cursor != machine.initial and not (cursor < len(table) and table[cursor] >= 0):
            if cursor not in origin:
                raise SymmetryError(f"{machine.name}: local {cursor} has no recorded origin")
            chain.append(cursor)
            cursor = origin[cursor][0]
        if cursor == machine.initial and not (cursor < len(table) and table[cursor] >= 0):
            self._set(table, cursor, cursor)  # the initial local names no actor
        element = self.elements[g]
        for local in reversed(chain):
            parent, event, arguments = origin[local]
            _, image, _ = machine.step(table[parent], event, self.rename_arguments(arguments, element))
            self._set(table, local, image)
        return table[code]

    @staticmethod
    def _set(table: list[int], code: int, image: int) -> None:
        if code >= len(table):
            table.extend([-1] * (code + 1 - len(table)))
        table[code] = image

    def check(self, reached: np.ndarray | None = None) -> None:
        """Every memoised step commutes with every element's renaming (the same result and declared
        transition, and the image of its target), or ``SymmetryError``. ``reached`` (a codes
        matrix, components x states): only the steps from the local codes it holds, which are all
        the steps the search of those states took (a step from an image is the image of one of
        them); without it, every step the machines memoised (the whole declared closure)."""
        for machine in {id(m): m for m in self.machines}.values():
            if reached is not None:
                rows = [c for c, m in enumerate(self.machines) if m is machine]
                sources = set(np.unique(reached[rows]).tolist())
                entries = [e for e in machine._memo.items() if e[0][0] in sources]
                done = 0
            else:
                done = self._checked.get(id(machine), 0)
                entries = list(machine._memo.items())
                if len(entries) == done:
                    continue
            for g, element in enumerate(self.elements):
                for (local, event, arguments), (result, target, transition) in entries[done:]:
                    image = machine.step(self._image(g, machine, local), event,
                                         self.rename_arguments(arguments, element))
                    if image != (self.rename(result, element), self._image(g, machine, target), transition):
                        raise SymmetryError(
                            f"{machine.name}: {self.describe(element)} does not commute with {event}"
                            f"{arguments} from local {local}: the configuration's actors are not interchangeable")
            if reached is None:
                self._checked[id(machine)] = len(entries)

    def table(self, g: int, component: int, upto: int) -> np.ndarray:
        """The image of codes 0..upto-1 of ``component``'s machine under element ``g`` (numpy,
        kept until a larger code is asked for)."""
        machine = self.machines[component]
        cached = self._arrays.get((g, id(machine)))
        if cached is not None and len(cached) >= upto:
            return cached
        for code in range(upto):
            self._image(g, machine, code)
        cached = self._arrays[(g, id(machine))] = np.array(self.tables[g][id(machine)][:upto], dtype=np.int64)
        return cached

    # -- acting on codes matrices ---------------------------------------------------------------
    def apply(self, g: int, codes: np.ndarray) -> np.ndarray:
        """Element ``g`` applied to a codes matrix (components x states)."""
        out = np.empty_like(codes)
        move = self.moves[g]
        for c in range(codes.shape[0]):
            upto = int(codes[c].max()) + 1 if codes.shape[1] else 0
            out[move[c]] = self.table(g, c, upto)[codes[c]] if upto else codes[c]
        return out

    def canonical_codes(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(lexicographically least image of each column over the group, the element giving it)."""
        best = codes.copy()
        which = np.zeros(codes.shape[1], dtype=np.int64)
        columns = np.arange(codes.shape[1])
        for g in range(1, self.order):
            cand = self.apply(g, codes)
            differ = cand != best
            first = np.argmax(differ, axis=0)
            less = differ.any(axis=0) & (cand[first, columns] < best[first, columns])
            best[:, less] = cand[:, less]
            which[less] = g
        return best, which

    def pack(self, codes: np.ndarray) -> np.ndarray:
        space = self.space
        for c in range(codes.shape[0]):
            if codes.shape[1] and int(codes[c].max()) >= space.sizes[c]:
                raise Widen(c)
        return space.pack_codes(codes)

    def canonical(self, states: np.ndarray) -> np.ndarray:
        """Canonical representative of each packed state: the least packed image. While a state
        is one word, the least number (the lexicographic minimum with the highest-stride component
        first, taken without materialising each image's codes); over W words, the least image
        read as one number, last word most significant (``words.lex_min``): the same order, so
        the same representatives as one word, and a re-encoding keeps them canonical."""
        states = np.asarray(states, dtype=U64)
        if not len(states) or self.order == 1:
            return states
        space = self.space
        codes = space.codes(states)
        if states.ndim == 2:
            best = states.copy()
            for g in range(1, self.order):
                best = lex_min(best, self.pack(self.apply(g, codes)))
            return best
        uptos = [int(codes[c].max()) + 1 for c in range(codes.shape[0])]
        best = states.copy()
        for g in range(1, self.order):
            move = self.moves[g]
            image = np.zeros(len(states), dtype=U64)
            for c, upto in enumerate(uptos):
                table = self.table(g, c, upto)
                target = int(move[c])
                if int(table[:upto].max()) >= space.sizes[target]:
                    raise Widen(target)
                image += table[codes[c]].astype(U64) * space._strides_np[target]
            np.minimum(best, image, out=best)
        return best

    def orbit(self, states: np.ndarray) -> np.ndarray:
        """Every state of the orbits of ``states`` (packed, distinct, sorted)."""
        states = np.asarray(states, dtype=U64)
        codes = self.space.codes(states)
        parts = [states] + [self.pack(self.apply(g, codes)) for g in range(1, self.order)]
        return np.unique(np.concatenate(parts)) if states.ndim == 1 else unique_rows(np.concatenate(parts))

    def orbit_sizes(self, states: np.ndarray) -> np.ndarray:
        """How many distinct states each state's orbit holds."""
        states = np.asarray(states, dtype=U64)
        codes = self.space.codes(states)
        images = np.stack([states] + [self.pack(self.apply(g, codes)) for g in range(1, self.order)])
        if images.ndim == 3:  # rows: one opaque value each, so a sort along the group compares whole rows
            images = np.ascontiguousarray(images).view(np.dtype((np.void, 8 * images.shape[2])))[..., 0]
        images.sort(axis=0)
        return 1 + (images[1:] != images[:-1]).sum(axis=0)


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


class SymmetricSpace:
    """A ``VssSpace`` whose initial states and successors are canonical representatives: every
    explorer (``explore_vss``, the frontier and partitioned engines) then stores one state per
    orbit. Everything else is the wrapped space's."""

    def __init__(self, space: VssSpace) -> None:
        self.inner = space
        self.symmetry = Symmetry(space)
        self.name = f"{space.name} (symmetry)"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __reduce__(self) -> tuple:
        if self.inner.word_bits != 63:
            return (symmetric_vss_space, (self.inner.config, None, self.inner.word_bits))
        return (symmetric_vss_space, (self.inner.config,))

    def initial(self) -> np.ndarray:
        return self.symmetry.canonical(self.inner.initial())

    def expand(self, frontier: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        source, action, target = self.inner.expand(frontier)
        return source, action, self.symmetry.canonical(target)


def symmetric_vss_space(config: Any, closed: list | None = None, word_bits: int | None = None) -> SymmetricSpace:
    """A module-level factory (picklable with its arguments) for the multi-process engines."""
    return SymmetricSpace(VssSpace(config, closed=closed, word_bits=word_bits))


def unfold(symmetry: Symmetry, representatives: np.ndarray, depth: np.ndarray, complete: bool,
           stop_reason: str, seconds: float) -> Any:
    """The ``PackedExploration`` of every state of every explored orbit, level by level.

    The initial state names no actor, so every element fixes it and a state's images lie at its
    own depth: the orbits of the representatives at depth d are exactly the states at depth d.
    ``packed_explore.from_packed`` expands them once more into the concrete graph the deciders
    read, so verdicts and counterexamples are those of the search without symmetry."""
    from .packed_space import PackedExploration

    representatives = np.asarray(representatives, dtype=U64)
    depth = np.asarray(depth, dtype=np.int64)
    levels, offsets = [], [0]
    for d in range(int(depth.max()) + 1 if len(depth) else 0):
        level = symmetry.orbit(representatives[depth == d])
        levels.append(level)
        offsets.append(offsets[-1] + len(level))
    if levels and len(levels[0]) != int((depth == 0).sum()):
        raise SymmetryError("an initial state names an actor (its orbit has more than one state): "
                            "the configuration's actors are not interchangeable from the start")
    states = np.concatenate(levels) if levels else empty(symmetry.space.words)
    parent = np.zeros(len(states), np.int64)
    parent[:offsets[1] if len(offsets) > 1 else 0] = -1
    return PackedExploration(states=states, parent=parent, action=np.full(len(states), -1, np.int32),
                             depth_offsets=offsets, transitions=0, complete=complete,
                             stop_reason=stop_reason, seconds=seconds)


def figures(symmetry: Symmetry, representatives: int, states: int) -> dict[str, Any]:
    """What the report says about the reduction (JSON ``exploration.symmetry``)."""
    return {
        "used": True,
        "group_order": symmetry.order,
        "interchangeable": {kind: classes for kind, classes in symmetry.actors().items() if classes},
        "not_interchangeable": list(symmetry.refused),
        "representatives": representatives,
        "states": states,
        "reduction": round(states / representatives, 3) if representatives else 1.0,
        "decided_on": "every state of every explored orbit (the concrete graph), so every property "
                      "is decided as without symmetry and counterexamples name concrete actors",
    }
