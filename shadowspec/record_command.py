"""``shadowspec recorder --header -o PATH``: hand a user's build the C++ recording layer.

The header is package data, so the one a user compiles is the one whose log format this
version's ``conform`` reads; a copy from another version could write lines this checker refuses.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--header", "header", is_flag=True, required=True,
              help="Write shadowspec_record.h, the header-only C++ recording layer.")
@click.option("--output", "-o", metavar="PATH", default="-", show_default=True,
              help="The file to write, or a folder to write shadowspec_record.h into; - for stdout.")
def recorder(header: bool, output: str) -> None:
    """Write the recording layer that makes a program log its VSS and cluster calls."""
    from shadowspec.cli import UsageFailure, _write  # the group imports this module
    from shadowspec.record import HEADER, header_text

    del header  # the only artifact so far; the flag names what is written
    if output not in (None, "-"):
        path = Path(output)
        if path.is_dir():
            path = path / HEADER
        if not path.resolve().parent.is_dir():
            raise UsageFailure(f"--output {output}: folder {path.parent} does not exist")
        output = str(path)
    _write(header_text(), output)
