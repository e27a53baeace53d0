"""SARIF has one result per real finding: transitions no configuration fired are one note per
machine (one per transition only with --dead-transitions), and a cut-short search is one result,
not one per undecided property."""

from __future__ import annotations

import json
import subprocess
import sys


def sarif(*args: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "shadowspec", "report", "--format", "sarif", *args],
                          capture_output=True, text=True, timeout=600)
    return json.loads(done.stdout)["runs"][0]["results"]


def test_dead_transitions_are_one_note_per_machine_unless_asked() -> None:
    results = sarif("--config", "volume-limit")
    dead = [r for r in results if r["ruleId"] == "dead-transition"]
    machines = [r["properties"]["machine"] for r in dead]
    assert len(machines) == len(set(machines)) and 0 < len(dead) <= 7
    total = sum(r["properties"]["transitions"] for r in dead)
    assert total > 300                                   # volume-limit fires few of the 527 transitions
    assert len(results) - len(dead) < 20                 # the real findings are not drowned
    every = [r for r in sarif("--config", "volume-limit", "--dead-transitions") if r["ruleId"] == "dead-transition"]
    assert len(every) == total


def test_an_incomplete_search_is_one_result() -> None:
    # The report command has no bound of its own: render a saved bounded check.
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "check.json"
        subprocess.run([sys.executable, "-m", "shadowspec", "check", "--config", "volume-limit", "--max-states", "50",
                        "--format", "json", "--no-timings", "-o", str(saved)], capture_output=True, timeout=600)
        results = sarif("--from", str(saved))
    assert [r["ruleId"] for r in results].count("incomplete-search") == 1
    assert not any(r.get("properties", {}).get("verdict") == "no violation within bound" for r in results)
