"""The process keeps its oracles from one conformance run to the next (``checker.shared``): a log's
report must not depend on what was checked before it in the process.

An oracle interns local states as it meets them, so the same state has another number after
other logs were checked; any output that leaked those numbers (an order of findings or of allowed
calls) would differ between a cold and a warm oracle. Each log is checked with fresh oracles and
again after the others (in reverse order) on one shared set, and the JSON must be the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shadowspec.conform.checker import Options, Oracles, check, shared
from shadowspec.conform.report import Report
from shadowspec.conform.run import check_logs

CORPUS = Path(__file__).resolve().parent / "corpus"
LOGS = sorted(CORPUS.glob("*/*.jsonl"))
FEW = [CORPUS / "good" / "two-nodes-same-csv.jsonl", CORPUS / "good" / "retry-snapshot-set-in-progress.jsonl",
       CORPUS / "bad" / "delay-timer-expired.jsonl", CORPUS / "bad" / "clear-during-other-nodes-backup.jsonl",
       CORPUS / "bad" / "never-released.jsonl"]


def _json(path: Path, oracles: Oracles) -> str:
    return json.dumps(Report([check(str(path), path.name, Options(), oracles)], {}).as_dict(), sort_keys=True)


def _same_cold_and_warm(logs: list[Path]) -> None:
    cold = {path: _json(path, Oracles(20_000)) for path in logs}
    warm = Oracles(20_000)
    for path in reversed(logs):
        _json(path, warm)
    assert {path: _json(path, warm) for path in logs} == cold


def test_a_log_reads_the_same_after_other_logs() -> None:
    assert all(path.is_file() for path in FEW)
    _same_cold_and_warm(FEW)


@pytest.mark.slow
def test_every_corpus_log_reads_the_same_after_the_others() -> None:
    _same_cold_and_warm(LOGS)


class _Empty:
    """Stands in for an oracle of another configuration (remembers nothing)."""

    def cached_states(self) -> int:
        return 0


def test_runs_share_the_process_oracles_and_stay_bounded() -> None:
    oracles = shared(20_000)
    assert shared(20_000) is oracles
    first = check_logs([str(FEW[0])], Options())[0].as_dict()
    used = len(oracles._cache)
    assert used >= 1
    try:
        for extra in range(Oracles.LIMIT + 8):
            oracles._cache[("fake", extra)] = _Empty()  # type: ignore[index,assignment]
        again = check_logs([str(FEW[0])], Options())[0].as_dict()
        fakes = sum(1 for key in oracles._cache if isinstance(key, tuple) and key[:1] == ("fake",))
        assert len(oracles._cache) <= Oracles.LIMIT + used and fakes <= Oracles.LIMIT
        assert again == first
        oracles.trim()
        assert len(oracles._cache) <= Oracles.LIMIT and oracles.cached_states() <= Oracles.STATES
    finally:
        for key in [key for key in oracles._cache if isinstance(key, tuple) and key[:1] == ("fake",)]:
            del oracles._cache[key]


def test_the_shared_oracles_keep_few_states_between_logs() -> None:
    """A log that needs more states than the bound leaves none of them behind."""
    oracles = shared(20_000)
    check_logs([str(path) for path in FEW], Options())
    oracles.trim()
    assert oracles.cached_states() <= Oracles.STATES
