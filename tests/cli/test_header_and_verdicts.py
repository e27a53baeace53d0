"""The header states the configuration actually checked, and a cut-short search reads as
incomplete (exit 1 with the word INCOMPLETE), never as a mismatch."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shadowspec", *args], capture_output=True, text=True, timeout=600)


def test_the_header_states_every_override_the_os_and_the_readings() -> None:
    done = run("check", "--config", "volume-limit", "--volumes", "1", "--os", "2012", "--protocol", "2.0",
               "--reading", "AMB-10=accept")
    header = " ".join(" ".join(done.stdout.splitlines()[:5]).split())  # lines wrap at the width
    # The shipped description says "2 CSVs"; the header says what was checked.
    assert "configuration: 1 requester, 1 node, 1 CSV, no writers; Windows Server 2012 or later; protocol 2.0;" in header
    assert "AMB-10=accept" in header and "max_volumes_per_set = 1" in header
    assert "2 CSVs" not in header
    assert "volume-limit with --volumes 1 --os 2012 --protocol 2.0 --reading AMB-10=accept" in header
    md = run("check", "--config", "volume-limit", "--volumes", "1", "--reading", "AMB-10=accept", "--format", "md")
    assert "Configuration: 1 requester, 1 node, 1 CSV, no writers;" in md.stdout and "AMB-10=accept" in md.stdout
    data = json.loads(run("check", "--config", "volume-limit", "--os", "2012", "--format", "json",
                          "--no-timings").stdout)
    assert data["config"]["summary"].startswith("1 requester, 1 node, 2 CSVs, no writers; Windows Server 2012")


def test_a_bounded_search_is_incomplete_not_a_mismatch() -> None:
    done = run("check", "--config", "volume-limit", "--max-states", "50")
    assert done.returncode == 1, done.stdout[-1500:]
    assert "MISMATCH" not in done.stdout and "FAIL" not in done.stdout
    assert "incomplete: state bound 50 reached (50 states)" in done.stdout
    assert "INCOMPLETE: state bound 50 reached (50 states);" in done.stdout
    assert "no decided verdict contradicts the documentation" in " ".join(done.stdout.split())  # wrapped to the width
    table = [line for line in done.stdout.splitlines() if line.startswith("INV-01")]
    assert table and "incomplete" in table[0]


def test_rules_exercised_are_rules_not_property_ids() -> None:
    data = json.loads(run("check", "--config", "requester-api", "--format", "json", "--no-timings").stdout)
    exercised = data["coverage"]["rules_exercised"]
    ids = {p["id"] for p in data["properties"]}
    assert exercised and not ids & set(exercised), sorted(ids & set(exercised))
