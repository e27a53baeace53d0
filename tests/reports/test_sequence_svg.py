"""The hand-laid sequence diagram: well-formed SVG, one lifeline per actor, one arrow per step."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from shadowspec.reports import sequence_svg

from .conftest import HAZARD_STEPS, step

SVG = "{http://www.w3.org/2000/svg}"


def test_lifelines_in_order_of_appearance_and_one_arrow_per_step() -> None:
    root = ET.fromstring(sequence_svg.render(HAZARD_STEPS, title="INV-21"))
    names = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "actor-name"]
    assert names == ["node-1", "volume-1", "node-2"]
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "step"]) == 2
    calls = [line for line in root.iter(f"{SVG}line") if line.get("class") == "arrow"]
    replies = [line for line in root.iter(f"{SVG}line") if line.get("class") == "reply"]
    assert len(calls) == len(replies) == 2
    # step 2 goes from node-2 (third lane) to volume-1 (second lane): right to left
    assert float(calls[1].get("x1")) > float(calls[1].get("x2"))
    changes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "change"]
    assert changes == ["volume-1.mark: off \u2192 on", "volume-1.mark: on \u2192 off"]


def test_whom_a_step_reaches() -> None:
    assert sequence_svg.callee(step(1, "requester-1", "X", "S_OK")) == "vss"
    writer = "writer-1@requester-1"
    assert sequence_svg.callee(step(1, "vss", "OnFreeze", "S_OK", writer=writer)) == writer
    assert sequence_svg.callee(step(1, "node-1", "ClusterResourceControl", "OK", VolumeName="volume-2")) == "volume-2"
    assert sequence_svg.callee(step(1, "node-1", "Something", "OK")) == "cluster"
    assert sequence_svg.callee(step(1, "vss", "provider CommitSnapshots", "S_OK", ok=True)) == "vss"


def test_self_call_loop_cycle_separator_and_escaping() -> None:
    steps = [step(1, "vss", "a <b> & c", "S_OK")]
    text = sequence_svg.render(steps, cycle=[step(2, "vss", "tick", "S_OK")])
    root = ET.fromstring(text)
    assert [p.get("class") for p in root.iter(f"{SVG}path")].count("arrow") == 2
    assert any(t.text == "then forever (fair cycle):" for t in root.iter(f"{SVG}text"))
    assert "a &lt;b&gt; &amp; c" in text
    stutter = ET.fromstring(sequence_svg.render(steps, stutter="no fair step"))
    assert any(t.text == "then forever: no fair step" for t in stutter.iter(f"{SVG}text"))


def test_many_changes_are_summarised() -> None:
    changes = {f"v{i}": [0, 1] for i in range(9)}
    root = ET.fromstring(sequence_svg.render([step(1, "vss", "x", "S_OK", changes)]))
    shown = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "change"]
    assert len(shown) == sequence_svg.MAX_CHANGES
    assert shown[-1] == "\u2026 and 6 more changes"


def test_same_steps_same_bytes() -> None:
    assert sequence_svg.render(HAZARD_STEPS) == sequence_svg.render([dict(s) for s in HAZARD_STEPS])
