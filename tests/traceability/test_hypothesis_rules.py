"""The Hypothesis column: rules exercised by derandomized stateful runs."""

from __future__ import annotations

import pytest

from shadowspec.checks.hypothesis_runs import hypothesis_rules
from shadowspec.checks.run import run_check
from shadowspec.model.config import shipped

pytestmark = pytest.mark.slow  # exhaustive: run by `pytest -m slow` (and .ci/run)


def test_hypothesis_exercises_a_subset_of_what_exploration_reaches() -> None:
    config = shipped()["cluster-2008r2"]
    found = hypothesis_rules(config, examples=10, steps=30)
    explored = set(run_check(config).coverage["rules_exercised"])
    assert found and found <= explored


def test_the_same_budget_gives_the_same_rules() -> None:
    config = shipped()["csv-modes"]
    assert hypothesis_rules(config, examples=5, steps=10) == hypothesis_rules(config, examples=5, steps=10)
    assert len(hypothesis_rules(config, examples=1, steps=1)) <= len(hypothesis_rules(config, examples=20, steps=30))
