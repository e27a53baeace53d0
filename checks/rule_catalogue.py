"""The index of rules.md (id, kind, short title, source, link), kept as a generated module.

rules.md lives beside the repository (``../shared/domain/rules.md``), not in the package, so the
tool must work without it: ``checks/rule_index.py`` is a snapshot generated from it by

    python -m shadowspec.checks.rule_catalogue ../shared/domain/rules.md -o checks/rule_index.py

and ``tests/traceability/test_rule_index.py`` fails when the snapshot no longer matches rules.md.
"""

from __future__ import annotations

from .generator_cli import generator_main

import re
import sys
from dataclasses import dataclass

FAMILIES = ("REQ", "ASY", "WRT", "CSV", "NODE", "DATA", "INV", "LIV", "AMB")
BEHAVIOURAL = ("REQ", "ASY", "WRT", "CSV", "NODE", "DATA")
"""The families of behavioural and data rules (INV/LIV are properties, AMB ambiguities)."""

_ROW = re.compile(r"^\|\s*((?:%s)-\d+[a-z]?)\s*\|(.*)\|\s*$" % "|".join(FAMILIES))
_KINDS = ("MUST", "SHOULD", "MAY", "OBS", "ERR", "VER", "DATA", "TIMER", "ORDER", "HAZARD", "HOLD", "OBLIG")
"""The Kind words of rules.md (revision 2 adds SHOULD, MAY, OBS and MUST NOT). A Kind cell may
qualify its word ("MUST (requester)", "ERR (OBS)", "MUST (A) / SHOULD (B)"): the index keeps the
whole cell, so a checker can read the strength (``checks.strength``)."""
_KIND_CELL = re.compile(r"^\**(%s)\b" % "|".join(_KINDS))
WITHDRAWN = "WITHDRAWN"
"""The Kind of a withdrawn row (rules.md writes "—" and "withdrawn: merged into ...")."""
_TITLE_LENGTH = 110


@dataclass(frozen=True)
class Rule:
    """One row of rules.md."""

    id: str
    kind: str
    title: str
    source: str
    url: str

    @property
    def family(self) -> str:
        return self.id.split("-")[0]


def _title(text: str) -> str:
    """The first sentence of a paraphrase, shortened to fit a table cell."""
    text = re.sub(r"\s+", " ", text.replace("**", "")).strip()
    sentence = re.split(r"(?<!e\.g)(?<!i\.e)(?<=[a-z0-9)])\. ", text, maxsplit=1)[0].rstrip(".")
    if len(sentence) > _TITLE_LENGTH:
        sentence = sentence[:_TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return sentence


_SDK = re.compile(r"sdk-api:(\w+)/([\w.-]+?)\.md")
_WIN32 = re.compile(r"win32:(\w+)/([\w.-]+?)\.md")


def _links(text: str) -> dict[str, str]:
    """Page file name -> published address, for every full reference in rules.md (so that a
    later bare ``querystatus.md`` finds its page)."""
    found: dict[str, str] = {}
    for match in _SDK.finditer(text):
        found.setdefault(match[2].rsplit("-", 1)[-1], f"https://learn.microsoft.com/windows/win32/api/{match[1]}/{match[2]}")
        found.setdefault(match[2], found[match[2].rsplit("-", 1)[-1]])
    for match in _WIN32.finditer(text):
        found.setdefault(match[2], f"https://learn.microsoft.com/windows/win32/{match[1].lower()}/{match[2]}")
    return found


def _url(source: str, links: dict[str, str]) -> str:
    """A documentation link for the first source reference that has a published address."""
    for part in re.split(r";\s*", source):
        part = part.strip()
        match = _SDK.search(part)
        if match:
            return f"https://learn.microsoft.com/windows/win32/api/{match[1]}/{match[2]}"
        match = _WIN32.search(part)
        if match:
            return f"https://learn.microsoft.com/windows/win32/{match[1].lower()}/{match[2]}"
        if "MS-CMRP" in part or part.startswith("§"):
            return "https://learn.microsoft.com/openspecs/windows_protocols/ms-cmrp/"
        match = re.match(r"(learn\.microsoft\.com/[\w./-]+)", part)
        if match:
            return f"https://{match[1]}"
        match = re.match(r"([\w.-]+?)\.md\b", part)
        if match and match[1] in links:
            return links[match[1]]
    return ""


def parse(text: str) -> list[Rule]:
    """Every rule row of rules.md, in document order; a "same" source is the row above's."""
    links = _links(text)
    rules: list[Rule] = []
    previous_source = ""
    for line in text.splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        rule_id, rest = match[1], [cell.strip() for cell in match[2].split("|")]
        family = rule_id.split("-")[0]
        if family == "AMB":
            kind, title, source = "AMB", rest[0], ""
        elif family in ("INV", "LIV"):
            kind, title, source = rest[0], rest[1], ""
        elif _KIND_CELL.match(rest[0]):
            kind, title, source = rest[0].replace("*", ""), rest[1], rest[-1]
        elif rest[0] in ("—", "-") and rest[1].startswith("withdrawn"):
            kind, title, source = WITHDRAWN, rest[1], rest[-1]
        else:  # DATA rows: | ID | constraint | source |
            kind, title, source = "DATA", rest[0], rest[-1]
        if source.startswith("same"):
            tail = source[4:].strip()
            source = previous_source + (f"{tail}" if tail.startswith(";") else f"; {tail}" if tail.startswith("(") else "")
        elif source:
            previous_source = source
        rules.append(Rule(rule_id, kind, _title(title), source, _url(source, links)))
    return rules


def render_module(rules: list[Rule]) -> str:
    """The source of ``checks/rule_index.py`` for ``rules``."""
    lines = [
        '"""The rules of rules.md: (id, kind, title, source, url). Generated; do not edit.',
        "",
        "Regenerate with ``python -m shadowspec.checks.rule_catalogue ../shared/domain/rules.md "
        "-o checks/rule_index.py``.",
        '"""',
        "",
        "RULES: tuple[tuple[str, str, str, str, str], ...] = (",
    ]
    for rule in rules:
        lines.append(f"    ({rule.id!r}, {rule.kind!r}, {rule.title!r}, {rule.source!r}, {rule.url!r}),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def rules() -> list[Rule]:
    """The rules of the committed snapshot."""
    from .rule_index import RULES

    return [Rule(*row) for row in RULES]


def main(argv: list[str] | None = None) -> int:
    return generator_main("rule_catalogue", "Regenerate the rule index from rules.md.",
                          lambda text: render_module(parse(text)), argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
