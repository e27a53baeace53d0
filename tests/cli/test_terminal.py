"""Every subcommand run as a person runs it: at a real (pseudo-)terminal, through ``pexpect``.

Piped runs (``subprocess``, ``CliRunner``) never take the terminal paths: colour, the terminal's
width, the progress line on stderr, Ctrl-C. ``shadowspec check`` once crashed there with
``AttributeError: get_terminal_size`` (click 8.2 removed ``click.get_terminal_size``) while every
piped test passed; these tests run each subcommand under a pty of a known size.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "conformance" / "corpus"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def at_terminal(*args: str, columns: int = 100, timeout: int = 240, cwd: Path | None = None) -> tuple[int, str]:
    """(exit status, everything the terminal showed) of ``shadowspec ARGS`` under a pty."""
    child = pexpect.spawn(sys.executable, ["-m", "shadowspec", *args], dimensions=(40, columns),
                          encoding="utf-8", timeout=timeout, cwd=str(cwd) if cwd else None,
                          env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus, child.before


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\r\n", "\n")


def test_check_at_a_terminal_prints_its_report_in_colour_within_the_width() -> None:
    status, shown = at_terminal("check", "--config", "volume-limit", columns=100)
    assert "Traceback" not in shown and "get_terminal_size" not in shown
    assert status == 0, shown[-2000:]
    assert ANSI.search(shown), "a terminal gets colour"
    text = plain(shown)
    assert "PASS: every verdict as the documentation implies" in text
    widths = [len(line) for line in text.splitlines()]
    assert max(widths) <= 100


def test_check_follows_the_terminal_width() -> None:
    _, wide = at_terminal("check", "--config", "volume-limit", columns=160)
    assert max(len(line) for line in plain(wide).splitlines()) > 100


def test_check_piped_has_no_colour(tmp_path: Path) -> None:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "shadowspec", "check", "--config", "volume-limit"],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0 and not ANSI.search(done.stdout) and not ANSI.search(done.stderr)


def test_progress_then_ctrl_c_stops_in_one_line() -> None:
    child = pexpect.spawn(sys.executable, ["-m", "shadowspec", "check", "--config", "default"],
                          dimensions=(40, 100), encoding="utf-8", timeout=240,
                          env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    child.expect(r"[\d,]+ states, [\d,]+ states/s, queue [\d,]+, depth \d+")  # the progress line
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "shadowspec: interrupted" in child.before and "Traceback" not in child.before


@pytest.mark.parametrize("args, status, fragment", [
    (["--help"], 0, "Commands:"),
    (["configs"], 0, "volume-limit"),
    (["properties"], 0, "INV-21"),
    (["vocabulary"], 0, "readings (first is the default):"),
    (["check", "--config", "volume-limit", "--max-states", "50"], 1, "incomplete: state bound 50 reached (50 states)"),
    (["check", "--config", "volume-limit", "--format", "json", "--no-timings"], 0, '"schema_version"'),
    (["check", "--config", "volume-limit", "--format", "md"], 0, "# shadowspec check: volume-limit"),
    (["conform", str(CORPUS / "good" / "csv-backup-2008r2.jsonl")], 0, "csv-backup-2008r2.jsonl"),
    (["conform", str(CORPUS / "bad" / "call-after-release.jsonl")], 1, "call-after-release.jsonl"),
    (["diagram", "--machine", "AsyncOperation", "--format", "mermaid"], 0, "stateDiagram"),
    (["report", "--config", "volume-limit", "--format", "md"], 0, "volume-limit"),
    (["check", "--requesters", "9"], 2, "requesters = 9"),
])
def test_every_subcommand_at_a_terminal(args: list[str], status: int, fragment: str) -> None:
    code, shown = at_terminal(*args)
    assert "Traceback" not in shown
    assert code == status, plain(shown)[-2000:]
    assert fragment in plain(shown)


def test_baseline_and_gate_at_a_terminal(tmp_path: Path) -> None:
    baseline = tmp_path / "base" / "baseline.json"
    code, shown = at_terminal("baseline", "--config", "volume-limit", "-o", str(baseline))
    assert code == 0 and "Traceback" not in shown, plain(shown)
    code, shown = at_terminal("gate", "--config", "volume-limit", "--baseline", str(baseline))
    assert code == 0 and "Traceback" not in shown, plain(shown)


def test_diagram_files_at_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder"
    code, shown = at_terminal("diagram", "--machine", "AsyncOperation", "--format", "dot", "-o", str(out))
    assert code == 0 and "Traceback" not in shown, plain(shown)
    assert (out / "AsyncOperation.dot").is_file()
