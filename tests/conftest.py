"""Test-wide configuration: the Hypothesis profiles.

``ci`` is deterministic (derandomized, no example database, no deadline: a CI machine's timing is
not a property of the model); select it with ``HYPOTHESIS_PROFILE=ci``, or it is chosen when the
``CI`` environment variable is set. Tests that need particular budgets pass explicit settings.
"""

from __future__ import annotations

import os

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
