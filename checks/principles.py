"""The checks of the catalogue's general principles (the ``PRN-..`` entries of ``catalogue.py``).

Why a module of its own: these are not one rule each but principles every call obeys, derived from
the declarations (which calls a program makes, ``API_NAMES``) and from rules.md (which results
each method's page documents, ``checks/result_index.py``), never from the transitions under test:

* PRN-01: every result a call returns is one its page documents;
* PRN-02: a call rejected with a documented error changes nothing (rules.md section 7: "anything
  not listed for a state is rejected with the error named in the else column"; no change).

``shadowspec mutate`` found both missing: a mistyped result code and a side effect on a rejected
call changed no verdict before.
"""

from __future__ import annotations

from shadowspec.model.system import Label

from .result_index import RESULTS
from .view import View, argument

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


def is_rejected(label: Label) -> bool:
    """A call that returned one of its documented errors."""
    return is_call(label) and label.result not in SUCCESS and not label.result.startswith("VSS_S_") \
        and label.result in documented(label)


def changes_nothing(label: Label, before: View, after: View) -> bool:
    return before.state == after.state
