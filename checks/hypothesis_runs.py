"""Which rules Hypothesis runs exercise: the traceability matrix's Hypothesis column.

Runs the stateful harness of ``model.stateful`` (random walks over the actions the declarations
enable, guided past early Release and crashes) with recording on, and collects the rules the
fired transitions cite. Derandomized, so the same configuration and budget give the same set.
Nothing here is exhaustive: a rule missing from the set was not exercised by these runs.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from shadowspec.model.config import Config
from shadowspec.model.stateful import stateful_test

from .run import rules_cited


def hypothesis_rules(config: Config, examples: int = 30, steps: int = 40) -> set[str]:
    """The documentation rule IDs cited by the transitions ``examples`` Hypothesis runs of up to
    ``steps`` actions fired in ``config`` (counted as ``coverage`` counts them)."""
    edges: list = []
    machine = stateful_test(config, record=edges)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=examples, stateful_step_count=steps, derandomize=True, database=None,
        deadline=None, suppress_health_check=list(HealthCheck)))
    return rules_cited(step.transition for _, label, _ in edges for step in label.steps)
