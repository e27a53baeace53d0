"""The recording layers that write the API call logs ``shadowspec conform`` reads.

``cpp/shadowspec_record.h`` is a header-only C++ wrapper of ``IVssBackupComponents`` (and of the
``IVssAsync`` objects and CSV cluster calls) for programs that drive VSS. It ships in the wheel as
package data of ``shadowspec.record`` so ``shadowspec recorder --header`` can hand a user's build
the exact header this version's checker reads, without a source checkout.
"""

from __future__ import annotations

from importlib import resources

HEADER = "shadowspec_record.h"


def header_text() -> str:
    """The recording header shipped with this version of shadowspec."""
    return resources.files(__name__).joinpath("cpp", HEADER).read_text(encoding="utf-8")
