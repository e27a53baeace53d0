"""The survivors of the revision-2 mutation runs (docs/mutation-run-2026-12-02.md, "before", and
docs/mutation-run-2026-12-03.md) are killed by the property that encodes the rule each one breaks.

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
    # The survivors of the 2026-12-02 run (docs/mutation-run-2026-12-03.md):
    # REQ-30/31: the provider's successful commit reported as a veto
    ("SnapshotSetCreation.env_commit@creating#0:swap-result(VSS_E_PROVIDER_VETO)", "cluster-2012", "EFF-31"),
    # REQ-14, 7.1 Snapshotting | async finished: vss.creation_owner := none
    ("System._snapshot_ends@565:drop-cross-effect", "cluster-2012", "EFF-25"),
    # ASY-01, 7.1 "spawn Async": the IVssAsync handed out is pending
    ("System._started@356:drop-cross-effect", "volume-limit", "EFF-27"),
    # NODE-08 / AMB-15: the job's end clears its node's marks
    ("System._job_completes@405:drop-cross-effect", "cluster-2008r2", "EFF-28"),
    # NODE-01 / AMB-12: a failed node is not a member
    ("ClusterNode.env_node_fails@member#0:retarget(member)", "csv-modes", "EFF-29"),
    # CSV-05: ERROR_RESOURCE_NOT_ONLINE only for a resource that is not online
    ("CsvVolume.set_backup_mode@backup#2:drop-guard(resource_online)", "csv-modes", "EFF-30"),
    # NODE-02 (2008 R2): a successful Prepare of a marked CSV leaves it pinned to the caller
    ("SharedVolumeBackupState.prepare_for_backup@backup_in_progress#2:drop-guard(os_2008r2)", "csv-modes", "EFF-09"),
    ("SharedVolumeBackupState.prepare_for_backup@backup_in_progress#2:negate-guard(os_2008r2)", "csv-modes", "EFF-09"),
    # REQ-08: E_INVALIDARG only for invalid arguments, also where only valid ones are passed
    ("RequesterSession.set_backup_state@set_started#0:drop-guard(arguments_valid)", "cluster-2012", "ERR-02"),
    ("RequesterSession.set_backup_state@set_started#0:negate-guard(arguments_valid)", "cluster-2012", "ERR-02"),
    # Survivors of the first full run (--sample 0) on the CI configurations (docs/mutation-run-2026-12-03.md):
    # REQ-36: AbortBackup's VSS_E_BAD_STATE means "not initialized"
    ("RequesterSession.abort_backup@initialized#0:swap-result(VSS_E_BAD_STATE)", "cluster-2012", "EFF-34"),
    # REQ-15 / REQ-16a / REQ-19 / REQ-07a: AddToSnapshotSet's success and its errors' causes
    ("RequesterSession.add_to_snapshot_set@set_started#5:drop-effect(add_volume)", "cluster-2012", "EFF-35"),
    ("RequesterSession.add_to_snapshot_set@prepared#0:drop-guard(volume_already_in_set)", "cluster-2012", "EFF-36"),
    ("RequesterSession.add_to_snapshot_set@prepared#2:drop-guard(volume_contended_by_another_node)",
     "cluster-2012", "EFF-37"),
    ("RequesterSession.add_to_snapshot_set@prepared#4:drop-guard(provider_supports_volume)", "cluster-2012", "ERR-02"),
    # 7.1 / 7.2 async rows: the end of the work finishes the IVssAsync and moves the waiting session
    ("System._completes@485:drop-cross-effect", "cluster-2012", "EFF-38"),
    ("AsyncOperation.env_finish@pending#0:retarget(cancelled)", "volume-limit", "EFF-38"),
    # REQ-30: a finished DoSnapshotSet leaves shadow copies
    ("RequesterSession.env_snapshot_finished@snapshotting#0:drop-effect(snapshots_created)", "cluster-2012", "EFF-39"),
    # CSV-05 / NODE-01: back online, member again
    ("CsvVolume.env_come_online@normal#0:drop-effect(come_online)", "csv-modes", "EFF-40"),
    ("ClusterNode.env_node_rejoins@down#0:retarget(down)", "csv-modes", "EFF-40"),
    # REQ-14: AbortBackup and Release end the creation
    ("System._aborted@383:drop-cross-effect", "cluster-2012", "EFF-25"),
    ("System._session_ended@394:drop-cross-effect", "cluster-2012", "EFF-25"),
    # CSV-02: an environment step never turns backup mode on
    ("CsvVolume.env_redirect_fault@normal#0:retarget(backup)", "csv-modes", "EFF-41"),
    ("CsvVolume.env_go_offline@normal#0:retarget(backup)", "csv-modes", "EFF-41"),
    # NODE-12: moving the coordinator clears "Backup in Progress"
    ("SharedVolumeBackupState.env_coordinator_moves@backup_in_progress#0:retarget(backup_in_progress)",
     "csv-modes", "EFF-42"),
    # Engineer A's rules of the full --ci --sample 0 run (REQ-01a/47 process exit, REQ-08 SetBackupState):
    # REQ-01a / REQ-47: a process exit ends the object by its process (7.1 process_exit row, OBLIG-01)
    ("RequesterSession.env_crash@prepared#0:drop-effect(died)", "cluster-2012", "EFF-48"),
    ("RequesterSession.env_crash@initialized#0:drop-effect(died)", "cluster-2012", "EFF-48"),
    # REQ-08: SetBackupState records the backup state (component mode as bSelectComponents)
    ("RequesterSession.set_backup_state@initialized#1:drop-effect(record_backup_state)", "cluster-2012", "EFF-49"),
    ("RequesterSession.set_backup_state@set_started#1:drop-effect(record_backup_state)", "cluster-2012", "EFF-49"),
    # Engineer B, the full CI run (--sample 0, requester-api included): REQ-15 / AMB-01, CSV-10 / CSV-09,
    # AMB-12 (CSV offline, node failure), NODE-12
    # REQ-15, AMB-01: AddToSnapshotSet after PrepareForBackup keeps the phase (7.1: no arrow)
    ("RequesterSession.add_to_snapshot_set@prepared#5:retarget(prepare_failed)", "cluster-2012", "EFF-63"),
    # CSV-10 / CSV-09: VolumeBackupNone on a volume out of backup mode is still the request acted on
    ("CsvVolume.set_backup_mode@normal#5:drop-effect(leave_backup)", "csv-modes", "EFF-67"),
    # AMB-12: going offline keeps or clears backup mode; both fates are explored
    ("CsvVolume.env_go_offline@backup#0:drop-guard(offline_clears_backup)", "csv-modes", "EFF-68"),
    # AMB-12 / NODE-12: a failed node's marks may be kept or cleared (coordinator change)
    ("System._node_fails@682:drop-cross-effect", "csv-modes", "EFF-71"),
    # NODE-09 / NODE-02: a 2008 R2 Prepare by the CSV's own node starts the 30-minute clock again
    ("SharedVolumeBackupState.prepare_for_backup@backup_in_progress#3:drop-effect(pin_to_caller)",
     "cluster-2008r2", "EFF-72"),
    # REQ-09 / AMB-01: GatherWriterMetadata is accepted in SetStarted before PrepareForBackup (cluster calls too)
    ("RequesterSession.gather_writer_metadata@set_started#0:drop-guard(metadata_not_gathered)", "cluster-2012", "EFF-61"),
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
    # 7.3 (PRN-05): OnPrepareSnapshot false records a failure, no Abort (WRT-07, WRT-15)
    ("Writer.prepare_snapshot@backup_prepared#0:drop-guard(handler_succeeds)", "requester-api", "PRN-05"),
    ("Writer.prepare_snapshot@backup_prepared#0:negate-guard(handler_succeeds)", "requester-api", "PRN-05"),
    ("Writer.prepare_snapshot@backup_prepared#1:drop-effect(record_failure)", "requester-api", "PRN-05"),
    # 7.3: OnFreeze false -> Aborted (WRT-08); Abort from Thawed -> Aborted (WRT-10)
    ("Writer.freeze@snapshot_prepared#1:retarget(shutdown)", "requester-api", "PRN-05"),
    ("Writer.abort@thawed#0:retarget(shutdown)", "requester-api", "PRN-05"),
    # 7.3 handler result (EFF-24): OnPostSnapshot false is not reported as true (WRT-07, WRT-15)
    ("Writer.post_snapshot@thawed#1:swap-result(true)", "requester-api", "EFF-24"),
    # REQ-31: a provider failure is not a committed set
    ("SnapshotSetCreation.env_commit@creating#0:drop-guard(provider_succeeds)", "requester-api", "EFF-31"),
    # REQ-46 c / AMB-23: a cancelled DoSnapshotSet aborts the writers still in the operation
    ("System._cancelled_snapshot@342:drop-cross-effect", "requester-api", "EFF-26"),
    # ASY-05: Wait on a failed operation may return S_OK (observed) as well as hr (documented)
    ("AsyncOperation.wait@failed#0:drop-guard(failure_in_result)", "requester-api", "EFF-32"),
    # Engineer A's rules of the full --ci --sample 0 run (REQ-37/48 DeleteSnapshots, REQ-42 no-writer
    # contexts, REQ-10 AddComponent's causes):
    # REQ-37: DeleteSnapshots succeeds only for existing copies and deletes them all
    ("RequesterSession.delete_snapshots@set_started#0:swap-result(S_OK)", "requester-api", "EFF-43"),
    ("RequesterSession.delete_snapshots@snapshot_done#1:drop-effect(delete_all_snapshots)", "requester-api", "EFF-43"),
    # REQ-37: VSS_E_OBJECT_NOT_FOUND only when no copy exists
    ("RequesterSession.delete_snapshots@snapshot_done#0:drop-guard(snapshots_present)", "requester-api", "EFF-44"),
    # REQ-37 / AMB-20: no VSS_E_BAD_STATE once initialized
    ("RequesterSession.delete_snapshots@completing#1:swap-result(VSS_E_BAD_STATE)", "requester-api", "EFF-45"),
    # REQ-42: AddComponent, PrepareForBackup, BackupComplete rejected in a no-writer context; no writer events
    ("RequesterSession.add_component@set_started#0:negate-guard(no_writer_context)", "requester-api", "EFF-46"),
    ("RequesterSession.backup_complete@snapshot_done#0:negate-guard(no_writer_context)", "requester-api", "EFF-46"),
    ("RequesterSession.prepare_for_backup@set_started#0:drop-guard(no_writer_context)", "requester-api", "EFF-47"),
    # REQ-10 / REQ-42: AddComponent accepted only in its window (EFF-62; EFF-50 was folded into it)
    ("RequesterSession.add_component@set_started#0:drop-guard(no_writer_context)", "requester-api", "EFF-62"),
    ("RequesterSession.add_component@prepared#0:negate-guard(no_writer_context)", "requester-api", "EFF-62"),
    # REQ-36 / REQ-46 a / WRT-10: AbortBackup delivers Abort to the writers in BackupPrepared..Thawed
    ("System._aborted@381:drop-cross-effect", "requester-api", "EFF-51"),
    # REQ-47 / WRT-14: the end of an object that took part in a backup raises BackupShutdown
    ("System._session_ended@392:drop-cross-effect", "requester-api", "EFF-52"),
    # WRT-10 / REQ-46 (7.3 Abort rows): OnAbort runs in BackupPrepared..Thawed, no event reaches Idle or
    # PostSnapshotDone and it is left as it was
    ("Writer.abort@frozen#0:swap-result(not_delivered)", "requester-api", "EFF-53"),
    ("Writer.abort@idle#0:swap-result(true)", "requester-api", "EFF-53"),
    ("Writer.abort@post_snapshot_done#0:rejected-side-effect(record_failure)", "requester-api", "EFF-53"),
    # REQ-33: in component mode SetBackupSucceeded of a known key succeeds and is recorded
    ("RequesterSession.set_backup_succeeded@snapshot_done#0:drop-guard(component_in_document)", "requester-api",
     "EFF-54"),
    ("RequesterSession.set_backup_succeeded@snapshot_done#1:drop-effect(record_backup_succeeded)", "requester-api",
     "EFF-54"),
    # REQ-02: InitializeForBackup with a bad document on a created object gets VSS_E_BAD_STATE
    # ("out of sequence") instead of VSS_E_INVALID_XML_DOCUMENT
    ("RequesterSession.initialize_for_backup@created#1:swap-result(VSS_E_BAD_STATE)", "requester-api", "EFF-77"),
    # Engineer B, the full CI run (--sample 0): ASY-02 / REQ-09 / AMB-04 (GatherWriterMetadata),
    # REQ-10 / AMB-02 / REQ-22 (AddComponent's window), REQ-07 / REQ-05 / AMB-03 (SetContext)
    ("RequesterSession.gather_writer_metadata@set_started#0:drop-guard(metadata_not_gathered)",
     "requester-api", "EFF-61"),
    ("RequesterSession.gather_writer_metadata@initialized#0:drop-guard(metadata_not_gathered)",
     "requester-api", "EFF-61"),
    ("RequesterSession.env_metadata_failed@set_started#0:drop-effect(fail_metadata_gather)", "requester-api", "EFF-60"),
    ("RequesterSession.env_metadata_failed@prepared#0:retarget(prepare_failed)", "requester-api", "EFF-60"),
    ("RequesterSession.add_component@prepared#4:drop-effect(add_late)", "requester-api", "EFF-62"),
    ("RequesterSession.add_component@set_started#2:drop-guard(components_before_start_required)",
     "requester-api", "EFF-62"),
    ("RequesterSession.add_component@initialized#1:drop-guard(metadata_gathered)", "requester-api", "EFF-62"),
    ("RequesterSession.add_component@preparing#1:negate-guard(metadata_gathered)", "requester-api", "EFF-62"),
    ("RequesterSession.set_context@initialized#3:drop-effect(record_context)", "requester-api", "EFF-64"),
    ("RequesterSession.set_context@set_started#0:swap-result(VSS_E_UNSUPPORTED_CONTEXT)", "requester-api", "EFF-64"),
    # REQ-07: both codes of an invalid context (E_INVALIDARG documented, VSS_E_UNSUPPORTED_CONTEXT observed)
    ("RequesterSession.set_context@initialized#1:drop-guard(observed_code)", "requester-api", "EFF-66"),
    # WRT-12 / WRT-01 (7.3 PostSnapshotDone | BackupComplete | OnBackupComplete): the event reaches the writer
    ("Writer.backup_complete@post_snapshot_done#0:swap-result(not_delivered)", "requester-api", "EFF-73"),
    # ASY-05 / ASY-02 / DATA-09 (7.2): Wait and QueryStatus never end a pending operation
    ("AsyncOperation.wait@pending#0:retarget(finished)", "requester-api", "EFF-74"),
    ("AsyncOperation.query_status@pending#0:retarget(finished)", "requester-api", "EFF-74"),
    # WRT-01 / REQ-28 / WRT-12: the end of PrepareForBackup and of BackupComplete raises their writer events
    ("System._completes@484:drop-cross-effect", "requester-api", "EFF-75"),
    ("System._completes@492:drop-cross-effect", "requester-api", "EFF-75"),
    # REQ-07 / REQ-05: SetContext's success is only for a valid context
    ("RequesterSession.set_context@initialized#0:swap-result(VSS_E_UNSUPPORTED_CONTEXT)", "requester-api", "EFF-64"),
    # REQ-23 / ASY-07: FreeWriterMetadata while gathering has an undefined result, not an undefined phase
    ("RequesterSession.free_writer_metadata@preparing#0:retarget(prepared)", "requester-api", "EFF-76"),
    ("RequesterSession.free_writer_metadata@aborted#0:retarget(released)", "requester-api", "EFF-76"),
]


@pytest.mark.parametrize("mutant_id, config, prop", FAST)
def test_survivor_killed_by_its_rule(mutant_id: str, config: str, prop: str) -> None:
    assert prop in _kill(mutant_id, config)


@pytest.mark.slow
@pytest.mark.parametrize("mutant_id, config, prop", SLOW)
def test_survivor_on_requester_api_killed_by_its_rule(mutant_id: str, config: str, prop: str) -> None:
    assert prop in _kill(mutant_id, config)
