"""``shadowspec diagram``: files, stdout, the missing-Graphviz path and bad usage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shadowspec.model.system import MACHINES
from shadowspec.reports.diagrams import machine_mermaid
from shadowspec.spec.async_operation import AsyncOperation


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shadowspec", "diagram", *args], capture_output=True,
                          text=True, env=env)


def test_one_machine_to_stdout() -> None:
    done = run("--machine", "asyncoperation", "--format", "mermaid")
    assert done.returncode == 0
    assert done.stdout == machine_mermaid(AsyncOperation)


def test_every_machine_in_every_format(tmp_path: Path) -> None:
    done = run("--machine", "all", "--format", "dot", "--format", "mermaid", "--format", "svg",
               "--format", "png", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {f"{cls.__name__}{ext}" for cls in MACHINES for ext in (".dot", ".mmd", ".svg", ".png")}
    assert (tmp_path / "Writer.png").read_bytes().startswith(b"\x89PNG")


def test_without_graphviz_it_says_how_to_install_and_writes_dot_and_mermaid(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    done = run("--machine", "Writer", "--format", "svg", "-o", str(tmp_path), env=env)
    assert done.returncode == 1
    assert "apt-get install graphviz" in done.stderr and "brew install graphviz" in done.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"Writer.dot", "Writer.mmd"}


def test_counterexample_files(tmp_path: Path) -> None:
    done = run("--counterexample", "inv-21", "--config", "cluster-2008r2", "--format", "dot",
               "--format", "mermaid", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["INV-21.cluster-2008r2.sequence.dot", "INV-21.cluster-2008r2.sequence.mmd",
                     "INV-21.cluster-2008r2.volume-1.backup-in-progress.dot"]
    sequence = (tmp_path / "INV-21.cluster-2008r2.sequence.mmd").read_text()
    assert "\nsequenceDiagram\n" in sequence and "ClusterClearBackupStateForSharedVolume" in sequence


def test_counterexample_sequence_as_svg_and_png(tmp_path: Path) -> None:
    done = run("--counterexample", "INV-21", "--config", "cluster-2008r2", "--format", "svg",
               "--format", "png", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "INV-21.cluster-2008r2.sequence.svg").read_text()
    assert svg.startswith("<svg") and "ClusterClearBackupStateForSharedVolume" in svg
    png = (tmp_path / "INV-21.cluster-2008r2.sequence.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_self_loops_are_folded_by_default(tmp_path: Path) -> None:
    folded, drawn = tmp_path / "folded", tmp_path / "drawn"
    assert run("--machine", "RequesterSession", "--format", "png", "--format", "dot", "-o", str(folded)).returncode == 0
    assert run("--machine", "RequesterSession", "--format", "png", "--format", "dot", "--self-loops",
               "-o", str(drawn)).returncode == 0
    small = _png_size((folded / "RequesterSession.png").read_bytes())
    big = _png_size((drawn / "RequesterSession.png").read_bytes())
    assert small[0] * small[1] * 2 < big[0] * big[1] and small[1] < big[1] / 2, (small, big)  # no 5,655 px stack
    dot = (folded / "RequesterSession.dot").read_text()
    assert "stays on:" in dot and "listed in their state" in dot
    assert "Create vss backup components" not in dot and "CreateVssBackupComponents" in dot


def test_output_folder_and_parents_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    done = run("--machine", "Writer", "--format", "dot", "-o", str(target) + "/")
    assert done.returncode == 0, done.stderr
    assert (target / "Writer.dot").is_file()
    single = tmp_path / "c" / "d" / "writer.mmd"
    assert run("--machine", "Writer", "--format", "mermaid", "-o", str(single)).returncode == 0
    assert single.read_text().startswith("stateDiagram")


def test_a_summary_instead_of_a_picture_is_written_and_said(tmp_path: Path) -> None:
    target = tmp_path / "out" / "sys.png"
    done = run("--system", "--config", "cluster-2008r2", "--format", "png", "-o", str(target))
    assert done.returncode == 0, done.stderr
    summary = tmp_path / "out" / "sys.summary.txt"
    assert "summarised instead of drawn" in summary.read_text()
    assert "wrote a summary instead of a drawing to" in done.stderr and str(summary) in done.stderr
    assert not target.exists()


def test_system_summary_and_projection() -> None:
    done = run("--system", "--config", "cluster-2008r2")
    assert done.returncode == 0 and "summarised instead of drawn" in done.stdout
    done = run("--system", "--config", "cluster-2008r2", "--project", "volume-1", "--format", "mermaid")
    assert done.returncode == 0 and done.stdout.startswith("flowchart LR")


@pytest.mark.parametrize("args, fragment", [
    (["--machine", "Nope"], "expected all or one of"),
    (["--system"], "--config NAME is needed"),
    (["--system", "--config", "nope"], "shipped:"),
    (["--system", "--config", "csv-modes", "--project", "volume-9"], "components:"),
    (["--project", "volume-1"], "only with --system"),
    (["--machine", "all", "--system"], "choose one of"),
    (["--counterexample", "INV-99", "--config", "csv-protocol-2"], "no such property"),
    (["--counterexample", "INV-01", "--config", "csv-protocol-2"], "no trace to draw"),
    (["--machine", "all"], "cannot go to stdout"),
    (["--format", "gif"], "'gif' is not one of"),
])
def test_bad_usage_is_one_line_and_exit_2(args: list[str], fragment: str) -> None:
    done = run(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert fragment in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
