"""The machine diagrams are python-statemachine's own drawings, deterministic, complete, and a
counterexample's path is drawn on them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from statemachine.contrib.diagram import formatter

from shadowspec.checks.replay import ReplayError, fired_by_component, fired_transitions, replay
from shadowspec.checks.run import run_check
from shadowspec.model.compiled import declared_transitions
from shadowspec.model.config import shipped
from shadowspec.model.system import MACHINES, System
from shadowspec.reports.diagrams import (HIGHLIGHT_COLOUR, highlighted_machine_dot, machine_dot,
                                         machine_mermaid, machine_svg, render_dot)
from shadowspec.spec.async_operation import AsyncOperation
from shadowspec.spec.cluster_node import SharedVolumeBackupState
from shadowspec.spec.requester import RequesterSession

machines = pytest.mark.parametrize("cls", MACHINES, ids=lambda c: c.__name__)
EDGE = re.compile(r"^(\w+) -> (\w+) \[", re.M)


def _edges(dot: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in EDGE.findall(dot) if not a.startswith("__initial")]


@machines
def test_dot_is_the_librarys_own_output(cls: type) -> None:
    library = re.sub(r"(__initial|__atomic)_\d+", r"\1", formatter.render(cls, "dot"))
    assert machine_dot(cls, self_loops=True, api_labels=False) == library


@machines
def test_mermaid_is_the_librarys_own_output(cls: type) -> None:
    assert machine_mermaid(cls, self_loops=True, api_labels=False) == formatter.render(cls, "mermaid")


@machines
def test_every_declared_transition_is_an_edge(cls: type) -> None:
    declared = declared_transitions(cls)
    assert sorted(_edges(machine_dot(cls, self_loops=True))) == sorted((t.source, t.target) for t in declared)
    moving = [(t.source, t.target) for t in declared if t.source != t.target]
    assert sorted(_edges(machine_dot(cls, self_loops=False))) == sorted(moving)


def test_the_dot_source_is_the_same_in_another_process() -> None:
    code = ("from shadowspec.reports.diagrams import machine_dot;"
            "from shadowspec.spec.requester import RequesterSession as R;"
            "import sys; sys.stdout.write(machine_dot(R))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert other == machine_dot(RequesterSession)
    assert not re.search(r"_\d{5,}", other)


def test_svg_comes_from_graphviz() -> None:
    svg = machine_svg(AsyncOperation)
    assert svg is not None, "Graphviz `dot` must be installed (.ci/run installs it)"
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert ">Pending<" in svg
    png = render_dot(machine_dot(AsyncOperation), "png")
    assert png is not None and png.startswith(b"\x89PNG")


def test_without_graphviz_svg_is_none(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert machine_svg(AsyncOperation) is None
    assert machine_dot(AsyncOperation)  # DOT needs no Graphviz


@pytest.fixture(scope="module")
def inv21() -> tuple[System, list[dict]]:
    config = shipped()["cluster-2008r2"]
    report = run_check(config)
    (prop,) = [p for p in report.properties if p["id"] == "INV-21"]
    return System(config), prop["counterexample"]


def test_replay_recovers_the_fired_transitions(inv21) -> None:
    system, steps = inv21
    labels = replay(system, steps)
    assert [(label.actor, label.call, label.result) for label in labels] == \
        [(s["actor"], s["call"], s["result"]) for s in steps]
    fired = fired_transitions(system, steps)
    assert {t.machine for t in fired} == {"SharedVolumeBackupState"}
    assert [tuple(t.rules) for t in fired] == [tuple(s["rules"]) for s in steps]


def test_fired_transitions_by_component(inv21) -> None:
    system, steps = inv21
    by_component = fired_by_component(system, steps)
    assert list(by_component) == ["volume-1.backup-in-progress"]
    cls, fired = by_component["volume-1.backup-in-progress"]
    assert cls is SharedVolumeBackupState and fired == fired_transitions(system, steps)


def test_a_step_that_cannot_happen_is_named(inv21) -> None:
    system, steps = inv21
    broken = [dict(steps[0], result="ERROR_MORE_DATA")]
    with pytest.raises(ReplayError, match="step 1"):
        replay(system, broken)


def test_highlighted_path_colours_exactly_the_fired_edges(inv21) -> None:
    system, steps = inv21
    fired = fired_transitions(system, steps)
    dot = highlighted_machine_dot(SharedVolumeBackupState, fired, self_loops=False)
    coloured = [line for line in dot.splitlines() if HIGHLIGHT_COLOUR in line and "->" in line]
    assert len(coloured) == len({(t.source, t.event, t.index) for t in fired})
    assert all(f"{t.source} -> {t.target}" in "\n".join(coloured) for t in fired)
    assert 'xlabel="1"' in dot and 'xlabel="2"' in dot
    last = fired[-1].target
    assert re.search(rf"^{last} \[.*fillcolor=turquoise", dot, re.M)
    # the other machines' diagrams have nothing highlighted
    assert HIGHLIGHT_COLOUR not in highlighted_machine_dot(AsyncOperation, fired)


def test_a_fired_self_loop_is_drawn_even_when_loops_are_left_out() -> None:
    (loop,) = [t for t in declared_transitions(AsyncOperation)
               if t.source == t.target == "pending" and t.event == "wait"]
    dot = highlighted_machine_dot(AsyncOperation, [loop], self_loops=False)
    assert ("pending", "pending") in _edges(dot)
    assert ("pending", "pending") not in _edges(machine_dot(AsyncOperation, self_loops=False))


@machines
def test_diagram_edges_are_numbered_as_the_compiler_numbers_them(cls: type) -> None:
    from shadowspec.reports.diagrams import _transition_ids

    drawn = [(t.source, t.event, t.index, t.target) for t in _transition_ids(cls)]
    declared = [(t.source, t.event, t.index, t.target) for t in declared_transitions(cls)]
    assert sorted(drawn) == sorted(declared) and len(set(drawn)) == len(drawn)
