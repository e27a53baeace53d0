"""The checks of the catalogue's general principles (the ``PRN-..`` entries of ``catalogue.py``).

Why a module of its own: these are not one rule each but principles every call obeys, derived from
the declarations (which calls a program makes, ``API_NAMES``) and from rules.md (which results
each method's page documents, ``checks/result_index.py``), never from the transitions under test:

* PRN-01: every result a call returns is one its page documents;
* PRN-03: every result a requester's call returns is one rules.md's state tables (7.1, 7.2) give
  for the method in the state the call is made in (``checks/phase_result_index.py``, generated
  by ``checks/documented_phases.py``): a call not listed for a phase gets the else column's
  VSS_E_BAD_STATE, a Cancel on a finished operation VSS_S_ASYNC_FINISHED;
* PRN-04: a successful requester call leads to the phase its 7.1 row names (``→ Preparing``), or
  keeps the phase where the row has no arrow (``checks/phase_result_index.py``, ``PHASE_AFTER``);
* PRN-02: a call rejected with a documented error changes nothing (rules.md section 7: "anything
  not listed for a state is rejected with the error named in the else column"; no change).

``shadowspec mutate`` found both missing: a mistyped result code and a side effect on a rejected
call changed no verdict before.
"""

from __future__ import annotations

from typing import Callable

from shadowspec.model.system import Label
from shadowspec.spec.requester import RequesterSession

from .phase_result_index import PHASE_AFTER, PHASE_RESULTS
from .result_index import RESULTS
from .view import View, actor_index, argument, volume_of

SUCCESS = frozenset({"S_OK", "S_FALSE", "ERROR_SUCCESS"})
"""Success results (with the ``VSS_S_`` codes): a call that returns one was not rejected."""

UNDEFINED = "UNDEFINED"


def method(label: Label) -> str:
    """The documented method a call label invokes (a control code for ClusterResourceControl)."""
    if label.call == "ClusterResourceControl":
        return str(argument(label, "control", label.call))
    return label.call


def documented(label: Label) -> frozenset[str]:
    """The results the method's page documents; an IVssAsync call may also return the failure
    of the operation it belongs to (rules.md 7.2: "hr")."""
    found = set(RESULTS.get(method(label), ()))
    if label.call.startswith("IVssAsync::"):
        found |= set(RESULTS.get(str(argument(label, "operation", "")), ()))
    return frozenset(found)


def is_call(label: Label) -> bool:
    """A program's call of a documented method whose result the documentation defines."""
    return label.kind == "call" and label.result != UNDEFINED and method(label) in RESULTS


def result_documented(label: Label, before: View, after: View) -> bool:
    return label.result in documented(label)


# -- PRN-03: the result documented for the call's state (rules.md 7.1 and 7.2) ----------------
_OPERATION = {name: event for event, name in RequesterSession.API_NAMES.items()}
"""API name of an asynchronous method -> its event (the IVssAsync object's key)."""


def call_state(label: Label, view: View) -> str | None:
    """The declared state the call is made in: the requester's phase, or the IVssAsync's status."""
    if not label.actor.startswith("requester-"):
        return None
    r = actor_index(label)
    if label.call.startswith("IVssAsync::"):
        op = _OPERATION.get(str(argument(label, "operation", "")))
        return view.async_state(r, op) if (r, op) in view.system.asyncs else None
    return view.phase(r) if r in view.system.requester else None


def is_stated_call(label: Label) -> bool:
    """A requester's call whose method the state tables of rules.md cover."""
    return label.kind == "call" and label.result != UNDEFINED and label.actor.startswith("requester-") \
        and any(method == label.call for method, _ in PHASE_RESULTS)


def documented_in_state(label: Label, before: View, after: View) -> bool:
    """PRN-03: the result is one rules.md gives for the method in the state the call was made in
    (``checks/phase_result_index.py``); ``hr`` is the failure the IVssAsync recorded, an error
    its operation's page documents (ASY-02)."""
    state = call_state(label, before)
    codes = PHASE_RESULTS.get((label.call, state or ""))
    if codes is None:
        return False
    if label.result in codes:
        return True
    if "hr" in codes and label.call.startswith("IVssAsync::"):
        # ASY-02: the failure is "the same error code that the originating method documents"
        operation = str(argument(label, "operation"))
        recorded = before.async_var(actor_index(label), _OPERATION[operation], "error")
        return label.result == recorded and recorded in RESULTS.get(operation, ()) \
            and recorded not in SUCCESS and not recorded.startswith("VSS_S_")
    return False


def is_succeeding_stated_call(label: Label) -> bool:
    """A requester's IVssBackupComponents call (or Create/Release) that succeeded."""
    return label.kind == "call" and label.actor.startswith("requester-") \
        and not label.call.startswith("IVssAsync::") \
        and (label.result in SUCCESS or label.result.startswith("VSS_S_"))


def leads_to_documented_phase(label: Label, before: View, after: View) -> bool:
    """PRN-04: the phase after a successful call is the one its 7.1 row leads to (``→ X``; no
    arrow: the phase is kept); a (method, phase) no row covers is not judged here (PRN-03 is)."""
    r = actor_index(label)
    targets = PHASE_AFTER.get((label.call, before.phase(r)))
    return targets is None or after.phase(r) in targets


def is_rejected(label: Label) -> bool:
    """A call that returned one of its documented errors."""
    return is_call(label) and label.result not in SUCCESS and not label.result.startswith("VSS_S_") \
        and label.result in documented(label)


def unchanged(before: View, after: View) -> bool:
    """The whole system state is the same. ``checks/tabulate.py`` records a comparison of two
    views' states as one read, "are they equal" (so the tabulation keys the edge on that, not on
    every component, and never answers every edge of a label from one representative: how PRN-02
    once missed a rejected call's side effect)."""
    return before.state == after.state


def changes_nothing(label: Label, before: View, after: View) -> bool:
    return unchanged(before, after)


# -- documented effects: what a successful call or an environment step leaves behind ------------
# (rules.md section 7 "Effect" columns; each property cites the rule rows it reads)
SET_BACKUP_MODE = "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE"
ENABLE_DIRECTIO = "CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO"
DISABLE_DIRECTIO = "CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO"
MAINTENANCE = "CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE"
NOT_ONLINE = "ERROR_RESOURCE_NOT_ONLINE"
INVALID_FUNCTION = "ERROR_INVALID_FUNCTION"


def control_succeeded(code: str, **arguments: object) -> Callable[[Label], bool]:
    """Matcher: a ClusterResourceControl ``code`` with these arguments returned ERROR_SUCCESS."""
    def match(label: Label) -> bool:
        return label.call == "ClusterResourceControl" and argument(label, "control") == code \
            and label.result == "ERROR_SUCCESS" \
            and all(argument(label, key) == value for key, value in arguments.items())
    return match


def cluster_step(call: str) -> Callable[[Label], bool]:
    return lambda label: label.call == call and volume_of(label) > 0


def csv_after(**expected: object) -> Callable[[Label, View, View], bool]:
    """Check: the labelled volume's CSV record after the step has these values (``state``:
    backup mode on is ``backup``)."""
    def check(label: Label, before: View, after: View) -> bool:
        v = volume_of(label)
        for key, value in expected.items():
            found = after.csv(v) if key == "state" else after.csv_var(v, key)
            if found != value:
                return False
        return True
    return check


def maintenance_as_requested(label: Label, before: View, after: View) -> bool:
    return after.csv_var(volume_of(label), "maintenance") == argument(label, "InMaintenance")


def control_while_offline(label: Label) -> bool:
    return label.call == "ClusterResourceControl" and volume_of(label) > 0 and label.result != "UNDEFINED"


def offline_control_fails(label: Label, before: View, after: View) -> bool:
    """CSV-05/CSV-16: not online -> ERROR_RESOURCE_NOT_ONLINE, unless an earlier check of the
    precedence (protocol 2.0, not a CSV, maintenance unsupported) already gave ERROR_INVALID_FUNCTION."""
    if before.csv_var(volume_of(label), "online"):
        return True
    return label.result in (NOT_ONLINE, INVALID_FUNCTION)


# -- documented errors: which error a rejected call returns --------------------------------------
IVSS = "IVssBackupComponents::"


def uninitialised_call(label: Label) -> bool:
    """A backup method other than InitializeForBackup (and DeleteSnapshots, whose BAD_STATE entry
    is missing: AMB-20) on the requester's object."""
    return label.actor.startswith("requester-") and label.call.startswith(IVSS) \
        and label.call not in (IVSS + "InitializeForBackup", IVSS + "DeleteSnapshots")


def bad_state_until_initialised(label: Label, before: View, after: View) -> bool:
    r = int(label.actor.split("-")[1])
    return before.phase(r) != "created" or label.result == "VSS_E_BAD_STATE"


# -- the resapi "Backup in Progress" mark (rules.md 7.5) ------------------------------------------
def node_call(call: str, result: str = "ERROR_SUCCESS") -> Callable[[Label], bool]:
    """Matcher: node-N's ``call`` on a CSV path returned ``result``."""
    def match(label: Label) -> bool:
        return label.actor.startswith("node-") and label.call == call and label.result == result \
            and volume_of(label) > 0
    return match


def mark_after(state: str, **expected: object) -> Callable[[Label, View, View], bool]:
    """Check: the labelled volume's mark is ``state`` with these variables after the step."""
    def check(label: Label, before: View, after: View) -> bool:
        v = volume_of(label)
        return after.mark(v) == state and all(after.mark_var(v, k) == value for k, value in expected.items())
    return check


def prepare_marks_caller(label: Label, before: View, after: View) -> bool:
    """NODE-02, 7.5: on 2008 R2 a Prepare of an unmarked CSV marks it for the calling node and
    arms the 30-minute clear. A successful Prepare of a CSV already marked still "really prepares"
    it (NODE-02: pinned to the calling node, "Backup in Progress"; NODE-03's "changes no CSV state"
    is the 2012+ reading only): whoever marked it, it is marked and pinned to the caller after."""
    v = volume_of(label)
    if before.system.config.os != "2008r2":
        return True
    node = int(label.actor.split("-")[1])
    marked = after.mark(v) == "backup_in_progress" and after.mark_var(v, "owner") == node
    if before.mark(v) != "not_in_backup":
        return marked
    return marked and after.mark_var(v, "auto_clear") == "armed" and not after.mark_var(v, "snapshot")


def snapshot_disarms_clear(label: Label) -> bool:
    return any(step.event == "env_snapshot_created" for step in label.steps)


def snapshot_recorded(label: Label, before: View, after: View) -> bool:
    """NODE-09, 7.5: a snapshot created under the mark disarms the 30-minute clear."""
    return all(after.mark_var(v, "auto_clear") == "off" and after.mark_var(v, "snapshot")
               for v, mark in after.system.mark.items()
               if any(step.component == mark and step.event == "env_snapshot_created" for step in label.steps))


# -- argument errors: returned for the invalid argument they name, and only for it ---------------
def _off_csv(name: str) -> Callable[[Label], bool]:
    return lambda label: not str(argument(label, name, "volume-")).startswith("volume-")


def _delay_mismatch(label: Label) -> bool:
    return (argument(label, "BackupState") == "VolumeBackupNone") != (argument(label, "DelayTimerInSecs") == 0)


INVALID_ARGUMENT: dict[tuple[str, str], Callable[[Label], bool]] = {
    # (method, code) -> the invalid argument the documentation names for it
    ("IVssBackupComponents::SetContext", "E_INVALIDARG"): lambda l: argument(l, "context") == "invalid",  # REQ-07
    ("IVssBackupComponents::SetBackupState", "E_INVALIDARG"): lambda l: argument(l, "valid") is False,  # REQ-08
    ("IVssBackupComponents::InitializeForBackup", "VSS_E_INVALID_XML_DOCUMENT"):
        lambda l: argument(l, "xml_valid") is False,  # REQ-02
    ("CreateVssBackupComponents", "E_ACCESSDENIED"): lambda l: argument(l, "privileged") is False,  # REQ-01
    ("ClusterPrepareSharedVolumeForBackup", "ERROR_MORE_DATA"):
        lambda l: argument(l, "buffers_large_enough") is False,  # NODE-05
    ("ClusterPrepareSharedVolumeForBackup", "SYSTEM_ERROR"): _off_csv("lpszFileName"),  # NODE-06
    ("ClusterClearBackupStateForSharedVolume", "ERROR_INVALID_PARAMETER"): _off_csv("lpszVolumePathName"),  # NODE-07
    (SET_BACKUP_MODE, "ERROR_INVALID_PARAMETER"): _delay_mismatch,  # CSV-11, AMB-10
    # REQ-07a/07c, REQ-20: the volume the provider does not support (by_provider: the chosen provider refuses it)
    ("IVssBackupComponents::AddToSnapshotSet", "VSS_E_VOLUME_NOT_SUPPORTED"):
        lambda l: argument(l, "supported") is False,
    ("IVssBackupComponents::AddToSnapshotSet", "VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER"):
        lambda l: argument(l, "supported") is False and argument(l, "by_provider") is True,
}


def names_an_invalid_argument(label: Label, before: View, after: View) -> bool:
    predicate = INVALID_ARGUMENT.get((method(label), label.result))
    return predicate is None or predicate(label)


_ARGUMENT_METHODS = frozenset(m for m, _ in INVALID_ARGUMENT)


def may_return_argument_error(label: Label) -> bool:
    """A call of a method whose page names an argument error: every such call is judged (a call
    with valid arguments must not get it), so ERR-02 bites also where a configuration passes only
    valid arguments (a SetBackupState that always fails E_INVALIDARG, REQ-08)."""
    return label.kind == "call" and method(label) in _ARGUMENT_METHODS


def invalid_argument_call(label: Label) -> bool:
    """A call carrying an argument the documentation calls invalid (the delay mismatch aside: a
    reading of AMB-10 accepts it)."""
    return label.kind == "call" and any(
        m == method(label) and predicate(label) for (m, _), predicate in INVALID_ARGUMENT.items()
        if m != SET_BACKUP_MODE)


def does_not_succeed(label: Label, before: View, after: View) -> bool:
    return label.result in documented(label) and label.result not in SUCCESS


# -- the writer metadata and the document (rules.md 7.1 rows, REQ-11, REQ-22, REQ-23, REQ-33) -----
def requester_call(call: str) -> Callable[[Label], bool]:
    """Matcher: requester-N's ``IVssBackupComponents::<call>`` with a defined result."""
    def match(label: Label) -> bool:
        return label.kind == "call" and label.actor.startswith("requester-") and label.call == IVSS + call \
            and label.result != UNDEFINED
    return match


def succeeds_iff_metadata_gathered(label: Label, before: View, after: View) -> bool:
    """REQ-22, 7.1 (Gathered+ | GetWriterMetadata | metadata=gathered | read-only | BAD_STATE not
    gathered / freed): the metadata can be read exactly while it is gathered, and reading changes
    nothing."""
    r = actor_index(label)
    if before.phase(r) == "created":
        return label.result == "VSS_E_BAD_STATE"
    gathered = before.req(r, "metadata") == "gathered"
    return (label.result == "S_OK") == gathered and (gathered or label.result == "VSS_E_BAD_STATE") \
        and unchanged(before, after)


def free_metadata_as_documented(label: Label, before: View, after: View) -> bool:
    """REQ-23, 7.1 (Gathered+ | FreeWriterMetadata | metadata=gathered | metadata:=freed |
    undefined if pending; BAD_STATE): gathered metadata is freed with S_OK; otherwise
    VSS_E_BAD_STATE (a pending gather makes the result undefined: not judged, see ``requester_call``)."""
    r = actor_index(label)
    if before.phase(r) != "created" and before.req(r, "metadata") == "gathered":
        return label.result == "S_OK" and after.req(r, "metadata") == "freed"
    return label.result == "VSS_E_BAD_STATE"


def pending_free_is_undefined(label: Label) -> bool:
    """FreeWriterMetadata while the gather is pending (REQ-23: "undefined result")."""
    return label.kind == "call" and label.call == IVSS + "FreeWriterMetadata" and label.actor.startswith("requester-")


def undefined_while_pending(label: Label, before: View, after: View) -> bool:
    r = actor_index(label)
    pending = before.phase(r) != "created" and before.req(r, "metadata") == "pending"
    return (label.result == UNDEFINED) == pending


def gather_finished(label: Label) -> bool:
    return any(step.event == "env_metadata_gathered" for step in label.steps)


def metadata_gathered_after(label: Label, before: View, after: View) -> bool:
    """7.1 (Gathering | async finished | metadata:=gathered; the phase is kept, folded): the session
    whose gather finished has its metadata gathered, in the phase it was in."""
    system = before.system
    for step in label.steps:
        if step.event != "env_metadata_gathered":
            continue
        r = next(r for r, c in system.requester.items() if c == step.component)
        if after.req(r, "metadata") != "gathered" or after.phase(r) != before.phase(r):
            return False
    return True


def duplicate_component(label: Label) -> bool:
    return requester_call("AddComponent")(label)


def duplicate_rejected(label: Label, before: View, after: View) -> bool:
    """REQ-11 (DATA-08): a second AddComponent with a key already in the document fails with
    VSS_E_OBJECT_ALREADY_EXISTS (or the phase's own VSS_E_BAD_STATE, checked first: REQ-10, REQ-42)
    and leaves the document unchanged; and the code is only for a key already in the document."""
    r = actor_index(label)
    known = before.phase(r) != "created" and bool(before.req(r, "component_added")) \
        and argument(label, "duplicate") is True
    if not known:
        return label.result != "VSS_E_OBJECT_ALREADY_EXISTS"
    return label.result in ("VSS_E_OBJECT_ALREADY_EXISTS", "VSS_E_BAD_STATE") and unchanged(before, after)


def unknown_component_succeeded(label: Label) -> bool:
    return requester_call("SetBackupSucceeded")(label) and argument(label, "known") is False


def unknown_component_not_found(label: Label, before: View, after: View) -> bool:
    """REQ-33 (7.1 SnapshotDone | SetBackupSucceeded | key ∈ components | ... | VSS_E_OBJECT_NOT_FOUND):
    a key that is not in the document is never marked succeeded."""
    return label.result != "S_OK" and unchanged(before, after)


# -- the snapshot set's volume limit, Release's teardown, Identify (REQ-17, REQ-38, WRT-03) --------
def set_full_reported(label: Label) -> bool:
    return requester_call("AddToSnapshotSet")(label)


def set_was_full(label: Label, before: View, after: View) -> bool:
    """REQ-17: VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED is the answer to the volume past the limit,
    so only a set that already holds the maximum gets it."""
    if label.result != "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED":
        return True
    r = actor_index(label)
    return before.req(r, "volumes").bit_count() >= before.system.config.max_volumes_per_set


def object_ends(label: Label) -> bool:
    """A Release that succeeded, or a process exit (the system's Release, REQ-01a)."""
    return (label.call == "IUnknown::Release" and label.result == "S_OK") \
        or any(step.event == "env_crash" for step in label.steps)


def _ended(label: Label, view: View) -> set[int]:
    ended = {r for r, c in view.system.requester.items()
             if any(step.component == c and step.event in ("env_crash", "release") for step in label.steps)}
    if label.call == "IUnknown::Release" and label.actor.startswith("requester-"):
        ended.add(actor_index(label))
    return ended


def auto_release_copies_deleted(label: Label, before: View, after: View) -> bool:
    """REQ-38 / REQ-48 (7.1 Release, process_exit): the end of the object deletes the shadow copies of
    auto-release contexts; persistent contexts keep theirs (DeleteSnapshots only)."""
    from shadowspec.spec.requester import PERSISTENT_CONTEXTS

    for r in _ended(label, before):
        if before.req(r, "context") in PERSISTENT_CONTEXTS:
            if after.req(r, "snapshots_exist") != before.req(r, "snapshots_exist"):
                return False
        elif after.req(r, "snapshots_exist") or after.phase(r) != "released":
            return False
    return True


def identify_raised(label: Label) -> bool:
    return any(step.event == "identify" for step in label.steps)


def identify_changes_no_writer(label: Label, before: View, after: View) -> bool:
    """WRT-03 (7.3: any | Identify | unchanged): Identify does not change a writer's backup state."""
    touched = {step.component for step in label.steps if step.event != "identify"}
    return all(before.state[step.component] == after.state[step.component]
               for step in label.steps if step.event == "identify" and step.component not in touched)


# -- the CSV server (rules.md 7.4: CSV-05, CSV-12, CSV-13) -------------------------------------------
DIRECTIO_CODES = (ENABLE_DIRECTIO, DISABLE_DIRECTIO)
INVALID_REQUEST = "ERROR_CLUSTER_INVALID_REQUEST"


def directio_call(label: Label) -> bool:
    return label.call == "ClusterResourceControl" and argument(label, "control") in DIRECTIO_CODES \
        and volume_of(label) > 0


def invalid_request_only_in_maintenance(label: Label, before: View, after: View) -> bool:
    """CSV-12 / CSV-13 (7.4: ENABLE/DISABLE_DIRECTIO | maint | ERROR_CLUSTER_INVALID_REQUEST): the
    code names maintenance mode, so a volume not in maintenance never gets it."""
    return label.result != INVALID_REQUEST or bool(before.csv_var(volume_of(label), "maintenance"))


def goes_offline(label: Label) -> bool:
    return any(step.event == "env_go_offline" for step in label.steps)


def offline_after(label: Label, before: View, after: View) -> bool:
    """CSV-05 (7.4: resource offline | online:=false): the resource that went offline is offline."""
    system = before.system
    return all(not after.csv_var(v, "online") for v, c in system.csv.items()
               if any(step.component == c and step.event == "env_go_offline" for step in label.steps))
