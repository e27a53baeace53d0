"""EFF-32 and EFF-33: Wait on a failed operation may return either of ASY-05's two results.

Why: ASY-05 (rules.md 7.2, "Failed(hr) | Wait(t) | unchanged | S_OK (OBS) or hr (documented)",
switch ``wait_failure_result``, default *either*) allows both the documented hr and the observed
S_OK; a requester must read the outcome with QueryStatus whichever it gets (ASY-09). A model that
loses one of the two hides the programs that rely on the other: with only hr, nothing shows the
program that takes Wait's S_OK for success (INV-26 on failed operations); with only S_OK, nothing
shows the program that treats any failing Wait as a broken wait rather than a failed operation.
Both are ``HAZARD`` properties: the claim "Wait on a failed operation always returns hr" (EFF-32)
and "... always returns S_OK" (EFF-33) must each meet a counterexample in the model.

``shadowspec mutate``'s ``AsyncOperation.wait@failed#0:drop-guard`` (every Wait returns hr)
survived every property before EFF-32.
"""

from __future__ import annotations

from shadowspec.model.system import Label

from .principles import call_state
from .view import View


def wait_on_failed(label: Label) -> bool:
    return label.kind == "call" and label.call == "IVssAsync::Wait"


def _failed(label: Label, before: View) -> bool:
    return call_state(label, before) == "failed"


def reports_the_failure(label: Label, before: View, after: View) -> bool:
    """EFF-32's claim: Wait on a failed operation returns its failure (never S_OK)."""
    return not _failed(label, before) or label.result != "S_OK"


def reports_success(label: Label, before: View, after: View) -> bool:
    """EFF-33's claim: Wait on a failed operation returns S_OK (never the failure)."""
    return not _failed(label, before) or label.result == "S_OK"
