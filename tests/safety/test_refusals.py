"""Hostile files for every option that reads one: one line on stderr, exit code 2, no traceback
(issue 11: ``environment = [["x"]]``, malformed baseline entries, deep nesting, a catch-all
allow entry, huge integers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shadowspec.cli import main

DEEP = "[" * 100_000 + "]" * 100_000
BASELINE = json.loads((Path(__file__).resolve().parents[2] / "reports" / "baseline.json").read_text())


def one_line_exit_2(capsys, argv: list[str], fragment: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


@pytest.mark.parametrize("text, fragment", [
    ('environment = [["x"]]', "environment[0] = ['x']"),
    ("requesters = " + "9" * 5000, "c.toml"),
    ("a = " + "[" * 5000 + "]" * 5000, "c.toml"),
    ('readings = {"AMB-99" = "x"}', "readings"),
])
def test_hostile_configuration_files(tmp_path, capsys, text: str, fragment: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    one_line_exit_2(capsys, ["check", "--config", str(path)], fragment)


@pytest.mark.parametrize("content, fragment", [
    (DEEP, "nested too deeply"),
    ('{"schema_version": 1, "configs": {"default": {"states": "many"}}}', "configs['default']"),
    ('{"schema_version": 1, "configs": {"default": []}}', "configs['default']"),
    ('{"schema_version": 1, "configs": {}, "allow": [{"config": "*", "key": "*", "why": "all"}]}', 'config "*"'),
    ('{"schema_version": 1, "configs": {}, "allow": [{"config": "*", "key": "**", "why": "all", "wildcard": true}]}',
     "would allow every difference"),
    ('{"schema_version": 1, "configs": {}, "n": ' + "9" * 5000 + "}", "not usable JSON"),
])
def test_hostile_baselines(tmp_path, capsys, content: str, fragment: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    one_line_exit_2(capsys, ["gate", "--baseline", str(path), "--config", "default"], fragment)


def test_an_exact_allow_entry_covers_one_key_and_a_wildcard_says_so() -> None:
    from shadowspec.checks.baseline import Difference, allowed
    from shadowspec.gate_command import report_text

    differences = [Difference("default", "states", "+1 states"), Difference("default", "depth", "depth 1 -> 2")]
    exact = [{"config": "default", "key": "states", "why": "x"}]
    assert [allowed(d, exact) for d in differences] == [exact[0], None]
    wild = [{"config": "*", "key": "dep*", "why": "x", "wildcard": True}]
    assert [allowed(d, wild) for d in differences] == [None, wild[0]]
    text = report_text([differences[0]], [differences[1]], [], "b.json", [wild[0]])
    assert "depth 1 -> 2  [depth]  (allowed by wildcard)" in text


@pytest.mark.parametrize("content, fragment", [
    (DEEP, "not usable JSON"),
    ('{"tool": "shadowspec", "checks": [{"config": {"name": 5}}]}', "checks[0]"),
    ('{"logs": [{"file": "x", "verdict": "owned", "findings": []}]}', "logs[0]['verdict']"),
    ('{"logs": [], "n": ' + "9" * 5000 + "}", "not usable JSON"),
])
def test_hostile_saved_reports(tmp_path, capsys, content: str, fragment: str) -> None:
    path = tmp_path / "saved.json"
    path.write_text(content)
    one_line_exit_2(capsys, ["report", "--from", str(path), "--format", "md"], fragment)
