"""``shadowspec check`` over several configurations: one line per configuration, one summary table
in which each property names the configuration that decided it, the suite JSON document
(schema_version 2), exit codes 0/1."""

from __future__ import annotations

import json

from shadowspec.checks.suite import SCHEMA_VERSION
from shadowspec.cli import main

NAMES = ["csv-modes", "csv-protocol-2", "volume-limit"]


def _suite(capsys, *extra: str) -> tuple[int, str]:
    args = ["check"] + [a for n in NAMES for a in ("--config", n)] + list(extra)
    code = main(args)
    return code, capsys.readouterr().out


def test_json_suite_document(capsys) -> None:
    code, out = _suite(capsys, "--format", "json", "--no-timings")
    data = json.loads(out)
    assert code == 0 and data["passed"] and data["exit_code"] == 0
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert [r["config"]["name"] for r in data["configs"]] == NAMES
    for row in data["summary"]:
        verdicts = [next(p for p in r["properties"] if p["id"] == row["id"]) for r in data["configs"]]
        deciders = [n for n, p in zip(NAMES, verdicts) if p["verdict"] != "not exercised"]
        if deciders:  # the first configuration that decided it, with its verdict
            assert row["decided_by"] == deciders[0]
            assert row["verdict"] == verdicts[NAMES.index(deciders[0])]["verdict"]
        else:
            assert row["decided_by"] is None and row["verdict"] == "not exercised" and row["reason"]
    _, again = _suite(capsys, "--format", "json", "--no-timings")
    assert again == out  # byte for byte


def test_text_has_one_line_per_configuration_then_the_table(capsys) -> None:
    code, out = _suite(capsys)
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == f"shadowspec check: {len(NAMES)} configurations"
    for name, line in zip(NAMES, lines[1:1 + len(NAMES)]):
        assert line.startswith(name) and line.endswith("ok")
    header = lines[1 + len(NAMES) + 1]
    assert "decided by" in header and header.startswith("id")
    assert any(line.startswith("INV-18") and "csv-modes" in line for line in lines)
    assert "PASS" in lines[-1]


def test_markdown_suite(capsys) -> None:
    code, out = _suite(capsys, "--format", "md")
    assert code == 0 and "| decided by |" in out and out.count("| csv-modes |") >= 1


def test_an_incomplete_configuration_fails_the_suite(capsys) -> None:
    code, out = _suite(capsys, "--max-states", "50", "--format", "json", "--no-timings")
    data = json.loads(out)
    assert code == 1 and not data["passed"]
    assert all(row["verdict"] != "holds" for row in data["summary"])


def test_configurations_checked_two_at_a_time_give_the_same_document(capsys, monkeypatch) -> None:
    """The forked workers (``checks/suite.py``) against one configuration after the other in
    this process: the same JSON byte for byte, and every configuration's progress relayed."""
    from shadowspec.checks.suite import run_suite
    from shadowspec.model.config import shipped

    monkeypatch.setenv("SHADOWSPEC_JOBS", "1")
    _, alone = _suite(capsys, "--format", "json", "--no-timings")
    monkeypatch.setenv("SHADOWSPEC_JOBS", "2")
    _, together = _suite(capsys, "--format", "json", "--no-timings")
    assert together == alone
    seen: dict[str, set[str]] = {name: set() for name in NAMES}
    announced: list[str] = []

    def progress(config):
        return (lambda *figures: seen[config.name].add("exploring"),
                lambda i, n, prop: seen[config.name].add("deciding"))
    suite = run_suite([shipped()[n] for n in NAMES], progress=progress,
                      announce=lambda r: announced.append(r.config["name"]), jobs=2)
    assert announced == NAMES and [r.config["name"] for r in suite.reports] == NAMES
    assert all(phases == {"exploring", "deciding"} for phases in seen.values())
