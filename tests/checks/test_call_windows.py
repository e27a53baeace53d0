"""EFF-60..71 (checks/call_windows.py, checks/cluster_readings.py): each can fail.

The HOLD properties and EFF-66, EFF-68 and EFF-71 are shown to bite by the mutants of
tests/checks/test_mutation_survivors.py (engineer B's blocks). Here: the HAZARD claims whose
counterexample disappears under another reading of AMB-12 (the model then has only one fate, so
the claim holds and the HAZARD expectation fails), the ``needs`` that keeps them from being
decided under such a reading, and EFF-65 with a SetContext that always returns E_INVALIDARG.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pytest

from shadowspec.checks import catalogue
from shadowspec.checks import mutate as runner
from shadowspec.checks.decide import HOLDS, NOT_EXERCISED, VIOLATED, Graph, decide
from shadowspec.checks.run import explore_config
from shadowspec.model.config import shipped

CONFIGS = shipped()
BY_ID = {p.id: p for p in catalogue.PROPERTIES}


@lru_cache(maxsize=None)
def _graph(reading: str) -> Graph:
    config = CONFIGS["csv-modes"].with_overrides(readings=(("AMB-12", reading),))
    system, exploration, _ = explore_config(config)
    return Graph(system, exploration)


def _decided(prop_id: str, reading: str) -> str:
    """The verdict of the property's claim in csv-modes under ``reading``, its needs set aside."""
    return decide(replace(BY_ID[prop_id], needs=lambda config: None), _graph(reading)).verdict


@pytest.mark.parametrize("prop_id, reading", [
    ("EFF-68", "clear"),  # offline always clears: the claim "always leaves backup mode" holds
    ("EFF-69", "keep"),   # offline never clears
    ("EFF-70", "clear"),  # a failed node's marks are always cleared
    ("EFF-71", "keep"),   # ... never
])
def test_amb12_claim_holds_when_one_fate_is_lost(prop_id: str, reading: str) -> None:
    assert _decided(prop_id, "either") == VIOLATED
    assert _decided(prop_id, reading) == HOLDS


@pytest.mark.parametrize("prop_id", ["EFF-68", "EFF-69", "EFF-70", "EFF-71"])
@pytest.mark.parametrize("reading", ["keep", "clear"])
def test_amb12_pairs_need_both_fates(prop_id: str, reading: str) -> None:
    config = CONFIGS["csv-modes"].with_overrides(readings=(("AMB-12", reading),))
    assert BY_ID[prop_id].needs(config) is not None
    assert decide(BY_ID[prop_id], _graph(reading)).verdict == NOT_EXERCISED
    assert BY_ID[prop_id].needs(CONFIGS["csv-modes"]) is None


@pytest.mark.slow
def test_eff65_meets_a_set_context_without_the_observed_code() -> None:
    info = runner.census("requester-api", CONFIGS["requester-api"])
    found = {m.id: m for m in runner.mutants([info])}
    mutant = found["RequesterSession.set_context@initialized#1:swap-result(E_INVALIDARG)"]
    outcome = runner.evaluate(mutant, [("requester-api", CONFIGS["requester-api"], info.fingerprint)], full=True)
    assert "EFF-65" in {p for kill in outcome["kills"] for p in kill["properties"]}
