"""The regression gate: a canonical fingerprint, and differences explained in words.

Mutation tests build a changed specification with ``tests/mutants/variants.py`` and require the
gate to name the specific change it makes."""

from __future__ import annotations

from mutants.variants import ClearIgnoredForOthers, SnapshotWithoutPrepare, TimerKeptOnLeave

import pytest

from shadowspec.checks.baseline import Difference, compare, split
from shadowspec.checks.fingerprint import fingerprint
from shadowspec.checks.measure import baseline_entry, current_counts
from shadowspec.checks.run import measure
from shadowspec.model.config import shipped
from shadowspec.model.explorer import explore
from shadowspec.model.system import System
from shadowspec.spec.cluster_node import SharedVolumeBackupState
from shadowspec.spec.csv_volume import CsvVolume
from shadowspec.spec.requester import RequesterSession

CONFIGS = shipped()


@pytest.fixture(scope="module")
def recorded() -> dict[str, dict]:
    return {name: baseline_entry(measure(CONFIGS[name])) for name in ("cluster-2008r2", "csv-modes", "volume-limit")}


def _changes(name: str, role: type, variant: type, recorded: dict) -> dict[str, str]:
    measured = measure(CONFIGS[name], {role: variant})
    found = compare({"configs": {name: recorded[name]}}, {name: baseline_entry(measured)},
                    {name: current_counts(measured)})
    assert all(d.config == name for d in found)
    return {d.key: d.message for d in found}


def test_fingerprint_does_not_depend_on_exploration_order() -> None:
    system = System(CONFIGS["cluster-2008r2"])
    forward = explore([system.initial], system.successors)
    backward = explore([system.initial], lambda s: reversed(list(system.successors(s))))
    assert forward.states != backward.states  # the numbering really differs
    assert fingerprint(system, forward) == fingerprint(system, backward)


def test_fingerprint_changes_with_the_specification() -> None:
    config = CONFIGS["cluster-2008r2"]
    real, changed = System(config), System(config, {SharedVolumeBackupState: ClearIgnoredForOthers})
    assert fingerprint(real, explore([real.initial], real.successors)) != \
        fingerprint(changed, explore([changed.initial], changed.successors))


def test_the_same_specification_has_no_difference(recorded: dict) -> None:
    again = baseline_entry(measure(CONFIGS["csv-modes"]))
    assert again == recorded["csv-modes"]
    assert compare({"configs": {"csv-modes": recorded["csv-modes"]}}, {"csv-modes": again}) == []


def test_a_clear_that_spares_other_nodes_backups_is_reported(recorded: dict) -> None:
    changes = _changes("cluster-2008r2", SharedVolumeBackupState, ClearIgnoredForOthers, recorded)
    assert changes["verdict INV-21"] == "INV-21 no longer violated (now holds)"
    gone = [m for k, m in changes.items() if k.startswith("transition ") and "no longer reachable" in m]
    came = [m for k, m in changes.items() if k.startswith("transition ") and "now reachable" in m]
    # the unconditional clear (NODE-11) of a backup in progress is gone ...
    assert len(gone) == 1 and gone[0].startswith(
        "transition SharedVolumeBackupState.clear_backup_state from backup_in_progress (to not_in_backup, "
        "ERROR_SUCCESS; NODE-10, NODE-11")
    # ... replaced by the owner's clear and a clear from another node that changes nothing
    assert sorted(m.split(" (to ")[1].split(";")[0] for m in came) == \
        ["backup_in_progress, ERROR_SUCCESS", "not_in_backup, ERROR_SUCCESS"]
    assert "states" not in changes  # the same states are reachable, by other edges


def test_a_timer_left_running_is_named_by_its_new_values(recorded: dict) -> None:
    changes = _changes("csv-modes", CsvVolume, TimerKeptOnLeave, recorded)
    assert changes["verdict INV-17"] == "INV-17 now violated (was holds)"
    old = recorded["csv-modes"]["states"]
    assert changes["states"].startswith("+")
    added = int(changes["states"].split(" ")[0].replace(",", ""))
    assert added > 0 and f"({old:,} -> {old + added:,})" in changes["states"]
    # the new states are those where the volume left backup mode with its timer still armed
    assert f"volume-1 with state=normal while timer=armed ({added:,} states)" in changes["states"]
    assert "transitions" in changes


def test_a_snapshot_without_prepare_is_reported(recorded: dict) -> None:
    changes = _changes("volume-limit", RequesterSession, SnapshotWithoutPrepare, recorded)
    assert changes["verdict INV-04"] == "INV-04 now violated (was holds)"
    moved = [m for k, m in changes.items() if k.startswith("transition RequesterSession.do_snapshot_set: set_started")]
    assert sorted(m.split(" (to ")[1].split(";")[0] + (" gone" if "no longer" in m else " new") for m in moved) == \
        ["set_started, VSS_E_BAD_STATE gone", "snapshotting, S_OK new"]
    # the new states: a snapshot under way though SetBackupState never succeeded
    assert "requester-1 with state=snapshotting while backup_state_set=false" in changes["states"]


def test_allow_entries_cover_intended_changes(recorded: dict) -> None:
    differences = [Difference("default", "verdict INV-21", "INV-21 no longer violated (now holds)"),
                   Difference("default", "transition X.y: a -> b [S_OK] (REQ-01)", "..."),
                   Difference("csv-modes", "states", "+1 states")]
    allow = [{"config": "default", "key": "verdict INV-21", "why": "fixed"},
             {"config": "*", "key": "transition X.*", "why": "renamed", "wildcard": True},
             {"config": "default", "key": "depth", "why": "unused"}]
    failing, intended, unused = split(differences, allow)
    assert failing == [differences[2]]
    assert intended == differences[:2]
    assert unused == [allow[2]]
    assert split(differences, [{"config": "other", "key": "states", "why": "x"}])[0] == differences
    # without "wildcard": true a pattern is only a key, and matches only itself
    assert split(differences, [{"config": "default", "key": "transition X.*", "why": "x"}])[1] == []
