"""The first line of a report: what failed, by name (a configuration's property, a cut-short
search, a log), or what passed, never a verdict the lines below contradict.

A pure function of the report object (``reports.document``) shared by the HTML and Markdown
reports, so they say the same thing.
"""

from __future__ import annotations

from typing import Any

UNDECIDED = "no violation within bound"


def check_word(check: dict[str, Any]) -> str:
    """PASS, FAIL (a decided verdict not as expected) or INCOMPLETE (cut short, nothing contradicted)."""
    if check.get("passed"):
        return "PASS"
    wrong = any(not p["as_expected"] and p["verdict"] != UNDECIDED for p in check["properties"])
    return "FAIL" if wrong or check["exploration"].get("complete", True) else "INCOMPLETE"


def failures(report: dict[str, Any]) -> list[str]:
    """Each thing that makes the report fail, in words, in report order."""
    found: list[str] = []
    for check in report.get("checks", []):
        name = check["config"]["name"]
        wrong = [p["id"] for p in check["properties"] if not p["as_expected"] and p["verdict"] != UNDECIDED]
        if wrong:
            found.append(f"configuration {name}: {', '.join(wrong)} not as the documentation implies")
        exploration = check["exploration"]
        if not exploration.get("complete", True):
            undecided = sum(1 for p in check["properties"] if p["verdict"] == UNDECIDED)
            found.append(f"configuration {name}: search incomplete ({exploration.get('stop_reason')}, "
                         f"{exploration['states']:,} states; {undecided} properties undecided)")
    for log in (report.get("conform") or {}).get("logs", []):
        verdict = log.get("verdict")
        if verdict == "conforms":
            continue
        findings = log.get("findings", [])
        errors = sum(1 for f in findings if f.get("severity") == "error")
        detail = {"violates": f"{errors} error finding{'s' if errors != 1 else ''}",
                  "unreadable": log.get("error") or "cannot be read",
                  "incomplete": log.get("incomplete") or "checked only in part"}.get(verdict, str(verdict))
        found.append(f"log {log['file']} {verdict} ({detail})")
    return found


def passes(report: dict[str, Any]) -> list[str]:
    """What was checked and passed, for the line under a PASS (or beside a failure)."""
    said: list[str] = []
    checks = report.get("checks", [])
    good = [c["config"]["name"] for c in checks
            if c["exploration"].get("complete", True) and all(p["as_expected"] for p in c["properties"])]
    if good:
        said.append(f"every verdict as the documentation implies in {', '.join(good)}")
    logs = [log["file"] for log in (report.get("conform") or {}).get("logs", []) if log.get("verdict") == "conforms"]
    if logs:
        said.append(f"{len(logs)} log{'s' if len(logs) != 1 else ''} conform{'s' if len(logs) == 1 else ''}")
    return said
