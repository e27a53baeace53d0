"""A counterexample as a Mermaid sequence diagram, tested on hand-built steps."""

from __future__ import annotations

from shadowspec.reports.diagrams import sequence_mermaid

STEPS = [
    {"step": 1, "actor": "requester-1", "call": "IVssBackupComponents::PrepareForBackup",
     "arguments": {}, "result": "S_OK", "changes": {"requester-1": ["set_started", "preparing"]},
     "rules": ["REQ-10"]},
    {"step": 2, "actor": "node-2", "call": "ClusterClearBackupStateForSharedVolume",
     "arguments": {"lpszVolumePathName": "volume-1"}, "result": "ERROR_SUCCESS", "changes": {},
     "rules": []},
    {"step": 3, "actor": "vss", "call": "CVssWriter::OnFreeze",
     "arguments": {"ok": False, "writer": "writer-1@requester-1"}, "result": "<error>; #1",
     "changes": {"writer-1@requester-1": ["snapshot_prepared", "aborted"]}, "rules": ["WRT-10"]},
    {"step": 4, "actor": "vss", "call": "IVssBackupComponents::DoSnapshotSet fails",
     "arguments": {}, "result": "VSS_E_PROVIDER_VETO", "changes": {}, "rules": []},
]


def test_participants_in_order_of_appearance() -> None:
    text = sequence_mermaid(STEPS, title="INV-09")
    lines = text.splitlines()
    assert lines[:4] == ["---", 'title: "INV-09"', "---", "sequenceDiagram"]
    assert sequence_mermaid(STEPS).startswith("sequenceDiagram\n")
    participants = [line.split(" as ")[1] for line in lines if line.lstrip().startswith("participant")]
    assert participants == ["requester-1", "vss", "node-2", "volume-1", "writer-1@requester-1"]


def test_each_step_is_a_call_and_a_reply_with_a_note() -> None:
    text = sequence_mermaid(STEPS)
    assert "    p_requester_1->>p_vss: 1. IVssBackupComponents::PrepareForBackup()" in text
    assert "    p_vss-->>p_requester_1: S_OK" in text
    assert "Note over p_requester_1,p_vss: requester-1: set_started → preparing [REQ-10]" in text
    # The documented parameter names and values, the environment's steps in words.
    assert 'p_node_2->>p_volume_1: 2. ClusterClearBackupStateForSharedVolume(lpszVolumePathName="volume-1")' in text
    assert "3. the VSS service sends OnFreeze to writer-1@requester-1 and the writer's handler returns false" in text
    assert "ok=false" not in text
    # a step of VSS that names nobody is a message to itself
    assert "p_vss->>p_vss: 4. the VSS service fails DoSnapshotSet → VSS_E_PROVIDER_VETO" in text


def test_mermaid_syntax_characters_are_neutralised() -> None:
    text = sequence_mermaid(STEPS)
    for line in text.splitlines()[1:]:  # (no title: no frontmatter)
        message = line.split(":", 1)[1] if "->>" in line or "Note" in line else ""
        assert ";" not in message and "#" not in message and "<" not in message
    assert text.endswith("\n")


def test_empty_counterexample() -> None:
    assert sequence_mermaid([]) == "sequenceDiagram\n"


def test_an_environment_step_does_not_show_its_bookkeeping_result() -> None:
    crash = {"step": 5, "actor": "fault", "call": "requester process dies", "arguments": {"requester": "requester-1"},
             "result": "S_OK", "changes": {}, "rules": []}
    text = sequence_mermaid([crash])
    assert "5. requester-1's process exits" in text and "S_OK" not in text
