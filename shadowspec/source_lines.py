"""Where a declared transition or a catalogue property is written: repository-relative file and line.

SARIF results and the HTML report point reviewers at the declaration itself, so the lines are read
from the declaring source (``inspect`` finds the module, ``ast`` the statement), never typed in.
A transition is matched to the ``|``-joined clause that declares it (same source state, target and
result code); where a helper builds several clauses (``each(...)``), the helper's line is given.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Location:
    file: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line}


def relative_file(module_name: str) -> str:
    """``shadowspec.spec.requester`` -> ``spec/requester.py`` (the repository layout, no absolute path)."""
    parts = module_name.split(".")
    if parts[0] == "shadowspec" and len(parts) > 2:
        parts = parts[1:]
    return "/".join(parts) + ".py"


@lru_cache(maxsize=None)
def _tree(module_name: str) -> ast.Module:
    return ast.parse(inspect.getsource(importlib.import_module(module_name)))


def _leaves(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _leaves(node.left) + _leaves(node.right)
    return [node]


def _value(node: ast.expr | None, namespace: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return namespace.get(node.id, node.id)
    return None


def _clause(leaf: ast.expr, namespace: dict[str, Any]) -> tuple[str | None, str | None, Any]:
    """(source, target, result code) of one clause; source None for a helper over many states."""
    if not isinstance(leaf, ast.Call):
        return None, None, None
    code = None
    for keyword in leaf.keywords:
        if keyword.arg == "on":
            calls = keyword.value.elts if isinstance(keyword.value, ast.List) else [keyword.value]
            for call in calls:
                if isinstance(call, ast.Call) and getattr(call.func, "id", "").startswith("returns") and call.args:
                    code = _value(call.args[0], namespace)
    func = leaf.func
    if isinstance(func, ast.Attribute) and func.attr == "itself" and isinstance(func.value, ast.Attribute):
        source = getattr(func.value.value, "id", None)
        return source, source, code
    if isinstance(func, ast.Attribute) and func.attr == "to" and isinstance(func.value, ast.Name):
        target = getattr(leaf.args[0], "id", None) if leaf.args else None
        return func.value.id, target, code
    if isinstance(func, ast.Name) and func.id == "each" and len(leaf.args) >= 2:
        return None, "*", _value(leaf.args[1], namespace)
    return None, None, None


@lru_cache(maxsize=None)
def _class_clauses(cls: type) -> tuple[int, dict[str, list[tuple[int, str | None, str | None, Any]]]]:
    module = sys.modules[cls.__module__]
    namespace = {**vars(module)}
    for node in ast.walk(_tree(cls.__module__)):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            events: dict[str, list[tuple[int, str | None, str | None, Any]]] = {}
            for statement in node.body:
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                        and isinstance(statement.targets[0], ast.Name):
                    name = statement.targets[0].id
                    events[name] = [(statement.lineno, None, None, None)] + [
                        (leaf.lineno, *_clause(leaf, namespace)) for leaf in _leaves(statement.value)]
            return node.lineno, events
    return inspect.getsourcelines(cls)[1], {}


def class_location(cls: type) -> Location:
    return Location(relative_file(cls.__module__), _class_clauses(cls)[0])


def transition_location(cls: type, event: str, source: str, target: str, result: str) -> Location:
    """The line of the clause declaring ``event: source -> target [result]`` in ``cls``."""
    class_line, events = _class_clauses(cls)
    clauses = events.get(event)
    file = relative_file(cls.__module__)
    if not clauses:
        return Location(file, class_line)
    assignment, leaves = clauses[0][0], clauses[1:]
    exact = [line for line, s, t, code in leaves if s == source and t == target and code == result]
    helper = [line for line, s, t, code in leaves if t == "*" and code == result and source == target]
    moves = [line for line, s, t, _ in leaves if s == source and t == target]
    for found in (exact, helper, moves):
        if found:
            return Location(file, found[0])
    return Location(file, assignment)


def property_locations(module_name: str) -> dict[str, Location]:
    """Property id -> line of its ``Property("ID", ...)`` entry in the catalogue module."""
    found: dict[str, Location] = {}
    for node in ast.walk(_tree(module_name)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Property" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.setdefault(node.args[0].value, Location(relative_file(module_name), node.lineno))
    return found
