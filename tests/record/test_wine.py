"""The recorder built for Windows with MinGW-w64 and run under Wine, its logs checked.

One program (record/cpp/tests/scenarios.cpp: a VShadow-shaped requester wired to the recorder in
one line, driven against a scripted fake IVssBackupComponents) writes one log per scenario;
``shadowspec conform`` must give each the verdict the documentation gives it
(run_scenarios.judge). A second run writes one line of every kind the recorder can write, and
every one of them must pass the checker's input validation.
"""

from __future__ import annotations

import json
import re

import pytest

from shadowspec.conform.checker import survey
from shadowspec.conform.reader import Entry, Meta, read

from .toolchain import HEADER, driver, require

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    require("x86_64-w64-mingw32-g++", "wine")
    run = driver()
    work = tmp_path_factory.mktemp("record")
    wine = run.Wine(work / "wineprefix")
    try:
        verdicts = run.run_scenarios(work, wine)
        lines = wine.run(work / "scenarios.exe", "all-lines", cwd=work)
        assert lines.returncode == 0, lines.stderr[-2000:]
        yield run, work, verdicts
    finally:
        wine.stop()


@pytest.mark.parametrize("scenario", driver().SCENARIOS)
def test_scenario_log_gets_its_documented_verdict(built, scenario) -> None:
    run, work, verdicts = built
    assert verdicts[scenario].as_documented, verdicts[scenario].problems


def test_violation_is_one_caller_error_at_the_release_line(built) -> None:
    """The part of the violating scenario's verdict that revision 2 did not change."""
    run, work, _ = built
    log = work / f"{run.VIOLATING}.jsonl"
    findings = run.conform(log)["findings"]
    assert [(f["line"], f["severity"], f["side"]) for f in findings] == \
        [(line, "error", "caller") for line in run.release_lines(log)]


def test_one_log_line_per_call_and_a_metadata_first_line(built) -> None:
    run, work, _ = built
    log = work / "happy-path.jsonl"
    entries = list(read(str(log)))
    assert isinstance(entries[0], Meta) and entries[0].values["os"] in ("2008r2", "2012")
    assert entries[0].values["windows_version"].count(".") == 2
    calls = [e for e in entries if isinstance(e, Entry)]
    scenario = (run.HERE / "scenarios.cpp").read_text(encoding="utf-8")
    body = scenario[scenario.index("void Backup("):scenario.index("void Scenario(")]
    for method in ("InitializeForBackup", "SetContext", "SetBackupState", "GatherWriterMetadata", "StartSnapshotSet",
                   "AddToSnapshotSet", "PrepareForBackup", "DoSnapshotSet", "BackupComplete"):
        assert f"backup->{method}(" in body
        assert sum(e.call == f"IVssBackupComponents::{method}" for e in calls) == 1, method
    assert all(e.ts is not None for e in calls)
    assert [e.ts for e in calls] == sorted(e.ts for e in calls)


def test_every_line_the_recorder_writes_passes_the_checkers_input_validation(built) -> None:
    run, work, _ = built
    log = work / "all-lines.jsonl"
    survey(str(log), log.name)  # raises LogError naming the first line the checker refuses
    entries = [e for e in read(str(log)) if isinstance(e, Entry)]
    text = HEADER.read_text(encoding="utf-8")
    recorded = set(re.findall(r'"((?:IVssBackupComponents|IVssAsync|IUnknown)::\w+|CreateVssBackupComponents|'
                              r'Cluster\w+)"', text))
    assert len(recorded) > 50
    missing = recorded - {e.call for e in entries}
    assert not missing, f"all-lines does not exercise {sorted(missing)}: the format test would not cover them"
    values = {json.dumps(v) for e in entries for v in (*e.args.values(), *e.out.values(), e.result, e.status)}
    named = set(re.findall(r"SHADOWSPEC_NAME\(((?:VSS_(?:BT|RTYPE|CT|OBJECT|RS))\w*)\)", text))
    named |= set(re.findall(r'\{0x[0-9A-F]+UL, "(VSS_CTX_\w+|CLUSCTL_RESOURCE_(?:SET|ENABLE|DISABLE)\w+)"\}', text))
    assert len(named) > 30
    unseen = sorted(n for n in named if json.dumps(n) not in values)
    assert not unseen, f"all-lines never writes {unseen}"
    assert any(re.fullmatch(r'"0x[0-9A-F]{8}"', v) for v in values), "no unnamed code written in hex"


@pytest.mark.parametrize("target", ["x86_64", "i686"])
def test_header_compiles_warning_free_on_both_mingw_targets(target, tmp_path) -> None:
    run = driver()
    require(run.COMPILERS[target])
    done = run.syntax_check(target)
    assert done.returncode == 0, done.stderr
    for program in ("scenarios.cpp", "bench.cpp"):  # the templates, instantiated, on both targets
        run.compile_program(run.HERE / program, tmp_path / f"{program}.{target}.exe", target, optimize="-O0")


def test_results_out_parameters_and_last_error_are_the_real_objects(built) -> None:
    run, work, _ = built
    done = driver().Wine(work / "wineprefix").run(work / "scenarios.exe", "transparent", cwd=work)
    assert done.returncode == 0, done.stderr


def _whole_lines(log):
    raw = log.read_bytes()
    assert raw.endswith(b"\n"), "the last line is cut"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def test_lines_of_concurrent_calls_are_whole_and_all_there(built) -> None:
    run, work, _ = built
    done = driver().Wine(work / "wineprefix").run(work / "scenarios.exe", "threads", cwd=work)
    assert done.returncode == 0, done.stderr
    lines = _whole_lines(work / "threads.jsonl")
    calls = [line for line in lines if line.get("call") == "IVssBackupComponents::GetWriterMetadataCount"]
    source = (run.HERE / "scenarios.cpp").read_text(encoding="utf-8")
    threads, per_thread = re.search(r"HANDLE threads\[(\d+)\]", source)[1], re.search(r"Worker work = \{backup, (\d+)\}", source)[1]
    assert len(calls) == int(threads) * int(per_thread)
    assert [line.get("call") for line in lines if "meta" not in line][-1] == "IUnknown::Release"
    survey(str(work / "threads.jsonl"), "threads.jsonl")


def test_a_crash_leaves_a_valid_prefix(built) -> None:
    run, work, _ = built
    done = driver().Wine(work / "wineprefix").run(work / "scenarios.exe", "crash", cwd=work)
    assert done.returncode == 3, done.stderr  # TerminateProcess's exit code: it did crash mid-way
    lines = _whole_lines(work / "crash.jsonl")
    assert len(lines) > 3 and "meta" in lines[0]
    survey(str(work / "crash.jsonl"), "crash.jsonl")
