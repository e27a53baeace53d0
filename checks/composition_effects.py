"""What the composition does across machines, checked where rules.md names the effect.

Why: ``shadowspec mutate`` drops each cross-machine effect of ``model/system.py`` in turn; these
survived every configuration (docs/mutation-run-2026-12-02.md), because no property read the
other machine after the step. Each check reads the documented effect on the other machine, in
the views before and after the step, never the composition's code:

* EFF-25 (REQ-14, 7.1 "Snapshotting | async finished / failed | vss.creation_owner:=none", and the
  AbortBackup and Release rows "if holds_lock: vss.creation_owner:=none"): when a DoSnapshotSet
  ends, finished or failed, or the object is aborted or released, it holds no shadow-copy creation;
* EFF-26 (REQ-46 c, WRT-15, AMB-23): a DoSnapshotSet that fails (a provider or VSS failure after
  PrepareForSnapshot, a writer's veto, a Cancel read as a failure) leaves no writer of that
  session in the states 7.3 delivers Abort to (read from the writer table, not declared);
* EFF-27 (ASY-01, 7.1 "spawn Async", 7.2 initial state Pending): a successful call of an
  asynchronous method hands out its IVssAsync pending;
* EFF-28 (NODE-08 under the configuration's reading of AMB-15): when the backup job ends
  (Release, or BackupComplete's completion, as AMB-15 reads "completes"; a process exit is NODE-09's
  dead requester, not a completion), the "Backup in Progress" marks its node holds on the
  volumes of its set are cleared;
* EFF-29 (NODE-01, AMB-12): a node that fails is not a cluster member afterwards;
* EFF-30 (CSV-05, the converse of EFF-03): ERROR_RESOURCE_NOT_ONLINE is returned only for a
  resource that is not online;
* EFF-31 (REQ-30, REQ-31, REQ-46 c): the provider's commit reports success exactly when the
  provider succeeded, and its failure is one of DoSnapshotSet's documented errors.
"""

from __future__ import annotations

from shadowspec.model.system import OPERATIONS, Label
from shadowspec.spec.requester import RequesterSession

from .principles import NOT_ONLINE, SUCCESS
from .result_index import RESULTS
from .view import View, actor_index, argument, volume_of
from .writer_table_index import WRITER_TABLE

SNAPSHOT_ENDS = ("snapshot_done", "snapshot_failed")
"""7.1: the phases a DoSnapshotSet's async leads to (finished, failed or cancelled)."""

ABORT_DELIVERED = frozenset(state for (event, state, _), (target, _) in WRITER_TABLE.items()
                            if event == "abort" and target == "aborted" and state != "aborted")
"""7.3: the writer states Abort takes to Aborted (BackupPrepared … Thawed)."""

_ASYNC_CALLS = {RequesterSession.API_NAMES[op]: op for op in OPERATIONS}
DO_SNAPSHOT_SET = RequesterSession.API_NAMES["do_snapshot_set"]


def leaves_snapshotting(label: Label) -> bool:
    return any(step.transition.machine == "RequesterSession" and step.transition.source == "snapshotting"
               for step in label.steps)


def _snapshot_ended(before: View, after: View, ends: tuple[str, ...] = SNAPSHOT_ENDS) -> list[int]:
    return [r for r in before.system.requester
            if before.phase(r) == "snapshotting" and after.phase(r) in ends]


ENDS_THE_OBJECT = ("aborted", "released")
"""REQ-14: AbortBackup (OBS) and Release (by the requester or at process exit) end the lock too."""


def ends_the_creation(label: Label) -> bool:
    return any(step.transition.machine == "RequesterSession"
               and (step.transition.source == "snapshotting" or step.transition.target in ENDS_THE_OBJECT)
               for step in label.steps)


def snapshot_end_releases_lock(label: Label, before: View, after: View) -> bool:
    """EFF-25: a DoSnapshotSet's end, an AbortBackup or a Release leaves the object no creation."""
    ended = set(_snapshot_ended(before, after))
    ended |= {r for r in before.system.requester
              if before.phase(r) != after.phase(r) and after.phase(r) in ENDS_THE_OBJECT}
    return not any(after.creating(r) for r in ended)


def failed_snapshot_aborts_writers(label: Label, before: View, after: View) -> bool:
    """EFF-26."""
    return all(after._field(w, 0) not in ABORT_DELIVERED
               for r in _snapshot_ended(before, after, ("snapshot_failed",))
               for w in after.system.writers[r])


def async_call_succeeded(label: Label) -> bool:
    return label.kind == "call" and label.actor.startswith("requester-") and label.call in _ASYNC_CALLS \
        and label.result == "S_OK"


def async_handed_out_pending(label: Label, before: View, after: View) -> bool:
    """EFF-27."""
    return after.async_state(actor_index(label), _ASYNC_CALLS[label.call]) == "pending"


def _job_ended(label: Label, before: View, after: View, r: int) -> bool:
    reading = before.system.config.reading("AMB-15")
    released = label.actor == f"requester-{r}" and label.call == RequesterSession.API_NAMES["release"] \
        and before.phase(r) != "released" and after.phase(r) == "released"
    completed = before.phase(r) == "completing" and after.phase(r) == "completed"
    return (released and reading in ("release", "release_or_complete")) or \
        (completed and reading in ("complete", "release_or_complete"))


def may_end_a_job(label: Label) -> bool:
    return label.actor.startswith("requester-") and label.call == RequesterSession.API_NAMES["release"] \
        or any(step.transition.machine == "RequesterSession" and step.transition.source == "completing"
               for step in label.steps)


def job_end_clears_its_marks(label: Label, before: View, after: View) -> bool:
    """EFF-28."""
    system = before.system
    for r in system.requester:
        if not _job_ended(label, before, after, r):
            continue
        node = system.config.node_of(r)
        for v in system.mark:
            if before.holds_volume(r, v) and before.mark(v) == "backup_in_progress" \
                    and before.mark_var(v, "owner") == node and after.mark(v) != "not_in_backup":
                return False
    return True


def node_fails(label: Label) -> bool:
    return any(step.transition.machine == "ClusterNode" and step.event == "env_node_fails" for step in label.steps)


def failed_node_not_member(label: Label, before: View, after: View) -> bool:
    """EFF-29."""
    failed = {step.component for step in label.steps if step.event == "env_node_fails"}
    return not any(after.member(n) for n, c in after.system.node.items() if c in failed)


def control_call(label: Label) -> bool:
    return label.call == "ClusterResourceControl" and volume_of(label) > 0


def not_online_only_when_offline(label: Label, before: View, after: View) -> bool:
    """EFF-30."""
    return label.result != NOT_ONLINE or not before.csv_var(volume_of(label), "online")


def provider_commit(label: Label) -> bool:
    return label.call == "provider CommitSnapshots" and argument(label, "ok") is not None


def commit_result_as_provider(label: Label, before: View, after: View) -> bool:
    """EFF-31."""
    if argument(label, "ok"):
        return label.result in SUCCESS
    return label.result not in SUCCESS and label.result in RESULTS.get(DO_SNAPSHOT_SET, ())


def coordinator_moves(label: Label) -> bool:
    return any(step.transition.machine == "SharedVolumeBackupState" and step.event == "env_coordinator_moves"
               for step in label.steps)


def moved_coordinator_clears_mark(label: Label, before: View, after: View) -> bool:
    """EFF-42 (NODE-12: a software snapshot's "Backup in Progress" does not self-clear; "the shadow
    copy must be deleted (vssadmin) or the coordinator moved"; 7.5 "stays InProgress until shadow
    copy deleted / coordinator moved"): a mark whose coordinator moved is cleared."""
    moved = {step.component for step in label.steps if step.event == "env_coordinator_moves"}
    return all(after.mark(v) == "not_in_backup" for v, c in after.system.mark.items() if c in moved)
