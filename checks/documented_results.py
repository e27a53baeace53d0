"""The results each API method's documentation gives, read from rules.md (its error column).

Why: "every result a call returns is one of the results its page documents" must be decided
against the documentation, never against the transitions under test (a mistyped ``returns`` in
``spec/`` would then document itself). rules.md lives beside the repository, so the sets are kept
as a generated module, ``checks/result_index.py``:

    python -m shadowspec.checks.documented_results ../shared/domain/rules.md -o checks/result_index.py

and ``tests/checks/test_documented_results.py`` fails when the snapshot no longer matches rules.md.

How a method's set is read. The methods are the API names the declared machines model
(``API_NAMES``: the calls a program makes). A method is named in rules.md by its short name (after
``::``; a control code without its ``CLUSCTL_RESOURCE_`` prefix, and also without ``SHARED_VOLUME_``,
as the state tables of section 7.4 write it). Its documented results are every result code in

* the "Error / effect" column of each rule row (sections 1-6) whose paraphrase or error column
  names the method;
* every cell of each state-table row (section 7) whose "From" or "Event" cell names the method;
* for ``IVssBackupComponents`` methods, the codes of the paragraph "Common to nearly every
  IVssBackupComponents method";

and ``S_OK``/``ERROR_SUCCESS`` where the method's family returns them. The words "system error"
(NODE-06: a Win32 error the page does not name) are the code ``SYSTEM_ERROR``. For an IVssAsync
method whose row returns ``hr``, the documented results also include those of the operation the
object belongs to (``operation`` argument): see ``checks/principles.py``.
"""

from __future__ import annotations

from .generator_cli import generator_main

import re
import sys

CODE = re.compile(r"\b(?:S_OK|S_FALSE|E_[A-Z]+(?:_[A-Z]+)*|VSS_[ES]_[A-Z_]+|ERROR_[A-Z_]+|SYSTEM_ERROR)\b")
_RULE_ROW = re.compile(r"^\|\s*(?:REQ|ASY|WRT|CSV|NODE|DATA)-\d+[a-z]?\s*\|")
_COMMON = "Common to nearly every IVssBackupComponents method"


def _codes(text: str) -> set[str]:
    text = re.sub(r"\bsystem error\b", "SYSTEM_ERROR", text, flags=re.IGNORECASE)
    return set(CODE.findall(text))


def _expand(text: str, known: set[str]) -> set[str]:
    """Codes in ``text``, with abbreviations resolved: a bare ``BACKUP_IN_PROGRESS`` is the one
    code rules.md spells in full that ends with it (section 7.4 abbreviates so)."""
    found = _codes(text)
    for token in re.findall(r"(?<![A-Z_])[A-Z]+(?:_[A-Z]+)+(?![A-Z_])", text):
        if token in found:
            continue
        full = [code for code in known if code.endswith("_" + token)]
        if len(full) == 1:
            found.add(full[0])
    return found


THREE_CODES = "the three control codes"
"""rules.md's own name (CSV-03..05, section 7.4) for SET_SHARED_VOLUME_BACKUP_MODE and the two
DIRECTIO codes."""


def aliases(api_name: str) -> tuple[str, ...]:
    """The names rules.md uses for an API method."""
    short = api_name.split("::")[-1]
    names = [short]
    if short.startswith("CLUSCTL_RESOURCE_"):
        names.append(short[len("CLUSCTL_RESOURCE_"):])
        names.append(names[-1].replace("SHARED_VOLUME_", ""))
        if "DIRECTIO" in short or "BACKUP_MODE" in short:
            names.append(THREE_CODES)
    return tuple(dict.fromkeys(names))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _names(text: str, names: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text, flags=re.IGNORECASE
                         if " " in name else 0) for name in names)


def _pages(rules_text: str) -> dict[str, str]:
    """``seed:NNN`` -> the page it is a copy of, from "Sources: seed:NNN and <address>" lines."""
    found = {}
    for match in re.finditer(r"(seed:\d{3}) and (https://\S+)", rules_text):
        found[match[1]] = match[2].rstrip(" ;").rsplit("/", 1)[-1].lower()
    return found


def _cites_page(source: str, short: str, pages: dict[str, str]) -> bool:
    """Whether a rule's Source cell cites the method's own page (its file name ends with the
    method's name, as the sdk-api pages are named)."""
    cited = source.lower()
    for seed, page in pages.items():
        if re.search(rf"{seed}(?!\d)", source):
            cited += " " + page
    return re.search(rf"[-/]{re.escape(short.lower())}(?:\.md)?(?![a-z])", cited) is not None


def documented(rules_text: str, api_name: str) -> tuple[str, ...]:
    """The sorted result codes rules.md documents for ``api_name``."""
    names = aliases(api_name)
    short = names[0]
    known = _codes(rules_text)
    pages = _pages(rules_text)
    found: set[str] = set()
    in_state_tables = False
    previous = ""
    for line in rules_text.splitlines():
        if line.startswith("## "):
            in_state_tables = line.startswith("## 7.")
        if line.startswith(_COMMON) and api_name.startswith("IVssBackupComponents::"):
            found |= _codes(line)
        if line.startswith("Precedence of checks for " + THREE_CODES) and THREE_CODES in names:
            found |= _codes(line)
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        if _RULE_ROW.match(line) and len(cells) >= 5:
            column = cells[3]
            if column.lower().startswith("same"):
                column = previous
            previous = column
            if not _codes(column):
                column = column + " " + cells[2]  # "see text", "—": the paraphrase gives the codes
            if _names(cells[2], names) or _names(cells[3], names) or _cites_page(cells[4], short, pages):
                found |= _expand(column, known)
        elif in_state_tables and len(cells) >= 3 and (_names(cells[0], names) or _names(cells[1], names)):
            found |= _expand(" ".join(cells[2:]), known)
    if api_name.startswith(("IVss", "CreateVss", "IUnknown")):
        found.add("S_OK")
    elif api_name.startswith(("Cluster", "CLUSCTL")):
        found.add("ERROR_SUCCESS")
    return tuple(sorted(found))


def api_names() -> tuple[str, ...]:
    """The API methods a program calls, as the declared machines name them."""
    from shadowspec.model.system import MACHINES
    from shadowspec.spec.vocabulary import ENVIRONMENT_PREFIX

    names: set[str] = set()
    for cls in MACHINES:
        if cls.ACTOR == "vss":
            continue
        for event, name in cls.API_NAMES.items():
            if not event.startswith(ENVIRONMENT_PREFIX):
                names.add(name)
    return tuple(sorted(names))


def generate(rules_text: str) -> str:
    lines = ['"""The results rules.md documents per API method. Generated; do not edit.',
             "",
             "Regenerate with ``python -m shadowspec.checks.documented_results ../shared/domain/rules.md "
             "-o checks/result_index.py``.",
             '"""', "",
             "RESULTS: dict[str, tuple[str, ...]] = {"]
    for name in api_names():
        lines.append(f"    {name!r}: {documented(rules_text, name)!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generator_main("documented_results", __doc__.splitlines()[0], generate, argv)


if __name__ == "__main__":
    sys.exit(main())
