"""The writer's state table of rules.md (section 7.3), read into an index PRN-05 decides by.

Why: PRN-03/04 judge the requester by its tables 7.1 and 7.2; the writer's table 7.3 (WRT-02,
WRT-07, WRT-08, WRT-10, WRT-15) was a property nowhere, and ``shadowspec mutate`` showed it: a
writer whose OnFreeze false shut it down instead of aborting it, an OnPrepareSnapshot false that
recorded no failure, an Abort from Thawed that did not abort, all passed every configuration. The
table is read from rules.md, never from ``spec/writer.py`` (a mistyped target would document
itself), and kept as a generated module, ``checks/writer_table_index.py``:

    python -m shadowspec.checks.documented_writer ../shared/domain/rules.md -o checks/writer_table_index.py

``tests/checks/test_documented_writer.py`` fails when the snapshot no longer matches rules.md.

How a row is read (columns From | Event (cause) | Guard / handler result | To | Rules):

* From: the writer states it names (``A / B``); ``any``: every state but the final Shutdown;
* the event: the handler the guard cell names (``OnFreeze`` is ``CVssWriter::OnFreeze``), else
  ``On`` + the event cell's first word (``Abort`` is OnAbort), else the environment step of
  ``ENVIRONMENT`` (the freeze timer);
* the handler result: ``true`` or ``false`` outside parentheses picks that result; a row naming
  neither covers both (``OnPrepareSnapshot (false ⇒ failure recorded, no Abort)``);
* To: its first word, a state (``Aborted (Abort raised)`` is ``aborted``); ``unchanged`` keeps
  the From state;
* a failure is recorded (SetWriterFailure) when the handler returns false (WRT-07: "on fatal
  error call SetWriterFailure then return false") or the row names a writer error status
  (``VSS_E_WRITERERROR_TIMEOUT``, REQ-25).

A (event, state) no row lists is section 7's default: "anything not listed for a state is
rejected", and a rejected event changes nothing (``checks/writer_table.py``).
"""

from __future__ import annotations

import re
import sys

from .documented_phases import _section, snake
from .generator_cli import generator_main

ENVIRONMENT = {"freeze_timer expires": "env_freeze_timeout"}
"""7.3 event cells that name an environment step rather than a handler (WRT-04: the freeze window)."""

_HANDLER = re.compile(r"\bOn[A-Z]\w*")
_FAILURE_STATUS = re.compile(r"\bVSS_E_WRITERERROR_\w+")


def _declared() -> tuple[dict[str, str], tuple[str, ...], frozenset[str], str]:
    """The declared writer's API names (name -> event), states, the events taking a handler
    result (``ok``) and its final state: names only, never its transitions."""
    from shadowspec.spec.writer import Writer

    events = {name: event for event, name in Writer.API_NAMES.items()}
    states = tuple(s.id for s in Writer.states)
    final = next(s.id for s in Writer.states if s.final)
    with_result = frozenset(e for e, args in Writer.ARGUMENTS.items() if "ok" in args)
    return events, states, with_result, final


def _event_of(event_cell: str, guard_cell: str, events: dict[str, str]) -> str | None:
    for text in (guard_cell, event_cell):
        for handler in _HANDLER.findall(text):
            event = events.get(f"CVssWriter::{handler}")
            if event:
                return event
    for words, event in ENVIRONMENT.items():
        if event_cell.strip().startswith(words):
            return event
    first = re.match(r"\s*(\w+)", event_cell)
    return events.get(f"CVssWriter::On{first[1]}") if first else None


def _results(guard_cell: str) -> tuple[bool, ...] | None:
    outside = re.sub(r"\([^()]*\)", " ", guard_cell)
    said = [word == "true" for word in re.findall(r"\b(true|false)\b", outside)]
    return tuple(dict.fromkeys(said)) or None


def table(rules_text: str) -> dict[tuple[str, str, bool | None], tuple[str, bool]]:
    """(event, declared state, handler result or None) -> (declared state after, failure recorded)."""
    events, states, with_result, final = _declared()
    live = tuple(s for s in states if s != final)
    found: dict[tuple[str, str, bool | None], tuple[str, bool]] = {}
    for cells in _section(rules_text, "### 7.3"):
        if len(cells) < 4:
            continue
        from_cell, event_cell, guard_cell, to_cell = cells[:4]
        event = _event_of(event_cell, guard_cell, events)
        if event is None:
            continue
        if from_cell.strip() == "any":
            sources = live
        else:
            sources = tuple(snake(p) for p in re.split(r"\s*[/,]\s*", from_cell.strip()))
        target_word = re.match(r"\s*(\w+)", to_cell)
        if target_word is None or any(s not in states for s in sources):
            continue
        said = _results(guard_cell)
        results: tuple[bool | None, ...] = (said or (True, False)) if event in with_result else (None,)
        status_failure = _FAILURE_STATUS.search(to_cell) is not None
        for source in sources:
            target = source if target_word[1] == "unchanged" else snake(target_word[1])
            if target not in states:
                continue
            for ok in results:
                found[(event, source, ok)] = (target, status_failure or ok is False)
    return found


def generate(rules_text: str) -> str:
    lines = ['"""The writer state table of rules.md section 7.3: (event, state, handler result) -> (state after,',
             "failure recorded). Generated; do not edit.",
             "",
             "Regenerate with ``python -m shadowspec.checks.documented_writer ../shared/domain/rules.md "
             "-o checks/writer_table_index.py``.",
             '"""', "",
             "WRITER_TABLE: dict[tuple[str, str, bool | None], tuple[str, bool]] = {"]
    for (event, state, ok), entry in sorted(table(rules_text).items(), key=lambda item: (item[0][0], item[0][1], str(item[0][2]))):
        lines.append(f"    ({event!r}, {state!r}, {ok!r}): {entry!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generator_main("documented_writer", __doc__.splitlines()[0], generate, argv)


if __name__ == "__main__":
    sys.exit(main())
