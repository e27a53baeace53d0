"""Counterexamples of a packed exploration, in terms of concrete actors.

Without symmetry a path of the exploration is already concrete: each step is re-fired through the
composition (``ReferenceSystem.fire``) to recover its result and the declared transitions. Under
symmetry the path runs through canonical representatives; it is re-simulated from the concrete
initial state, choosing at each step the first concrete successor (in action order) whose
canonical form is the next state of the path, so the steps name real requesters and volumes and
the length stays shortest.
"""

from __future__ import annotations

import numpy as np

from shadowspec.model.packed_space import PackedExploration

from .packed import ReferenceSpace
from .system import Label

Path = list[tuple[Label | None, tuple[int, ...]]]


def concrete_path(space: ReferenceSpace, exploration: PackedExploration, index: int) -> Path:
    """(label of the step taken, concrete state) from an initial state to ``index``."""
    system = space.system
    indices = exploration.path(index)
    if not space.symmetry:
        path: Path = [(None, space.unpack(exploration.states[indices[0]]))]
        for i in indices[1:]:
            fired = system.fire(path[-1][1], system.actions[int(exploration.action[i])])
            assert fired is not None and space.pack(fired[1]) == int(exploration.states[i])
            path.append(fired)
        return path
    canonical = space.canonical
    start = system.initial
    if int(canonical(np.array([space.pack(start)], dtype=np.uint64))[0]) != int(exploration.states[indices[0]]):
        raise RuntimeError("the concrete initial state is not in the orbit of the path's start")
    path = [(None, start)]
    for i in indices[1:]:
        wanted = int(exploration.states[i])
        for label, nxt in system.successors(path[-1][1]):
            if int(canonical(np.array([space.pack(nxt)], dtype=np.uint64))[0]) == wanted:
                path.append((label, nxt))
                break
        else:
            raise RuntimeError(f"no concrete step reaches canonical state {wanted:#x}")
    return path
