"""The three properties of the reference model, stated once over local records.

Each property is a predicate over one component's record (``volume`` or ``requester`` scope) or
over a requester's record paired with one volume's (``holding`` scope). Both the generic check
(on state tuples) and the packed check (as look-up tables over local codes, ``packed.py``) are
derived from these predicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

Record = dict[str, Any]


@dataclass(frozen=True)
class ReferenceProperty:
    id: str
    slug: str
    sentence: str
    rules: tuple[str, ...]
    expected: str
    scope: str
    """``volume``: holds(volume); ``requester``: holds(requester); ``holding``: holds(requester, v, volume)."""
    holds: Callable[..., bool]
    applies: Callable[[Record], bool] = lambda record: True
    """Where the property says something (for volume scope: every state)."""

    kind: str = "state"


def _held(requester: Record, v: int) -> bool:
    return bool(requester["vols"] >> (v - 1) & 1)


PROPERTIES = (
    ReferenceProperty(
        "REF-A", "delay-zero-iff-none",
        "DelayTimerInSecs is 0 exactly when the volume's BackupState is None (property (a)).",
        ("CSV-11", "DATA-03", "INV-19"), "HOLD", "volume",
        holds=lambda vol: (vol["dly"] == 0) == (vol["state"] == "none")),
    ReferenceProperty(
        "REF-B", "prepared-after-set-backup-state",
        "A requester in Prepared, SnapshotDone or Completed has called SetBackupState (property (b)).",
        ("REQ-08", "REQ-28", "INV-03"), "HOLD", "requester",
        holds=lambda req: req["bss"] or req["state"] not in ("prepared", "snapshot_done", "completed"),
        applies=lambda req: req["state"] in ("prepared", "snapshot_done", "completed")),
    ReferenceProperty(
        "REF-C", "snapshot-volumes-stay-in-backup",
        "Between DoSnapshotSet and BackupComplete every volume the requester holds stays in backup "
        "mode (property (c): expected to be violated by a clear from any node).",
        ("NODE-11", "INV-21", "CSV-08", "CSV-09"), "HAZARD", "holding",
        holds=lambda req, v, vol: not (req["state"] == "snapshot_done" and _held(req, v)
                                       and vol["state"] == "none"),
        applies=lambda req: req["state"] == "snapshot_done"),
)

BY_ID = {p.id: p for p in PROPERTIES}
