"""Every shipped configuration completes with every verdict as the documentation implies, and
together they exercise every property: a manifest-style regression test of the whole catalogue."""

from __future__ import annotations

import pytest

from shadowspec.checks.catalogue import PROPERTIES, WITNESSES
from shadowspec.checks.run import run_check
from shadowspec.model.config import shipped

pytestmark = pytest.mark.slow  # exhaustive: run by `pytest -m slow` (and .ci/run)

CONFIGS = shipped()


@pytest.fixture
def report(shipped_measured):
    """``name -> CheckReport``, from the session's shared exploration of each shipped
    configuration (``tests/conftest.py``; ``checks.measure`` reports what ``run_check`` does)."""
    return lambda name: shipped_measured(name).report


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_shipped_configuration_passes(name: str, report) -> None:
    result = report(name)
    mismatched = [(p["id"], p["verdict"], p.get("reason")) for p in result.properties if not p["as_expected"]]
    assert result.exploration["complete"]
    assert not mismatched
    assert result.exit_code == 0


def test_every_property_is_decided_by_some_shipped_configuration(report) -> None:
    decided = {p["id"] for name in CONFIGS for p in report(name).properties if p["verdict"] != "not exercised"}
    never = {p.id for p in PROPERTIES + WITNESSES} - decided
    # LIV-08 concerns Windows Server 2008 SP2 and earlier, which the model does not cover.
    assert never == {"LIV-08"}


def test_hazards_come_with_counterexamples(report) -> None:
    for name in CONFIGS:
        for prop in report(name).properties:
            if prop["expected"] in ("HAZARD", "OBLIG") and prop["verdict"] == "violated":
                assert prop["counterexample"], (name, prop["id"])
                assert all(step["actor"] and step["call"] and step["result"] for step in prop["counterexample"])


def test_the_default_configuration_has_a_happy_path_witness(report) -> None:
    (witness,) = [p for p in report("default").properties if p["id"] == "WIT-01"]
    calls = [step["call"] for step in witness["witness"]]
    assert calls[0] == "CreateVssBackupComponents" and calls[-1] == "IUnknown::Release"
    assert "IVssBackupComponents::BackupComplete" in calls


def test_a_bound_never_reports_holds() -> None:
    result = run_check(CONFIGS["requester-api"].with_overrides(max_states=200))
    assert not result.exploration["complete"]
    assert result.exit_code == 1  # incomplete (not a mismatch: see the verdict words)
    assert all(p["verdict"] != "holds" for p in result.properties if p["kind"] != "witness")
