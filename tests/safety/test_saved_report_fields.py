"""A saved check report with a field taken away: ``report --from`` refuses it in one line (exit 2)
or renders it, never a traceback.

The fuzz suite found it (``SHADOWSPEC_FUZZ_EXAMPLES=1000 ... -k report_from``): a saved check
without ``coverage`` passed the schema of ``shadowspec/saved_schema.py`` and then was a
``KeyError`` in ``report_inputs._dead``; a ``coverage`` without ``fired_transitions`` would have
been one in the Markdown and HTML renderers. The regression cases are the minimal inputs; the slow
test takes away every field of every object a renderer reads, one at a time, in every format.
"""

from __future__ import annotations

import contextlib
import io
import json
import traceback
from pathlib import Path
from typing import Any, Iterator

import pytest

from shadowspec.cli import main


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException:  # noqa: BLE001 - any escape is the failure
        pytest.fail(f"shadowspec {' '.join(argv)} raised:\n{traceback.format_exc()}")
    return code, err.getvalue()


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("saved") / "check.json"
    code, err = _run(["check", "--config", "cluster-2008r2", "--max-states", "400", "--format", "json",
                      "--no-timings", "-o", str(out)])
    assert code in (0, 1), err
    data = json.loads(out.read_text())
    assert any(p.get("counterexample") or p.get("witness") for p in data["properties"])
    return data


def _render(tmp_path: Path, data: Any, fmt: str) -> tuple[int, str]:
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(data))
    return _run(["report", "--from", str(path), "--format", fmt])


@pytest.mark.parametrize("where, key", [((), "coverage"), (("coverage",), "dead_transitions"),
                                        (("coverage",), "fired_transitions"),
                                        (("coverage",), "declared_transitions")])
def test_a_saved_check_without_coverage_is_refused_in_one_line(tmp_path, saved, where, key) -> None:
    data = json.loads(json.dumps(saved))
    target = data
    for name in where:
        target = target[name]
    del target[key]
    for fmt in ("md", "sarif"):
        code, err = _render(tmp_path, data, fmt)
        assert code == 2 and len(err.strip().splitlines()) == 1 and key in err, err


def _drops(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Copies of ``data`` with one field taken away: at the top, in each object a renderer reads,
    in the first property with a path and in its first step."""
    shown = next(i for i, p in enumerate(data["properties"]) if p.get("counterexample") or p.get("witness"))
    kind = "counterexample" if data["properties"][shown].get("counterexample") else "witness"
    places: list[tuple[Any, ...]] = [(), ("config",), ("exploration",), ("coverage",), ("properties", shown),
                                     ("properties", shown, kind, 0)]
    for place in places:
        target: Any = data
        for name in place:
            target = target[name]
        for key in sorted(target):
            copy = json.loads(json.dumps(data))
            inner = copy
            for name in place:
                inner = inner[name]
            del inner[key]
            yield "/".join(map(str, place + (key,))), copy


@pytest.mark.slow
def test_every_field_taken_away_is_refused_or_rendered(tmp_path, saved) -> None:
    tried = 0
    for where, data in _drops(saved):
        for fmt in ("md", "junit", "sarif", "html"):
            code, err = _render(tmp_path, data, fmt)
            assert code in (0, 1, 2), (where, fmt, err)
            assert code != 2 or len(err.strip().splitlines()) == 1, (where, fmt, err)
            tried += 1
    assert tried > 100
