"""The conformance report as GitHub-flavoured Markdown (a CI step summary).

Values from a log or a file are escaped (``escape.md_text``, ``escape.md_code``): no raw HTML,
no code span or table cell a value can break out of, no line break that starts a heading.
"""

from __future__ import annotations

from typing import Any

from .escape import md_code, md_text as _cell


def _rules(finding: dict[str, Any]) -> str:
    sources = finding.get("sources", {})
    return ", ".join(f"[{_cell(r)}](<{_url(sources[r])}>)" if str(sources.get(r, "")).startswith("https://")
                     else _cell(r) for r in finding["rules"])


def _url(url: str) -> str:
    """A link destination in angle brackets: nothing in it can end the link or add markup."""
    return "".join(c if c.isalnum() or c in "-._~:/?#[]@!$&'()*+,;=%" else f"%{ord(c):02X}"
                   for c in url if ord(c) < 128)


def _strength(finding: dict[str, Any]) -> str:
    """The severity with the rule's strength and the finding id: ``error (must, OBLIG-33)``."""
    extra = ", ".join(str(x) for x in (finding.get("strength"), finding.get("id")) if x)
    return f"{finding['severity']} ({_cell(extra)})" if extra else str(finding["severity"])


def render(report: dict[str, Any]) -> str:
    summary = report["summary"]
    lines = ["# shadowspec conform", "",
             f"{summary['logs']} log(s): {summary['conforms']} conform, {summary['violates']} violate, "
             f"{summary['incomplete']} incomplete, {summary['unreadable']} unreadable; "
             f"{summary['errors']} error(s), {summary['warnings']} warning(s).", "",
             "| log | verdict | errors | warnings |", "|---|---|---|---|"]
    for log in report["logs"]:
        lines.append(f"| {md_code(log['file'])} | {log['verdict']} | {log.get('errors', '-')} | "
                     f"{log.get('warnings', '-')} |")
    for log in report["logs"]:
        if log["verdict"] == "unreadable":
            lines += ["", f"## {md_code(log['file'])}", "", f"Unreadable: {_cell(log['error'])}"]
            continue
        if not log["findings"] and not log.get("incomplete"):
            continue
        lines += ["", f"## {md_code(log['file'])}", ""]
        if log.get("incomplete"):
            lines += [f"Incomplete: {_cell(log['incomplete'])}", ""]
        if log["findings"]:
            lines += ["| line | severity | side | actor | call | rules | message | allowed |",
                      "|---|---|---|---|---|---|---|---|"]
            for f in log["findings"]:
                lines.append(f"| {f['line']} | {_strength(f)} | {f['side']} | {_cell(f['actor'])} | "
                             f"{md_code(f['call'])} | {_rules(f)} | {_cell(f['message'])} | "
                             f"{_cell(', '.join(f['allowed']))} |")
    coverage = report["coverage"]
    readings = ", ".join(f"{amb}={reading}" for amb, reading in report["readings"].items())
    lines += ["", "## Coverage", "",
              f"{coverage['transitions_exercised']} of {coverage['transitions_declared']} declared transitions; "
              f"rules exercised: {', '.join(coverage['rules']) or 'none'}.", "", f"Readings: {readings}.", ""]
    return "\n".join(lines)
