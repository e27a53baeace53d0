"""``shadowspec report``: every format from a saved check, deterministic, and its errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from shadowspec.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "conformance" / "corpus"
FORMATS = ("html", "md", "junit", "sarif", "json")


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("saved")
    target = folder / "check.json"
    assert main(["check", "--config", "cluster-2008r2", "--format", "json", "-o", str(target)]) == 0
    return target


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_renders_without_absolute_paths_or_timings(fmt: str, saved: Path, tmp_path: Path) -> None:
    target = tmp_path / f"r.{fmt}"
    assert main(["report", "--from", str(saved), "--format", fmt, "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "INV-21" in text and "clear_never_cancels_other_nodes_backup" in text
    assert str(tmp_path) not in text and str(ROOT) not in text and str(saved.parent) not in text
    assert '"seconds"' not in text and "states_per_second" not in text   # the saved check's timings are dropped


def test_same_bytes_across_processes_and_hash_seeds(saved: Path, tmp_path: Path) -> None:
    """The JSON carries everything the other formats render (paths, lines, SVG); set and dict
    order must not leak into it, so two processes with different hash seeds agree."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"r{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "shadowspec", "report", "--from", str(saved), "--format", "json",
                        "-o", str(target)], check=True, env=env, cwd=tmp_path)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"svg": "<svg' in outputs[0]


def test_saved_report_object_renders_as_it_is(saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    as_json = tmp_path / "report.json"
    assert main(["report", "--from", str(saved), "--format", "json", "-o", str(as_json)]) == 0
    capsys.readouterr()
    assert main(["report", "--from", str(as_json), "--format", "json", "-o", "-"]) == 0
    assert capsys.readouterr().out == as_json.read_text(encoding="utf-8")


def test_logs_become_test_cases_and_findings(saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    good = "tests/conformance/corpus/good/csv-backup-2008r2.jsonl"
    bad = "tests/conformance/corpus/bad/clear-during-other-nodes-backup.jsonl"
    target = tmp_path / "r.xml"
    code = main(["report", "--from", str(saved), "--logs", good, "--logs", bad, "--format", "junit", "-o", str(target)])
    assert code == 1                                              # a log violates the specification
    suite = ET.parse(target).getroot().findall("testsuite")[-1]
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {good, bad}
    assert cases[good].find("failure") is None and cases[bad].find("failure") is not None
    sarif = tmp_path / "r.sarif"
    main(["report", "--from", str(saved), "--logs", bad, "--format", "sarif", "-o", str(sarif)])
    findings = [r for r in json.loads(sarif.read_text())["runs"][0]["results"] if r["ruleId"].startswith("conform-")]
    assert findings and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == bad for r in findings)
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in findings)


def test_a_run_without_from_checks_the_configuration(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    assert main(["report", "--config", "cluster-2008r2", "--format", "json", "-o", str(target)]) == 0
    data: dict[str, Any] = json.loads(target.read_text())
    assert [c["config"]["name"] for c in data["checks"]] == ["cluster-2008r2"]
    assert data["schema_version"] == 1 and data["passed"] is True


@pytest.mark.parametrize("arguments, message", [
    (["--from", "missing.json"], "--from missing.json: cannot read it"),
    (["--from", "{bad}"], "not JSON"),
    (["--from", "{other}"], "expected the JSON of `shadowspec check`"),
    (["--config", "no-such-config"], "no such file or shipped configuration"),
    (["--format", "pdf"], "'pdf' is not one of"),
    (["-o", "no/such/folder/r.html"], "folder no/such/folder does not exist"),
])
def test_bad_input_is_one_line_and_exit_code_2(arguments: list[str], message: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "other.json").write_text('{"hello": 1}')
    arguments = [a.replace("{bad}", "bad.json").replace("{other}", "other.json") for a in arguments]
    assert main(["report", *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
