"""A finding says what was wrong and what the documentation allowed there: the refused call is
never listed as allowed as it was made, an argument rule is quoted, and a hazard (LIV-07's Release)
lists what the caller could have done instead."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BAD = Path(__file__).resolve().parent / "corpus" / "bad"


def findings(name: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "shadowspec", "conform", "--format", "json", str(BAD / name)],
                          capture_output=True, text=True, timeout=300)
    return [f for log in json.loads(done.stdout)["logs"] for f in log["findings"]]


def test_rejected_arguments_say_which_arguments_were_allowed() -> None:
    (finding,) = [f for f in findings("delay-timer-with-backup-none.jsonl") if f["kind"] == "order"]
    assert "the state rejects these arguments" in finding["message"]
    assert "DATA-03: (BackupState = None) ⇒ DelayTimerInSecs = 0" in finding["message"]
    assert "ClusterResourceControl" not in finding["allowed"]            # not the refused call as made
    assert "ClusterResourceControl(BackupState=VolumeBackupNone, DelayTimerInSecs=0, VolumeName=volume-1)" \
        in finding["allowed"]
    assert not any("MAINTENANCE" in a for a in finding["allowed"])     # only the same control code


def test_out_of_order_says_so_and_quotes_the_rule() -> None:
    (finding,) = [f for f in findings("prepare-before-set-backup-state.jsonl") if f["kind"] == "order"]
    assert "called out of order" in finding["message"] and "(REQ-08:" in finding["message"]
    assert finding["call"] not in finding["allowed"]


def test_a_liv07_release_lists_what_was_allowed_instead() -> None:
    (finding,) = [f for f in findings("release-without-complete-or-abort.jsonl")
                   if f["kind"] == "obligation"]  # LIV-07: an obligation since rules.md revision 2
    assert finding["call"] == "IUnknown::Release"
    assert {"IVssBackupComponents::BackupComplete", "IVssBackupComponents::AbortBackup"} <= set(finding["allowed"])
    assert "IUnknown::Release" not in finding["allowed"]
