"""The documented results per method (``checks/result_index.py``) are rules.md's, and the two
principles built on them judge calls as the catalogue says.

The expected codes below are read from rules.md by a person (the rows named in each comment),
not from the generated index: a reading that lost them, or that took codes from the wrong page,
fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowspec.checks import documented_results, principles
from shadowspec.checks.result_index import RESULTS
from shadowspec.model.system import Label

REPO = Path(__file__).resolve().parents[2]
RULES_MD = REPO.parent / "shared" / "domain" / "rules.md"
INDEX = REPO / "checks" / "result_index.py"


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared/domain/rules.md is not beside the repository")
def test_snapshot_matches_rules_md() -> None:
    expected = documented_results.generate(RULES_MD.read_text(encoding="utf-8"))
    assert INDEX.read_text(encoding="utf-8") == expected, (
        "checks/result_index.py is stale: run python -m shadowspec.checks.documented_results "
        "../shared/domain/rules.md -o checks/result_index.py")


@pytest.mark.parametrize("method, codes", [
    # REQ-14: a second creation in progress
    ("IVssBackupComponents::StartSnapshotSet", {"S_OK", "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "VSS_E_BAD_STATE"}),
    # REQ-17 / DATA-06: the 65th volume
    ("IVssBackupComponents::AddToSnapshotSet", {"VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED"}),
    # NODE-05 (ERROR_MORE_DATA, seed:000 is the function's page), NODE-06 (a system error)
    ("ClusterPrepareSharedVolumeForBackup", {"ERROR_SUCCESS", "ERROR_MORE_DATA", "SYSTEM_ERROR"}),
    # NODE-07
    ("ClusterClearBackupStateForSharedVolume", {"ERROR_SUCCESS", "ERROR_INVALID_PARAMETER"}),
    # CSV-03..05 ("the three control codes") and CSV-13 ("same codes" as CSV-12)
    ("CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO",
     {"ERROR_INVALID_FUNCTION", "ERROR_RESOURCE_NOT_ONLINE", "ERROR_CLUSTER_INVALID_REQUEST",
      "ERROR_CLUSTER_BACKUP_IN_PROGRESS", "ERROR_SUCCESS"}),
    # 7.2: Cancel on a finished or cancelled operation
    ("IVssAsync::Cancel", {"S_OK", "VSS_S_ASYNC_FINISHED", "VSS_S_ASYNC_CANCELLED"}),
])
def test_documented_codes_read_by_hand_are_in_the_index(method: str, codes: set[str]) -> None:
    assert codes <= set(RESULTS[method])


def test_codes_of_other_pages_are_not_documented_for_a_method() -> None:
    assert "ERROR_MORE_DATA" not in RESULTS["IVssBackupComponents::StartSnapshotSet"]
    assert "VSS_E_BAD_STATE" not in RESULTS["ClusterClearBackupStateForSharedVolume"]
    assert "ERROR_CLUSTER_BACKUP_IN_PROGRESS" not in RESULTS["CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE"]


def test_every_api_method_a_program_calls_has_a_documented_set() -> None:
    assert set(documented_results.api_names()) == set(RESULTS)


def _label(call: str, result: str, *arguments: tuple[str, object]) -> Label:
    return Label("requester-1", call, tuple(arguments), result, "call", ())


def test_the_principles_judge_results_and_rejections() -> None:
    odd = _label("IVssBackupComponents::StartSnapshotSet", "ERROR_MORE_DATA")
    assert principles.is_call(odd) and not principles.result_documented(odd, None, None)  # type: ignore[arg-type]
    wait = _label("IVssAsync::Wait", "VSS_E_PROVIDER_VETO",
                  ("operation", "IVssBackupComponents::DoSnapshotSet"))
    assert principles.result_documented(wait, None, None)  # type: ignore[arg-type]
    assert principles.is_rejected(_label("IVssBackupComponents::StartSnapshotSet", "VSS_E_BAD_STATE"))
    assert not principles.is_rejected(_label("IVssBackupComponents::StartSnapshotSet", "S_OK"))
    assert not principles.is_rejected(_label("IVssAsync::Cancel", "VSS_S_ASYNC_FINISHED",
                                             ("operation", "IVssBackupComponents::DoSnapshotSet")))
    assert not principles.is_call(_label("IVssBackupComponents::BackupComplete", "UNDEFINED"))
