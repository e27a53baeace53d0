#!/usr/bin/env python3
"""Build the recorder's test program with MinGW-w64, run it under Wine, check its logs.

    python record/cpp/tests/run_scenarios.py [--keep DIR]
    python record/cpp/tests/run_scenarios.py --bench N      # recording overhead per call (bench.cpp)

Each scenario of scenarios.cpp writes one log; each is checked with ``shadowspec conform`` and
compared with what the documentation says (trace-format.md, rules.md revision 2): the four
conforming scenarios have no finding at all; the violating one has exactly one, the abort
obligation (OBLIG-36, rules REQ-36 / LIV-07) as an error at the Release line. Expectations are
derived from the log and the documents, never from the checker's output. The pytest tests in
tests/record/ import this module; exit code 0 all as documented, 1 otherwise, 2 no toolchain.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER_DIR = HERE.parent
COMPILERS = {"x86_64": "x86_64-w64-mingw32-g++", "i686": "i686-w64-mingw32-g++"}
FLAGS = ["-std=c++11", "-Wall", "-Wextra", "-Werror"]
LIBRARIES = ["-loleaut32", "-lole32", "-luuid"]

CONFORMING = ("happy-path", "failed-snapshot-via-querystatus", "snapshot-set-in-progress", "csv-backup-mode")
VIOLATING = "release-after-prepare-without-abort"
SCENARIOS = CONFORMING + (VIOLATING,)
ABORT_OBLIGATION = ("OBLIG-36", "REQ-36")
WITHDRAWN = "REQ-44"  # merged into REQ-36 by rules.md revision 2


class ToolchainMissing(RuntimeError):
    """The MinGW-w64 cross compiler or Wine is not installed."""


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ToolchainMissing(f"{name} not found (Debian: g++-mingw-w64-x86-64 g++-mingw-w64-i686 wine)")
    return found


def compile_program(source: Path, output: Path, target: str = "x86_64", optimize: str = "-O2") -> None:
    """Compile a test program against the recorder and MinGW-w64's real Windows SDK headers."""
    command = [tool(COMPILERS[target]), *FLAGS, optimize, "-static", f"-I{HEADER_DIR}", str(source),
               "-o", str(output), *LIBRARIES]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")


def syntax_check(target: str) -> subprocess.CompletedProcess[str]:
    """The header alone, with -Wall -Wextra -Werror, for one MinGW-w64 target."""
    return subprocess.run([tool(COMPILERS[target]), *FLAGS, "-fsyntax-only", "-x", "c++", f"-I{HEADER_DIR}", "-"],
                          input='#include "shadowspec_record.h"\n', capture_output=True, text=True)


class Wine:
    """Wine with a prefix of its own, created on first use; no display, no stdin, no debug output."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.wine = tool("wine")
        self.env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
                        WINEARCH="win64")
        self.env.pop("DISPLAY", None)

    def run(self, program: Path, *args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.wine, str(program), *args], cwd=cwd, env=self.env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)

    def stop(self) -> None:
        """End this prefix's wineserver (and only it)."""
        server = shutil.which("wineserver")
        if server:
            subprocess.run([server, "-k"], env=self.env, capture_output=True, timeout=60)


def conform(log: Path) -> dict:
    """``shadowspec conform --format json`` of one log (the CLI, as a user runs it)."""
    done = subprocess.run([sys.executable, "-m", "shadowspec", "conform", "--format", "json", str(log)],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"shadowspec conform {log.name} exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)["logs"][0]


def release_lines(log: Path) -> list[int]:
    """1-based lines where a requester's IVssBackupComponents is released to count 0."""
    lines = []
    for number, text in enumerate(log.read_text(encoding="utf-8").splitlines(), 1):
        entry = json.loads(text)
        if (entry.get("call") == "IUnknown::Release" and entry.get("result") == "0"
                and entry.get("args", {}).get("interface") == "IVssBackupComponents"):
            lines.append(number)
    return lines


@dataclass
class Verdict:
    scenario: str
    problems: list[str]

    @property
    def as_documented(self) -> bool:
        return not self.problems


def judge(scenario: str, log: Path, report: dict) -> Verdict:
    """What differs between the checker's report and the documented verdict of a scenario."""
    problems = []
    findings = report.get("findings", [])
    if scenario in CONFORMING:
        if report.get("verdict") != "conforms":
            problems.append(f"verdict {report.get('verdict')!r}, documented: conforms")
        problems += [f"line {f['line']}: {f['severity']} {f['message']}" for f in findings]
        return Verdict(scenario, problems)
    releases = release_lines(log)
    if len(findings) != 1:
        problems.append(f"{len(findings)} findings, documented: exactly one (the abort obligation)")
    for finding in findings[:1]:
        if finding["severity"] != "error" or finding.get("side") != "caller":
            problems.append(f"{finding['severity']} on the {finding.get('side')} side, documented: a caller error")
        if finding["line"] not in releases:
            problems.append(f"at line {finding['line']}, documented: the Release line {releases}")
        named = set(finding.get("rules", [])) | {word.strip(":.,") for word in finding.get("message", "").split()}
        if not named & set(ABORT_OBLIGATION):
            problems.append(f"names {sorted(finding.get('rules', []))}, documented: OBLIG-36 (REQ-36, LIV-07)")
        if WITHDRAWN in finding.get("rules", []):
            problems.append(f"names {WITHDRAWN}, withdrawn by rules.md revision 2 (merged into REQ-36)")
    return Verdict(scenario, problems)


def run_scenarios(work: Path, wine: Wine) -> dict[str, Verdict]:
    """Build scenarios.exe in ``work``, run it there, judge every log."""
    program = work / "scenarios.exe"
    compile_program(HERE / "scenarios.cpp", program)
    done = wine.run(program, cwd=work)
    if done.returncode:
        raise RuntimeError(f"scenarios.exe exited {done.returncode}: {done.stderr[-2000:]}")
    verdicts = {}
    for scenario in SCENARIOS:
        log = work / f"{scenario}.jsonl"
        if not log.is_file():
            raise RuntimeError(f"scenarios.exe wrote no {log.name}")
        verdicts[scenario] = judge(scenario, log, conform(log))
    return verdicts


def bench(calls: int) -> int:
    """Build bench.cpp, run it under Wine, print its per-call figures."""
    with tempfile.TemporaryDirectory(prefix="shadowspec-bench-") as scratch:
        work = Path(scratch)
        wine = Wine(work / "wineprefix")
        try:
            compile_program(HERE / "bench.cpp", work / "bench.exe")
            done = wine.run(work / "bench.exe", str(calls), cwd=work)
        finally:
            wine.stop()
        print(done.stdout, end="")
        return done.returncode


def main(argv: list[str]) -> int:
    if "--bench" in argv:
        try:
            return bench(int(argv[argv.index("--bench") + 1]))
        except ToolchainMissing as missing:
            print(f"run_scenarios: {missing}", file=sys.stderr)
            return 2
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    with tempfile.TemporaryDirectory(prefix="shadowspec-record-") as scratch:
        work = keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        try:
            wine = Wine(Path(scratch) / "wineprefix")
            for target in COMPILERS:
                checked = syntax_check(target)
                print(f"{target}: header compiles with {' '.join(FLAGS)}: {'yes' if not checked.returncode else 'NO'}")
                if checked.returncode:
                    print(checked.stderr)
                    return 1
            verdicts = run_scenarios(work, wine)
        except ToolchainMissing as missing:
            print(f"run_scenarios: {missing}", file=sys.stderr)
            return 2
        finally:
            if "wine" in locals():
                wine.stop()
    for verdict in verdicts.values():
        print(f"{verdict.scenario}: {'as documented' if verdict.as_documented else 'NOT as documented'}")
        for problem in verdict.problems:
            print(f"    {problem}")
    return 0 if all(v.as_documented for v in verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
