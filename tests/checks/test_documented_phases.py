"""The documented results per method and state (``checks/phase_result_index.py``) are rules.md's
state tables', and PRN-03 judges calls by them.

The expected codes below are read from rules.md sections 7.1 and 7.2 by a person (the row named in
each comment), not from the generated index: a parser that lost a row, widened a phase range or
took a success code from a row that changes nothing fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowspec.checks import documented_phases
from shadowspec.checks.documented_phases import ASYNC_STATES, PHASES, phases_of
from shadowspec.checks.phase_result_index import PHASE_RESULTS

REPO = Path(__file__).resolve().parents[2]
RULES_MD = REPO.parent / "shared" / "domain" / "rules.md"
INDEX = REPO / "checks" / "phase_result_index.py"
IVSS = "IVssBackupComponents::"


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared/domain/rules.md is not beside the repository")
def test_snapshot_matches_rules_md() -> None:
    expected = documented_phases.generate(RULES_MD.read_text(encoding="utf-8"))
    assert INDEX.read_text(encoding="utf-8") == expected, (
        "checks/phase_result_index.py is stale: run python -m shadowspec.checks.documented_phases "
        "../shared/domain/rules.md -o checks/phase_result_index.py")


@pytest.mark.parametrize("cell, phases", [
    ("Initialized…SetStarted", ("Initialized", "Gathering", "Gathered", "SetStarted")),
    ("Gathered+", PHASES[3:-1]),
    ("any ≥ Gathered", PHASES[3:-1]),
    ("any ≠ Created", PHASES[1:-1]),
    ("any live", PHASES[:-1]),
    ("Initialized/Gathered", ("Initialized", "Gathered")),
    ("Initialized; SetStarted while ¬prepare_called (`strict_sequence`: Initialized only)",
     ("Initialized", "SetStarted")),
    ("Prepared (writer ctx); SetStarted (no-writer ctx; writer ctx only with switch `prepare_optional`, AMB-24)",
     ("Prepared", "SetStarted")),
    ("Initialized…Snapshotting, SnapshotFailed (DoSnapshotSet not completed successfully)",
     PHASES[1:8] + ("SnapshotFailed",)),  # SnapshotDone is not in it
    ("status_gathered", PHASES[:-1]),  # a flag: the row is a guard, every live phase
    ("any restore-initialized", None),  # restore is not modelled (REQ-04)
])
def test_from_cells_name_the_phases_of_rules_md(cell: str, phases: tuple[str, ...] | None) -> None:
    assert phases_of(cell, PHASES) == phases


def test_async_from_cells() -> None:
    assert phases_of("Finished / Cancelled", ASYNC_STATES) == ("Finished", "Cancelled")
    assert phases_of("any", ASYNC_STATES) == ASYNC_STATES


# (method, declared state): codes 7.1/7.2 give there (must be in the set), codes it does not (must not)
@pytest.mark.parametrize("method, state, present, absent", [
    # "Anything not listed for a state is rejected with ... VSS_E_BAD_STATE": AddToSnapshotSet is
    # listed for SetStarted only (AMB-01 adds Prepared), so after DoSnapshotSet only BAD_STATE
    (IVSS + "AddToSnapshotSet", "snapshot_done", {"VSS_E_BAD_STATE"},
     {"S_OK", "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED", "VSS_E_OBJECT_ALREADY_EXISTS"}),
    (IVSS + "AddToSnapshotSet", "set_started", {"S_OK", "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED",
                                                "VSS_E_OBJECT_ALREADY_EXISTS"}, set()),
    # the SetContext row: before StartSnapshotSet only
    (IVSS + "SetContext", "initialized", {"S_OK", "E_INVALIDARG", "VSS_E_UNSUPPORTED_CONTEXT"}, set()),
    (IVSS + "SetContext", "set_started", {"VSS_E_BAD_STATE"}, {"S_OK", "E_INVALIDARG"}),
    # Initialized…Snapshotting, SnapshotFailed | BackupComplete: "no change", VSS_E_BAD_STATE
    (IVSS + "BackupComplete", "prepared", {"VSS_E_BAD_STATE"}, {"S_OK"}),
    (IVSS + "BackupComplete", "snapshot_done", {"S_OK", "VSS_E_BAD_STATE"}, set()),
    # InitializeForBackup only in Created; "any ≠ Created": no change, BAD_STATE
    (IVSS + "InitializeForBackup", "created", {"S_OK", "VSS_E_INVALID_XML_DOCUMENT"}, set()),
    (IVSS + "InitializeForBackup", "initialized", {"VSS_E_BAD_STATE"}, {"S_OK", "VSS_E_INVALID_XML_DOCUMENT"}),
    # Completing, Completed, Aborted | AbortBackup | ignored | S_OK
    (IVSS + "AbortBackup", "completed", {"S_OK"}, set()),
    # StartSnapshotSet: Initialized/Gathered; REQ-14 while the object's own set holds the lock
    (IVSS + "StartSnapshotSet", "initialized", {"S_OK", "VSS_E_SNAPSHOT_SET_IN_PROGRESS"}, set()),
    (IVSS + "StartSnapshotSet", "set_started", {"VSS_E_SNAPSHOT_SET_IN_PROGRESS"}, {"S_OK"}),
    (IVSS + "StartSnapshotSet", "completed", {"VSS_E_BAD_STATE"}, {"S_OK", "VSS_E_SNAPSHOT_SET_IN_PROGRESS"}),
    # 7.2: Cancel per state
    ("IVssAsync::Cancel", "pending", {"S_OK"}, {"VSS_S_ASYNC_FINISHED", "VSS_S_ASYNC_CANCELLED"}),
    ("IVssAsync::Cancel", "finished", {"VSS_S_ASYNC_FINISHED"}, {"S_OK", "VSS_S_ASYNC_CANCELLED"}),
    ("IVssAsync::Cancel", "cancelled", {"VSS_S_ASYNC_CANCELLED"}, {"S_OK", "VSS_S_ASYNC_FINISHED"}),
    ("IVssAsync::Cancel", "failed", {"hr"}, {"S_OK"}),
    ("IVssAsync::Wait", "finished", {"S_OK"}, {"hr"}),
    ("IVssAsync::Wait", "failed", {"S_OK", "hr"}, set()),
])
def test_state_table_codes_read_by_hand(method: str, state: str, present: set[str], absent: set[str]) -> None:
    codes = set(PHASE_RESULTS[(method, state)])
    assert present <= codes
    assert not absent & codes


def test_every_state_of_the_requester_and_async_machines_is_indexed() -> None:
    from shadowspec.spec.async_operation import AsyncOperation
    from shadowspec.spec.requester import RequesterSession

    for cls in (RequesterSession, AsyncOperation):
        for event, method in cls.API_NAMES.items():
            states = {s for m, s in PHASE_RESULTS if m == method}
            reachable = {s.id for s in cls.states} - {"idle"}  # no IVssAsync is called before it exists
            assert reachable <= states, (method, reachable - states)


# (method, declared state) -> the phase 7.1's "Effect / To" arrow leads to, read by hand
@pytest.mark.parametrize("method, state, after", [
    ("CreateVssBackupComponents", "absent", ("created",)),  # — | Create | → Created
    (IVSS + "InitializeForBackup", "created", ("initialized",)),  # Created | Initialize | → Initialized
    (IVSS + "GatherWriterMetadata", "set_started", ("set_started",)),  # "SetStarted stays SetStarted"
    (IVSS + "GatherWriterMetadata", "initialized", ("initialized",)),  # Initialized → Gathering: folded
    (IVSS + "StartSnapshotSet", "initialized", ("set_started",)),
    (IVSS + "PrepareForBackup", "set_started", ("preparing",)),
    (IVSS + "DoSnapshotSet", "prepared", ("snapshotting",)),
    (IVSS + "BackupComplete", "snapshot_done", ("completing",)),
    (IVSS + "AbortBackup", "snapshotting", ("aborted",)),
    (IVSS + "AbortBackup", "completed", ("completed",)),  # "ignored (no state change)"
    (IVSS + "AddToSnapshotSet", "set_started", ("set_started",)),  # no arrow: the phase is kept
    (IVSS + "AddComponent", "prepare_failed", ("prepare_failed",)),  # kept, read as Prepared
    ("IUnknown::Release", "snapshot_done", ("released",)),
])
def test_phase_after_a_success_read_by_hand(method: str, state: str, after: tuple[str, ...]) -> None:
    from shadowspec.checks.phase_result_index import PHASE_AFTER

    assert PHASE_AFTER[(method, state)] == after


def test_disagreements_are_not_judged() -> None:
    from shadowspec.checks.documented_phases import DISAGREEMENTS
    from shadowspec.checks.phase_result_index import PHASE_AFTER

    assert DISAGREEMENTS and not set(DISAGREEMENTS) & set(PHASE_AFTER)
