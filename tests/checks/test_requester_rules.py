"""EFF-43..49 and EFF-51..54 (checks/requester_rules.py) can fail: each is violated by a planted mistake of the rule it
encodes, on a small requester configuration that keeps the calls those rules speak of.

The configuration is requester-api narrowed to SetContext, the writer metadata calls and
DeleteSnapshots, with only asynchronous failures from the environment (about 1,700 states instead
of 14,000), so these run in the fast loop; the same mutants on requester-api itself are the slow rows
of tests/checks/test_mutation_survivors.py. What could fail: the property does not notice the
mistake (it is not the property that names the mutant's rule), or the property is vacuous or
violated on the unmutated specification.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from shadowspec.checks import mutate as runner
from shadowspec.checks.catalogue import PROPERTIES
from shadowspec.checks.run import run_check
from shadowspec.model.config import Config, shipped

OURS = tuple(f"EFF-{n}" for n in range(43, 55) if n != 50)  # EFF-50 merged into EFF-62


@lru_cache(maxsize=None)
def _small() -> Config:
    return shipped()["requester-api"].with_overrides(
        name="requester-small", callers=("context_calls", "metadata_calls", "delete_snapshots"),
        environment=("async_failure",))


@lru_cache(maxsize=None)
def _census() -> runner.Census:
    return runner.census("requester-small", _small())


def _killers(mutant_id: str) -> set[str]:
    info = _census()
    found = {m.id: m for m in runner.mutants([info])}
    outcome = runner.evaluate(found[mutant_id], [("requester-small", _small(), info.fingerprint)], full=True)
    return {p for kill in outcome["kills"] for p in kill["properties"]}


def test_the_properties_hold_and_apply_on_the_unmutated_specification() -> None:
    report = run_check(_small())
    verdicts = {p["id"]: p for p in report.properties}
    assert {p.id for p in PROPERTIES} >= set(OURS)
    for pid in OURS:
        assert verdicts[pid]["verdict"] == "holds", (pid, verdicts[pid]["verdict"])
        assert verdicts[pid]["applied"] > 0, pid


@pytest.mark.parametrize("mutant_id, prop", [
    # REQ-37: a DeleteSnapshots with nothing to delete reported as a success; a success that deletes nothing
    ("RequesterSession.delete_snapshots@set_started#0:swap-result(S_OK)", "EFF-43"),
    ("RequesterSession.delete_snapshots@completed#1:drop-effect(delete_all_snapshots)", "EFF-43"),
    # REQ-37: VSS_E_OBJECT_NOT_FOUND while the copies exist
    ("RequesterSession.delete_snapshots@completed#0:drop-guard(snapshots_present)", "EFF-44"),
    # REQ-37 / AMB-20: VSS_E_BAD_STATE from an initialized object
    ("RequesterSession.delete_snapshots@snapshot_done#1:swap-result(VSS_E_BAD_STATE)", "EFF-45"),
    # REQ-42: BackupComplete accepted in a no-writer context (and its event raised)
    ("RequesterSession.backup_complete@snapshot_done#0:negate-guard(no_writer_context)", "EFF-46"),
    ("RequesterSession.prepare_for_backup@set_started#0:drop-guard(no_writer_context)", "EFF-47"),
    # REQ-10 / REQ-42: AddComponent refused in a writer context with the metadata gathered
    ("RequesterSession.add_component@set_started#0:drop-guard(no_writer_context)", "EFF-62"),
    # REQ-36 / REQ-46 / WRT-10: AbortBackup no longer reaches the writers
    ("System._aborted@381:drop-cross-effect", "EFF-51"),
    # REQ-47: Release no longer raises BackupShutdown
    ("System._session_ended@392:drop-cross-effect", "EFF-52"),
    # WRT-10: OnAbort reported as not delivered to a writer in BackupPrepared
    ("Writer.abort@backup_prepared#0:swap-result(not_delivered)", "EFF-53"),
    # REQ-33: a known component's SetBackupSucceeded not recorded
    ("RequesterSession.set_backup_succeeded@snapshot_done#1:drop-effect(record_backup_succeeded)", "EFF-54"),
])
def test_a_planted_mistake_of_the_rule_violates_its_property(mutant_id: str, prop: str) -> None:
    assert prop in _killers(mutant_id)
