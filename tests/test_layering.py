"""Data flows one way: spec imports nothing of ours, model only spec, checks only spec and model,
reports only plain data; the example specifications and the log checker sit on top of checks, and
only the command line (``shadowspec/``) wires everything. A change that breaks the direction fails
here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"spec": set(), "model": {"spec"}, "checks": {"spec", "model"}, "reports": set(),
           "examples": {"spec", "model", "checks"}, "conform": {"spec", "model", "checks"}}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_follow_the_layers(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("shadowspec."):
                layer = node.module.split(".")[1]
                assert layer in ALLOWED[package] | {package}, f"{path.name} imports {node.module}"
