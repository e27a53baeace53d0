"""The corpus: realistic logs that conform, and one log per kind of violation.

Expected rule IDs are computed by firing the declared machines in the situation each log
describes (``helpers.fired``), never copied from the checker's output.
"""

from __future__ import annotations

import pytest

from shadowspec.spec.async_operation import AsyncOperation
from shadowspec.spec.cluster_node import SharedVolumeBackupState
from shadowspec.spec.csv_volume import CsvVolume
from shadowspec.spec.requester import RequesterSession

from .helpers import CORPUS, every, fired, prop, run

GOOD = sorted((CORPUS / "good").glob("*.jsonl"))


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_realistic_logs_conform(path) -> None:
    report = run(path)
    assert report.error is None
    assert report.verdict == "conforms"
    assert [f.message for f in report.findings] == []
    assert report.transitions, "a conforming log exercises declared transitions"


REQ = RequesterSession
ACCEPT = {"AMB-10": "accept"}
CASES = {
    "prepare-before-set-backup-state": (
        {}, 7, "caller", "error", "order",
        fired(REQ, "set_started", "prepare_for_backup", {"backup_state_set": False})),
    "prepare-rejected-in-order": (
        {}, 8, "api", "error", "result",
        fired(REQ, "set_started", "prepare_for_backup", {"backup_state_set": True})),
    "delay-timer-with-backup-none": (
        {}, 2, "caller", "error", "order",
        fired(CsvVolume, "backup", "set_backup_mode", backup_state="VolumeBackupNone", delay_secs=1)),
    # rules.md rev 2, NODE-10: a Clear during another object's active backup is OBLIG-N10
    "clear-during-other-nodes-backup": (
        {}, 10, "caller", "error", "obligation",
        prop("INV-21") | fired(SharedVolumeBackupState, "backup_in_progress", "clear_backup_state",
                               {"owner": 1, "auto_clear": "armed"}, node=2, on_csv=True)),
    # rev 2, REQ-36 / LIV-07: after a successful DoSnapshotSet, neither BackupComplete nor
    # AbortBackup before Release breaks a vague MUST (no page makes BackupComplete mandatory)
    "release-without-complete-or-abort": (
        {}, 12, "caller", "warning", "obligation",
        prop("LIV-07") | {"REQ-36", "AMB-06"} | fired(REQ, "snapshot_done", "release")),
    # rev 2, REQ-01a / LIV-11: a log that ends with a live object is the process's exit (minor)
    "never-released": (
        {}, 13, "caller", "warning", "obligation",
        {"REQ-01a", "REQ-39", "LIV-11"} | fired(REQ, "completed", "env_crash")),
    # rev 2, REQ-34: the service rejects BackupComplete after a failed DoSnapshotSet, so a logged
    # S_OK is the call the caller must not make, succeeding out of order
    "backup-complete-after-failed-snapshot": (
        {}, 12, "caller", "error", "order", fired(REQ, "snapshot_failed", "backup_complete")),
    "call-after-release": (
        {}, 3, "caller", "error", "order", fired(REQ, "absent", "create_vss_backup_components", privileged=True)),
    "wait-without-operation": (
        {}, 3, "caller", "error", "order", fired(AsyncOperation, "idle", "env_start")),
    "infinite-wait-still-pending": (
        {}, 5, "api", "error", "result", every(AsyncOperation, "wait")),
    "not-modelled-near-miss": ({}, 3, "caller", "warning", "not-modelled", set()),
    "delay-timer-expired": (
        {}, 8, "caller", "warning", "timer", fired(CsvVolume, "backup", "env_timer_expires", {"timer": "armed"})),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_violation_is_found_once_with_its_rules(name: str) -> None:
    options, line, side, severity, kind, rules = CASES[name]
    report = run(CORPUS / "bad" / f"{name}.jsonl", **options)
    assert report.error is None
    assert len(report.findings) == 1, [f.message for f in report.findings]
    finding = report.findings[0]
    assert (finding.line, finding.side, finding.severity, finding.kind) == (line, side, severity, kind)
    assert set(finding.rules) == rules
    assert report.verdict == ("violates" if severity == "error" else "conforms")


def test_near_miss_names_the_known_call_and_strict_makes_it_an_error() -> None:
    path = CORPUS / "bad" / "not-modelled-near-miss.jsonl"
    assert run(path).findings[0].allowed == ("IVssBackupComponents::PrepareForBackup",)
    strict = run(path, strict=True)
    assert strict.findings[0].severity == "error" and strict.verdict == "violates"


def _with_readings(**readings: str):
    from shadowspec.model.config import Config
    return Config().with_overrides(readings=tuple(readings.items()))


def test_argument_rule_stays_an_error_under_the_accepting_reading() -> None:
    """AMB-10=accept lets the API take DelayTimerInSecs 300 with VolumeBackupNone, but the caller
    still broke the argument rule (INV-19): the verdict does not depend on the reading."""
    report = run(CORPUS / "bad" / "delay-timer-with-backup-none.jsonl", base=_with_readings(**{"AMB-10": "accept"}))
    (finding,) = report.findings
    assert (finding.line, finding.side, finding.severity, finding.kind) == (2, "caller", "error", "hazard")
    assert set(finding.rules) == prop("INV-19") | fired(
        CsvVolume, "backup", "set_backup_mode", readings=ACCEPT, backup_state="VolumeBackupNone", delay_secs=1)


def test_verdict_that_depends_on_a_reading_is_a_warning_naming_it() -> None:
    path = CORPUS / "bad" / "delay-timer-rejected-under-accept.jsonl"
    assert run(path).findings == []
    (finding,) = run(path, base=_with_readings(**{"AMB-10": "accept"})).findings
    assert (finding.line, finding.side, finding.severity) == (2, "api", "warning")
    assert finding.ambiguity == {"amb": "AMB-10", "used": "accept", "accepting": "reject"}
    assert set(finding.rules) == fired(CsvVolume, "backup", "set_backup_mode", readings=ACCEPT,
                                       backup_state="VolumeBackupNone", delay_secs=1)


def test_strict_reading_of_add_component_order_is_a_warning() -> None:
    path = CORPUS / "bad" / "strict-add-component.jsonl"
    assert run(path).findings == []
    (finding,) = run(path, base=_with_readings(**{"AMB-02": "strict"})).findings
    assert (finding.line, finding.side, finding.severity) == (7, "caller", "warning")
    assert finding.ambiguity["amb"] == "AMB-02"
    assert set(finding.rules) == fired(REQ, "set_started", "add_component",
                                       {"metadata": "gathered", "component_mode": True},
                                       readings={"AMB-02": "strict"})


def test_without_timestamps_the_clear_hazard_is_only_possible() -> None:
    """Without ``ts`` the 30-minute automatic clear may have ended node-1's mark already, so the
    cross-node Clear is a hazard in some consistent states only: a warning, not an error."""
    import json
    lines = (CORPUS / "bad" / "clear-during-other-nodes-backup.jsonl").read_text().splitlines()
    stripped = [json.dumps({k: v for k, v in json.loads(line).items() if k != "ts"}) for line in lines]
    from tempfile import NamedTemporaryFile
    with NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        handle.write("\n".join(stripped) + "\n")
    (finding,) = run(handle.name).findings
    # rules.md rev 2, NODE-10: requester-1 has the CSV in its snapshot set in every state the log
    # allows, so the Clear breaks OBLIG-N10 whether or not the mark has cleared itself
    assert (finding.line, finding.severity, finding.kind, finding.id) == (10, "error", "obligation", "OBLIG-N10")


def test_recovery_lists_every_finding_in_one_run(tmp_path) -> None:
    """After a finding the checker continues, so two independent violations are both listed."""
    bad = CORPUS / "bad"
    first = (bad / "prepare-before-set-backup-state.jsonl").read_text().splitlines()
    log = tmp_path / "two.jsonl"
    log.write_text("\n".join(first[:-1] + [first[-1]] + [first[-1]]) + "\n")
    lines = [f.line for f in run(log).findings]
    assert lines == [7, 10]


def test_a_state_set_past_the_bound_is_incomplete_never_conforms() -> None:
    from shadowspec.conform.checker import Options, Oracles, check
    path = CORPUS / "good" / "csv-backup-2008r2.jsonl"
    report = check(str(path), path.name, Options(max_states=2), Oracles(2))
    assert report.verdict == "incomplete"
    assert "states are consistent with the log" in report.incomplete


def test_after_thirty_minutes_the_mark_has_cleared_itself(tmp_path) -> None:
    """NODE-09: without a snapshot the "Backup in Progress" mark clears 30 minutes after Prepare;
    rules.md rev 2 (NODE-10) judges the Clear by the other object's backup, which is still active
    (the CSV is in its snapshot set), so the Clear is OBLIG-N10 both 1,000 s and 2,000 s later."""
    import json
    lines = [json.loads(x) for x in (CORPUS / "bad" / "clear-during-other-nodes-backup.jsonl").read_text().splitlines()]
    verdicts = {}
    for late in (1000, 2000):
        for entry in lines[9:]:
            entry["ts"] = late + entry["ts"]
        log = tmp_path / f"late-{late}.jsonl"
        log.write_text("\n".join(json.dumps(e) for e in lines) + "\n")
        verdicts[late] = [(f.line, f.kind, f.severity) for f in run(log).findings]
        for entry in lines[9:]:
            entry["ts"] -= late
    assert verdicts == {1000: [(10, "obligation", "error")], 2000: [(10, "obligation", "error")]}
