"""Mutants of the specification, made by operators over the declarations (never over source text).

Why: a property catalogue is only as good as the mistakes it catches. ``shadowspec mutate``
(``checks/mutate.py``) plants plausible mistakes of a specification author, one at a time, and asks
whether some property notices. The operators work on what python-statemachine and the composition
declare, read through the same introspection ``model/compiled.py`` uses:

* ``drop-guard`` / ``negate-guard``: one ``cond``/``unless`` callback of a transition removed, or
  moved to the other list;
* ``swap-result``: the transition's ``returns(code)`` replaced by another code that the same
  method returns on another declared transition of the machine (by default the code declared
  after it, cyclically: one mutant per transition; ``exhaustive`` gives every code);
* ``drop-effect``: one ``on`` effect removed;
* ``retarget``: the transition leads to another state of the same machine (by default the state
  declared after its target, cyclically: one mutant per transition; ``exhaustive`` gives every
  state);
* ``rejected-side-effect``: a rejected call (a self-loop with no effect that returns an error)
  runs an effect the same method has on another transition (or the machine's first effect);
* ``drop-cross-effect``: one cross-machine effect of the composition (a ``tx.fire`` call in
  ``model/system.py`` that fires as the consequence of an earlier step of the same action) is
  skipped.

A machine mutant is a real declared class built afresh (python-statemachine subclasses share and
mutate their parent's ``State`` objects, see ``tests/mutants/variants.py``), so every engine that
reads declarations sees it, and it takes its role through ``System(config, replace=...)``. A
``Mutant`` is a small picklable description; ``build`` makes the class in the process that checks
it.
"""

from __future__ import annotations

import ast
import inspect
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator

from statemachine import State

from shadowspec.spec.vocabulary import UNDEFINED, SpecMachine, returns

from . import system as system_module
from .config import Config
from .system import MACHINES, Label, System, _Tx

OPERATORS = ("drop-guard", "negate-guard", "swap-result", "drop-effect", "retarget",
             "rejected-side-effect", "drop-cross-effect")

SUCCESS_CODES = frozenset({"S_OK", "S_FALSE", "ERROR_SUCCESS", "true", "0"})
"""Results that are not a rejection (besides the ``VSS_S_`` success codes)."""

_CLASS_VARIABLES = ("ACTOR", "VARIABLES", "ARGUMENTS", "API_NAMES")


def is_rejection(result: str) -> bool:
    """Whether a declared result is an error return (the call was refused)."""
    return result not in SUCCESS_CODES and not result.startswith("VSS_S_") and result != UNDEFINED \
        and not result.startswith("<")


@dataclass(frozen=True)
class Site:
    """One transition of a machine: the unit a machine operator changes."""

    event: str
    source: str
    index: int  # among the transitions of (source, event), in declaration order


@dataclass(frozen=True)
class Mutant:
    """One planted mistake, described so that it can be rebuilt in another process."""

    id: str
    operator: str
    machine: str  # the role (class name), or "System" for the composition
    description: str
    site: Site | None = None  # machine operators
    target: str = ""  # the transition's declared target (for reports and source lines)
    result: str = ""  # the transition's declared result
    rules: tuple[str, ...] = ()  # the rules the transition (or the composition's effect) cites
    detail: tuple[Any, ...] = ()  # operator argument: guard name, code, state, effect, line
    groups: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)
    """(machine, state, event) whose steps the mutant changes: where it can make a difference."""


# -- reading the declarations --------------------------------------------------------------------
@dataclass
class _Declared:
    """One declared transition, as the rebuild re-creates it."""

    source: str
    target: str
    event: str
    index: int
    cond: list[tuple[Any, bool]]  # (callback func, expected value)
    on: list[Any]  # effects (method names) and the one result callable, in order
    internal: bool

    @property
    def result_fn(self) -> Any:
        return next(f for f in self.on if not isinstance(f, str))

    @property
    def effects(self) -> list[str]:
        return [f for f in self.on if isinstance(f, str)]


def _specs(transition: Any, group: str) -> list[Any]:
    return [spec for spec in getattr(transition, group) if not spec.is_convention]


def declared(role: type[SpecMachine]) -> list[_Declared]:
    """Every transition of ``role`` in declaration order (per state, as the compiler reads it)."""
    found: list[_Declared] = []
    counts: dict[tuple[str, str], int] = {}
    for state in role.states:
        for transition in state.transitions:
            for event in (str(e) for e in transition.events):
                key = (state.id, event)
                index = counts.get(key, 0)
                counts[key] = index + 1
                found.append(_Declared(
                    source=state.id, target=(transition.target or state).id, event=event, index=index,
                    cond=[(spec.func, bool(spec.expected_value)) for spec in _specs(transition, "cond")],
                    on=[spec.func for spec in _specs(transition, "on")], internal=bool(transition.internal)))
    return found


def _rules_of(role: type[SpecMachine], d: _Declared) -> tuple[str, ...]:
    rules = list(getattr(d.result_fn, "rules", ()))
    for name in [f for f, _ in d.cond] + d.effects:
        function = getattr(role, name, None) if isinstance(name, str) else name
        rules.extend(getattr(function, "rules", ()))
    return tuple(dict.fromkeys(rules))


def rebuild(role: type[SpecMachine], edit: Callable[[_Declared], _Declared] | None = None,
            methods: dict[str, Callable[..., Any]] | None = None, name: str | None = None) -> type[SpecMachine]:
    """A fresh class declaring what ``role`` declares, each transition passed through ``edit``."""
    fresh = {state.id: State(name=state.name, initial=state.initial, final=state.final)
             for state in role.states}
    lists: dict[str, Any] = {}
    for d in declared(role):
        if edit is not None:
            d = edit(d)
        copy = fresh[d.source].to(
            fresh[d.target],
            cond=[func for func, expected in d.cond if expected],
            unless=[func for func, expected in d.cond if not expected],
            on=list(d.on), internal=d.internal and d.source == d.target)
        lists[d.event] = copy if d.event not in lists else lists[d.event] | copy
    attrs: dict[str, Any] = {"__module__": role.__module__, "__qualname__": name or role.__name__,
                             "__doc__": role.__doc__}
    for key in _CLASS_VARIABLES:
        attrs[key] = getattr(role, key)
    if edit is not None:
        # a planted mistake may leave a state unreachable or a trap: that is for the properties to
        # find, not for the library's declaration checks to refuse
        attrs.update(validate_disconnected_states=False, validate_trap_states=False,
                     validate_final_reachability=False)
    for key, value in vars(role).items():
        if inspect.isfunction(value):
            attrs[key] = value
    attrs.update(methods or {})
    attrs.update(fresh)
    for event in (str(e) for e in role.events):
        attrs[event] = lists[event]
    cls = type(role)(name or role.__name__, (SpecMachine,), attrs)
    cls.ROLE = role  # type: ignore[attr-defined]
    return cls


# -- the machine operators -----------------------------------------------------------------------
def _state_ids(role: type[SpecMachine]) -> list[str]:
    return [state.id for state in role.states]


def _effect_names(role: type[SpecMachine]) -> list[str]:
    return [key for key, value in vars(role).items()
            if inspect.isfunction(value) and getattr(value, "kind", None) == "effect"]


def _describe(d: _Declared) -> str:
    return f"{d.event}: {d.source} -> {d.target} [{getattr(d.result_fn, 'result', '?')}]"


def machine_mutants(role: type[SpecMachine], operators: tuple[str, ...] = OPERATORS,
                    exhaustive: bool = False) -> Iterator[Mutant]:
    """Every mutant the machine operators make of ``role``, in declaration order."""
    table = declared(role)
    states = _state_ids(role)
    results_of: dict[str, list[str]] = {}
    effects_of: dict[str, list[str]] = {}
    for d in table:
        code = getattr(d.result_fn, "result", "?")
        if code != UNDEFINED and not code.startswith("<"):
            results_of.setdefault(d.event, [])
            if code not in results_of[d.event]:
                results_of[d.event].append(code)
        for name in d.effects:
            effects_of.setdefault(d.event, [])
            if name not in effects_of[d.event]:
                effects_of[d.event].append(name)
    all_effects = _effect_names(role)
    machine = role.__name__
    for d in table:
        site = Site(d.event, d.source, d.index)
        code = getattr(d.result_fn, "result", "?")
        rules = _rules_of(role, d)
        group = ((machine, d.source, d.event),)
        base = f"{machine}.{d.event}@{d.source}#{d.index}"

        def make(operator: str, suffix: str, what: str, detail: tuple[Any, ...]) -> Mutant:
            return Mutant(f"{base}:{operator}{suffix}", operator, machine, f"{_describe(d)}: {what}",
                          site, d.target, code, rules, detail, group)

        for i, (func, expected) in enumerate(d.cond):
            guard = func if isinstance(func, str) else getattr(func, "__name__", "?")
            word = "cond" if expected else "unless"
            if "drop-guard" in operators:
                yield make("drop-guard", f"({guard})", f"{word} {guard} dropped", (i,))
            if "negate-guard" in operators:
                yield make("negate-guard", f"({guard})", f"{word} {guard} negated", (i,))
        if "swap-result" in operators and code in results_of.get(d.event, ()):
            codes = results_of[d.event]
            others = [c for c in codes if c != code]
            if not exhaustive and others:
                following = codes[codes.index(code) + 1:] + codes
                others = [next(c for c in following if c != code)]
            for other in others:
                yield make("swap-result", f"({other})", f"returns {other} instead of {code}", (other,))
        for i, name in enumerate(d.effects):
            if "drop-effect" in operators:
                yield make("drop-effect", f"({name})", f"effect {name} dropped", (name,))
        if "retarget" in operators:
            others = [s for s in states if s != d.target]
            if not exhaustive and others:
                following = states[(states.index(d.target) + 1) % len(states):] + states
                others = [next(s for s in following if s != d.target)]
            for state in others:
                yield make("retarget", f"({state})", f"leads to {state} instead of {d.target}", (state,))
        if "rejected-side-effect" in operators and d.source == d.target and not d.effects \
                and is_rejection(code):
            candidates = effects_of.get(d.event) or all_effects[:1]
            for name in candidates[:1]:
                yield make("rejected-side-effect", f"({name})", f"rejected call also runs {name}", (name,))


def _edit_for(mutant: Mutant) -> Callable[[_Declared], _Declared]:
    site = mutant.site
    assert site is not None

    def edit(d: _Declared) -> _Declared:
        if (d.event, d.source, d.index) != (site.event, site.source, site.index):
            return d
        cond, on, target = list(d.cond), list(d.on), d.target
        op, detail = mutant.operator, mutant.detail
        if op == "drop-guard":
            del cond[detail[0]]
        elif op == "negate-guard":
            func, expected = cond[detail[0]]
            cond[detail[0]] = (func, not expected)
        elif op == "swap-result":
            old = d.result_fn
            on = [returns(detail[0], *getattr(old, "rules", ())) if f is old else f for f in on]
        elif op == "drop-effect":
            on.remove(detail[0])
        elif op == "retarget":
            target = detail[0]
        elif op == "rejected-side-effect":
            on.insert(0, detail[0])
        else:
            raise ValueError(f"{mutant.id}: {op} is not a machine operator")
        return _Declared(d.source, target, d.event, d.index, cond, on, d.internal and target == d.source)
    return edit


@lru_cache(maxsize=None)
def build_class(mutant: Mutant, roles: tuple[type[SpecMachine], ...] = MACHINES) -> type[SpecMachine]:
    """The mutated declared class of a machine mutant."""
    role = next(cls for cls in roles if cls.__name__ == mutant.machine)
    return rebuild(role, _edit_for(mutant))


# -- the composition's cross-machine effects -----------------------------------------------------
@dataclass(frozen=True)
class EffectSite:
    """A ``tx.fire``/``tx.fire_with`` call of the composition: its line and enclosing function."""

    line: int
    end_line: int
    function: str


@lru_cache(maxsize=None)
def effect_sites() -> tuple[EffectSite, ...]:
    """Every place ``model/system.py`` fires a local event inside an action (read with ``ast``)."""
    tree = ast.parse(inspect.getsource(system_module))
    sites: list[EffectSite] = []

    def walk(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.FunctionDef) and function and child.name in ("run", "then"):
                name = function
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) \
                    and child.func.attr in ("fire", "fire_with") and isinstance(child.func.value, ast.Name) \
                    and child.func.value.id == "tx":
                sites.append(EffectSite(child.lineno, child.end_lineno or child.lineno, function))
            walk(child, name)
    walk(tree, "")
    return tuple(sorted(set(sites), key=lambda s: s.line))


class _SiteTx(_Tx):
    """A transaction that knows which composition line fired each local event; it skips the
    dropped one when it follows an earlier step of the action, and records where effects fired."""

    __slots__ = ("drop", "seen")

    def __init__(self, machines: list[Any], state: tuple[int, ...], drop: int, seen: set | None) -> None:
        super().__init__(machines, state)
        self.drop = drop
        self.seen = seen

    def fire(self, component: int, event: str, **arguments: Any) -> str:
        return self._fire_at(sys._getframe(1), component, event, tuple(sorted(arguments.items())))

    def fire_with(self, component: int, event: str, args: Any) -> str:
        return self._fire_at(sys._getframe(1), component, event, args)

    def _fire_at(self, frame: Any, component: int, event: str, args: Any) -> str:
        line = _line_site(frame)
        if self.steps and line:
            if line == self.drop:
                result, _, _ = self.machines[component].step(self.state[component], event, args)
                return result
            if self.seen is not None:
                result = _Tx.fire_with(self, component, event, args)
                tid = self.steps[-1].transition
                self.seen.add((line, tid.machine, event, tid.rules))
                return result
        return _Tx.fire_with(self, component, event, args)


@lru_cache(maxsize=None)
def _lines() -> dict[int, int]:
    return {line: site.line for site in effect_sites() for line in range(site.line, site.end_line + 1)}


_SYSTEM_FILE = inspect.getsourcefile(system_module)


def _line_site(frame: Any) -> int:
    if frame.f_code.co_filename != _SYSTEM_FILE:
        return 0
    return _lines().get(frame.f_lineno, 0)


class MutatedSystem(System):
    """The composition with one cross-machine effect dropped (``drop``: its line), or recording
    which effects fire (``seen``). The action loop is ``System.successors`` with ``_SiteTx``;
    ``tests/checks/test_mutate.py`` keeps the two graphs identical when nothing is dropped."""

    def __init__(self, config: Config, replace: dict[type, type] | None = None, drop: int = 0,
                 seen: set | None = None) -> None:
        super().__init__(config, replace)
        self.drop = drop
        self.seen = seen

    def successors(self, state: tuple[int, ...]) -> Iterator[tuple[Label, tuple[int, ...]]]:
        for actor, call, arguments, kind, effect in self._actions(state):
            tx = _SiteTx(self.machines, state, self.drop, self.seen)
            result = effect(tx)
            if result is None:
                continue
            yield Label(actor, call, arguments, result, kind, tuple(tx.steps)), tuple(tx.state)


def cross_effect_mutants(fired: dict[int, set[tuple[str, str, tuple[str, ...]]]]) -> Iterator[Mutant]:
    """One mutant per declared cross-machine effect that fired in some configuration
    (``fired``: line -> the (machine, event, rules of the transition fired) seen there)."""
    by_line = {site.line: site for site in effect_sites()}
    for line in sorted(fired):
        site = by_line[line]
        events = sorted({(m, e) for m, e, _ in fired[line]})
        rules = tuple(sorted({r for _, _, cited in fired[line] for r in cited}))
        what = ", ".join(f"{m}.{e}" for m, e in events)
        groups = tuple(sorted({(m, "*", e) for m, e in events}))
        yield Mutant(f"System.{site.function}@{line}:drop-cross-effect", "drop-cross-effect", "System",
                     f"{site.function} (model/system.py:{line}) no longer fires {what}",
                     None, "", "", rules, (line,), groups)
