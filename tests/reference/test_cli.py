"""``shadowspec check --spec reference``: the real check's JSON shape, reproducible, errors exit 2."""

from __future__ import annotations

import json

import pytest

from shadowspec.cli import main


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape_and_verdicts(capsys):
    code, out, _ = _run(capsys, "--spec", "reference", "--requesters", "1", "--volumes", "2",
                        "--format", "json", "--no-timings")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"schema_version", "config", "exploration", "properties", "coverage", "fairness", "passed"}
    assert {"states", "transitions", "depth", "complete", "stop_reason"} <= set(data["exploration"])
    assert (data["exploration"]["states"], data["exploration"]["generated"]) == (64, 274)
    assert [(p["id"], p["expected"], p["verdict"]) for p in data["properties"]] == [
        ("REF-A", "HOLD", "holds"), ("REF-B", "HOLD", "holds"), ("REF-C", "HAZARD", "violated")]
    step = data["properties"][2]["counterexample"][0]
    assert set(step) == {"step", "actor", "call", "arguments", "result", "changes", "rules"}
    assert len(data["properties"][2]["counterexample"]) == 9


def test_same_input_same_bytes(capsys):
    args = ("--spec", "reference", "--requesters", "2", "--volumes", "2", "--symmetry", "--format", "json",
            "--no-timings")
    first, second = _run(capsys, *args)[1], _run(capsys, *args)[1]
    assert first == second and json.loads(first)["config"]["symmetry"] is True


def test_text_report(capsys):
    code, out, _ = _run(capsys, "--spec", "reference", "--requesters", "1", "--volumes", "1")
    assert code == 0 and "REF-C" in out and "PASS" in out


@pytest.mark.parametrize("args, message", [
    (("--spec", "reference", "--nodes", "2"), "--nodes does not apply"),
    (("--spec", "reference", "--requesters", "0"), "needs at least 1"),
    (("--spec", "reference", "--requesters", "9", "--volumes", "9"), "at most 63 fit"),
    (("--spec", "promela"), "promela"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, args, message):
    code, out, err = _run(capsys, *args)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
