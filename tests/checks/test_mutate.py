"""``shadowspec mutate`` on the real specification, on its smallest shipped configurations.

What could fail: a mutant that the documentation says must be noticed is not (the protocol-2.0
guard of SET_SHARED_VOLUME_BACKUP_MODE, CSV-03: INV-18 and PRN-01 must notice); the composition
with nothing dropped drifting from ``System``; a dropped cross-machine effect that changes
nothing; the score file gate not failing when the score drops; SARIF without the survivor's line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache

import pytest

from shadowspec.checks import mutate as runner
from shadowspec.checks.fingerprint import fingerprint
from shadowspec.checks.run import measure
from shadowspec.model.config import shipped
from shadowspec.model.mutation import MutatedSystem, effect_sites

CONFIGS = shipped()


@lru_cache(maxsize=None)
def _census(name: str) -> runner.Census:
    return runner.census(name, CONFIGS[name])


def _mutant(mutant_id: str, name: str) -> runner.Mutant:
    found = {m.id: m for m in runner.mutants([_census(name)])}
    return found[mutant_id]


def test_the_census_passes_and_finds_the_steps_taken() -> None:
    info = _census("csv-protocol-2")
    assert info.passed
    assert ("CsvVolume", "normal", "set_backup_mode") in info.groups


def test_a_dropped_protocol_guard_is_killed_by_the_rules_it_breaks() -> None:
    mutant = _mutant("CsvVolume.set_backup_mode@normal#0:negate-guard(protocol_2)", "csv-protocol-2")
    info = _census("csv-protocol-2")
    outcome = runner.evaluate(mutant, [("csv-protocol-2", CONFIGS["csv-protocol-2"], info.fingerprint)])
    assert outcome["status"] == "killed"
    assert "INV-18" in outcome["kills"][0]["properties"]


def test_a_swapped_result_on_a_rejected_call_is_killed_by_the_documented_results() -> None:
    """ERROR_INVALID_FUNCTION -> the next result of SET_CSV_MAINTENANCE_MODE's declarations; on a
    protocol-2.0 server the control code must fail with ERROR_INVALID_FUNCTION (CSV-03)."""
    info = _census("csv-protocol-2")
    swapped = [m for m in runner.mutants([info], operators=("swap-result",), machines=("CsvVolume",))
               if runner.relevant(m, info) and m.result == "ERROR_INVALID_FUNCTION"]
    assert swapped
    outcome = runner.evaluate(swapped[0], [("csv-protocol-2", CONFIGS["csv-protocol-2"], info.fingerprint)],
                              without=frozenset({"PRN-01", "PRN-02"}))
    assert outcome["status"] in ("killed", "equivalent")


def test_the_composition_with_nothing_dropped_is_the_system() -> None:
    config = CONFIGS["volume-limit"]
    plain = measure(config)
    sited = measure(config, build=lambda c, r: MutatedSystem(c, r))
    assert fingerprint(plain.system, plain.exploration) == fingerprint(sited.system, sited.exploration)


def test_every_fired_effect_site_is_a_declared_one_and_dropping_it_changes_the_graph() -> None:
    info = _census("volume-limit")
    lines = {site.line for site in effect_sites()}
    assert info.effects and set(info.effects) <= lines
    line = sorted(info.effects)[0]
    config = CONFIGS["volume-limit"]
    dropped = measure(config, build=lambda c, r: MutatedSystem(c, r, drop=line))
    assert fingerprint(dropped.system, dropped.exploration) != info.fingerprint


def test_the_summary_counts_and_groups_survivors_by_rule() -> None:
    info = _census("csv-protocol-2")
    found = [m for m in runner.mutants([info], operators=("negate-guard",), machines=("CsvVolume",))][:3]
    outcomes = {found[0].id: {"status": "killed", "status_without": "survived", "kills": [
                    {"config": "x", "properties": ["PRN-01"]}], "changed_in": [], "checked": ["x"]},
                found[1].id: {"status": "survived", "status_without": "survived", "kills": [],
                              "changed_in": ["x"], "checked": ["x"]},
                found[2].id: {"status": "equivalent", "status_without": "equivalent", "kills": [],
                              "changed_in": [], "checked": ["x"]}}
    data = runner.summarise(found, outcomes, [info], ("negate-guard",), 1.0, 1, frozenset({"PRN-01"}))
    assert data["score"]["score"] == 50.0 and data["score"]["score_without"] == 0.0
    assert data["score"]["equivalent"] == 1
    for rule in found[1].rules:
        assert data["survivors_by_rule"][rule] == [found[1].id]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "shadowspec", "mutate", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
def test_cli_sarif_and_score_gate(tmp_path) -> None:
    score = tmp_path / "score.json"
    args = ("--config", "csv-protocol-2", "--machine", "CsvVolume", "--operator", "swap-result",
            "--workers", "1", "--no-timings")
    done = _cli(*args, "--format", "sarif", "--write-score", str(score))
    assert done.returncode == 0, done.stderr
    sarif = json.loads(done.stdout)
    assert sarif["version"] == "2.1.0"
    committed = json.loads(score.read_text())
    for result in sarif["runs"][0]["results"]:
        assert result["level"] == "warning"
        where = result["locations"][0]["physicalLocation"]
        assert where["artifactLocation"]["uri"] == "spec/csv_volume.py" and where["region"]["startLine"] > 0
    assert len(sarif["runs"][0]["results"]) == committed["survived"]
    again = _cli(*args, "--format", "json")
    assert again.stdout == _cli(*args, "--format", "json").stdout  # deterministic
    score.write_text(json.dumps({"score": committed["score"]}))
    assert _cli(*args, "--min-score", str(score)).returncode == 0  # the score it committed passes
    score.write_text(json.dumps({"score": committed["score"] + 0.01}))
    failed = _cli(*args, "--min-score", str(score))
    assert failed.returncode == 1 and "below the committed" in failed.stderr  # any higher bar fails
    bad = _cli("--config", "no-such-config")
    assert bad.returncode == 2 and "no such shipped configuration" in bad.stderr
