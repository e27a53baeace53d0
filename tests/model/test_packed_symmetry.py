"""``--symmetry`` on the real system (``model/packed_symmetry.py``): the group derived from the
configuration, orbits that partition the full state space (counted by the search without
symmetry), the same verdicts and counterexamples, counterexamples that replay on the generic
explorer, and a planted mistake still found."""

from __future__ import annotations

import json

import numpy as np
import pytest

from shadowspec.checks.run import run_check
from shadowspec.cli import main
from shadowspec.model.config import Config, shipped
from shadowspec.model.packed_explore import explore_vss
from shadowspec.model.packed_symmetry import SymmetricSpace, Symmetry, SymmetryError
from shadowspec.model.packed_system import VssSpace
from shadowspec.model.system import System

SYMMETRIC = ("volume-limit", "two-requesters")


def _named(name: str) -> Config:
    """A shipped configuration, or ``2x2x2``: 2 requesters on 2 nodes with 2 CSVs (the growth
    series' second row without writers or faults), whose group exchanges all three at once."""
    if name == "2x2x2":
        return Config(name="2x2x2", requesters=2, nodes=2, volumes=2, writers=0, environment=(), callers=())
    return shipped()[name]


def _values(space: VssSpace, state: tuple[int, ...]) -> tuple:
    """A state as its components' local values: comparable across spaces whatever the codes."""
    return tuple(m.locals[c] for m, c in zip(space.system.machines, state))


def _config(**values) -> Config:
    values.setdefault("environment", ())
    values.setdefault("callers", ())
    return Config(name="symmetry-test", **values)


def test_the_group_comes_from_the_configuration() -> None:
    two = Symmetry(VssSpace(shipped()["two-requesters"], encoding="learnt"))
    assert two.order == 2 and two.actors() == {"requester": [["requester-1", "requester-2"]], "node": [],
                                               "volume": []}
    volumes = Symmetry(VssSpace(shipped()["volume-limit"], encoding="learnt"))
    assert volumes.order == 2 and volumes.actors()["volume"] == [["volume-1", "volume-2"]]
    # node-1 hosts the requester, node-2 none: they are not interchangeable
    cluster = Symmetry(VssSpace(shipped()["cluster-2008r2"], encoding="learnt"))
    assert cluster.order == 1
    # requester-N runs on node-N: exchanging requesters exchanges their nodes too
    paired = Symmetry(VssSpace(_config(requesters=2, nodes=2, volumes=1, writers=0), encoding="learnt"))
    assert paired.order == 2
    assert paired.actors() == {"requester": [["requester-1", "requester-2"]], "node": [["node-1", "node-2"]],
                               "volume": []}


@pytest.mark.parametrize("name", [*SYMMETRIC, pytest.param("2x2x2", marks=pytest.mark.slow)])
def test_orbits_partition_the_full_state_space(name: str) -> None:
    config = _named(name)
    full_space = VssSpace(config, encoding="learnt")
    full = explore_vss(full_space)
    quotient_space = SymmetricSpace(VssSpace(config, encoding="learnt"))
    quotient = explore_vss(quotient_space)
    symmetry = quotient_space.symmetry
    symmetry.check()
    reps = np.array([quotient_space.inner.pack(s) for s in quotient.states], dtype=np.uint64)
    assert len(reps) < len(full.states)
    assert np.array_equal(symmetry.canonical(reps), reps)  # representatives are canonical
    assert int(symmetry.orbit_sizes(reps).sum()) == len(full.states)
    orbit = symmetry.orbit(reps)
    unfolded = {_values(quotient_space.inner, s) for s in quotient_space.inner.decode(orbit)}
    assert unfolded == {_values(full_space, s) for s in full.states}
    # distinct representatives are in distinct orbits
    assert len(np.unique(symmetry.canonical(orbit))) == len(reps)


def _replay(config: Config, steps: list[dict]) -> set:
    """The states of the generic system the steps can lead to (empty: a step that is not one)."""
    system = System(config)
    current = {system.initial}
    for step in steps:
        after = set()
        for state in current:
            for label, target in system.successors(state):
                arguments = {k: v if isinstance(v, (bool, int, str)) or v is None else str(v)
                             for k, v in label.arguments}
                if (label.actor, label.call, label.result, arguments) == (
                        step["actor"], step["call"], step["result"], step["arguments"]):
                    after.add(target)
        assert after, f"step {step['step']} ({step['actor']}: {step['call']}) is not a concrete step"
        current = after
    return current


@pytest.mark.parametrize("name", [*SYMMETRIC, "2x2x2"])
def test_same_verdicts_and_concrete_counterexamples(name: str) -> None:
    config = _named(name)
    plain = run_check(config).as_dict(with_timings=False)
    reduced = run_check(config, symmetry=True).as_dict(with_timings=False)
    figures = reduced["exploration"]["symmetry"]
    assert figures["used"] and figures["group_order"] == len(Symmetry(VssSpace(config, encoding="learnt")).elements) > 1
    assert figures["states"] == plain["exploration"]["states"]
    assert figures["representatives"] < figures["states"]
    assert figures["reduction"] == round(figures["states"] / figures["representatives"], 3)
    assert reduced["properties"] == plain["properties"]
    traces = [p for p in reduced["properties"] if p.get("counterexample")]
    assert traces
    for prop in traces:
        _replay(config, prop["counterexample"] + prop.get("cycle", []))


def test_a_planted_mistake_is_still_found() -> None:
    from tests.mutants.variants import MUTANTS

    mutant = next(m for m in MUTANTS if m.breaks == "INV-03")
    config = mutant.config.with_overrides(requesters=2, name="session x2")
    report = run_check(config, replace={mutant.role: mutant.variant}, symmetry=True).as_dict(with_timings=False)
    assert report["exploration"]["symmetry"]["group_order"] == 2
    verdict = next(p for p in report["properties"] if p["id"] == "INV-03")
    assert verdict["verdict"] == "violated" and not verdict["as_expected"]
    assert verdict["counterexample"][-1]["call"] == mutant.culprit
    _replay_variant = System(config, {mutant.role: mutant.variant})
    state = _replay_variant.initial
    for step in verdict["counterexample"]:  # the counterexample is a path of the variant
        state = next(t for label, t in _replay_variant.successors(state)
                     if (label.actor, label.call, label.result) == (step["actor"], step["call"], step["result"]))


def test_a_permutation_that_does_not_commute_is_reported(monkeypatch) -> None:
    symmetry = Symmetry(VssSpace(shipped()["volume-limit"], encoding="learnt"))
    explore_vss(SymmetricSpace(symmetry.space))
    symmetry.check()  # the declared renaming commutes
    real = symmetry.rename_arguments

    def broken(arguments: tuple, element: dict) -> tuple:  # every volume renamed volume-2
        if element["volume"] == (1, 2):
            return real(arguments, element)
        return tuple((n, 1 if n == "volume" else v) for n, v in arguments)

    monkeypatch.setattr(symmetry, "rename_arguments", broken)
    symmetry.tables = [{} for _ in symmetry.elements]
    symmetry._arrays = {}
    symmetry._checked = {}
    with pytest.raises(SymmetryError, match="does not commute"):
        symmetry.check()


@pytest.mark.parametrize("name", [*SYMMETRIC, pytest.param("2x2x2", marks=pytest.mark.slow)])
def test_successors_commute_with_the_group(name: str) -> None:
    """The composition, not only each machine: the successors of an image of a representative
    are, up to symmetry, the successors of the representative."""
    space = SymmetricSpace(VssSpace(_named(name), encoding="learnt"))
    quotient = explore_vss(space)
    symmetry, inner = space.symmetry, space.inner
    reps = np.array([inner.pack(s) for s in quotient.states], dtype=np.uint64)

    def moves(states: np.ndarray) -> set:
        source, _, target = inner.expand(states)
        return set(zip(source.tolist(), symmetry.canonical(target).tolist()))

    expected = moves(reps)
    for g in range(1, symmetry.order):
        images = symmetry.pack(symmetry.apply(g, inner.codes(reps)))
        assert moves(images) == expected


def test_cli_symmetry_json(capsys) -> None:
    assert main(["check", "--symmetry", "--config", "volume-limit", "--format", "json", "--no-timings"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exploration"]["symmetry"]["used"] is True
    reduced = data["exploration"]["symmetry"]
    assert main(["check", "--symmetry", "--config", "volume-limit"]) == 0
    assert (f"the search stored {reduced['representatives']:,} representatives of {reduced['states']:,} states"
            in " ".join(capsys.readouterr().out.split()))
    # one configuration without interchangeable actors: the search without symmetry, said so
    assert main(["check", "--symmetry", "--config", "cluster-2008r2", "--format", "json", "--no-timings"]) == 0
    assert json.loads(capsys.readouterr().out)["exploration"]["symmetry"]["used"] is False


@pytest.mark.slow  # the declared encoding's closure of volume-limit's requester: about a minute
def test_cli_symmetry_with_workers(capsys) -> None:
    assert main(["check", "--symmetry", "--config", "volume-limit", "--format", "json", "--no-timings"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert main(["check", "--symmetry", "--config", "volume-limit", "--workers", "2", "--format", "json",
                 "--no-timings"]) == 0
    parallel = json.loads(capsys.readouterr().out)
    assert parallel["properties"] == data["properties"]
    assert parallel["exploration"]["symmetry"]["representatives"] == data["exploration"]["symmetry"]["representatives"]


@pytest.mark.slow  # the declared encoding's closure, as above
def test_cli_symmetry_checkpoint_and_resume(tmp_path, capsys) -> None:
    assert main(["check", "--symmetry", "--config", "volume-limit", "--format", "json", "--no-timings"]) == 0
    whole = json.loads(capsys.readouterr().out)
    saved = tmp_path / "ck.bin"
    assert main(["check", "--symmetry", "--config", "volume-limit", "--backend", "local", "--time-limit", "0",
                 "--checkpoint", str(saved), "--format", "json", "--no-timings"]) == 1
    assert json.loads(capsys.readouterr().out)["exploration"]["complete"] is False
    assert main(["check", "--symmetry", "--config", "volume-limit", "--backend", "local", "--resume", str(saved),
                 "--format", "json", "--no-timings"]) == 0
    resumed = json.loads(capsys.readouterr().out)
    assert resumed["exploration"]["complete"]
    assert resumed["properties"] == whole["properties"]
    assert resumed["exploration"]["symmetry"]["representatives"] == whole["exploration"]["symmetry"]["representatives"]
    # a checkpoint of the search without symmetry is not resumed under it
    other = tmp_path / "plain.bin"
    main(["check", "--config", "volume-limit", "--backend", "local", "--time-limit", "0", "--checkpoint", str(other)])
    capsys.readouterr()
    assert main(["check", "--symmetry", "--config", "volume-limit", "--backend", "local", "--resume", str(other)]) == 2
    assert "configuration fingerprint differs" in capsys.readouterr().err
    # hash compaction counts the representatives, decides nothing
    assert main(["check", "--symmetry", "--config", "volume-limit", "--fingerprint-bits", "40", "--format", "json",
                 "--no-timings"]) == 1
    counted = json.loads(capsys.readouterr().out)
    assert counted["exploration"]["states"] == whole["exploration"]["symmetry"]["representatives"]
    assert all(p["verdict"] in ("no violation within bound", "not exercised") for p in counted["properties"])
