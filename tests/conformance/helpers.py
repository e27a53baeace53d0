"""Shared helpers: rule IDs computed from the declared machines, and running the checker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shadowspec.checks.catalogue import PROPERTIES
from shadowspec.conform.checker import Options, Oracles, check
from shadowspec.conform.report import LogReport
from shadowspec.model.compiled import CompiledMachine, declared_transitions
from shadowspec.model.config import Config

CORPUS = Path(__file__).parent / "corpus"
ORACLES = Oracles(20_000)


def run(path: Path | str, **options: Any) -> LogReport:
    return check(str(path), Path(path).name, Options(**options), ORACLES)


def fired(cls: type, state: str, event: str, variables: dict[str, Any] | None = None,
          readings: dict[str, str] | None = None, **arguments: Any) -> set[str]:
    """The rules of the transition the declared machine fires for ``event`` in the given situation."""
    config = Config(readings=tuple((readings or {}).items()))
    machine = CompiledMachine(cls, config.params())
    local = list(machine.locals[machine.initial])
    local[0] = state
    for name, value in (variables or {}).items():
        local[1 + machine.variables.index(name)] = value
    _, _, tid = machine.step(machine.intern(tuple(local)), event, tuple(sorted(arguments.items())))
    return set(tid.rules)


def every(cls: type, event: str) -> set[str]:
    """The rules every declared transition of ``event`` cites (through its result)."""
    return {rule for t in declared_transitions(cls) if t.event == event for rule in t.rules}


def prop(identifier: str) -> set[str]:
    return set(next(p for p in PROPERTIES if p.id == identifier).rules)
