"""The conformance report as stable JSON (``schema_version`` 1; README "Checking API call logs")."""

from __future__ import annotations

import json
from typing import Any


def render(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
