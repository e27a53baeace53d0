"""The survivors of the revision-2 mutation run (docs/mutation-run-2026-12-02.md, "before") are
killed by the property that encodes the rule each one breaks.

Each row names a mutant that survived every CI configuration before PRN-03, PRN-04 and
EFF-13..21 existed (and before PRN-02 compared states so that the packed tabulation sees it), the configuration where the mistake shows, and the property the rule maps to
(read from rules.md, named in the property's docstring). What could fail: the property does not
notice the mistake (the mutant survives), or only some other property does (the rule stays
unprotected). The rows on ``requester-api`` (14,000 states) are slow; the cluster ones are not.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from shadowspec.checks import mutate as runner
from shadowspec.model.config import shipped

CONFIGS = shipped()


@lru_cache(maxsize=None)
def _census(name: str) -> runner.Census:
    return runner.census(name, CONFIGS[name])


def _kill(mutant_id: str, config: str) -> set[str]:
    info = _census(config)
    found = {m.id: m for m in runner.mutants([info])}
    outcome = runner.evaluate(found[mutant_id], [(config, CONFIGS[config], info.fingerprint)], full=True)
    return {p for kill in outcome["kills"] for p in kill["properties"]}


FAST = [
    # REQ-17: MAXIMUM_NUMBER_OF_VOLUMES_REACHED for a duplicate volume in a set far from full
    ("RequesterSession.add_to_snapshot_set@prepared#0:swap-result(VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED)",
     "cluster-2012", "EFF-19"),
    # 7.1 "else" rows: a second GatherWriterMetadata is rejected and changes nothing; the mutant
    # resets gathered metadata to pending (PRN-02 missed it while it compared states with tuple ==,
    # which the packed tabulation cannot see)
    ("RequesterSession.gather_writer_metadata@initialized#0:rejected-side-effect(begin_metadata_gather)",
     "cluster-2012", "PRN-02"),
    # REQ-38: Release after BackupComplete keeps the auto-release shadow copies
    ("RequesterSession.release@completed#0:drop-effect(end_of_object)", "cluster-2012", "EFF-20"),
]

SLOW = [
    # 7.2: Cancel on a pending operation returns S_OK
    ("AsyncOperation.cancel@pending#0:swap-result(VSS_S_ASYNC_FINISHED)", "requester-api", "PRN-03"),
    # ASY-02: a failed operation reports its method's documented error
    ("AsyncOperation.env_fail@pending#0:drop-effect(record_failure)", "requester-api", "PRN-03"),
    # 7.1: FreeWriterMetadata keeps the phase
    ("RequesterSession.free_writer_metadata@prepare_failed#1:retarget(snapshotting)", "requester-api", "PRN-04"),
    # REQ-22: GetWriterMetadata succeeds exactly while the metadata is gathered
    ("RequesterSession.get_writer_metadata@preparing#1:swap-result(S_OK)", "requester-api", "EFF-13"),
    ("RequesterSession.get_writer_metadata@completed#0:negate-guard(metadata_gathered)", "requester-api", "EFF-13"),
    # REQ-23: FreeWriterMetadata frees gathered metadata
    ("RequesterSession.free_writer_metadata@snapshot_done#1:drop-effect(free_metadata)", "requester-api", "EFF-14"),
    # 7.1 async finished: metadata := gathered
    ("RequesterSession.env_metadata_gathered@snapshotting#0:drop-effect(finish_metadata_gather)",
     "requester-api", "EFF-16"),
    # REQ-11: a duplicate key is refused
    ("RequesterSession.add_component@prepared#3:drop-guard(component_already_added)", "requester-api", "EFF-17"),
    # REQ-33: an unknown key is never marked succeeded
    ("RequesterSession.set_backup_succeeded@snapshot_done#0:swap-result(S_OK)", "requester-api", "EFF-18"),
    # WRT-03: Identify does not change the writer's backup state
    ("Writer.identify@idle#0:retarget(backup_prepared)", "requester-api", "EFF-21"),
]


@pytest.mark.parametrize("mutant_id, config, prop", FAST)
def test_survivor_killed_by_its_rule(mutant_id: str, config: str, prop: str) -> None:
    assert prop in _kill(mutant_id, config)


@pytest.mark.slow
@pytest.mark.parametrize("mutant_id, config, prop", SLOW)
def test_survivor_on_requester_api_killed_by_its_rule(mutant_id: str, config: str, prop: str) -> None:
    assert prop in _kill(mutant_id, config)
