"""CI's mutation gate (``.ci/run``) measures what ``.ci/mutation-score.json`` recorded.

Why: ``--min-score`` compares one number; a gate run on other configurations or another sample
than the committed score would pass or fail for reasons that have nothing to do with the
properties. The committed score names its configurations and sample; the ``shadowspec mutate``
line of ``.ci/run`` must use the same ones.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _mutate_arguments() -> list[str]:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line for line in script.splitlines() if re.match(r"\s*shadowspec mutate\b", line)]
    assert len(lines) == 1, lines
    return shlex.split(lines[0])[2:]


def _values(arguments: list[str], option: str) -> list[str]:
    return [arguments[i + 1] for i, a in enumerate(arguments) if a == option]


def test_ci_gate_runs_what_the_committed_score_measured() -> None:
    arguments = _mutate_arguments()
    committed = json.loads((REPO / ".ci" / "mutation-score.json").read_text(encoding="utf-8"))
    assert _values(arguments, "--min-score") == [".ci/mutation-score.json"]
    assert sorted(_values(arguments, "--config")) == sorted(committed["configs"])
    assert [int(v) for v in _values(arguments, "--sample")] == [committed["sample"]]
    assert not {"--operator", "--machine", "--exhaustive"} & set(arguments)  # every operator and machine


def test_committed_score_is_consistent() -> None:
    committed = json.loads((REPO / ".ci" / "mutation-score.json").read_text(encoding="utf-8"))
    counted = committed["killed"] + committed["survived"]
    assert committed["killed"] + committed["survived"] + committed["equivalent"] == committed["mutants"]
    assert round(100.0 * committed["killed"] / counted, 2) == committed["score"]
    assert len(committed["survivors"]) == committed["survived"]
