"""The held-out corpus: real programs' logs written by a separate engineer who never saw the
checker's changes (README.md), judged with the assertions of the first corpus
(``tests/conformance/real/test_real_programs.py``): exact (line, side, severity, strength)
multiset and verdict, then the decisive id and every expected citation."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from ..real.test_real_programs import assert_citations, assert_verdict, report_of

HERE = Path(__file__).parent
LOGS = {path.stem: path for path in sorted((HERE / "logs").glob("*.jsonl"))}
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))["logs"]


def test_every_log_has_an_expectation_and_every_expectation_a_log() -> None:
    assert set(LOGS) == set(EXPECTED) and len(LOGS) == 29


def test_every_log_names_its_repository_and_commit() -> None:
    for name, path in LOGS.items():
        meta = json.loads(path.read_text(encoding="utf-8").splitlines()[0])["meta"]
        assert meta["program"] and meta["scenario"], name
        assert re.match(r"^[\w.-]+/[\w.-]+@[0-9a-f]{7,40}$", meta["repository"]), (name, meta["repository"])


@pytest.mark.parametrize("name", sorted(LOGS))
def test_verdict(name: str) -> None:
    assert_verdict(report_of(name, LOGS), EXPECTED[name]["findings"])


@pytest.mark.parametrize("name", sorted(name for name in LOGS if EXPECTED[name]["findings"]))
def test_citations(name: str) -> None:
    assert_citations(report_of(name, LOGS), EXPECTED[name]["findings"])
