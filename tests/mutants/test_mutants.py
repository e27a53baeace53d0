"""The checks bite: every deliberately broken variant makes its paired property fail.

For each mutant of ``variants.MUTANTS`` the same small configuration is explored twice: with the
declared classes (every verdict as expected, exit code 0) and with the variant in its role (the
paired property no longer as expected, exit code 1). The properties that change are exactly the
ones the mutant names, and the counterexample ends with the call the mutant broke.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from functools import lru_cache

import pytest
from statemachine.exceptions import TransitionNotAllowed

from shadowspec.checks.run import CheckReport, run_check
from shadowspec.model.compiled import CompiledMachine, declared_transitions
from shadowspec.model.config import Config
from shadowspec.model.explorer import explore
from shadowspec.model.system import MACHINES, System
from shadowspec.spec.csv_volume import CsvVolume
from shadowspec.spec.requester import RequesterSession
from shadowspec.spec.writer import Writer

from .variants import MUTANTS, ClearIgnoredForOthers, Mutant, variant

pytestmark = pytest.mark.slow  # exhaustive: run by `pytest -m slow` (and .ci/run)


@lru_cache(maxsize=None)
def _baseline(config: Config) -> CheckReport:
    return run_check(config)


@lru_cache(maxsize=None)
def _mutated(mutant: Mutant) -> CheckReport:
    return run_check(mutant.config, replace={mutant.role: mutant.variant})


def _by_id(report: CheckReport) -> dict[str, dict]:
    return {p["id"]: p for p in report.properties}


def _last_step_mentions(prop: dict, culprit: str) -> bool:
    steps = prop.get("counterexample") or []
    if not steps:
        return False
    last = steps[-1]
    return culprit == last["call"] or culprit in map(str, last["arguments"].values())


mutants = pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)


@mutants
def test_baseline_passes_on_the_mutants_configuration(mutant: Mutant) -> None:
    report = _baseline(mutant.config)
    prop = _by_id(report)[mutant.breaks]
    assert report.exploration["complete"]
    assert prop["as_expected"], prop
    assert prop["verdict"] == ("violated" if prop["expected"] in ("HAZARD", "OBLIG") else "holds")
    # PRN-02 (a rejected call changes nothing) is vacuous where a variant's small configuration
    # offers no call that can be rejected (the CSV-only systems without bad arguments)
    wrong = [p["id"] for p in report.properties if not p["as_expected"]
             and not (p["id"] == "PRN-02" and p["verdict"] == "vacuous")]
    assert not wrong, wrong


@mutants
def test_variant_breaks_its_property(mutant: Mutant) -> None:
    report = _mutated(mutant)
    prop = _by_id(report)[mutant.breaks]
    assert report.exploration["complete"]
    assert prop["as_expected"] is False, prop
    assert prop["verdict"] == ("holds" if prop["expected"] in ("HAZARD", "OBLIG") else "violated")
    assert report.exit_code == 1


@mutants
def test_variant_breaks_only_what_it_names(mutant: Mutant) -> None:
    base, broken = _by_id(_baseline(mutant.config)), _by_id(_mutated(mutant))
    flipped = {i for i in base if base[i]["as_expected"] != broken[i]["as_expected"]}
    assert flipped == {mutant.breaks, *mutant.also}


@mutants
def test_counterexample_ends_with_the_broken_call(mutant: Mutant) -> None:
    """The side where the property is violated shows the mutated call as its last step."""
    if mutant.culprit is None:  # a missing witness has no trace to show
        assert "witness" not in _by_id(_mutated(mutant))[mutant.breaks]
        return
    base, broken = _by_id(_baseline(mutant.config)), _by_id(_mutated(mutant))
    violated = base if base[mutant.breaks]["verdict"] == "violated" else broken
    assert _last_step_mentions(violated[mutant.breaks], mutant.culprit), violated[mutant.breaks]




def _engine_params() -> list:
    return [pytest.param(m, id=m.id) for m in MUTANTS]


ENGINE_REPLAYS = 40
"""Distinct steps replayed per mutant (an engine instance costs milliseconds to build)."""


def _engine_step(cls: type, params: object, local: tuple, event: str, arguments: tuple) -> tuple:
    engine = cls.resume(params, local)
    try:
        return engine.call(event, **dict(arguments)), engine.local_state()
    except TransitionNotAllowed:
        return "TransitionNotAllowed", local


@pytest.mark.parametrize("mutant", _engine_params())
def test_variant_engine_agrees_with_its_compiled_form(mutant: Mutant) -> None:
    """Explored steps of a redeclared event, replayed through the variant's real engine from the
    same local state, give the same result and next local state; and on some of them the
    declared class's engine does something else, so the mutation is real in the engine too."""
    system = System(mutant.config, {mutant.role: mutant.variant})
    x = explore([system.initial], system.successors)
    params = mutant.config.params()
    compiled = system.compiled[mutant.role]
    replayed, differs = set(), 0
    for source, lab, _ in x.edges():
        if len(replayed) >= ENGINE_REPLAYS and differs:
            break
        state = list(x.states[source])
        for step in x.labels[lab].steps:
            machine = system.machines[step.component]
            before = state[step.component]
            result, after, _ = machine.step(before, step.event, step.arguments)
            state[step.component] = after
            key = (before, step.event, step.arguments)
            if machine is not compiled or step.event not in mutant.variant.REDECLARED or key in replayed:
                continue
            replayed.add(key)
            local = machine.locals[before]
            engine = _engine_step(mutant.variant, params, local, step.event, step.arguments)
            assert engine == (result, machine.locals[after]), key
            differs += engine != _engine_step(mutant.role, params, local, step.event, step.arguments)
    assert replayed and differs


def test_csv_volume_engine_receives_every_backup_mode_argument() -> None:
    """The bug above, on the declared class: SET_SHARED_VOLUME_BACKUP_MODE with BackupState
    VolumeBackupInProgress and a non-zero DelayTimerInSecs is the documented way into backup mode
    (CSV-07); the compiled relation accepts it, the real engine must too."""
    params = Config().params()
    compiled = CompiledMachine(CsvVolume, params)
    declared = CsvVolume.ARGUMENTS["set_backup_mode"]
    (delay,) = [name for name in declared if name != "backup_state"]
    arguments = (("backup_state", "VolumeBackupInProgress"), (delay, 1))
    result, after, _ = compiled.step(compiled.initial, "set_backup_mode", tuple(sorted(arguments)))
    assert result == "ERROR_SUCCESS"
    engine = CsvVolume.start(params)
    assert engine.call("set_backup_mode", **dict(arguments)) == result
    assert engine.local_state() == compiled.locals[after]


def test_an_unchanged_copy_is_the_declared_machine() -> None:
    """``variant`` with no event redeclared reproduces the transition table and the exploration."""
    for role in MACHINES:
        copy = variant(role, f"Copy{role.__name__}", "an unchanged copy")
        assert declared_transitions(copy, role.__name__) == declared_transitions(role)
        assert copy.VARIABLES == role.VARIABLES and copy.ARGUMENTS == role.ARGUMENTS
    config = Config(name="copy", requesters=1, nodes=1, volumes=1, writers=1, environment=("writer_failure",),
                    callers=("backup_mode", "async_calls"))
    replace = {role: variant(role, f"Copy{role.__name__}", "") for role in (RequesterSession, Writer)}
    base, copied = run_check(config), run_check(config, replace=replace)
    assert copied.exploration["states"] == base.exploration["states"]
    assert copied.exploration["transitions"] == base.exploration["transitions"]
    assert [(p["id"], p["verdict"]) for p in copied.properties] == \
        [(p["id"], p["verdict"]) for p in base.properties]


def test_building_variants_leaves_the_declared_classes_alone() -> None:
    fresh = subprocess.run(
        [sys.executable, "-c", textwrap.dedent("""
            from shadowspec.model.compiled import CompiledMachine, declared_transitions
            from shadowspec.model.system import MACHINES
            print(sum(len(declared_transitions(m)) for m in MACHINES))
        """)], capture_output=True, text=True, check=True)
    assert sum(len(declared_transitions(m)) for m in MACHINES) == int(fresh.stdout)
    for mutant in MUTANTS:  # each variant is its own class over its own states
        assert not set(map(id, mutant.variant.states)) & set(map(id, mutant.role.states))


def test_variant_rejects_an_undeclared_event() -> None:
    with pytest.raises(ValueError, match="declares no event 'prepare_backup'"):
        variant(RequesterSession, "Typo", "", prepare_backup=lambda s: s.created.to.itself())


def test_subclass_override_pollutes_the_parent() -> None:
    """Why ``variant`` exists: in python-statemachine 3.2 a subclass shares its parent's State
    objects, so redeclaring an event in a subclass body appends transitions to the parent too.
    If this starts failing, the library copies inherited states and plain subclasses would do."""
    probe = textwrap.dedent("""
        from shadowspec.model.compiled import CompiledMachine, declared_transitions
        from shadowspec.spec.vocabulary import returns
        from shadowspec.spec.writer import Writer as W
        before = len(declared_transitions(W))
        class Broken(W):
            abort = W.post_snapshot_done.to(W.aborted, on=returns("true", "WRT-10"))
        print(before, len(declared_transitions(W)))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    before, after = map(int, done.stdout.split())
    assert after == before + 1


def test_inv21_judges_what_the_clear_did() -> None:
    """A clear from another node that succeeds but leaves the owner's mark in place cancels no
    backup: INV-21 ("never cancelled by a clear from node B") must not report it."""
    (mutant,) = [m for m in MUTANTS if m.breaks == "INV-21"]
    report = run_check(mutant.config, replace={mutant.role: ClearIgnoredForOthers})
    assert _by_id(report)["INV-21"]["verdict"] == "holds"
