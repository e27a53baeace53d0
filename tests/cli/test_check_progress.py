"""Progress of ``shadowspec check`` on a terminal's stderr (rich): the exploring and deciding
phases are shown while stdout (piped) gets the report alone; nothing on stderr in a pipe."""

from __future__ import annotations

import os
import re
import pty
import subprocess
import sys

from shadowspec.checks.catalogue import PROPERTIES, WITNESSES

ARGS = [sys.executable, "-m", "shadowspec", "check", "--config", "csv-modes", "--config", "csv-protocol-2",
        "--no-timings"]


def test_progress_on_a_terminal_and_not_in_a_pipe() -> None:
    main, side = pty.openpty()
    done = subprocess.run(ARGS, stdout=subprocess.PIPE, stderr=side, timeout=300)
    os.close(side)
    shown = b""
    try:
        while chunk := os.read(main, 65536):
            shown += chunk
    except OSError:
        pass
    os.close(main)
    assert done.returncode == 0
    total = len(PROPERTIES + WITNESSES)
    # the deciding line of one of the two configurations (which frames a terminal shows depends on
    # timing; the last one is always drawn when the progress stops)
    assert re.search(rb"deciding csv-(modes|protocol-2): [A-Z]+-\d+ \(\d+ of %d\)" % total, shown), shown[-400:]
    assert b"csv-protocol-2" in shown  # the line of each finished configuration
    assert b"deciding csv-modes: " not in done.stdout and done.stdout.startswith(b"shadowspec check: 2 configurations")
    piped = subprocess.run(ARGS, capture_output=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == b""
