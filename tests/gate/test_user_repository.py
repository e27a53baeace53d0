"""The gate in a backup product's repository: its own configuration file and recorded logs, a
baseline at a path of its choosing, run from a folder that is not this repository (where
``reports/baseline.json`` does not exist)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "conformance" / "corpus"
PRODUCT = """name = "product"
description = "the product's agent: one requester, one node, two CSVs"
requesters = 1
nodes = 1
volumes = 2
writers = 0
max_volumes_per_set = 1
callers = []
environment = []
"""


def shadowspec(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shadowspec", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "backup-product"
    (repo / "shadowspec").mkdir(parents=True)
    (repo / "shadowspec" / "product.toml").write_text(PRODUCT, encoding="utf-8")
    (repo / "logs").mkdir()
    shutil.copy(CORPUS / "good" / "csv-backup-2008r2.jsonl", repo / "logs" / "nightly.jsonl")
    shutil.copy(CORPUS / "bad" / "call-after-release.jsonl", repo / "logs" / "crash-test.jsonl")
    return repo


def test_baseline_and_gate_with_the_products_own_files(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    recorded = shadowspec(repo, "baseline", "--config", "shadowspec/product.toml",
                          "--logs", "logs/nightly.jsonl", "--logs", "logs/crash-test.jsonl",
                          "-o", "ci/shadowspec/baseline.json")
    assert recorded.returncode == 0, recorded.stderr
    data = json.loads((repo / "ci" / "shadowspec" / "baseline.json").read_text(encoding="utf-8"))
    assert list(data["configs"]) == ["product"] and data["configs"]["product"]["source"] == "shadowspec/product.toml"
    assert data["logs"]["logs/crash-test.jsonl"]["verdict"] == "violates"
    assert data["logs"]["logs/nightly.jsonl"]["verdict"] == "conforms"

    same = shadowspec(repo, "gate", "--baseline", "ci/shadowspec/baseline.json")
    assert same.returncode == 0, same.stdout + same.stderr
    assert "no unexpected difference" in same.stdout

    # The product changes: the crash test no longer uses the object after Release, and the
    # configuration drops a volume. The gate names both changes.
    lines = (repo / "logs" / "crash-test.jsonl").read_text(encoding="utf-8").splitlines()
    (repo / "logs" / "crash-test.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    (repo / "shadowspec" / "product.toml").write_text(PRODUCT.replace("volumes = 2", "volumes = 1"),
                                                      encoding="utf-8")
    changed = shadowspec(repo, "gate", "--baseline", "ci/shadowspec/baseline.json")
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "log logs/crash-test.jsonl now conforms (was violates)" in changed.stdout
    assert "product:" in changed.stdout and "[states]" in changed.stdout


def test_the_default_baseline_path_outside_this_repository_is_one_line(tmp_path: Path) -> None:
    done = shadowspec(tmp_path, "gate")
    assert done.returncode == 2
    assert "--baseline reports/baseline.json: no such file" in done.stderr
    assert "shadowspec baseline -o" in done.stderr and "Traceback" not in done.stderr
