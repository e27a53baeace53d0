"""One shadow-copy creation, as the VSS service on the requester's node runs it.

What is modelled: the span during which a creation is "in progress" on a node (from
StartSnapshotSet until DoSnapshotSet completes, the backup is aborted or the object is released:
REQ-14, INV-06), and, inside DoSnapshotSet, the provider's commit between Freeze and Thaw, which
may fail (REQ-31, REQ-46c: a provider failure after PrepareForSnapshot raises Abort).

What is abstracted: provider selection (REQ-20) and the 10-second hold-writes window (WRT-06),
folded into the commit's outcome.

Sources: sdk-api vsbackup StartSnapshotSet, DoSnapshotSet; win32 "Shadow Copy Creation Details"
(REQ-13, REQ-14, REQ-30, REQ-31, REQ-46).
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import SpecMachine, guard, returns


class SnapshotSetCreation(SpecMachine):
    """The VSS service's progress through one snapshot set."""

    ACTOR = "vss"

    ARGUMENTS = {"env_commit": {"ok": (True, False)}}

    API_NAMES = {"env_commit": "provider CommitSnapshots"}

    none = State(initial=True)
    started = State()          # StartSnapshotSet succeeded: creation in progress (REQ-14)
    creating = State()         # DoSnapshotSet is driving the writers
    committed = State()        # the provider committed the shadow copies
    commit_failed = State()    # the provider failed after PrepareForSnapshot (REQ-46c)
    ended = State(final=True)  # creation over: completed, aborted or released

    env_start = none.to(started, on=returns("S_OK", "REQ-13", "REQ-14"))
    env_begin = started.to(creating, on=returns("S_OK", "REQ-30"))
    env_commit = (
        creating.to(committed, cond="provider_succeeds", on=returns("S_OK", "REQ-30", "WRT-02"))
        | creating.to(commit_failed, on=returns("VSS_E_PROVIDER_VETO", "REQ-31", "REQ-46"))
    )
    env_end = (
        none.to(ended, on=returns("S_OK", "REQ-47"))
        | started.to(ended, on=returns("S_OK", "REQ-36", "REQ-47"))
        | creating.to(ended, on=returns("S_OK", "REQ-30", "REQ-36"))
        | committed.to(ended, on=returns("S_OK", "REQ-30"))
        | commit_failed.to(ended, on=returns("S_OK", "REQ-31"))
    )

    @guard("REQ-31")
    def provider_succeeds(self, ok: bool = True) -> bool:
        return ok


IN_PROGRESS = frozenset({"started", "creating", "committed", "commit_failed"})
"""Creation states that hold the node's one creation slot (REQ-14)."""
