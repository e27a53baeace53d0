"""Run ``shadowspec check`` in-process and compare its JSON reports across engines: what every
engine must agree on (all but the engine's own figures)."""

from __future__ import annotations

import json

from shadowspec.cli import main


def cli_report(capsys, base: list[str], *extra: str, code: int = 0) -> dict:
    """The JSON report of ``shadowspec`` with ``base + extra``, asserting its exit code."""
    assert main(base + list(extra)) == code
    return json.loads(capsys.readouterr().out)


def essentials(report: dict) -> dict:
    """The report without the figures that name the engine (which backend, hash compaction)."""
    exploration = {k: v for k, v in report["exploration"].items() if k not in ("engine", "hash_compaction")}
    return dict(report, exploration=exploration)
