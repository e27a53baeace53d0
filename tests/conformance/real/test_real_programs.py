"""Real programs' logs: the checker's verdicts must be the ones the documentation implies.

Each log in ``logs/`` is the call sequence of one open-source program or library, read from its
source at a recorded commit (README.md: program, repository@commit, file and function, scenario).
``expected.toml`` holds the findings each log must give, decided from rules.md revision 2 and the
Microsoft pages it cites before the checker was run, never copied from its output.

Two tests per log, so a wrong verdict and a wrong citation are told apart:

- ``test_verdict``: the exact multiset of (line, side, severity, strength) and the log's verdict;
- ``test_citations``: each expected finding is matched by a finding at the same (line, side,
  severity, strength) whose id or first rule is the expected decisive id and which cites every
  expected id (the checker may cite more supporting ids: the rule's invariant, its AMB...).

Failures are expected while the checker is wrong about a log; these tests are never marked xfail.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ..helpers import run

HERE = Path(__file__).parent
LOGS = {path.stem: path for path in sorted((HERE / "logs").glob("*.jsonl"))}
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))["logs"]


def key(line: int, side: str, severity: str, strength: str | None) -> tuple[int, str, str, str | None]:
    return (line, side, severity, strength)


def found(finding: Any) -> tuple[int, str, str, str | None]:
    return key(finding.line, finding.side, finding.severity, getattr(finding, "strength", None))


def cited(finding: Any) -> tuple[str | None, set[str]]:
    """(decisive id, every id) of a finding: its finding id if it has one, else its first rule."""
    rules = tuple(finding.rules)
    identifier = getattr(finding, "id", None)
    decisive = identifier or (rules[0] if rules else None)
    return decisive, set(rules) | ({identifier} if identifier else set())


def report_of(name: str, logs: dict[str, Path] = LOGS) -> Any:
    report = run(logs[name])
    assert report.error is None, report.error
    assert report.incomplete is None, report.incomplete
    return report


def test_every_log_has_an_expectation_and_every_expectation_a_log() -> None:
    assert set(LOGS) == set(EXPECTED)
    assert len(LOGS) >= 24


def test_every_log_names_its_program_and_the_commit_read() -> None:
    for name, path in LOGS.items():
        meta = json.loads(path.read_text(encoding="utf-8").splitlines()[0])["meta"]
        assert meta["program"] and meta["scenario"], name
        assert re.match(r"^[\w.-]+/[\w.-]+@[0-9a-f]{7,40} ", meta["source"]), (name, meta["source"])


def test_the_corpus_covers_at_least_twelve_programs() -> None:
    programs = {name.split("-")[0] for name in LOGS}
    assert len(programs) >= 12, sorted(programs)


@pytest.mark.parametrize("name", sorted(LOGS))
def test_verdict(name: str) -> None:
    assert_verdict(report_of(name), EXPECTED[name]["findings"])


def assert_verdict(report: Any, expected: list[dict[str, Any]]) -> None:
    """The exact multiset of (line, side, severity, strength) and the verdict it implies."""
    want = Counter(key(f["line"], f["side"], f["severity"], f["strength"]) for f in expected)
    got = Counter(found(f) for f in report.findings)
    assert got == want, "\n".join(f"{f.line} {f.side} {f.severity} {getattr(f, 'strength', None)} "
                                  f"{getattr(f, 'id', None)} {list(f.rules)}: {f.message}" for f in report.findings)
    errors = any(f["severity"] == "error" for f in expected)
    assert report.verdict == ("violates" if errors else "conforms")


@pytest.mark.parametrize("name", sorted(name for name in LOGS if EXPECTED[name]["findings"]))
def test_citations(name: str) -> None:
    assert_citations(report_of(name), EXPECTED[name]["findings"])


def assert_citations(report: Any, expected: list[dict[str, Any]]) -> None:
    """Each expected finding matched by one that names its decisive id and cites every expected id."""
    unmatched = list(report.findings)
    for want in expected:
        wanted = key(want["line"], want["side"], want["severity"], want["strength"])
        candidates = [f for f in unmatched if found(f) == wanted]
        hit = next((f for f in candidates
                    if cited(f)[0] == want["rules"][0] and set(want["rules"]) <= cited(f)[1]), None)
        assert hit is not None, (want, [(getattr(f, "id", None), list(f.rules)) for f in candidates])
        unmatched.remove(hit)
