"""Check several logs so that no log can cost another its verdict.

Each log is checked on its own: a log that cannot be read, is refused, or (a bug) makes the
checker fail is reported as ``unreadable`` with one line saying why, and the next log is checked
as if it had not been there. A log that is not a regular file (a pipe, ``/dev/stdin``, a process
substitution) is copied once to a temporary file, because the checker reads a log twice and a
pipe can be read only once.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from typing import Iterator

from .checker import Options, Oracles, check, shared
from .reader import LogError
from .report import LogReport, Report

MAX_SPOOLED_BYTES = 1 << 32
"""The most a non-regular log is copied (4 GiB), so an endless device cannot fill the disk."""


@contextlib.contextmanager
def local_copy(path: str, display: str) -> Iterator[str]:
    """``path`` itself for a regular file, else a temporary regular copy (removed afterwards)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise LogError(display, None, f"cannot read ({error.strerror or error})") from None
    if stat.S_ISREG(mode):
        yield path
        return
    if stat.S_ISDIR(mode):
        raise LogError(display, None, "is a folder; expected a JSON Lines file")
    handle, temporary = tempfile.mkstemp(prefix="shadowspec-log-", suffix=".jsonl")
    try:
        with os.fdopen(handle, "wb") as copy:
            try:
                with open(path, "rb") as source:
                    copied = 0
                    while chunk := source.read(1 << 20):
                        copied += len(chunk)
                        if copied > MAX_SPOOLED_BYTES:
                            raise LogError(display, None, f"more than {MAX_SPOOLED_BYTES:,} bytes from a "
                                                          "pipe or device; save the log to a file")
                        copy.write(chunk)
            except OSError as error:
                raise LogError(display, None, f"cannot read ({error.strerror or error})") from None
        yield temporary
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def check_one(path: str, display: str, options: Options, oracles: Oracles) -> LogReport:
    """The report of one log; never raises for anything the log (or a bug) does."""
    try:
        with local_copy(path, display) as local:
            return check(local, display, options, oracles)
    except LogError as error:
        return LogReport.unreadable(display, str(error))
    except (Exception, RecursionError, MemoryError) as error:  # noqa: BLE001 - isolation is the point
        shown = str(error).splitlines()[0][:200] if str(error) else ""
        return LogReport.unreadable(display, f"{display}: internal error while checking this log "
                                             f"({type(error).__name__}: {shown}); the other logs are unaffected")


def check_logs(paths: tuple[str, ...] | list[str], options: Options) -> list[LogReport]:
    """One report per log, in the order given (the oracles are the process's, see ``Oracles``)."""
    oracles = shared(options.max_states)
    reports = []
    for path in paths:
        oracles.trim()
        reports.append(check_one(path, path, options, oracles))
    return reports


def run(paths: tuple[str, ...] | list[str], options: Options) -> Report:
    """The conformance report of a run over ``paths``."""
    return Report(check_logs(paths, options), dict(options.base.readings))
