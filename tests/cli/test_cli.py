"""The command line: exit codes, one-line errors, formats, and nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shadowspec.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shadowspec", *args], capture_output=True, text=True)


@pytest.mark.parametrize("args, fragment", [
    (["check", "--requesters", "9"], "requesters = 9"),
    (["check", "--bogus"], "No such option"),
    (["check", "--config", "nope"], "shipped:"),
    (["check", "--reading", "AMB-10=maybe"], "expected one of reject, accept"),
    (["check", "--reading", "AMB-10"], "expected AMB-NN=reading"),
    (["check", "--reading", "AMB-99=x"], "readings exist for"),
    (["check", "--format", "xml"], "'xml' is not one of"),
    (["chek"], "Did you mean 'check'"),
])
def test_bad_usage_is_one_line_and_exit_2(args: list[str], fragment: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert fragment in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("content, fragment", [
    ("requesters = [", "not valid TOML"),
    ('requesters = "x"', "requesters = 'x'"),
    ("colour = 1", "unknown key 'colour'"),
    ('callers = ["teleport"]', "callers[0] = 'teleport'; expected a list of names from"),
    ('environment = [["x"]]', "environment[0] = ['x']; expected a list of names from"),
    ('readings = {"AMB-10" = 3}', "readings['AMB-10'] = 3"),
    (b"\xff\xfe\x00", "not a UTF-8"),
])
def test_bad_configuration_file(tmp_path: Path, content: str | bytes, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    done = run("check", "--config", str(path))
    assert done.returncode == 2, done.stderr
    assert fragment in done.stderr and str(path) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_json_output_is_documented_shape_and_reproducible(tmp_path: Path) -> None:
    first = run("check", "--config", "csv-modes", "--format", "json", "--no-timings")
    second = run("check", "--config", "csv-modes", "--format", "json", "--no-timings")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["schema_version"] == 1
    assert set(data["exploration"]) >= {"states", "transitions", "depth", "complete"}
    for prop in data["properties"]:
        assert set(prop) >= {"id", "slug", "expected", "verdict"}
    inv24 = next(p for p in data["properties"] if p["id"] == "INV-24")
    assert inv24["verdict"] == "violated" and inv24["counterexample"][-1]["call"] == "ClusterResourceControl"


def test_text_and_markdown_formats() -> None:
    text = run("check", "--config", "cluster-2012")
    assert text.returncode == 0, text.stderr
    assert "INV-20" in text.stdout and "PASS" in text.stdout
    markdown = run("check", "--config", "cluster-2012", "--format", "md")
    assert markdown.stdout.startswith("# shadowspec check: cluster-2012")
    assert "| INV-20 | HOLD | holds |" in markdown.stdout


def test_a_mismatch_exits_1(tmp_path: Path) -> None:
    # AMB-10 read as "accept": a mismatched DelayTimerInSecs is accepted, so INV-19 is violated.
    done = run("check", "--config", "csv-modes", "--reading", "AMB-10=accept")
    assert done.returncode == 1
    assert "INV-19" in done.stdout and "FAIL" in done.stdout


def test_an_incomplete_search_exits_1_and_says_incomplete() -> None:
    done = run("check", "--config", "requester-api", "--max-states", "100", "--format", "json")
    assert done.returncode == 1  # incomplete: no decided verdict contradicts the documentation
    assert json.loads(done.stdout)["exploration"]["complete"] is False


def test_output_file_is_written_whole_and_missing_folder_refused(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    assert main(["check", "--config", "csv-protocol-2", "--format", "json", "-o", str(target)]) == 0
    assert json.loads(target.read_text())["passed"] is True
    assert main(["check", "--config", "csv-protocol-2", "-o", str(tmp_path / "no" / "x.json")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_listing_commands() -> None:
    assert "cluster-2008r2" in run("configs").stdout
    assert "INV-19" in run("properties").stdout
    assert "AMB-10" in run("vocabulary").stdout
