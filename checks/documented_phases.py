"""The results rules.md documents per API method **and state** (its state tables 7.1 and 7.2).

Why: PRN-01 asks whether a result is one that the method's page documents anywhere; a call made in
the wrong phase that returns another documented code of its method (AddToSnapshotSet after
BackupComplete returning VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED) passes it. rules.md section 7
says more: "Anything not listed for a state is rejected with the error named in the else column
(VSS_E_BAD_STATE unless stated)", and each row names the codes of its state. PRN-03 decides every
call against that, read from rules.md, never from the transitions under test (a mistyped
``returns`` would document itself). rules.md lives beside the repository, so the sets are kept as
a generated module, ``checks/phase_result_index.py``:

    python -m shadowspec.checks.documented_phases ../shared/domain/rules.md -o checks/phase_result_index.py

and ``tests/checks/test_documented_phases.py`` fails when the snapshot no longer matches rules.md.

How a (method, state) set is read:

* the states are the declared machine's (``RequesterSession``, ``AsyncOperation``); a rules.md
  phase is the state of the same name (``SetStarted`` is ``set_started``); the phases rules.md
  names but the machine folds into another state are ``FOLDED`` (7.1: "The phases Gathering and
  Gathered name the usual order (phase Initialized with metadata = pending / gathered)"; 7.1's
  Preparing row: a failed PrepareForBackup leads to Prepared with ``prepared_ok`` false, the
  machine's ``prepare_failed``);
* a row's "From" cell is a list of phases (``,`` ``;`` ``/``), ranges (``A…B``), ``X+`` and
  ``any ≥ X`` (X and every later phase), ``any`` / ``any live`` (every live phase), ``any ≠ X``;
  words after ``while`` and parentheses are the row's guard, not its phases; a cell that names no
  phase (``status_gathered``: a flag) applies to every live phase; ``restore`` rows are not
  modelled (REQ-04);
* a row applies to the methods its "Event" cell names; its codes are every code in its cells,
  the codes of the rules it cites (its last column and ``REQ-16..21``-style references in the
  else column, read from the rule rows of sections 1-2), the method's success code unless the row
  changes nothing ("no change", "ignored"), and, for IVssBackupComponents methods, the codes of
  the paragraph "Common to nearly every IVssBackupComponents method";
* a (method, state) no row lists gets the table's default: VSS_E_BAD_STATE and the common codes;
* 7.2's "Returned code" ``hr`` is kept as ``hr``: the failure the operation recorded
  (``checks/principles.py`` compares it with the object's own error).

``READINGS`` (below) are the states the catalogue's ambiguity rows add to a method's listed ones;
each cites its row.
"""

from __future__ import annotations

from .generator_cli import generator_main

import re
import sys

from .documented_results import CODE, _RULE_ROW, _cells, _codes, _expand, _names, aliases

PHASES = ("Created", "Initialized", "Gathering", "Gathered", "SetStarted", "Preparing", "Prepared",
          "Snapshotting", "SnapshotDone", "SnapshotFailed", "Completing", "Completed", "Aborted",
          "Released")
"""7.1's phase list, in its order (ranges and ``X+`` follow it)."""
ASYNC_STATES = ("Pending", "Finished", "Cancelled", "Failed")
"""7.2's states."""

FOLDED = {"Gathering": "initialized", "Gathered": "initialized", "—": "absent"}
"""rules.md phases the declared machine keeps as another state (see the module docstring)."""
EXTRA = {"prepare_failed": "Prepared"}
"""Declared states rules.md names as another phase: a failed PrepareForBackup leads to Prepared."""

READINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("IVssBackupComponents::AddToSnapshotSet", "Prepared"): ("SetStarted",
        "AMB-01: only the documented pairwise orders are guards; REQ-15 needs a started set and "
        "REQ-30 closes it at DoSnapshotSet, so AddToSnapshotSet after PrepareForBackup is read as in SetStarted"),
    ("IVssBackupComponents::StartSnapshotSet", "SetStarted"): ("REQ-14",
        "REQ-14: while a creation is in progress StartSnapshotSet fails with "
        "VSS_E_SNAPSHOT_SET_IN_PROGRESS; the object's own set holds the lock until its DoSnapshotSet ends"),
    ("IVssBackupComponents::StartSnapshotSet", "Preparing"): ("REQ-14", "REQ-14, as in SetStarted"),
    ("IVssBackupComponents::StartSnapshotSet", "Prepared"): ("REQ-14", "REQ-14, as in SetStarted"),
    ("IVssBackupComponents::StartSnapshotSet", "Snapshotting"): ("REQ-14", "REQ-14, as in SetStarted"),
}
"""(method, rules.md phase) -> (where its codes come from, why): the states the catalogue's
ambiguity and rule rows add to the 7.1 rows of a method. A phase: the method is listed there as in
that phase (its codes); a rule id: the call is rejected there with that rule's codes."""

DISAGREEMENTS: dict[tuple[str, str], str] = {
    ("IVssBackupComponents::AbortBackup", "initialized"):
        "7.1 (Initialized…SnapshotFailed | AbortBackup → Aborted) moves the object to Aborted; the "
        "declared machine keeps it in initialized (REQ-36): left to the lead, not judged",
    ("IVssBackupComponents::AbortBackup", "snapshot_done"):
        "7.1's range Initialized…SnapshotFailed includes SnapshotDone (→ Aborted); the declared "
        "machine keeps snapshot_done after a successful DoSnapshotSet (AMB-06, AMB-25): not judged",
}
"""(method, declared state) where the declared machine and a 7.1 arrow disagree: the phase after a
successful call there is not judged (the index of results still is); see the report of issue 13."""

_RULE_REF = re.compile(r"\b(REQ|ASY)-(\d+)([a-z]?)(?:\s*(?:\.\.|…|/)\s*(?:\1-)?(\d+))?")
_COMMON = "Common to nearly every IVssBackupComponents method"
_UNCHANGED = re.compile(r"\bno change\b|\bignored\b|\bunchanged\b", re.IGNORECASE)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _rule_codes(rules_text: str) -> dict[str, set[str]]:
    """Rule id -> the codes of its "Error / effect" column (a "same" column repeats the last)."""
    found: dict[str, set[str]] = {}
    previous = ""
    for line in rules_text.splitlines():
        if not _RULE_ROW.match(line):
            continue
        cells = _cells(line)
        if len(cells) < 5:
            continue
        column = cells[3]
        if column.lower().startswith("same"):
            column = previous
        previous = column
        found[cells[0]] = _codes(column)
    return found


def _cited(text: str) -> set[str]:
    """The rule ids a cell cites, ranges (``REQ-16..21``, ``REQ-13/14``) expanded."""
    ids = set()
    for family, first, suffix, last in _RULE_REF.findall(text):
        ids.add(f"{family}-{int(first):02d}{suffix}")
        if last:
            for n in range(int(first), int(last) + 1):
                ids.add(f"{family}-{n:02d}")
    return ids


def phases_of(cell: str, order: tuple[str, ...]) -> tuple[str, ...] | None:
    """The phases a "From" cell names, in ``order``; ``None`` for a row that is not modelled."""
    if "restore" in cell:
        return None
    if cell.strip() == "—":
        return ("—",)
    text = re.sub(r"\([^()]*\)", " ", cell)
    text = re.sub(r"\([^()]*\)", " ", text)
    text = text.split(":")[0]
    live = order[:-1] if order[-1] == "Released" else order
    chosen: list[str] = []
    for part in re.split(r"[,;]", text):
        part = part.split(" while ")[0].split(" with ")[0].strip()
        if not part:
            continue
        if re.fullmatch(r"any( live)?", part):
            chosen.extend(live)
            continue
        match = re.fullmatch(r"any\s*≠\s*(\w+)", part)
        if match:
            chosen.extend(p for p in live if p != match[1])
            continue
        match = re.fullmatch(r"(?:any\s*≥\s*)?(\w+)\+?", part)
        if match and match[1] in order and (part.endswith("+") or "≥" in part):
            chosen.extend(live[live.index(match[1]):])
            continue
        match = re.fullmatch(r"(\w+)\s*…\s*(\w+)", part)
        if match and match[1] in order and match[2] in order:
            chosen.extend(order[order.index(match[1]):order.index(match[2]) + 1])
            continue
        chosen.extend(p for p in re.split(r"\s*/\s*|\s+", part) if p in order)
    if not chosen:
        return tuple(live)  # a flag, not a phase: every live phase
    return tuple(dict.fromkeys(chosen))


_ARROW = re.compile(r"(?:(\w+)\s+)?→\s*(\w+)")


def targets_of(effect: str, phases: tuple[str, ...], order: tuple[str, ...]) -> dict[str, str]:
    """From phase -> the phase a successful call leads to, by a row's "Effect / To" cell: ``→ X``
    from every phase of the row, ``A → X`` from A only (the others keep their phase), no arrow:
    the phase is kept."""
    found = {phase: phase for phase in phases}
    for source, target in _ARROW.findall(effect):
        if target not in order:
            continue
        for phase in phases:
            if not source or source not in order or source == phase:
                found[phase] = target
    return found


def _success(api_name: str) -> str:
    return "ERROR_SUCCESS" if api_name.startswith(("Cluster", "CLUSCTL")) else "S_OK"


def _section(rules_text: str, heading: str) -> list[list[str]]:
    rows, inside = [], False
    for line in rules_text.splitlines():
        if line.startswith("### "):
            inside = line.startswith(heading)
            continue
        if inside and line.startswith("|") and not line.startswith("|---"):
            rows.append(_cells(line))
    return rows[1:]  # the header row


def documented(rules_text: str, machine: str, methods: dict[str, tuple[str, ...]],
               targets: dict[tuple[str, str], tuple[str, ...]] | None = None) -> dict[tuple[str, str], tuple[str, ...]]:
    """(API method, declared state) -> sorted codes, for the calls of ``machine``
    (``RequesterSession``: 7.1; ``AsyncOperation``: 7.2); ``methods``: API name -> its states.
    ``targets``, when given, receives (API method, declared state) -> the declared states a
    successful call of a 7.1 row leads to (the rows' "Effect / To" arrows)."""
    known = _codes(rules_text)
    rule_codes = _rule_codes(rules_text)
    common = set().union(*(_codes(line) for line in rules_text.splitlines() if line.startswith(_COMMON)))
    if machine == "RequesterSession":
        rows, order = _section(rules_text, "### 7.1"), PHASES
        from_col, event_col, code_cols, rules_col = 0, 1, (3, 4), 5
    else:
        rows, order = _section(rules_text, "### 7.2"), ASYNC_STATES
        from_col, event_col, code_cols, rules_col = 0, 1, (3,), None
    listed: dict[tuple[str, str], set[str]] = {}
    after: dict[tuple[str, str], set[str]] = {}
    for cells in rows:
        if len(cells) <= max(code_cols):
            continue
        phases = phases_of(cells[from_col].replace("Failed(hr)", "Failed"), order)
        if phases is None:
            continue
        for api_name in methods:
            names = aliases(api_name)
            if not _names(cells[event_col], names):
                continue
            text = " ".join(cells[c] for c in code_cols)
            codes = _expand(text, known)
            if re.search(r"\bhr\b", text):
                codes.add("hr")
            rejection = machine == "RequesterSession" and _UNCHANGED.search(cells[3]) is not None
            if rejection:  # "no change" / "ignored": whatever the result, the phase is kept
                for phase in phases:
                    after.setdefault((api_name, phase), set()).add(phase)
            if machine == "RequesterSession" and not rejection:
                # a row with an effect: its success, and the codes of the rules it cites
                cited = _cited(cells[rules_col]) | _cited(cells[code_cols[-1]])
                for rule in cited:
                    codes |= rule_codes.get(rule, set())
                codes.add(_success(api_name))
                for phase, target in targets_of(cells[3], phases, order).items():
                    after.setdefault((api_name, phase), set()).add(target)
            for phase in phases:
                listed.setdefault((api_name, phase), set()).update(codes)
    index: dict[tuple[str, str], tuple[str, ...]] = {}
    for api_name, states in methods.items():
        extra = common if api_name.startswith("IVssBackupComponents::") else set()
        for state in states:
            phases = [p for p in order + ("—",) if _state(p) == state] or [EXTRA.get(state, state)]
            found: set[str] = set()
            for phase in phases:
                if (api_name, phase) in READINGS:
                    source = READINGS[(api_name, phase)][0]
                    found |= rule_codes[source] if source in rule_codes else listed[(api_name, source)]
                found |= listed.get((api_name, phase), set())
            if not found and machine == "RequesterSession":
                found = {"VSS_E_BAD_STATE"}
            if found:
                index[(api_name, state)] = tuple(sorted(found | extra))
            if targets is not None:
                # a kept phase is the declared state itself (prepare_failed is read as Prepared)
                leads = {state if t == p else _state(t) for p in phases for t in after.get((api_name, p), ())}
                if leads and (api_name, state) not in DISAGREEMENTS:
                    targets[(api_name, state)] = tuple(sorted(leads))
    return index


def _state(phase: str) -> str:
    return FOLDED.get(phase) or snake(phase)


def machine_methods(machine: str) -> dict[str, tuple[str, ...]]:
    """The API methods a program calls on ``machine`` and the machine's declared states."""
    from shadowspec.model.system import MACHINES
    from shadowspec.spec.vocabulary import ENVIRONMENT_PREFIX

    cls = next(c for c in MACHINES if c.__name__ == machine)
    states = tuple(s.id for s in cls.states)
    return {name: states for event, name in cls.API_NAMES.items() if not event.startswith(ENVIRONMENT_PREFIX)}


MACHINE_NAMES = ("RequesterSession", "AsyncOperation")


def generate(rules_text: str) -> str:
    lines = ['"""The results rules.md documents per API method and declared state, and the state a successful',
             "call leads to. Generated; do not edit.",
             "",
             "Regenerate with ``python -m shadowspec.checks.documented_phases ../shared/domain/rules.md "
             "-o checks/phase_result_index.py``.",
             '"""', "",
             "PHASE_RESULTS: dict[tuple[str, str], tuple[str, ...]] = {"]
    targets: dict[tuple[str, str], tuple[str, ...]] = {}
    for machine in MACHINE_NAMES:
        found = documented(rules_text, machine, machine_methods(machine),
                           targets if machine == "RequesterSession" else None)
        for (method, state), codes in sorted(found.items()):
            lines.append(f"    ({method!r}, {state!r}): {codes!r},")
    lines.append("}")
    lines.append("")
    lines.append("PHASE_AFTER: dict[tuple[str, str], tuple[str, ...]] = {")
    for (method, state), leads in sorted(targets.items()):
        lines.append(f"    ({method!r}, {state!r}): {leads!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generator_main("documented_phases", __doc__.splitlines()[0], generate, argv)


if __name__ == "__main__":
    sys.exit(main())
