"""``shadowspec check --spec reference``: which options apply, and the run itself.

The reference model (``shadowspec.examples.reference``) has only requesters and volumes; options
of the real specification are rejected in one line rather than silently ignored.
"""

from __future__ import annotations

from typing import Any

from shadowspec.model.config import ConfigError
from shadowspec.progress import terminal_progress

SPECS = ("vss", "reference")
"""``vss``: the real specification (default); ``reference``: the benchmark reference model."""



def run(requesters: int | None, volumes: int | None, symmetry: bool, max_states: int | None,
        max_depth: int | None, ignored: dict[str, Any], engine: Any = None) -> Any:
    """The CheckReport of the reference model; ``ignored``: options of the real specification."""
    from shadowspec.checks.explore_space import ExploreOptions
    from shadowspec.examples.reference.check import run_reference_check

    given = sorted(name for name, value in ignored.items() if value not in (None, (), False))
    if given:
        raise ConfigError(f"--spec reference: option --{given[0].replace('_', '-')} does not apply; "
                          "valid: --requesters, --volumes, --symmetry, --max-states, --max-depth, "
                          "--format, --output, --no-timings")
    R = 1 if requesters is None else requesters
    V = 1 if volumes is None else volumes
    for name, value in (("requesters", R), ("volumes", V)):
        if value < 1:
            raise ConfigError(f"--{name} {value}: the reference model needs at least 1")
    try:
        from shadowspec.examples.reference.packed import ReferenceSpace
        ReferenceSpace(R, V)  # validates the size early (bits of a packed state)
    except ValueError as error:
        raise ConfigError(f"--requesters {R} --volumes {V}: {error}") from None
    shown = terminal_progress()
    progress = shown.packed if shown else None
    from shadowspec.model.engines import EngineOptions
    return run_reference_check(R, V, symmetry, ExploreOptions(max_states, max_depth, progress,
                                                              engine=engine or EngineOptions()))
