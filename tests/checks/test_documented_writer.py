"""The writer table PRN-05 decides by (``checks/writer_table_index.py``) is rules.md's table 7.3.

The expected cells below are read from rules.md section 7.3 by a person (the row in each
comment), not from the generated index: a parser that lost a row, read "unchanged" as a state,
took the handler result from inside parentheses or missed the failure of a false handler fails
here. A changed row of rules.md changes the index (the table is derived, never declared).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowspec.checks import documented_writer
from shadowspec.checks.composition_effects import ABORT_DELIVERED
from shadowspec.checks.writer_table_index import WRITER_TABLE

REPO = Path(__file__).resolve().parents[2]
RULES_MD = REPO.parent / "shared" / "domain" / "rules.md"
INDEX = REPO / "checks" / "writer_table_index.py"


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared/domain/rules.md is not beside the repository")
def test_snapshot_matches_rules_md() -> None:
    expected = documented_writer.generate(RULES_MD.read_text(encoding="utf-8"))
    assert INDEX.read_text(encoding="utf-8") == expected, (
        "checks/writer_table_index.py is stale: run python -m shadowspec.checks.documented_writer "
        "../shared/domain/rules.md -o checks/writer_table_index.py")


@pytest.mark.parametrize("key, entry", [
    # BackupPrepared | PrepareForSnapshot | OnPrepareSnapshot (false ⇒ failure recorded, no Abort) | SnapshotPrepared
    (("prepare_snapshot", "backup_prepared", True), ("snapshot_prepared", False)),
    (("prepare_snapshot", "backup_prepared", False), ("snapshot_prepared", True)),
    # SnapshotPrepared | Freeze | OnFreeze false | Aborted (Abort raised)
    (("freeze", "snapshot_prepared", False), ("aborted", True)),
    (("freeze", "snapshot_prepared", True), ("frozen", False)),
    # Frozen | Thaw | OnThaw false | Aborted
    (("thaw", "frozen", False), ("aborted", True)),
    # Frozen | freeze_timer expires | — | Aborted (status VSS_E_WRITERERROR_TIMEOUT)
    (("env_freeze_timeout", "frozen", None), ("aborted", True)),
    # Thawed | PostSnapshot | OnPostSnapshot (false ⇒ failure, no Abort) | PostSnapshotDone
    (("post_snapshot", "thawed", False), ("post_snapshot_done", True)),
    # BackupPrepared / SnapshotPrepared / Frozen / Thawed | Abort | OnAbort | Aborted
    (("abort", "thawed", None), ("aborted", False)),
    # PostSnapshotDone | Abort requested | — | unchanged
    (("abort", "post_snapshot_done", None), ("post_snapshot_done", False)),
    # any | Identify | — | unchanged
    (("identify", "frozen", None), ("frozen", False)),
    # any | BackupShutdown | OnBackupShutdown(set id) | Shutdown
    (("backup_shutdown", "aborted", None), ("shutdown", False)),
])
def test_cells_read_from_table_7_3(key: tuple, entry: tuple) -> None:
    assert WRITER_TABLE[key] == entry


def test_unlisted_cells_are_absent() -> None:
    # 7.3 lists no Abort for Idle and no BackupComplete for Aborted: section 7's "anything not
    # listed for a state is rejected" (no change), judged by PRN-05, not an index entry
    assert ("abort", "idle", None) not in WRITER_TABLE
    assert ("backup_complete", "aborted", None) not in WRITER_TABLE
    assert not any(state == "shutdown" for (_, state, _) in WRITER_TABLE)  # "any": the live states


def test_abort_delivered_states_are_7_3s() -> None:
    assert ABORT_DELIVERED == {"backup_prepared", "snapshot_prepared", "frozen", "thawed"}


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared/domain/rules.md is not beside the repository")
def test_a_changed_row_changes_the_index() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    row = "| SnapshotPrepared | Freeze | OnFreeze false | Aborted (Abort raised) | WRT-08 |"
    assert row in text
    changed = documented_writer.table(text.replace(row, row.replace("Aborted (Abort raised)", "Shutdown")))
    assert changed[("freeze", "snapshot_prepared", False)] == ("shutdown", True)
