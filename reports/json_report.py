"""The report object itself as stable JSON (``shadowspec report --format json``).

Keys sorted, two-space indent, UTF-8 kept: the same report object gives the same bytes. The
object's schema is documented in ``reports.document``; it carries ``schema_version``.
"""

from __future__ import annotations

import json
from typing import Any


def render(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
