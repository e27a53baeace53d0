"""The traceability matrix (``checks.traceability``) as a GitHub-flavoured Markdown page."""

from __future__ import annotations

from typing import Any

from .escape import md_text


class Safe(str):
    """Markdown already escaped part by part."""


def _cell(text: str) -> str:
    """A table cell: escaped, unless it was built here from escaped parts (``Safe``)."""
    return text if isinstance(text, Safe) else md_text(text)


def _ran(value: bool | None) -> str:
    return "not run" if value is None else "yes" if value else "no"


def _rule(row: dict[str, Any]) -> str:
    if not row["url"]:
        return md_text(row["id"])
    url = "".join(c if c.isalnum() or c in "-._~:/?#@!$&'()*+,;=%" else f"%{ord(c):02X}" for c in str(row["url"])
                  if ord(c) < 128)
    return Safe(f"[{md_text(row['id'])}](<{url}>)")


def render(matrix: dict[str, Any]) -> str:
    """One table row per rule; unencoded rules carry their reason in the spec column."""
    summary = matrix["summary"]
    lines = [
        "# Traceability: rules.md to specification, properties and runs",
        "",
        f"**{summary['line']}.**",
        "",
        f"Check reports: {', '.join(matrix['sources']['checks']) or 'none'}; "
        f"Hypothesis: {'given' if matrix['sources']['hypothesis'] else 'not run'}; "
        f"logs: {'given' if matrix['sources']['logs'] else 'not run'}.",
        "",
        "| rule | kind | rule (short) | encoded by | checked by | explored in | Hypothesis | logs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in matrix["rules"]:
        if row["status"] == "not encoded":
            encoded = Safe(f"*not encoded: {md_text(row.get('reason') or 'NO REASON GIVEN')}*")
        elif row["status"] == "checked only":
            encoded = Safe("*only a property*")
        else:
            encoded = Safe("<br>".join(md_text(item) for item in row["spec"]))
        decided = {d["property"] for d in row["decided"]}
        checked = ", ".join(p if p in decided else f"{p} (not decided)" for p in row["properties"]) or "—"
        lines.append("| " + " | ".join(_cell(c) for c in (
            _rule(row), row["kind"], row["title"], encoded, checked,
            ", ".join(row["exploration"]) or "—", _ran(row["hypothesis"]), _ran(row["logs"]))) + " |")
    return "\n".join(lines) + "\n"
