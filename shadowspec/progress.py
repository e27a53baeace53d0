"""Progress of a long exploration on stderr, only when stderr is a terminal (never in a pipe,
a file or CI logs): states, states per second, queue and depth on one short line."""

from __future__ import annotations

import sys
import time
from typing import Any


class TerminalProgress:
    """Callable as the generic explorer's ``progress(states, transitions, queue, depth)``;
    ``packed`` takes the fast engines' ``Progress`` record."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.started = time.perf_counter()

    def __call__(self, states: int, transitions: int, queue: int, depth: int,
                 seconds: float | None = None) -> None:
        elapsed = seconds if seconds is not None else time.perf_counter() - self.started
        rate = states / elapsed if elapsed > 0 else 0.0
        self.console.print(f"  {states:,} states, {rate:,.0f} states/s, queue {queue:,}, depth {depth}",
                           end="\r", highlight=False)

    def packed(self, progress: Any) -> None:
        self(progress.states, progress.transitions, progress.queue, progress.depth, progress.seconds)


def terminal_progress() -> TerminalProgress | None:
    return TerminalProgress() if sys.stderr.isatty() else None
