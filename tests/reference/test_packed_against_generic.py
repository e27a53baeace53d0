"""The packed space is derived from the declarations and agrees with the generic composition.

Same states in the same breadth-first order, same parents and discovering actions, same
transition count; and, state by state, ``expand`` gives exactly the generic successors.
"""

from __future__ import annotations

import numpy as np
import pytest
from statemachine.exceptions import TransitionNotAllowed

from shadowspec.examples.reference import reference_space
from shadowspec.examples.reference.machines import ReferenceRequester, ReferenceVolume
from shadowspec.model.explorer import explore
from shadowspec.model.frontier import explore_frontier


class _ExpandOnly:
    """The contract alone (no fast path), to test ``expand`` through the explorer."""

    def __init__(self, space):
        self.name, self.labels, self.bits = space.name, space.labels, space.bits
        self.initial, self.expand, self.invariants = space.initial, space.expand, space.invariants


@pytest.mark.parametrize("rv", [(1, 1), (1, 2), (2, 2), pytest.param((2, 3), marks=pytest.mark.slow), (3, 1)])
def test_same_graph_as_the_generic_explorer(rv):
    space = reference_space(*rv)
    generic = explore([space.system.initial], space.system.successors)
    packed = np.array([space.pack(s) for s in generic.states], dtype=np.uint64)
    for found in (explore_frontier(space), explore_frontier(_ExpandOnly(space), chunk=50)):
        assert np.array_equal(found.states, packed)
        assert found.parent.tolist() == list(generic.parent)
        assert found.transitions == generic.transitions
        labels = [space.labels[a] for a in found.action[1:]]
        assert labels == [generic.labels[i][:3] for i in generic.via[1:]]


def test_expand_is_the_generic_successor_relation():
    space = reference_space(2, 2)
    generic = explore([space.system.initial], space.system.successors)
    frontier = np.array([space.pack(s) for s in generic.states], dtype=np.uint64)
    source, action, target = space.expand(frontier)
    assert source.dtype == np.int64 and action.dtype == np.int32 and target.dtype == np.uint64
    expected = [(s, space.labels.index(generic.labels[lab][:3]), int(frontier[t]))
                for s, lab, t in generic.edges()]
    assert list(zip(source.tolist(), action.tolist(), target.tolist())) == expected


def test_every_local_table_entry_matches_the_real_engine():
    """Each step the packed tables were built from, replayed through python-statemachine."""
    space = reference_space(1, 3)
    checked = 0
    for machine, cls in ((space.system.requester_machine, ReferenceRequester),
                         (space.system.volume_machine, ReferenceVolume)):
        for (local, event, arguments), (result, nxt, _) in list(machine._memo.items()):
            engine = cls.resume(None, machine.locals[local])
            assert engine.call(event, **dict(arguments)) == result
            assert engine.local_state() == machine.locals[nxt]
            checked += 1
        for local in range(len(machine.locals)):
            for event in machine.events:
                args = ({"volume": 1},) if event in ("set_volume_in_progress", "reset_volume") else ({},)
                for kwargs in args:
                    try:
                        machine.step(local, event, tuple(sorted(kwargs.items())))
                    except TransitionNotAllowed:
                        with pytest.raises(TransitionNotAllowed):
                            cls.resume(None, machine.locals[local]).call(event, **kwargs)
    assert checked > 50


def test_states_fit_and_decode_to_the_generic_tuple():
    space = reference_space(3, 4)
    assert space.bits <= 63
    state = (3, 1, 0, 2, 1, 0, 0)
    assert space.unpack(space.pack(state)) == state
