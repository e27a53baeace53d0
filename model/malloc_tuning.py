"""Keep freed memory in the process: what makes parallel numpy work pay off on a small VM.

numpy allocates and frees large temporaries at every step of a level. glibc's malloc hands
blocks above its thresholds back to the kernel (``munmap``, trimming), so the next allocation
faults every page in again. One process hardly notices; two busy processes at once on this
project's 2-CPU virtual machine spent more time in page faults than in the work: measured with
``bench/engines_bench.py``, two worker processes explored R=3, V=3 in about 2.3 s without these
settings and 1.2 s with them (the single-process explorer: 1.2-1.3 s, unaffected). The price: a
process keeps its peak memory until it exits. Elsewhere than glibc the settings do nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from typing import Iterator

MALLOC_ENVIRONMENT = {"MALLOC_TRIM_THRESHOLD_": str(1 << 30), "MALLOC_TOP_PAD_": str(1 << 28),
                      "MALLOC_MMAP_THRESHOLD_": str(1 << 25)}
"""glibc's environment settings for processes started from here (worker processes, Ray actors)."""


def keep_freed_memory() -> None:
    """The same settings for this (already running) process, through ``mallopt``."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        for option, value in ((-1, 1 << 30), (-2, 1 << 28), (-3, 1 << 25)):  # TRIM, TOP_PAD, MMAP
            libc.mallopt(option, value)
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def malloc_environment() -> Iterator[None]:
    """``MALLOC_ENVIRONMENT`` in ``os.environ`` while processes are started, then as it was."""
    saved = {name: os.environ.get(name) for name in MALLOC_ENVIRONMENT}
    os.environ.update(MALLOC_ENVIRONMENT)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
