"""What every declared machine must be, read from the declarations themselves.

The catalogue of rules is the requirement list, so every transition must cite a rule, and every
cited rule must exist in ``shared/domain/rules.md``. Names are the API's, in snake_case, with the
environment's events apart under ``env_``. Machines are strict (an undeclared event fails loudly).
Event arguments reach guards and effects by name through python-statemachine's ``send``, so they
must be declared, consumed, and not collide with the names the engine reserves for itself.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from statemachine import StateMachine

from shadowspec.model.compiled import cited_rules, declared_transitions
from shadowspec.model.config import Config
from shadowspec.model.explorer import explore
from shadowspec.model.system import MACHINES, System
from shadowspec.spec.vocabulary import ENVIRONMENT_PREFIX, SpecMachine

RULE_ID = re.compile(r"\b(?:REQ|ASY|WRT|CSV|NODE|DATA|INV|LIV|AMB)-\d{2}[a-z]?\b")  # rev 2: REQ-01a, REQ-16a
DEFINED = re.compile(r"^\|\s*((?:REQ|ASY|WRT|CSV|NODE|DATA|INV|LIV|AMB)-\d{2}[a-z]?)\s*\|", re.MULTILINE)
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ACTORS = ("requester", "node", "vss")


def rules_file() -> Path | None:
    """``shared/domain/rules.md``, found from the repository upwards (it lives beside the repo)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        for candidate in (parent / "shared" / "domain" / "rules.md", parent / "domain" / "rules.md"):
            if candidate.is_file():
                return candidate
    return None


def events_of(cls: type[SpecMachine]) -> list[str]:
    return [event.id for event in cls.events]


def callbacks(cls: type[SpecMachine]) -> list[tuple[str, Any]]:
    """(event, callable) for every explicit guard, effect and result of every transition."""
    found = []
    for state in cls.states:
        for transition in state.transitions:
            for spec in [*transition.cond, *transition.on]:
                if spec.is_convention:
                    continue
                function = getattr(cls, spec.func) if isinstance(spec.func, str) else spec.func
                for event in transition.events:
                    found.append((str(event), function))
    return found


def parameters(function: Any) -> list[str]:
    names = list(inspect.signature(function).parameters)
    return [n for n in names if n not in ("self", "model")]


machines = pytest.mark.parametrize("cls", MACHINES, ids=lambda cls: cls.__name__)


# -- rules ---------------------------------------------------------------------------------------
@machines
def test_every_transition_cites_a_rule(cls: type[SpecMachine]) -> None:
    cited = cited_rules(cls)
    assert len(cited) == len(declared_transitions(cls)) > 0
    silent = [str(tid) for tid, rules in cited.items() if not rules]
    assert not silent, f"transitions citing no rule: {silent}"
    malformed = sorted({r for rules in cited.values() for r in rules if not RULE_ID.fullmatch(r)})
    assert not malformed, f"not rule IDs: {malformed}"


@machines
def test_every_cited_rule_exists(cls: type[SpecMachine]) -> None:
    path = rules_file()
    if path is None:
        pytest.skip("shared/domain/rules.md is not present")
    defined = set(DEFINED.findall(path.read_text(encoding="utf-8")))
    assert len(defined) > 100, f"{path}: the rule table did not parse ({len(defined)} IDs)"
    cited = {rule: tid for tid, rules in cited_rules(cls).items() for rule in rules}
    unknown = {rule: str(tid) for rule, tid in cited.items() if rule not in defined}
    assert not unknown, f"cited but not defined in {path.name}: {unknown}"


@machines
def test_guards_and_effects_cite_rules(cls: type[SpecMachine]) -> None:
    """A named predicate or update is where a rule is encoded; it says which."""
    for event, function in callbacks(cls):
        kind = getattr(function, "kind", None) or ("result" if hasattr(function, "result") else None)
        assert kind in ("guard", "effect", "result"), \
            f"{cls.__name__}.{event}: {function.__name__} is not marked with @guard, @effect or returns()"
        assert getattr(function, "rules", ()), f"{cls.__name__}.{event}: {function.__name__} cites no rule"


# -- names ---------------------------------------------------------------------------------------
@machines
def test_names_are_snake_case(cls: type[SpecMachine]) -> None:
    names = {"event": events_of(cls), "state": [s.id for s in cls.states], "variable": list(cls.VARIABLES),
             "argument": [a for args in cls.ARGUMENTS.values() for a in args]}
    bad = [(kind, name) for kind, found in names.items() for name in found if not SNAKE.match(name)]
    assert not bad, bad


@machines
def test_actor_and_api_names(cls: type[SpecMachine]) -> None:
    assert cls.ACTOR in ACTORS
    events = set(events_of(cls))
    assert set(cls.API_NAMES) <= events, f"API_NAMES for undeclared events: {set(cls.API_NAMES) - events}"
    assert set(cls.ARGUMENTS) <= events, f"ARGUMENTS for undeclared events: {set(cls.ARGUMENTS) - events}"
    for event, api in cls.API_NAMES.items():
        assert api and api == api.strip(), (event, api)
    # a modelled API call is named after its API; an environment event never is a call
    calls = [e for e in cls.API_NAMES if not e.startswith(ENVIRONMENT_PREFIX)]
    assert all("env" not in e.split("_") for e in calls), calls


def test_requester_calls_are_the_api_calls() -> None:
    """Every event of the requester's session is either a documented API call or an env_ event."""
    from shadowspec.spec.requester import RequesterSession
    for event in events_of(RequesterSession):
        assert event.startswith(ENVIRONMENT_PREFIX) or event in RequesterSession.API_NAMES, event


ACTOR_CONFIGS = (Config(name="cluster", requesters=0, nodes=2, volumes=1),
                 Config(name="requester", requesters=1, nodes=1, volumes=1, writers=1, callers=(),
                        environment=()),
                 Config(name="faults", requesters=1, nodes=1, volumes=1, writers=1,
                        callers=("async_calls", "cancel", "status_calls"),
                        environment=("async_failure", "writer_failure", "crash", "freeze_timeout")))


@pytest.mark.parametrize("config", ACTOR_CONFIGS, ids=lambda c: c.name)
def test_env_events_are_taken_by_the_environment_only(config: Config) -> None:
    """In every explored action: a program's call (by requester-N or node-N) starts with a non-env_
    event of a machine that program drives (its ACTOR); an action that starts with an env_ event is
    the environment's (vss, cluster, fault); the environment starts no program's call."""
    system = System(config)
    x = explore([system.initial], system.successors, max_states=30000)
    seen = {"call": 0, "env": 0}
    for label in x.labels:
        first = label.steps[0]
        cls = system.machines[first.component].cls
        program = label.actor.split("-")[0] in ("requester", "node")
        assert program == (label.kind == "call"), label.describe()
        if program:
            seen["call"] += 1
            assert not first.event.startswith(ENVIRONMENT_PREFIX), label.describe()
            assert cls.ACTOR == label.actor.split("-")[0], (label.describe(), cls.__name__, cls.ACTOR)
        elif first.event.startswith(ENVIRONMENT_PREFIX):
            seen["env"] += 1
        else:
            assert cls.ACTOR == "vss", (label.describe(), cls.__name__)  # the service drives a writer
    assert seen["call"] > 0 and (seen["env"] > 0 or not config.environment)


# -- strictness ----------------------------------------------------------------------------------
@machines
def test_machines_are_strict(cls: type[SpecMachine]) -> None:
    assert issubclass(cls, SpecMachine) and issubclass(cls, StateMachine)
    assert cls.allow_event_without_transition is False
    assert SpecMachine.allow_event_without_transition is False


# -- arguments -----------------------------------------------------------------------------------
def reserved_by_the_engine() -> set[str]:
    """Keyword names python-statemachine takes for itself: ``send``'s own keyword-only parameters
    (a ``delay=`` sent as an argument becomes a delivery delay) and the names it injects into
    callbacks (``event``, ``source``, ``model``...)."""
    send = inspect.signature(StateMachine.send).parameters.values()
    reserved = {p.name for p in send if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert "delay" in reserved  # the introspection still works on this version
    injected = {"event", "event_data", "machine", "model", "transition", "state", "source", "target"}
    return reserved | injected


ARGUMENT_NAMES = [(cls, event, name) for cls in MACHINES for event, args in cls.ARGUMENTS.items()
                  for name in args]
KNOWN_COLLISIONS: set[tuple[str, str, str]] = set()
"""Argument names known to collide (a bug: see tests/model/test_compiled_against_engine.py KNOWN_DRIFT)."""


@pytest.mark.parametrize(
    "cls, event, name",
    [pytest.param(*item, marks=pytest.mark.xfail(strict=True, reason="collides with StateMachine.send(delay=)"))
     if (item[0].__name__, item[1], item[2]) in KNOWN_COLLISIONS else item for item in ARGUMENT_NAMES],
    ids=[f"{c.__name__}.{e}.{n}" for c, e, n in ARGUMENT_NAMES])
def test_argument_names_are_not_reserved_by_the_engine(cls: type[SpecMachine], event: str, name: str) -> None:
    assert name not in reserved_by_the_engine()


IGNORED_ON_PURPOSE = {
    ("SharedVolumeBackupState", "clear_backup_state", "node"):
        "NODE-11: the clear is unconditional and cluster-wide; who calls is recorded, never consulted",
}


@machines
def test_arguments_are_declared_and_consumed(cls: type[SpecMachine]) -> None:
    """Every argument a guard, effect or result reads is declared for the event it serves, and
    every declared argument is read by some callback of its event (else it changes nothing),
    unless ignoring it is the documented behaviour (IGNORED_ON_PURPOSE)."""
    read: dict[str, set[str]] = {}
    for event, function in callbacks(cls):
        wanted = set(parameters(function))
        undeclared = wanted - set(cls.ARGUMENTS.get(event, {}))
        assert not undeclared, f"{cls.__name__}.{event}: {function.__name__} reads undeclared {undeclared}"
        read.setdefault(event, set()).update(wanted)
    for event, args in cls.ARGUMENTS.items():
        unread = {name for name in set(args) - read.get(event, set())
                  if (cls.__name__, event, name) not in IGNORED_ON_PURPOSE}
        assert not unread, f"{cls.__name__}.{event}: declared arguments no callback reads: {unread}"


@pytest.mark.parametrize("config", ACTOR_CONFIGS[:2], ids=lambda c: c.name)
def test_the_composition_sends_declared_arguments(config: Config) -> None:
    """system.py fires each event with exactly its declared arguments, from their declared values."""
    system = System(config)
    x = explore([system.initial], system.successors)
    for label in x.labels:
        for step in label.steps:
            cls = system.machines[step.component].cls
            declared = cls.ARGUMENTS.get(step.event, {})
            assert {name for name, _ in step.arguments} == set(declared), (cls.__name__, step)
            for name, value in step.arguments:
                assert not declared[name] or value in declared[name], (cls.__name__, step.event, name, value)
