"""Test-wide configuration: the Hypothesis profiles, and the shipped configurations explored once.

``ci`` is deterministic (derandomized, no example database, no deadline: a CI machine's timing is
not a property of the model); select it with ``HYPOTHESIS_PROFILE=ci``, or it is chosen when the
``CI`` environment variable is set. Tests that need particular budgets pass explicit settings.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))


@pytest.fixture(scope="session")
def shipped_measured() -> Callable[[str], Any]:
    """``name -> checks.measure.Measured`` for the shipped configurations, each explored once per
    test session (the default configuration takes about 30 s), shared by the shipped-configuration
    tests, the regression gate and the artifact staleness test."""
    from shadowspec.checks.run import measure
    from shadowspec.model.config import shipped

    configs = shipped()
    cache: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name not in cache:
            cache[name] = measure(configs[name])
        return cache[name]

    return get
