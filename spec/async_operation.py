"""One ``IVssAsync`` object: the handle a requester gets from an asynchronous VSS method.

What is modelled: the four statuses of rules.md 7.2 (pending, finished, cancelled, failed with the
originating method's error), Wait, QueryStatus and Cancel as the requester calls them, and the two
ways real systems report a failed operation through Wait (ASY-05: Wait returns the failure, or
returns S_OK and leaves the failure to QueryStatus). One instance serves one kind of operation
(GatherWriterMetadata, PrepareForBackup, DoSnapshotSet, BackupComplete, GatherWriterStatus);
calling that method again replaces the object (``env_start``).

What is abstracted: time. Wait on a pending operation is a Wait whose timeout elapsed (S_OK, still
pending); an INFINITE Wait is a Wait made after the environment finished the work.

Invariants: a terminal status is never left, Cancel never changes it (INV-08, ASY-03/04).
Sources: sdk-api vss/nn-vss-ivssasync, -cancel, -querystatus, -wait (ASY-01..08).
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import SpecMachine, Variable, effect, each, guard, returns, returns_variable

FAILURE_CODES = (
    "VSS_E_PROVIDER_VETO",
    "VSS_E_WRITER_INFRASTRUCTURE",
    "VSS_E_UNEXPECTED",
)
"""One representative failure per operation kind, from the originating method's page."""


class AsyncOperation(SpecMachine):
    """IVssAsync: pending until the work finishes, fails or is cancelled; then never changes."""

    ACTOR = "requester"

    VARIABLES = {
        "error": Variable("S_OK", "the failure code QueryStatus reports once failed (ASY-02)"),
    }

    ARGUMENTS = {
        "env_fail": {"code": FAILURE_CODES},
        "wait": {"reports_failure_as": ("result", "status")},
    }

    API_NAMES = {
        "wait": "IVssAsync::Wait",
        "query_status": "IVssAsync::QueryStatus",
        "cancel": "IVssAsync::Cancel",
    }

    idle = State(initial=True)        # no object of this kind handed out yet
    pending = State()
    finished = State()
    cancelled = State()
    failed = State()

    _terminal = [finished, cancelled, failed]

    # -- the environment: the work behind the object ------------------------------------------
    env_start = (
        idle.to(pending, on=returns("S_OK", "ASY-01"))
        | finished.to(pending, on=["clear_error", returns("S_OK", "ASY-01", "REQ-39")])
        | cancelled.to(pending, on=["clear_error", returns("S_OK", "ASY-01", "REQ-39")])
        | failed.to(pending, on=["clear_error", returns("S_OK", "ASY-01", "REQ-39")])
    )
    env_finish = pending.to(finished, on=returns("VSS_S_ASYNC_FINISHED", "ASY-02", "ASY-03"))
    env_fail = pending.to(failed, on=["record_failure", returns_variable("error", "ASY-02", "ASY-03")])

    # -- the requester's calls ----------------------------------------------------------------
    wait = (
        pending.to.itself(on=returns("S_OK", "ASY-05"))
        | finished.to.itself(on=returns("S_OK", "ASY-05"))
        | cancelled.to.itself(on=returns("S_OK", "ASY-05"))
        | failed.to.itself(cond="failure_in_result", on=returns_variable("error", "ASY-05"))
        | failed.to.itself(on=returns("S_OK", "ASY-05", "INV-26"))
    )
    query_status = each([pending, *_terminal], "S_OK", "ASY-02", "DATA-09")
    cancel = (
        pending.to(cancelled, on=returns("S_OK", "ASY-04"))
        | finished.to.itself(on=returns("VSS_S_ASYNC_FINISHED", "ASY-04"))
        | cancelled.to.itself(on=returns("VSS_S_ASYNC_CANCELLED", "ASY-04"))
        | failed.to.itself(on=returns_variable("error", "ASY-04"))
    )

    @guard("ASY-05")
    def failure_in_result(self, reports_failure_as: str = "result") -> bool:
        return reports_failure_as == "result"

    @effect("ASY-02")
    def record_failure(self, code: str = "VSS_E_UNEXPECTED") -> None:
        self.model.error = code

    @effect("ASY-01")
    def clear_error(self) -> None:
        self.model.error = "S_OK"


STATUS_OF = {
    "idle": None,
    "pending": "VSS_S_ASYNC_PENDING",
    "finished": "VSS_S_ASYNC_FINISHED",
    "cancelled": "VSS_S_ASYNC_CANCELLED",
}


def status_of(local: tuple) -> str | None:
    """What QueryStatus puts in pHrResult for an async in local state ``local``."""
    state, error = local
    return error if state == "failed" else STATUS_OF[state]
