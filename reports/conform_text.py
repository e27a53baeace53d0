"""The conformance report for a person at a terminal: a summary line per log, then findings.

Every value from a log or a file goes through ``escape.one_line``: control characters are shown
as escapes and line breaks as spaces, so a log cannot send ESC sequences to the terminal or fake
a line of the report.
"""

from __future__ import annotations

from typing import Any

from .escape import one_line as _t


def summary_line(log: dict[str, Any]) -> str:
    """One line per log: its verdict and counts (or why it could not be read)."""
    if log["verdict"] == "unreadable":
        return f"{_t(log['file'])}: unreadable: {_t(log['error'])}"
    system = log["system"]
    return (f"{_t(log['file'])}: {log['verdict']}: {log['errors']} error(s), {log['warnings']} warning(s) in "
            f"{log['calls']:,} calls (os {system['os']} from {system['os_from']}, protocol "
            f"{system['protocol']} from {system['protocol_from']})")


def _strength(finding: dict[str, Any]) -> str:
    """``error (must)``, ``warning (doc-conflict)``, with the finding id where there is one."""
    extra = ", ".join(x for x in (finding.get("strength"), finding.get("id")) if x)
    return f"{finding['severity']} ({extra})" if extra else str(finding["severity"])


def finding_lines(finding: dict[str, Any]) -> list[str]:
    rules = ", ".join(finding["rules"]) or "no rule"
    lines = [f"  line {finding['line']}: {_t(_strength(finding))} [{finding['side']}] {_t(finding['actor'])} "
             f"{_t(finding['call'])}: {_t(finding['message'])}", f"    rules: {_t(rules)}"]
    if finding["allowed"]:
        lines.append(f"    allowed: {_t(', '.join(finding['allowed']))}")
    for rule, source in finding.get("sources", {}).items():
        lines.append(f"    {_t(rule)}: {_t(source)}")
    return lines


def render(report: dict[str, Any]) -> str:
    lines = [summary_line(log) for log in report["logs"]]
    for log in report["logs"]:
        if log["findings"]:
            lines += ["", f"{_t(log['file'])}:"]
            for finding in log["findings"]:
                lines += finding_lines(finding)
            if log.get("omitted_findings"):
                lines.append(f"  ... and {log['omitted_findings']:,} more findings")
        if log.get("incomplete"):
            lines += ["", f"{_t(log['file'])}: incomplete: {_t(log['incomplete'])}"]
    coverage = report["coverage"]
    readings = ", ".join(f"{amb}={reading}" for amb, reading in report["readings"].items())
    lines += ["", f"readings: {readings}",
              f"coverage: {coverage['transitions_exercised']} of {coverage['transitions_declared']} declared "
              f"transitions, {len(coverage['rules'])} rules exercised: {', '.join(coverage['rules'])}", ""]
    return "\n".join(lines)
