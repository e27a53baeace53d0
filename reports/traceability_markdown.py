"""The traceability matrix (``checks.traceability``) as a GitHub-flavoured Markdown page."""

from __future__ import annotations

from typing import Any


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _ran(value: bool | None) -> str:
    return "not run" if value is None else "yes" if value else "no"


def _rule(row: dict[str, Any]) -> str:
    return f"[{row['id']}]({row['url']})" if row["url"] else row["id"]


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
            encoded = f"*not encoded: {row.get('reason') or 'NO REASON GIVEN'}*"
        elif row["status"] == "checked only":
            encoded = "*only a property*"
        else:
            encoded = "<br>".join(row["spec"])
        decided = {d["property"] for d in row["decided"]}
        checked = ", ".join(p if p in decided else f"{p} (not decided)" for p in row["properties"]) or "—"
        lines.append("| " + " | ".join(_cell(c) for c in (
            _rule(row), row["kind"], row["title"], encoded, checked,
            ", ".join(row["exploration"]) or "—", _ran(row["hypothesis"]), _ran(row["logs"]))) + " |")
    return "\n".join(lines) + "\n"
