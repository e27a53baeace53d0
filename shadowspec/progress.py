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


class CheckProgress:
    """The phases of ``shadowspec check`` on stderr with rich: exploring (states, states/s,
    queue, depth) and deciding (which property, i of N), one transient line per phase; a no-op
    unless stderr is a terminal. A context manager: the line is cleared when the check ends."""

    def __init__(self, live: bool) -> None:
        self.live = live
        self.progress: Any = None
        self.task: Any = None
        if live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), console=Console(stderr=True), transient=True)

    def __enter__(self) -> "CheckProgress":
        if self.progress is not None:
            self.progress.start()
            self.task = self.progress.add_task("starting", total=None)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.stop()

    def exploring(self, name: str) -> Any:
        """The explorers' ``progress(states, transitions, queue, depth)`` for configuration ``name``."""
        if self.progress is None:
            return None
        started = time.perf_counter()

        def show(states: int, transitions: int, queue: int, depth: int) -> None:
            elapsed = time.perf_counter() - started
            rate = states / elapsed if elapsed > 0 else 0.0
            self.progress.update(self.task, total=None, completed=0, description=(
                f"exploring {name}: {states:,} states, {rate:,.0f} states/s, queue {queue:,}, depth {depth}"))
        return show

    def deciding(self, name: str) -> Any:
        """``deciding(i, n, property id)`` for configuration ``name``."""
        if self.progress is None:
            return None

        def show(i: int, n: int, prop_id: str) -> None:
            self.progress.update(self.task, total=n, completed=i,
                                 description=f"deciding {name}: {prop_id} ({i + 1} of {n})")
        return show

    def finished(self, report: Any) -> None:
        """One line per finished configuration, above the transient progress line."""
        if self.progress is not None:
            from shadowspec.reports.suite import config_line

            self.progress.console.print(config_line(report.as_dict()), highlight=False, markup=False)


def check_progress() -> CheckProgress:
    return CheckProgress(sys.stderr.isatty())
