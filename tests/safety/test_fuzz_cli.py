"""A Hypothesis fuzz suite of the whole command line: ``conform`` on hostile logs, ``check`` with
hostile configuration files, ``report --from`` hostile saved JSON, ``gate`` with hostile
baselines, ``check --resume`` hostile checkpoints.

Properties: no traceback (every run returns an exit code), exit codes only 0, 1 or 2, a valid
log's report (verdict and findings) is the same when a malformed log is checked beside it, and the
output bytes are the same under another ``TZ`` and ``PYTHONHASHSEED`` (subprocesses). The CLI runs
in-process (``shadowspec.cli.main``) for speed. The default run uses a short profile; ``-m slow``
runs the long one (``LONG_COUNTS``: the issue's 10,000 examples in all, in CI's slow run).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from shadowspec.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "conformance" / "corpus"
LOGS = sorted(CORPUS.glob("*/*.jsonl"))
GOOD = [CORPUS / "good" / "no-writer-context.jsonl", CORPUS / "bad" / "prepare-before-set-backup-state.jsonl"]
"""A conforming and a violating log checked beside each hostile one (short ones: they are checked in
every example, and their whole report, not only the verdict, must be the same as alone)."""
SHORT = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
LONG_COUNTS = {"conform": 1500, "config": 1500, "report": 1100, "gate": 4400, "resume": 1500}
"""Examples per long test (``-m slow``): 10,000 whole-CLI inputs in all. Each count is what the
test's share of about eight minutes of CPU buys at its measured cost per example (in-process
``main``, shared conformance oracles and compiled tables; see the issue-11 note): about 60 ms a
conform or report example, 50 ms a check or resume, 20 ms a gate. SHADOWSPEC_FUZZ_EXAMPLES=N gives
every long test N examples instead (a soak: 1,000 each passes)."""


def long(name: str) -> Any:
    """The long profile's settings for the test ``name`` of ``LONG_COUNTS``."""
    count = int(os.environ.get("SHADOWSPEC_FUZZ_EXAMPLES") or LONG_COUNTS[name])
    return settings(max_examples=count, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


BIG = "__BIG_INTEGER__"
HOSTILE = st.sampled_from([
    None, "", "\ud800", "a\udfffb", BIG, 1e308, -1, 0, 2 ** 63, 1.5, True, [], {}, [[["x"]]], {"a": {"b": None}},
    "requester-1\n", "node-1\n", "\x1b]0;title\x07\x1b[2J", "`) <script>alert(1)</script>", "\r# heading",
    "<img src=x onerror=alert(1)>", "1970-01-01T00:00:00", "2024-03-10T02:30:00", "9999-12-31T23:59:59+14:00",
    "NaN", "Infinity", "requester-0", "requester-99999999", "node-" + "9" * 50, "\u202e", "\x00", "a" * 3000,
])
JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                          | st.text(max_size=20), lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
RAW_LINES = st.sampled_from(["[" * 5000 + "]" * 5000, "NaN", '{"ts": Infinity}', "{", '{"actor": "requester-1"',
                             '{"actor":"requester-1","call":"X","result":' + "9" * 4301 + "}",
                             '{"actor":"requester-1","call":"CreateVssBackupComponents","result":"S_OK","ts":1e999}',
                             '{"meta": 5}', '{"meta": {"os": "nt4", "volumes": [[1]]}}'])


def _dump(value: Any) -> str:
    return json.dumps(value, allow_nan=True).replace(f'"{BIG}"', "9" * 4400)


@st.composite
def hostile_logs(draw: Any) -> bytes:
    """A corpus log with a few lines replaced: a field set to a hostile or random value, a field
    dropped, raw malformed text or bytes, or a line cut short."""
    lines = draw(st.sampled_from(LOGS)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["field", "drop", "random", "raw", "cut", "text"]))
        try:
            data = json.loads(lines[index])
        except (ValueError, RecursionError):
            data = None
        if kind in ("field", "random", "drop") and isinstance(data, dict):
            target = data["args"] if isinstance(data.get("args"), dict) and draw(st.booleans()) else data
            name = draw(st.sampled_from(sorted(target) + ["actor", "call", "result", "status", "ts", "out", "meta"]))
            if kind == "drop":
                target.pop(name, None)
            else:
                target[name] = draw(HOSTILE if kind == "field" else JSON_VALUE)
            lines[index] = _dump(data)
        elif kind == "raw":
            lines[index] = draw(RAW_LINES)
        elif kind == "cut":
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
        else:
            lines[index] = draw(st.text(max_size=40))
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 20)) == 0:
        data += draw(st.binary(max_size=40))
    return data


def run(argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one in-process run; a traceback fails the test."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException:  # noqa: BLE001 - any escape is the failure this suite looks for
        pytest.fail(f"shadowspec {' '.join(argv)[:200]} raised:\n{traceback.format_exc()}")
    assert code in (0, 1, 2), (code, argv, err.getvalue())
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def _verdicts(report: str) -> dict[str, dict[str, Any]]:
    """Each log's entry of a JSON conformance report (verdict, findings, counts), by file."""
    return {log["file"]: log for log in json.loads(report)["logs"]}


ALONE: dict[Path, dict[str, Any]] = {}


def _alone(path: Path) -> dict[str, Any]:
    if path not in ALONE:
        ALONE[path] = _verdicts(run(["conform", "--format", "json", str(path)])[1])[str(path)]
    return ALONE[path]


def conform_property(log: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        hostile = Path(folder) / "hostile.jsonl"
        hostile.write_bytes(log)
        code, out, _ = run(["conform", "--format", "json", str(GOOD[0]), str(hostile), str(GOOD[1])])
        verdicts = _verdicts(out)
        assert verdicts[str(GOOD[0])] == _alone(GOOD[0]) and verdicts[str(GOOD[1])] == _alone(GOOD[1])
        assert "internal error" not in out, out
        run(["conform", "--format", "md" if len(log) % 2 else "text", str(hostile)])


@settings(SHORT, max_examples=12)
@given(hostile_logs())
def test_conform_never_crashes_and_keeps_the_other_logs_verdicts(log: bytes) -> None:
    conform_property(log)


@pytest.mark.slow
@long("conform")
@given(hostile_logs())
def test_conform_long(log: bytes) -> None:
    conform_property(log)


TOML_VALUE = st.one_of(st.integers(-5, 10), st.text(max_size=10), st.booleans(), st.floats(allow_nan=False),
                       st.lists(st.sampled_from(["crash", "offline", "nope", "timer_expiry"]), max_size=3),
                       st.just([["x"]]), st.just({"AMB-10": "accept"}), st.just({"AMB-10": 3}),
                       st.sampled_from(["2008r2", "2012", "3.0", "2.0", "\x1b[2J"]))
CONFIG_KEYS = ["name", "description", "requesters", "nodes", "volumes", "writers", "os", "protocol", "environment",
               "callers", "readings", "max_volumes_per_set", "max_depth", "nonsense"]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if not isinstance(value, float) or value == value and abs(value) != float("inf") else "0"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


@st.composite
def config_files(draw: Any) -> str:
    table = draw(st.dictionaries(st.sampled_from(CONFIG_KEYS), TOML_VALUE, max_size=5))
    text = "".join(f"{key} = {_toml(value)}\n" for key, value in table.items())
    return text if draw(st.integers(0, 10)) else text + draw(st.sampled_from(["[[[", "x = ", "a = 1\na = 2", "\x00"]))


def config_property(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        run(["check", "--config", str(path), "--max-states", "30", "--format", "json", "--no-timings"])


@SHORT
@given(config_files())
def test_check_with_hostile_configuration_files(text: str) -> None:
    config_property(text)


@pytest.mark.slow
@long("config")
@given(config_files())
def test_check_with_configuration_files_long(text: str) -> None:
    config_property(text)


@pytest.fixture(scope="module")
def saved_check(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("saved") / "check.json"
    assert run(["check", "--config", "cluster-2008r2", "--max-states", "400", "--format", "json", "--no-timings",
                "-o", str(out)])[0] in (0, 1)
    return json.loads(out.read_text())


def _mutate(data: Any, draw: Any, depth: int = 0) -> Any:
    """A copy of ``data`` with some values replaced by hostile or random ones."""
    if isinstance(data, dict) and data and depth < 6:
        key = draw(st.sampled_from(sorted(data)))
        copy = dict(data)
        choice = draw(st.integers(0, 9))
        if choice == 0:
            copy.pop(key)
        elif choice <= 2:
            copy[key] = draw(HOSTILE | JSON_VALUE)
        else:
            copy[key] = _mutate(data[key], draw, depth + 1)
        return copy
    if isinstance(data, list) and data and depth < 6:
        index = draw(st.integers(0, len(data) - 1))
        copy = list(data)
        copy[index] = _mutate(data[index], draw, depth + 1) if draw(st.booleans()) else draw(HOSTILE | JSON_VALUE)
        return copy
    return draw(HOSTILE | JSON_VALUE)


def report_property(saved: dict[str, Any], draw: Any) -> None:
    data = _mutate(saved, draw) if draw(st.integers(0, 5)) else saved
    fmt = draw(st.sampled_from(["md", "junit", "sarif"]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "saved.json"
        path.write_text(_dump(data), encoding="utf-8", errors="surrogatepass")
        run(["report", "--from", str(path), "--format", fmt])


@SHORT
@given(st.data())
def test_report_from_hostile_saved_json(saved_check: dict[str, Any], data: Any) -> None:
    report_property(saved_check, data.draw)


@pytest.mark.slow
@long("report")
@given(st.data())
def test_report_from_long(saved_check: dict[str, Any], data: Any) -> None:
    report_property(saved_check, data.draw)


BASELINE = json.loads((ROOT / "reports" / "baseline.json").read_text())
GATED = "csv-protocol-2"
"""The baseline entry the gate examples mutate: the smallest shipped one (7 KB against default's
90 KB; the same fields, so the same schema to get past, at a twelfth of the validation time)."""
SMALL_BASELINE = {"schema_version": 1, "allow": [{"config": GATED, "key": "states", "why": "x"}],
                  "configs": {GATED: BASELINE["configs"][GATED]}}



def _gate_check(data: Any) -> None:
    from shadowspec.checks import baseline as comparison
    from shadowspec.gate_command import report_text

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "baseline.json"
        path.write_text(_dump(data), encoding="utf-8", errors="surrogatepass")
        problem = comparison.validate(data, "b") if isinstance(data, dict) else "not an object"
        if problem is not None:
            # refused before any measurement: one line, exit 2
            code, _, err = run(["gate", "--baseline", str(path), "--config", GATED])
            assert code == 2 and len(err.strip().splitlines()) == 1, err
            return
        # a valid baseline: the comparison and its words (the measurement itself is not fuzzed)
        current = {GATED: SMALL_BASELINE["configs"][GATED]}
        differences = comparison.compare(data, current)
        failing, intended, unused = comparison.split(differences, data.get("allow", []))
        report_text(failing, intended, unused, "b", [comparison.allowed(d, data.get("allow", [])) for d in intended])


@SHORT
@given(st.data())
def test_gate_with_hostile_baselines(data: Any) -> None:
    _gate_check(_mutate(SMALL_BASELINE, data.draw) if data.draw(st.integers(0, 7)) else
                data.draw(st.sampled_from([{"schema_version": 1, "configs": {}, "allow": [{"config": "*", "key": "*",
                                                                                          "why": "all"}]},
                                           [[[[[]]]]], "x", None])))


@pytest.mark.slow
@long("gate")
@given(st.data())
def test_gate_long(data: Any) -> None:
    _gate_check(_mutate(SMALL_BASELINE, data.draw))


REFERENCE = ["check", "--spec", "reference", "--requesters", "2", "--volumes", "2", "--format", "json", "--no-timings"]


@pytest.fixture(scope="module")
def checkpoint_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("ckpt") / "run.checkpoint"
    assert run(REFERENCE + ["--checkpoint", str(path), "--time-limit", "0"])[0] == 1
    return path.read_bytes()


def checkpoint_property(original: bytes, draw: Any) -> None:
    data = bytearray(original)
    kind = draw(st.sampled_from(["flip", "cut", "zero", "keep", "junk"]))
    if kind == "flip" and data:
        for _ in range(draw(st.integers(1, 8))):
            index = draw(st.integers(0, len(data) - 1))
            data[index] ^= draw(st.integers(1, 255))
    elif kind == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "zero":
        start = draw(st.integers(0, len(data) - 1))
        data[start:start + 64] = bytes(len(data[start:start + 64]))
    elif kind == "junk":
        data = bytearray(draw(st.binary(max_size=200)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "run.checkpoint"
        path.write_bytes(bytes(data))
        code, _, err = run(REFERENCE + ["--resume", str(path)])
        if kind != "keep" and bytes(data) != original:
            assert code == 2 or "checkpoint" not in err


@SHORT
@given(st.data())
def test_resume_with_hostile_checkpoints(checkpoint_bytes: bytes, data: Any) -> None:
    checkpoint_property(checkpoint_bytes, data.draw)


@pytest.mark.slow
@long("resume")
@given(st.data())
def test_resume_long(checkpoint_bytes: bytes, data: Any) -> None:
    checkpoint_property(checkpoint_bytes, data.draw)


def _subprocess_bytes(args: list[str], tz: str, seed: str) -> bytes:
    env = dict(os.environ, TZ=tz, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-m", "shadowspec", *args], capture_output=True, env=env, timeout=600)
    assert done.returncode in (0, 1, 2) and b"Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_same_bytes_under_another_tz_and_hash_seed(tmp_path: Path) -> None:
    """Zoneless timestamps near a timer's bound, hostile lines, three formats: byte for byte."""
    timer = (CORPUS / "bad" / "delay-timer-expired.jsonl").read_text().splitlines()
    import datetime
    zoneless = []
    for line in timer:
        data = json.loads(line)
        if isinstance(data.get("ts"), (int, float)):
            data["ts"] = datetime.datetime.fromtimestamp(data["ts"], datetime.timezone.utc).replace(
                tzinfo=None).isoformat()
        zoneless.append(json.dumps(data))
    logs = tmp_path / "zoneless.jsonl"
    logs.write_text("\n".join(zoneless + ['{"actor": null}', '{"actor":"requester-1","call":"X\\u001b[2J",'
                                          '"result":"S_OK","ts":"1970-01-01T00:00:00"}']) + "\n")
    for fmt, (tz, seed) in (("json", ("Asia/Kolkata", "12345")), ("md", ("America/Los_Angeles", "random"))):
        args = ["conform", "--format", fmt, str(logs), str(GOOD[0])]
        assert _subprocess_bytes(args, "UTC", "0") == _subprocess_bytes(args, tz, seed)
    assert b"timer" in _subprocess_bytes(["conform", "--format", "json", str(logs)], "Pacific/Kiritimati", "1")
