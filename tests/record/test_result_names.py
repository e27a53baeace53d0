"""The recorder writes every return code rules.md names by that name, with the right value.

The codes are taken from rules.md (the catalogue the checker's findings cite), the values from
MinGW-w64's winerror.h and vsserror.h: a code missing from the recorder's tables, or a table
entry whose value differs from the SDK's definition of its name, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .toolchain import HEADER, ROOT, sdk_header

CODE = re.compile(r"\b(?:VSS_[ES]_[A-Z_]+|E_[A-Z_]+|S_OK|S_FALSE|ERROR_[A-Z_]+)\b")
ROW = re.compile(r'\{(0x[0-9A-Fa-f]+|\d+)UL, "(\w+)"\}')
DEFINE = re.compile(r"#define\s+(\w+)\s+(?:_HRESULT_TYPEDEF_\(|\(\(HRESULT\)|__MSABI_LONG\()(0x[0-9A-Fa-f]+|\d+)L?\)")
NOT_IN_MINGW = {"ERROR_CLUSTER_BACKUP_IN_PROGRESS": 5949}
"""Documented codes MinGW-w64's winerror.h lacks: value from [MS-CMRP] (0x0000173D)."""


def rules_md() -> Path:
    for parent in ROOT.parents:
        for candidate in (parent / "shared" / "domain" / "rules.md", parent / "domain" / "rules.md"):
            if candidate.is_file():
                return candidate
    pytest.skip("shared/domain/rules.md is not present")


def tables() -> dict[str, dict[str, int]]:
    """{'HresultName': {name: value}, 'Win32Name': {...}} from the recorder's header."""
    text = HEADER.read_text(encoding="utf-8")
    found = {}
    for function in ("HresultName", "Win32Name"):
        start = text.index(f"inline const char* {function}(")
        body = text[start:text.index("\n}\n", start)]
        found[function] = {name: int(value, 0) for value, name in ROW.findall(body)}
    return found


def test_every_code_rules_md_names_has_a_name_in_the_recorder() -> None:
    named = set(tables()["HresultName"]) | set(tables()["Win32Name"])
    codes = set(CODE.findall(rules_md().read_text(encoding="utf-8")))
    assert len(codes) > 30, sorted(codes)
    missing = sorted(codes - named)
    assert not missing, f"rules.md names codes the recorder would write in hex: {missing}"


def test_every_name_has_the_value_the_sdk_defines() -> None:
    sdk = {}
    for header in ("winerror.h", "vsserror.h"):
        for name, value in DEFINE.findall(sdk_header(header).read_text(encoding="utf-8", errors="replace")):
            sdk.setdefault(name, int(value, 0) & 0xFFFFFFFF)
    sdk.update(NOT_IN_MINGW)
    wrong, unknown = [], []
    for table in tables().values():
        for name, value in table.items():
            if name not in sdk:
                unknown.append(name)
            elif sdk[name] != value:
                wrong.append(f"{name} = {value:#010x}, SDK {sdk[name]:#010x}")
    assert not wrong, wrong
    assert not unknown, f"names the SDK headers do not define: {unknown}"


def test_a_value_has_one_name_per_table() -> None:
    """Two names for one value would make the name written depend on table order."""
    for function, table in tables().items():
        values = list(table.values())
        doubles = sorted({hex(v) for v in values if values.count(v) > 1})
        assert not doubles, f"{function}: {doubles}"
