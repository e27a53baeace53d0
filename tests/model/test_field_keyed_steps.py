"""Steps keyed on the variables they read (``CompiledMachine._evaluate``, ``_Tracked``).

A step's outcome is shared by every local state that agrees on the variables such steps read.
That is sound only if no read is missed and every assignment is replayed, so here each step the
exploration memoised is evaluated again from scratch, alone, and must give the same result, the
same transition and the same next local state; and the sharing must actually happen (otherwise
the memo would be a plain per-state one and this test would prove nothing about it).
"""

from __future__ import annotations

from shadowspec.model.compiled import _REFUSED, CompiledMachine, _Tracked
from shadowspec.model.config import shipped
from shadowspec.model.packed_explore import explore_vss
from shadowspec.model.packed_system import VssSpace


def _fresh(machine: CompiledMachine, local_id: int, event: str, arguments: tuple) -> tuple:
    """The step evaluated on its own local state alone, no outcome shared."""
    local = machine.locals[local_id]
    outcome, _ = machine._run(local, event, arguments)
    if outcome is _REFUSED:
        return (_REFUSED,)
    result, tid, writes = outcome
    after = list(local)
    for index, value in writes:
        after[index] = value
    after[0] = tid.target
    return result, tid, tuple(after)


def test_every_shared_outcome_is_the_step_evaluated_alone() -> None:
    space = VssSpace(shipped()["cluster-2012"], encoding="learnt")
    explore_vss(space)
    checked = shared = 0
    for machine in {id(m): m for m in space.system.machines}.values():
        for (local_id, event, arguments), (result, after, tid) in machine._memo.items():
            assert _fresh(machine, local_id, event, arguments) == (result, tid, machine.locals[after])
            checked += 1
        shared += len(machine._memo) - len(machine._outcomes)
    assert checked > 1000
    assert shared > 0  # some outcomes served more than one local state


def test_reading_the_record_as_a_whole_reads_every_variable() -> None:
    reads: set[int] = set()
    record = _Tracked(None, {"a": 1, "b": 2}, "s", {"a": 1, "b": 2}, reads)
    assert record.a == 1 and reads == {1}
    record.b = 5
    assert record.b == 5 and reads == {1}  # read after its own assignment: not a read of the state
    assert object.__getattribute__(record, "_written") == {"b"}
    vars(record)
    assert reads == {1, 2}


def test_an_assignment_of_the_value_already_there_is_still_replayed() -> None:
    record = _Tracked(None, {"a": 1}, "s", {"a": 1}, set())
    record.a = 1
    assert object.__getattribute__(record, "_written") == {"a"}
