"""The engine options of ``shadowspec check``: parallel, distributed, hash compaction, checkpoints.

They apply to every packed specification: the real one (``model/packed_system.py``) and the
reference model (``--spec reference``). ``packed=False`` is kept for a caller without a packed
space: there they are refused in one line (exit code 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click

from shadowspec.model.config import ConfigError

BACKENDS = ("local", "processes", "ray")
"""``model.engines.BACKENDS``, repeated so that the command line starts without numpy (a test
keeps the two equal)."""
NAMES = ("workers", "backend", "ray_address", "fingerprint_bits", "checkpoint", "resume", "time_limit")


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the engine options to a click command (they arrive as keyword arguments)."""
    options = [
        click.option("--workers", type=int, metavar="N",
                     help="Explore with N worker processes (or N Ray actors with --backend ray)."),
        click.option("--backend", type=click.Choice(BACKENDS),
                     help="local: one process; processes: --workers processes; ray: a Ray cluster."),
        click.option("--ray-address", metavar="ADDRESS",
                     help="With --backend ray: the cluster to join (default: RAY_ADDRESS, else a local Ray)."),
        click.option("--fingerprint-bits", type=int, metavar="B",
                     help="Hash compaction: keep B-bit fingerprints (8..64) instead of states; the report "
                          "gives the probability of a missed state (the real specification: counts only, no verdicts)."),
        click.option("--checkpoint", metavar="FILE",
                     help="On Ctrl-C or --time-limit, save the exploration to FILE (atomically)."),
        click.option("--resume", metavar="FILE", help="Continue an exploration saved with --checkpoint."),
        click.option("--time-limit", type=float, metavar="SECONDS",
                     help="Stop after the level during which SECONDS pass (incomplete; saved with --checkpoint)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def from_cli(values: dict[str, Any], packed: bool) -> Any:
    """The ``EngineOptions`` the command line asks for; ``ConfigError`` (exit 2) when an option
    does not apply (not a packed spec) or has a bad value."""
    given = [name for name in NAMES if values.get(name) is not None]
    if given and not packed:
        raise ConfigError(f"--{given[0].replace('_', '-')}: only for packed specifications (--spec reference); "
                          "the real specification is explored by one process")
    from shadowspec.model.engines import EngineOptions

    options = EngineOptions(**{name: values.get(name) for name in NAMES})
    options.resolved()
    if options.checkpoint and not Path(options.checkpoint).resolve().parent.is_dir():
        raise ConfigError(f"--checkpoint {options.checkpoint}: folder {Path(options.checkpoint).parent} "
                          "does not exist")
    if options.resume and not Path(options.resume).is_file():
        raise ConfigError(f"--resume {options.resume}: no such checkpoint file")
    return options
