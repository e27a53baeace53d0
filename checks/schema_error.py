"""One line naming the first wrong field of a JSON document, for every user file validated by a
JSON Schema (baselines, saved reports): the same words whatever the file, and never more than a
line however large the bad value is."""

from __future__ import annotations

from typing import Any


def first_error(validator: Any, data: Any, whole: str, what: dict[str, str] | None = None) -> str | None:
    """``FIELD is VALUE; expected RULE`` for the shallowest error (ties by path), or None if
    ``data`` is valid. ``whole`` names the document when the error is at its top level; ``what``
    explains a top-level field in words instead of the schema keyword."""
    if validator.is_valid(data):
        return None
    error = min(validator.iter_errors(data), key=lambda e: (len(e.path), list(map(str, e.path))))
    parts = list(error.path)
    field = (str(parts[0]) + "".join(f"[{p!r}]" for p in parts[1:])) if parts else whole
    shown = repr(error.instance)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    rule = f"{error.validator} {error.validator_value!r}"
    rule = rule if len(rule) <= 80 else rule[:77] + "..."
    top = (what or {}).get(str(parts[0])) if len(parts) == 1 else None
    return f"{field} is {shown}; expected {top or rule}"
