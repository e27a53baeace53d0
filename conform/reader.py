"""Streaming reader of API call logs (JSON Lines, ``trace-format.md``), with input checks.

A log is read one line at a time and never held whole, so a log of millions of lines costs the
same memory as a short one. Every way a log can be unreadable (no such file, a binary file, an
empty one, malformed JSON, a missing or mistyped field, a line of megabytes) becomes a
``LogError`` naming the file, the line and what would be valid: never a traceback, never a
silent skip.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

MAX_LINE_BYTES = 1 << 20
"""The longest line accepted (1 MiB): a longer one is not an API call record."""

ACTOR = re.compile(r"^(requester|node)-([1-9][0-9]{0,5})$")
FIELDS = {"actor": str, "call": str, "args": dict, "result": str, "status": str, "out": dict}
REQUIRED = ("actor", "call", "result")


class LogError(Exception):
    """A log that cannot be read; the message names file and line and what is wrong."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.reason = file, line, message
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


@dataclass(frozen=True)
class Entry:
    """One logged API call."""

    line: int
    actor: str
    kind: str          # "requester" or "node"
    number: int        # N of requester-N / node-N
    call: str
    args: dict[str, Any]
    result: str
    status: str | None
    out: dict[str, Any]
    ts: float | None


@dataclass(frozen=True)
class Meta:
    """The optional first line ``{"meta": {...}}``."""

    line: int
    values: dict[str, Any]


def _timestamp(value: Any) -> float | None:
    """Seconds from a number or an ISO 8601 string; None when the line has none."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("ts is a boolean; expected seconds or an ISO 8601 time")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            raise ValueError(f"ts {value!r} is not an ISO 8601 time or a number of seconds") from None
    raise ValueError(f"ts is {type(value).__name__}; expected seconds or an ISO 8601 time")


def _entry(number: int, data: Any) -> Entry | Meta:
    if not isinstance(data, dict):
        raise ValueError(f"a line is one JSON object; this is {type(data).__name__}")
    if "meta" in data:
        if not isinstance(data["meta"], dict):
            raise ValueError("meta must be an object such as {\"os\": \"2012\"}")
        return Meta(number, data["meta"])
    for name in REQUIRED:
        if name not in data:
            raise ValueError(f"missing required field {name!r} (required: {', '.join(REQUIRED)})")
    for name, kind in FIELDS.items():
        value = data.get(name)
        if value is not None and not isinstance(value, kind):
            expected = {str: "a string", dict: "an object"}[kind]
            raise ValueError(f"field {name!r} is {json.dumps(value)[:40]}; expected {expected}")
    if data["call"] == "IUnknown::Release" and isinstance(data.get("result"), int):
        data["result"] = str(data["result"])
    actor = ACTOR.match(data["actor"])
    if not actor:
        raise ValueError(f"actor {data['actor']!r} is not requester-N or node-N (N = 1, 2, ...)")
    return Entry(number, data["actor"], actor[1], int(actor[2]), data["call"], data.get("args") or {},
                 data["result"], data.get("status"), data.get("out") or {}, _timestamp(data.get("ts")))


def read(path: str, display: str | None = None) -> Iterator[Entry | Meta]:
    """The entries of the log at ``path``, one at a time; ``display`` names it in messages."""
    name = display or path
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise LogError(name, None, f"cannot read ({error.strerror or error})") from None
    seen = 0
    with stream:
        number = 0
        while True:
            try:
                raw = stream.readline(MAX_LINE_BYTES + 1)
            except OSError as error:
                raise LogError(name, number + 1, f"cannot read ({error.strerror or error})") from None
            if not raw:
                break
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise LogError(name, number, f"line longer than {MAX_LINE_BYTES:,} bytes; "
                                             "expected one JSON object per line")
            if b"\0" in raw:
                raise LogError(name, number, "binary data (NUL byte); expected UTF-8 JSON Lines")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise LogError(name, number, "not UTF-8 text; expected UTF-8 JSON Lines") from None
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise LogError(name, number, f"malformed JSON ({error.msg} at column {error.colno})") from None
            except RecursionError:
                raise LogError(name, number, "JSON nested too deeply") from None
            try:
                item = _entry(number, data)
            except ValueError as error:
                raise LogError(name, number, str(error)) from None
            if isinstance(item, Meta) and seen:
                raise LogError(name, number, "a meta line may only be the first line of a log")
            seen += 1
            yield item
    if not seen:
        raise LogError(name, None, "empty log; expected one JSON object per line")
