"""Streaming reader of API call logs (JSON Lines, ``trace-format.md``), with input checks.

A log is read one line at a time and never held whole, so a log of millions of lines costs the
same memory as a short one. Each line is validated field by field (``line_schema``) before use. A
line that cannot be used (malformed JSON, a missing or mistyped field, a binary or non-UTF-8 line,
a line of megabytes, a timestamp that is not finite or goes backwards) is yielded as a
``Malformed`` item naming the line, the field and what would be valid: the checker reports it as a
finding of kind ``input`` and checks the other lines as if it were absent. Only a log that cannot
be read at all (no such file, nothing in it) is a ``LogError``. Never a traceback, never a silent
skip.

Timestamps are UTC unless they carry an offset, so the same log gives the same verdict under any
``TZ``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator

from .line_schema import MAX_INT_DIGITS, MAX_TS, line_problem, meta_problem, values_problem

MAX_LINE_BYTES = 1 << 20
"""The longest line accepted (1 MiB): a longer one is not an API call record."""

ACTOR = re.compile(r"(requester|node)-([1-9][0-9]{0,5})")
"""Matched with ``fullmatch``: nothing may follow the number, not even a newline."""
RELEASE = "IUnknown::Release"
_CALL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_:.\-]{0,199}")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


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


@dataclass(frozen=True)
class Malformed:
    """A line that cannot be used: reported as an ``input`` finding, then skipped."""

    line: int
    field: str | None
    message: str
    actor: str = ""
    call: str = ""


class _Refused(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Refused(f"an integer of {digits:,} digits; numbers in a log have at most {MAX_INT_DIGITS}")
    return int(text)


def _constant(text: str) -> float:
    raise _Refused(f"{text} is not JSON (numbers must be finite)")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is beyond the range of a double")
    return value


_DECODER = json.JSONDecoder(parse_int=_integer, parse_constant=_constant, parse_float=_float)


def _utc(moment: datetime) -> float:
    """Seconds since the epoch; a time without an offset is UTC, never the machine's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def timestamp(value: Any) -> float | None:
    """Seconds from a number or an ISO 8601 string (UTC unless it has an offset); None when the
    line has none. Anything else, non-finite or out of range, is refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Refused("ts is a boolean; expected seconds or an ISO 8601 time", "ts")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        try:
            seconds = _utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except (ValueError, OverflowError):
            raise _Refused(f"ts {value[:40]!r} is not an ISO 8601 time or a number of seconds", "ts") from None
    else:
        raise _Refused(f"ts is {type(value).__name__}; expected seconds or an ISO 8601 time", "ts")
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_TS:
        raise _Refused(f"ts {value!r} is out of range; expected seconds from 0 to {MAX_TS:.0f}", "ts")
    return seconds


def _entry(number: int, data: Any) -> Entry | Meta:
    if not isinstance(data, dict):
        raise _Refused(f"a line is one JSON object; this is {type(data).__name__}")
    if "meta" in data:
        problem = meta_problem(data["meta"]) or values_problem(data["meta"], "meta")
        if problem:
            raise _Refused(problem, "meta")
        return Meta(number, data["meta"])
    if data.get("call") == RELEASE and isinstance(data.get("result"), int) and not isinstance(data["result"], bool):
        data["result"] = str(data["result"])
    problem = line_problem(data)
    if problem:
        raise _Refused(problem, next((f for f in ("actor", "call", "result", "status", "args", "out", "ts")
                                      if f"'{f}'" in problem.split(";")[0]), None))
    for name in ("args", "out"):
        problem = values_problem(data.get(name), name)
        if problem:
            raise _Refused(problem, name)
    actor = ACTOR.fullmatch(data["actor"])
    if not actor:  # the schema's pattern says the same; kept so the two can never disagree
        raise _Refused(f"actor {data['actor']!r} is not requester-N or node-N (N = 1, 2, ...)", "actor")
    return Entry(number, data["actor"], actor[1], int(actor[2]), data["call"], data.get("args") or {},
                 data["result"], data.get("status"), data.get("out") or {}, timestamp(data.get("ts")))


def _who(data: Any) -> tuple[str, str]:
    """The actor and call of a refused line, when they are plain short text (for the finding)."""
    if not isinstance(data, dict):
        return "", ""
    actor, call = data.get("actor"), data.get("call")
    return (actor if isinstance(actor, str) and ACTOR.fullmatch(actor) else "",
            call if isinstance(call, str) and _CALL.fullmatch(call) else "")


def _parse(text: str) -> Any:
    if _SURROGATE_ESCAPE.search(text) is None:
        return _DECODER.decode(text)
    data = _DECODER.decode(text)
    problem = values_problem(data, "", -100)
    if problem:
        raise _Refused(problem)
    return data


def _skip_rest(stream: Any) -> None:
    """Read past the rest of an over-long line without holding it."""
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def read(path: str, display: str | None = None) -> Iterator[Entry | Meta | Malformed]:
    """The items of the log at ``path``, one at a time; ``display`` names it in messages."""
    name = display or path
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise LogError(name, None, f"cannot read ({error.strerror or error})") from None
    seen = 0
    last: tuple[int, float] | None = None   # (line, ts) of the latest timestamp
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
                _skip_rest(stream)
                seen += 1
                yield Malformed(number, None, f"line longer than {MAX_LINE_BYTES:,} bytes; "
                                              "expected one JSON object per line")
                continue
            item = _item(number, raw)
            if item is None:
                continue
            if isinstance(item, Meta) and seen:
                item = Malformed(number, "meta", "a meta line may only be the first line of a log")
            seen += 1
            if isinstance(item, Entry) and item.ts is not None:
                if last is not None and item.ts < last[1]:
                    yield Malformed(number, "ts", f"ts goes backwards ({item.ts:.3f} s after {last[1]:.3f} s "
                                                  f"on line {last[0]}); the call is checked without it",
                                    item.actor, item.call)
                    item = Entry(**{**item.__dict__, "ts": None})
                else:
                    last = (number, item.ts)
            yield item
    if not seen:
        raise LogError(name, None, "empty log; expected one JSON object per line")


def _item(number: int, raw: bytes) -> Entry | Meta | Malformed | None:
    """One line as an item (None for a blank line)."""
    if b"\0" in raw:
        return Malformed(number, None, "binary data (NUL byte); expected UTF-8 JSON Lines")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Malformed(number, None, "not UTF-8 text; expected UTF-8 JSON Lines")
    if not text.strip():
        return None
    data: Any = None
    try:
        data = _parse(text)
        return _entry(number, data)
    except json.JSONDecodeError as error:
        return Malformed(number, None, f"malformed JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return Malformed(number, None, "JSON nested too deeply")
    except _Refused as error:
        return Malformed(number, error.field, str(error), *_who(data))
