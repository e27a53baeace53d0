"""Escaping for every output format, in one place, so text from a log or a file never acts as
markup or as a terminal command.

Anything a log or a saved file supplies (file names, actors, calls, messages, descriptions,
sentences of a saved report) goes through one of these before it reaches a report:

- ``terminal_safe``: control characters (C0, DEL, C1) and the bidirectional overrides are shown
  as ``\\xNN``/``\\uNNNN`` escapes, so an ESC sequence in a log cannot clear the screen or set the
  terminal's title, and ``\\r`` cannot overwrite a line.
- ``md_text``: Markdown inline text (paragraphs, headings, table cells): the punctuation that
  starts markup is backslash-escaped (CommonMark allows it for any ASCII punctuation) and ``<``,
  ``>``, ``&`` become entities, so no emphasis, link, raw HTML (``<script>``), table pipe or code
  span can start, nor a list or quote at the start; line breaks of every kind become spaces, so a
  value cannot start a heading or end a table row.
- ``md_code``: a code span that its content cannot close: as inline HTML ``<code>`` with every
  character that could matter written as an entity (backticks included).
- ``file_uri``: a file name as an RFC 3986 URI reference (percent-encoded UTF-8), for SARIF's
  ``artifactLocation.uri``.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
                      r"\ud800-\udfff]")
_CONTROL_NEWLINE = re.compile(_CONTROL.pattern[:-1] + r"\n]")
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_PUNCTUATION = {ch: "\\" + ch for ch in "\\`*_{}[]()#!|~$"}
_PUNCTUATION.update({"<": "&lt;", ">": "&gt;", "&": "&amp;"})
_PUNCTUATION_TABLE = str.maketrans(_PUNCTUATION)
_CODE_TABLE = str.maketrans({ch: f"&#{ord(ch)};" for ch in string.punctuation if ch not in ".,:;-_/=+'\"?"})


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, newlines: bool = True) -> str:
    """``text`` with every control character shown as an escape (newlines kept if ``newlines``)."""
    return (_CONTROL if newlines else _CONTROL_NEWLINE).sub(_visible, text)


def one_line(text: str) -> str:
    """``text`` on one line: every kind of line break a space, other controls shown as escapes."""
    return terminal_safe(_BREAKS.sub(" ", text))


_LEADING = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def md_text(value: object) -> str:
    """Untrusted text as Markdown inline text that renders as exactly that text."""
    text = one_line(str(value)).translate(_PUNCTUATION_TABLE)
    return _LEADING.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def md_code(value: object) -> str:
    """Untrusted text as an inline code span its content cannot break out of."""
    return "<code>" + one_line(str(value)).translate(_CODE_TABLE) + "</code>"


def file_uri(path: str) -> str:
    """A file path as an RFC 3986 URI reference: forward slashes, percent-encoded UTF-8 (``:`` too,
    so the first segment is never read as a scheme; ``//`` never starts an authority)."""
    path = path.replace("\\", "/")
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogatepass")
    encoded = quote(raw, safe="/-._~!$&'()*+,;=@")   # ':' is encoded, so no segment reads as a scheme
    return "/" + encoded.lstrip("/") if encoded.startswith("//") else encoded
