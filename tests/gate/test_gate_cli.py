"""``shadowspec baseline`` and ``shadowspec gate`` end to end on a small configuration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SMALL = "csv-protocol-2"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shadowspec", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gate") / "baseline.json"
    done = run("baseline", "-o", str(path), "--config", SMALL)
    assert done.returncode == 0, done.stderr
    return path


def test_baseline_records_the_configuration(recorded: Path) -> None:
    data = json.loads(recorded.read_text())
    assert data["schema_version"] == 1 and data["allow"] == []
    entry = data["configs"][SMALL]
    assert set(entry) == {"states", "transitions", "depth", "complete", "fingerprint", "properties",
                          "fired", "facts", "together"}
    assert run("baseline", "-o", "-", "--config", SMALL).stdout == recorded.read_text()


def test_gate_passes_on_its_own_baseline(recorded: Path) -> None:
    done = run("gate", "--baseline", str(recorded), "--config", SMALL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("gate: no unexpected difference")


def _edited(recorded: Path, tmp_path: Path, edit) -> Path:
    data = json.loads(recorded.read_text())
    edit(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    return path


def test_gate_fails_and_explains(recorded: Path, tmp_path: Path) -> None:
    def edit(data: dict) -> None:
        prop = data["configs"][SMALL]["properties"]["INV-18"]
        prop["verdict"] = "violated" if prop["verdict"] != "violated" else "holds"
        data["configs"][SMALL]["states"] -= 1
    done = run("gate", "--baseline", str(_edited(recorded, tmp_path, edit)), "--config", SMALL)
    assert done.returncode == 1
    assert "gate: 2 differences" in done.stdout
    assert "INV-18 " in done.stdout and "[verdict INV-18]" in done.stdout
    assert "+1 states" in done.stdout and "[states]" in done.stdout


def test_allowed_differences_do_not_fail(recorded: Path, tmp_path: Path) -> None:
    def edit(data: dict) -> None:
        data["configs"][SMALL]["depth"] += 1
        data["allow"] = [{"config": SMALL, "key": "depth", "why": "intended"}]
    done = run("gate", "--baseline", str(_edited(recorded, tmp_path, edit)), "--config", SMALL, "--format", "json")
    assert done.returncode == 0
    result = json.loads(done.stdout)
    assert result["passed"] and [d["key"] for d in result["differences"]] == ["depth"]
    assert result["differences"][0]["allowed"] is True


def test_baseline_keeps_the_allow_list(recorded: Path, tmp_path: Path) -> None:
    allow = [{"config": SMALL, "key": "states", "why": "x"}]
    path = _edited(recorded, tmp_path, lambda d: d.update(allow=allow))
    assert run("baseline", "-o", str(path), "--config", SMALL).returncode == 0
    assert json.loads(path.read_text())["allow"] == allow


@pytest.mark.parametrize("content, fragment", [
    (None, "no such file"),
    ("{", "not JSON"),
    ('{"configs": {}}', "not a shadowspec baseline"),
    ('{"schema_version": 1, "configs": {}, "allow": [{"key": 1}]}', "allow[0]"),
])
def test_bad_baseline_is_one_line_and_exit_2(tmp_path: Path, content: str | None, fragment: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    done = run("gate", "--baseline", str(path))
    assert done.returncode == 2 and fragment in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_unknown_configuration_is_exit_2(recorded: Path) -> None:
    done = run("gate", "--baseline", str(recorded), "--config", "nope")
    assert done.returncode == 2 and "shipped:" in done.stderr
