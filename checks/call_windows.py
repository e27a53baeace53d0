"""When a requester call is accepted, and what it leaves behind (rules.md 7.1 rows, read whole).

Why: the full mutation run on every mutant of the CI configurations (``shadowspec mutate --ci
--sample 0``) left mutants of GatherWriterMetadata, AddComponent, SetContext and AddToSnapshotSet
alive: PRN-03 asks only whether a result is one of those 7.1 lists for the phase (S_OK and
VSS_E_BAD_STATE both are), so a call that is always refused where the row accepts it, or accepted
where the row's guard fails, changed no verdict. Each check below reads the row's phases, guard,
effect and else column from the rule's sentence and the views before and after the call, never
the declared transitions:

* EFF-60 (ASY-02, ASY-03, REQ-09; 7.1 "Gathering | async finished | … | async failed → stay,
  report via QueryStatus"): a GatherWriterMetadata operation that fails leaves its session in the
  phase it was in, with its metadata neither pending (the operation is over, ASY-03) nor gathered;
* EFF-61 (REQ-09, AMB-04, AMB-01; 7.1 "Initialized; SetStarted while ¬prepare_called |
  GatherWriterMetadata | metadata=none | … metadata:=pending | BAD_STATE if called before"):
  GatherWriterMetadata succeeds exactly in Initialized or SetStarted on an object that never
  gathered, leaves the metadata pending and keeps the phase; otherwise VSS_E_BAD_STATE (AMB-04's
  assumed code for the second call, a SHOULD breach: its severity is a warning; REQ-41 / AMB-01 for
  a gather after PrepareForBackup);
* EFF-62 (REQ-10, AMB-02, REQ-22, REQ-42, REQ-11; 7.1 "Gathered, SetStarted, Preparing, Prepared
  | AddComponent | metadata=gathered ∧ writer ctx ∧ key ∉ components | components += key;
  late_add:=true if phase ∈ {Preparing, Prepared}"): AddComponent succeeds exactly in that window
  (Initialized only under AMB-02's strict reading) with the gather completed, outside a no-writer
  context and for a new key; success records the component and sets ``late_add`` exactly when the
  call comes after PrepareForBackup (AMB-02's hazard, a warning); a duplicate in the window gets
  VSS_E_OBJECT_ALREADY_EXISTS, every other refusal VSS_E_BAD_STATE;
* EFF-63 (REQ-15, AMB-01; 7.1 "SetStarted | AddToSnapshotSet | … | volumes += unique(v)", no
  arrow, and AMB-01's reading of AddToSnapshotSet after PrepareForBackup as in SetStarted):
  AddToSnapshotSet never changes the phase, whatever it returns;
* EFF-64 (REQ-05, REQ-07, REQ-07a, AMB-03, AMB-26; 7.1 SetContext row): SetContext succeeds
  exactly in Initialized on an object whose context was never set, with a valid context; success
  records the context and its provider modifier (REQ-07a: checked at AddToSnapshotSet); a failed
  call leaves the context and the once-only flag unchanged (AMB-03);
* EFF-65 / EFF-66 (REQ-07: an invalid context gets E_INVALIDARG, documented, or
  VSS_E_UNSUPPORTED_CONTEXT, observed; both allowed): HAZARD pair, the claims "always E_INVALIDARG"
  and "always VSS_E_UNSUPPORTED_CONTEXT" must each meet a counterexample (as EFF-32/33 for ASY-05);
* EFF-74 (ASY-05, ASY-02, DATA-09; 7.2 "Wait never changes the status by itself", "any |
  QueryStatus() | unchanged"): IVssAsync::Wait and QueryStatus change nothing;
* EFF-77 (REQ-02; 7.1 "Created | InitializeForBackup(xml?) | … → Initialized | VSS_E_INVALID_XML_DOCUMENT
  (bad document); BAD_STATE (twice)"): on a created object InitializeForBackup succeeds and
  initializes it, except with a bad document, which gets VSS_E_INVALID_XML_DOCUMENT and leaves it
  created (VSS_E_BAD_STATE is "called out of sequence", and a created object is in sequence); on
  an initialized one it gets VSS_E_BAD_STATE and the phase stays;
* EFF-76 (REQ-23, ASY-07): a FreeWriterMetadata whose result is undefined (the gather pending)
  still keeps the session's phase: the row has no arrow, and "undefined result" is the result.

Severity: EFF-61's second-call refusal is a SHOULD (REQ-09) and AMB-04's code is assumed, so a
finding that rests on it is a warning; EFF-62's late_add (AMB-02) is a warning; the rest are the
MUST / ORDER rows' errors.
"""

from __future__ import annotations

from shadowspec.model.system import Label
from shadowspec.spec.requester import NO_WRITER_CONTEXTS

from .principles import UNDEFINED, requester_call, unchanged
from .view import View, actor_index, argument

BAD = "VSS_E_BAD_STATE"
ALREADY_EXISTS = "VSS_E_OBJECT_ALREADY_EXISTS"
INVALID_CONTEXT = ("E_INVALIDARG", "VSS_E_UNSUPPORTED_CONTEXT")
"""REQ-07: an invalid lContext gets E_INVALIDARG (documented) or VSS_E_UNSUPPORTED_CONTEXT (OBS)."""

GATHER_WINDOW = ("initialized", "set_started")
"""7.1: Initialized (Gathering / Gathered folded into it) and SetStarted before PrepareForBackup
(AMB-01's default; the machine's Preparing is the first phase after the PrepareForBackup call)."""
ADD_WINDOW = ("initialized", "set_started", "preparing", "prepared")
"""7.1 AddComponent row: Gathered, SetStarted, Preparing, Prepared (before DoSnapshotSet)."""
LATE = ("preparing", "prepared")
"""7.1: late_add:=true if phase ∈ {Preparing, Prepared} (AMB-02)."""


# -- EFF-60: a failed metadata gather -------------------------------------------------------------
def gather_fails(label: Label) -> bool:
    return any(step.event == "env_metadata_failed" for step in label.steps)


def failed_gather_stays(label: Label, before: View, after: View) -> bool:
    """EFF-60."""
    system = before.system
    for step in label.steps:
        if step.event != "env_metadata_failed":
            continue
        r = next(r for r, c in system.requester.items() if c == step.component)
        if after.phase(r) != before.phase(r) or after.req(r, "metadata") in ("pending", "gathered"):
            return False
    return True


# -- EFF-61: GatherWriterMetadata's window ---------------------------------------------------------
gather_call = requester_call("GatherWriterMetadata")


def gather_as_documented(label: Label, before: View, after: View) -> bool:
    """EFF-61."""
    r = actor_index(label)
    phase = before.phase(r)
    if phase in ("absent", "created", "released"):
        return label.result == BAD
    if phase in GATHER_WINDOW and before.req(r, "metadata") == "none":
        return label.result == "S_OK" and after.req(r, "metadata") == "pending" and after.phase(r) == phase
    return label.result == BAD


# -- EFF-62: AddComponent's window -----------------------------------------------------------------
add_component_call = requester_call("AddComponent")


def add_component_as_documented(label: Label, before: View, after: View) -> bool:
    """EFF-62."""
    r = actor_index(label)
    phase = before.phase(r)
    if phase in ("absent", "created", "released"):
        return label.result == BAD
    strict = before.system.config.reading("AMB-02") == "strict"
    window = phase == "initialized" if strict else phase in ADD_WINDOW
    accepted = window and before.req(r, "metadata") == "gathered" \
        and before.req(r, "context") not in NO_WRITER_CONTEXTS
    duplicate = bool(before.req(r, "component_added")) and argument(label, "duplicate") is True
    if accepted and not duplicate:
        late = bool(before.req(r, "late_add")) or phase in LATE
        return label.result == "S_OK" and bool(after.req(r, "component_added")) \
            and bool(after.req(r, "late_add")) == late and after.phase(r) == phase
    if accepted:
        return label.result == ALREADY_EXISTS
    if duplicate:
        return label.result in (BAD, ALREADY_EXISTS)
    return label.result == BAD


# -- EFF-63: AddToSnapshotSet keeps the phase ------------------------------------------------------
add_to_set_call = requester_call("AddToSnapshotSet")


def phase_kept(label: Label, before: View, after: View) -> bool:
    """EFF-63."""
    r = actor_index(label)
    return after.phase(r) == before.phase(r)


# -- EFF-64: SetContext's window and record --------------------------------------------------------
set_context_call = requester_call("SetContext")


def set_context_as_documented(label: Label, before: View, after: View) -> bool:
    """EFF-64 (that both codes of an invalid context are reachable is EFF-65/66's)."""
    r = actor_index(label)
    phase = before.phase(r)
    if phase in ("absent", "created", "released"):
        return label.result == BAD
    context = argument(label, "context")
    invalid = context == "invalid"
    already = bool(before.req(r, "context_set"))
    if phase == "initialized" and not already and not invalid:
        return label.result == "S_OK" and after.req(r, "context") == context \
            and after.req(r, "context_set") is True \
            and bool(after.req(r, "provider_modifier")) == bool(argument(label, "provider_modifier"))
    if phase != "initialized":
        allowed: tuple[str, ...] = (BAD,)  # 7.1: "from SetStarted on" (AMB-03)
    elif not already:
        allowed = INVALID_CONTEXT  # REQ-07: E_INVALIDARG (documented) or VSS_E_UNSUPPORTED_CONTEXT (OBS)
    else:
        allowed = (BAD, *INVALID_CONTEXT) if invalid else (BAD,)  # REQ-05 (assumed code); 7.1 gives no order
    keys = ("context", "context_set", "provider_modifier")
    return label.result in allowed and all(after.req(r, k) == before.req(r, k) for k in keys)


# -- EFF-65 / EFF-66: both codes of an invalid context are reachable (HAZARD pair) ----------------
def invalid_context_call(label: Label) -> bool:
    return set_context_call(label) and argument(label, "context") == "invalid"


def _judged(label: Label, before: View) -> bool:
    """An invalid context on an object where only the context decides (Initialized, not yet set)."""
    r = actor_index(label)
    return before.phase(r) == "initialized" and not before.req(r, "context_set")


def invalid_context_always_invalidarg(label: Label, before: View, after: View) -> bool:
    """EFF-65's claim: an invalid context always gets the documented E_INVALIDARG."""
    return not _judged(label, before) or label.result == "E_INVALIDARG"


def invalid_context_always_unsupported(label: Label, before: View, after: View) -> bool:
    """EFF-66's claim: an invalid context always gets the observed VSS_E_UNSUPPORTED_CONTEXT."""
    return not _judged(label, before) or label.result == "VSS_E_UNSUPPORTED_CONTEXT"


# -- EFF-74: Wait and QueryStatus never change the operation ---------------------------------------
ASYNC_READS = ("IVssAsync::Wait", "IVssAsync::QueryStatus")


def async_read_call(label: Label) -> bool:
    return label.kind == "call" and label.actor.startswith("requester-") and label.call in ASYNC_READS


def async_read_changes_nothing(label: Label, before: View, after: View) -> bool:
    """EFF-74 (ASY-05, 7.2: "Wait never changes the status by itself", "Pending | Wait(t), t elapses
    first | Pending (no change)"; ASY-02, DATA-09, 7.2 "any | QueryStatus() | unchanged"): the whole
    system is as it was; the operation's end is the work's own step (EFF-38), not the call's."""
    return unchanged(before, after)


# -- EFF-76: an undefined result is not an undefined phase ------------------------------------------
def undefined_requester_call(label: Label) -> bool:
    return label.kind == "call" and label.actor.startswith("requester-") and label.call.startswith("IVssBackup") \
        and label.result == UNDEFINED


# EFF-76's check is EFF-63's (REQ-23: FreeWriterMetadata "before the gather has completed has
# undefined result"; ASY-07; 7.1 "Gathered+ | FreeWriterMetadata | … | undefined if
# metadata=pending", a row with no arrow): what the page leaves undefined is the call's result,
# not the backup's phase, so the session stays where it was.
undefined_keeps_the_phase = phase_kept


# -- EFF-77: InitializeForBackup ------------------------------------------------------------------
initialize_call = requester_call("InitializeForBackup")


def initialize_as_documented(label: Label, before: View, after: View) -> bool:
    """EFF-77 (see the module docstring); the phases before an object exists are not judged."""
    r = actor_index(label)
    phase = before.phase(r)
    if phase == "absent":
        return True
    if phase == "created":
        if argument(label, "xml_valid") is False:
            return label.result == "VSS_E_INVALID_XML_DOCUMENT" and after.phase(r) == "created"
        return label.result == "S_OK" and after.phase(r) == "initialized"
    return label.result == BAD and after.phase(r) == phase
