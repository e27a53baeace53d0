"""Shared fixtures of the reference-model tests."""

from __future__ import annotations

import pytest

README_ROWS = {
    # (R, V): (distinct states, transitions as SPIN counts them = edges + the initial state)
    (1, 1): (20, 54),
    (1, 2): (64, 274),
    (2, 2): (2_648, 21_555),
    (2, 3): (23_058, 254_878),
}
"""The small rows of ../shared/bench/README.md (SPIN 6.5.2 and TLC agree on them)."""


@pytest.fixture(params=[pytest.param(rv, marks=pytest.mark.slow) if rv == (2, 3) else rv
                        for rv in sorted(README_ROWS)], ids=lambda rv: f"R{rv[0]}V{rv[1]}")
def row(request):
    return request.param
