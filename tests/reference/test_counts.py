"""The reference model reproduces the published state and transition counts exactly.

Both engines are checked: the generic one-state-at-a-time explorer over the declared machines'
step functions, and the numpy frontier explorer over the packed space. ``transitions`` of the
README are SPIN's "stored + matched" (TLC's "states generated"): every edge plus the initial
state's own storing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowspec.examples.reference import ReferenceSystem, reference_space
from shadowspec.model.explorer import explore
from shadowspec.model.frontier import explore_frontier

from .conftest import README_ROWS

README = Path(__file__).resolve().parents[3] / "shared" / "bench" / "README.md"


def test_generic_exploration_reproduces_the_readme(row):
    system = ReferenceSystem(*row)
    found = explore([system.initial], system.successors)
    assert found.complete
    assert (len(found.states), found.transitions + 1) == README_ROWS[row]


def test_frontier_exploration_reproduces_the_readme(row):
    found = explore_frontier(reference_space(*row), chunk=64)  # small chunks: several per level
    assert found.complete and found.depth_offsets[-1] == found.count
    assert (found.count, found.transitions + 1) == README_ROWS[row]


@pytest.mark.skipif(not README.exists(), reason="../shared/bench is not beside this checkout")
def test_the_rows_are_the_readme_s():
    text = README.read_text()
    for (r, v), (states, transitions) in README_ROWS.items():
        assert f"| {r} | {v} | {states:,} | {transitions:,} |" in text
