"""Source lines are read from the declarations: each points at the text that declares the thing."""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowspec.checks.catalogue import PROPERTIES, WITNESSES
from shadowspec.model.compiled import declared_transitions
from shadowspec.model.system import MACHINES
from shadowspec.source_lines import class_location, property_locations, relative_file, transition_location

ROOT = Path(__file__).resolve().parents[2]


def _line(file: str, number: int) -> str:
    return (ROOT / file).read_text(encoding="utf-8").splitlines()[number - 1]


def test_relative_files() -> None:
    assert relative_file("shadowspec.spec.requester") == "spec/requester.py"
    assert relative_file("shadowspec.checks.catalogue") == "checks/catalogue.py"


def test_every_property_points_at_its_catalogue_entry() -> None:
    found = property_locations("shadowspec.checks.catalogue")
    assert set(found) == {p.id for p in PROPERTIES + WITNESSES}
    for pid, where in found.items():
        assert where.file == "checks/catalogue.py"
        assert f'Property("{pid}"' in _line(where.file, where.line)


@pytest.mark.parametrize("cls", MACHINES, ids=lambda c: c.__name__)
def test_every_transition_points_into_its_class_at_a_clause_naming_it(cls: type) -> None:
    start = class_location(cls)
    assert f"class {cls.__name__}" in _line(start.file, start.line)
    for t in declared_transitions(cls):
        where = transition_location(cls, t.event, t.source, t.target, t.result)
        assert where.file == start.file and where.line >= start.line
        text = _line(where.file, where.line)
        # the clause itself (source state named, or a helper over many states), or the event's assignment
        assert (f"{t.source}.to" in text or "each(" in text or f"{t.event} =" in text
                or "_common_checks()" in text), (str(t), where.line, text)


def test_a_known_clause() -> None:
    cls = next(c for c in MACHINES if c.__name__ == "SharedVolumeBackupState")
    where = transition_location(cls, "clear_backup_state", "backup_in_progress", "not_in_backup", "ERROR_SUCCESS")
    assert "backup_in_progress.to(not_in_backup" in _line(where.file, where.line)
