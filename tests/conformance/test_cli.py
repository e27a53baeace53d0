"""``shadowspec conform``: exit codes, formats, stderr, and the output file."""

from __future__ import annotations

import json
import subprocess
import sys

from shadowspec.conform.report import SCHEMA_VERSION

from .helpers import CORPUS

GOOD = str(CORPUS / "good" / "csv-backup-2008r2.jsonl")
BAD = str(CORPUS / "bad" / "prepare-before-set-backup-state.jsonl")


def conform(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shadowspec", "conform", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_exit_codes_and_unreadable_logs_do_not_hide_the_others(tmp_path) -> None:
    assert conform(GOOD).returncode == 0
    assert conform(GOOD, BAD).returncode == 1
    missing = str(tmp_path / "missing.jsonl")
    done = conform(missing, BAD, "--format", "json")
    assert done.returncode == 2
    assert done.stderr.strip() == f"shadowspec conform: {missing}: cannot read (No such file or directory)"
    data = json.loads(done.stdout)
    assert [log["verdict"] for log in data["logs"]] == ["unreadable", "violates"]


def test_json_is_documented_and_reproducible() -> None:
    first = conform(GOOD, BAD, "--format", "json")
    assert first.stdout == conform(GOOD, BAD, "--format", "json").stdout
    data = json.loads(first.stdout)
    assert data["schema_version"] == SCHEMA_VERSION
    assert set(data) >= {"schema_version", "readings", "logs", "coverage", "summary"}
    (finding,) = data["logs"][1]["findings"]
    assert set(finding) >= {"line", "actor", "call", "side", "severity", "strength", "id", "rules", "message", "allowed"}
    assert data["readings"]["AMB-10"] == "reject"
    assert data["coverage"]["transitions_exercised"] > 0 and data["coverage"]["rules"]


def test_text_and_markdown_name_each_log_and_finding() -> None:
    text = conform(GOOD, BAD).stdout
    assert text.splitlines()[0].startswith(f"{GOOD}: conforms")
    assert "line 7: error (must) [caller] requester-1 IVssBackupComponents::PrepareForBackup" in text
    markdown = conform(GOOD, BAD, "--format", "md").stdout
    assert markdown.startswith("# shadowspec conform")
    assert "| 7 | error (must) | caller |" in markdown


def test_output_file_is_written_whole(tmp_path) -> None:
    target = tmp_path / "report.json"
    assert conform(BAD, "--format", "json", "-o", str(target)).returncode == 1
    assert json.loads(target.read_text())["logs"][0]["verdict"] == "violates"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_bad_options_are_one_line_exit_2(tmp_path) -> None:
    for args, fragment in ((["--reading", "AMB-10=maybe", GOOD], "expected one of reject, accept"),
                           (["--os", "nt4", GOOD], "'nt4' is not one of"),
                           ([GOOD, "-o", str(tmp_path / "no" / "r.json")], "does not exist"),
                           ([], "Missing argument")):
        done = conform(*args)
        assert done.returncode == 2, args
        assert fragment in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "Traceback" not in done.stderr


def test_options_override_the_meta_line() -> None:
    data = json.loads(conform(GOOD, "--os", "2012", "--format", "json").stdout)
    assert data["logs"][0]["system"]["os"] == "2012" and data["logs"][0]["system"]["os_from"] == "option"
