"""The schema of one log line (``trace-format.md``), checked with jsonschema before any use.

Why a schema: every field is judged the same way in one place (type, length, allowed characters,
range), and the refusal names the field and what would be valid. Patterns end with
``(?![\\s\\S])`` rather than ``$``: Python's ``$`` (which jsonschema uses) also matches before a
trailing newline, so ``"requester-1\\n"`` would pass as an actor.

What a schema cannot say is checked by ``values_problem``: numbers JSON cannot carry back
(non-finite), integers too long to convert, lone surrogate escapes (which cannot be written as
UTF-8), and nesting deeper than a call record needs.
"""

from __future__ import annotations

import math
from typing import Any

from jsonschema import Draft202012Validator

from shadowspec.model.config import OS_VERSIONS, PROTOCOLS

END = r"(?![\s\S])"
"""End of string: no character at all follows (unlike ``$``)."""

MAX_DEPTH = 6
"""Nesting levels inside ``args``, ``out`` or ``meta`` (a call record needs two or three)."""
MAX_INT_DIGITS = 40
"""Digits of the longest integer accepted (a 128-bit value has 39)."""
MAX_TS = 253402300799.0
"""The last second of 9999-12-31 UTC, the largest time ISO 8601 writes with four digits."""

_WORD = {"type": "string", "pattern": r"^[A-Za-z0-9_][A-Za-z0-9_:.\-]{0,199}" + END}
_VALUES = {"type": "object", "maxProperties": 200,
           "propertyNames": {"pattern": r"^[^\x00-\x1f\x7f]{1,200}" + END}}

LINE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["actor", "call", "result"],
    "properties": {
        "actor": {"type": "string", "pattern": r"^(requester|node)-[1-9][0-9]{0,5}" + END,
                  "description": "requester-N or node-N (N = 1, 2, ...)"},
        "call": {**_WORD, "description": "an API name such as IVssBackupComponents::PrepareForBackup"},
        "result": {**_WORD, "description": "a return code name such as S_OK (a reference count for IUnknown::Release)"},
        "status": {"anyOf": [_WORD, {"type": "null"}], "description": "a status name such as VSS_S_ASYNC_FINISHED"},
        "args": {"anyOf": [_VALUES, {"type": "null"}], "description": "an object of argument names and values"},
        "out": {"anyOf": [_VALUES, {"type": "null"}], "description": "an object of output parameter names and values"},
        "ts": {"anyOf": [{"type": "number", "minimum": 0, "maximum": MAX_TS},
                         {"type": "string", "maxLength": 64}, {"type": "null"}],
               "description": f"seconds from 0 to {MAX_TS:.0f} or an ISO 8601 time"},
    },
}

META_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "os": {"enum": list(OS_VERSIONS), "description": f"one of {', '.join(OS_VERSIONS)}"},
        "cluster_protocol": {"enum": list(PROTOCOLS), "description": f"one of {', '.join(PROTOCOLS)}"},
        "volumes": {"type": "array", "maxItems": 1000,
                    "items": {"type": "array", "maxItems": 100,
                              "items": {"type": "string", "minLength": 1, "maxLength": 1000}},
                    "description": "a list of lists of names that denote one volume"},
    },
}

_LINE = Draft202012Validator(LINE_SCHEMA)
_META = Draft202012Validator(META_SCHEMA)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _explain(validator: Draft202012Validator, schema: dict[str, Any], data: Any, prefix: str) -> str | None:
    """One sentence for the first schema error (fields in schema order), or None if valid."""
    if validator.is_valid(data):
        return None
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(schema.get("properties", {})).index(
        str(e.path[0])) if e.path and str(e.path[0]) in schema.get("properties", {}) else -1, list(map(str, e.path))))
    error = errors[0]
    if error.validator == "required":
        missing = [name for name in schema["required"] if name not in data]
        return f"missing required field {missing[0]!r} (required: {', '.join(schema['required'])})"
    if not error.path:
        return f"a line is one JSON object; this is {type(data).__name__}"
    field = str(error.path[0])
    value = data[field]
    where = f"{prefix}{field}" + "".join(f"[{p!r}]" for p in list(error.path)[1:])
    expected = schema["properties"][field].get("description", "a valid value")
    return f"field {where!r} is {_short(value)}; expected {expected}"


_CACHE: dict[tuple[Any, ...], str | None] = {}
_CACHE_SIZE = 20_000
_SCALARS = (str, int, float, bool, type(None))


def _shape(data: dict[str, Any]) -> tuple[Any, ...] | None:
    """What the schema's verdict on a line (without ``ts``) depends on, or None if unhashable:
    the scalar fields themselves and, for ``args``/``out``, their type and names (the schema
    never looks at the values inside them). Logs repeat a few shapes, so the verdict is cached."""
    key: list[Any] = []
    for name in ("actor", "call", "result", "status"):
        value = data.get(name, KeyError)
        if value is not KeyError and not isinstance(value, _SCALARS):
            return None
        key.append((type(value).__name__, value))
    for name in ("args", "out"):
        value = data.get(name, KeyError)
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                return None
            key.append(("dict", tuple(value)))
        elif value is KeyError or isinstance(value, _SCALARS):
            key.append((type(value).__name__, value))
        else:
            return None
    return tuple(key)


def line_problem(data: Any) -> str | None:
    """What is wrong with a parsed call line, or None (``ts`` is judged by ``reader.timestamp``,
    which applies the same range)."""
    if not isinstance(data, dict):
        return _explain(_LINE, LINE_SCHEMA, data, "")
    rest = {k: v for k, v in data.items() if k != "ts"}
    key = _shape(rest)
    if key is None:
        return _explain(_LINE, LINE_SCHEMA, rest, "")
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = _explain(_LINE, LINE_SCHEMA, rest, "")
    return _CACHE[key]


def meta_problem(meta: Any) -> str | None:
    """What is wrong with the value of a meta line, or None."""
    if not isinstance(meta, dict):
        return "meta must be an object such as {\"os\": \"2012\"}"
    return _explain(_META, META_SCHEMA, meta, "meta.")


def values_problem(value: Any, where: str, depth: int = 0) -> str | None:
    """What makes a JSON value unusable whatever the schema says, or None."""
    stack = [(value, where, depth)]
    while stack:
        item, place, level = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return f"{place} holds a lone surrogate escape (\\ud800-\\udfff), which is not text"
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{place} is a number beyond the range of a double"
        elif isinstance(item, (dict, list)):
            if level >= MAX_DEPTH:
                return f"{place} is nested more than {MAX_DEPTH} levels deep"
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, inner in pairs:
                if isinstance(key, str):
                    problem = values_problem(key, f"a name in {place}", MAX_DEPTH)
                    if problem:
                        return problem
                inner_place = (f"{place}.{key}" if place else f"field {key!r}") if isinstance(item, dict) else f"{place}[{key}]"
                stack.append((inner, inner_place, level + 1))
    return None
