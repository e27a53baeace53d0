"""The conformance report as data: one entry per log, coverage, readings, and the exit code.

``as_dict`` is the documented JSON (``schema_version`` 1); the text and Markdown renderers read
the same dictionary, so the three formats never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shadowspec.model.compiled import TransitionId, declared_transitions
from shadowspec.model.system import MACHINES

from .findings import Finding

SCHEMA_VERSION = 1
VERDICTS = ("conforms", "violates", "incomplete", "unreadable")


@dataclass
class LogReport:
    file: str
    system: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    omitted: int = 0
    calls: int = 0
    error: str | None = None
    incomplete: str | None = None
    errors: int = 0
    warnings: int = 0
    malformed: int = 0
    """Lines that could not be used (findings of kind ``input``): the exit code is then 2."""
    transitions: set[TransitionId] = field(default_factory=set)

    @classmethod
    def unreadable(cls, file: str, message: str) -> "LogReport":
        return cls(file, error=message)

    def add(self, finding: Finding, limit: int) -> None:
        if finding.kind == "input":
            self.malformed += 1
        if finding.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.findings) < limit:
            self.findings.append(finding)
        else:
            self.omitted += 1

    @property
    def verdict(self) -> str:
        if self.error:
            return "unreadable"
        if self.errors:
            return "violates"
        return "incomplete" if self.incomplete else "conforms"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "verdict": self.verdict}
        if self.error:
            data["error"] = self.error
            data["findings"] = []
            return data
        data.update({"system": self.system, "calls": self.calls, "errors": self.errors,
                     "warnings": self.warnings,
                     "findings": [f.as_dict() for f in sorted(self.findings, key=lambda f: f.line)]})
        if self.omitted:
            data["omitted_findings"] = self.omitted
        if self.malformed:
            data["malformed_lines"] = self.malformed
        if self.incomplete:
            data["incomplete"] = self.incomplete
        return data


@dataclass
class Report:
    logs: list[LogReport]
    readings: dict[str, str]

    @property
    def exit_code(self) -> int:
        if any(log.error or log.malformed for log in self.logs):
            return 2
        return 1 if any(log.verdict in ("violates", "incomplete") for log in self.logs) else 0

    def coverage(self) -> dict[str, Any]:
        fired = set().union(*(log.transitions for log in self.logs)) if self.logs else set()
        declared = [t for cls in MACHINES for t in declared_transitions(cls)]
        rules = sorted({rule for t in fired for rule in t.rules})
        return {"transitions_declared": len(declared), "transitions_exercised": len(fired),
                "transitions": sorted(str(t) for t in fired), "rules": rules}

    def as_dict(self) -> dict[str, Any]:
        verdicts = [log.verdict for log in self.logs]
        return {
            "schema_version": SCHEMA_VERSION,
            "readings": dict(sorted(self.readings.items())),
            "summary": {"logs": len(self.logs), **{v: verdicts.count(v) for v in VERDICTS},
                        "errors": sum(log.errors for log in self.logs),
                        "warnings": sum(log.warnings for log in self.logs)},
            "logs": [log.as_dict() for log in self.logs],
            "coverage": self.coverage(),
            "exit_code": self.exit_code,
        }
