"""The vocabulary every declared machine is written in.

A machine of shadowspec is a python-statemachine ``StateMachine`` (strict: an event with no
matching transition raises ``TransitionNotAllowed``) whose control state is the library's own
state, and whose data lives in a small record of declared, finite variables. Three helpers make
a declaration self-describing, so that the explorer, the diagrams and the conformance checker can
read it instead of re-typing it:

* ``returns(code, *rules)`` is the ``on`` callback that gives a transition its API result (the
  HRESULT or Win32 code the call returns) and the rule IDs that document it;
* ``@guard(*rules)`` marks a pure predicate over the record and the event's arguments;
* ``@effect(*rules)`` marks an update of the record.

Variables, event arguments and the transition declarations are all the model compiler needs:
nothing else about a machine is written down twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar

from statemachine import StateMachine

ENVIRONMENT_PREFIX = "env_"
"""Events whose name starts with this are taken by the environment (timers, faults, the VSS
service and the cluster), not called by a program."""


@dataclass(frozen=True)
class Variable:
    """A state variable: its initial value, what it means, and its values where they are fixed."""

    initial: Any
    doc: str
    domain: tuple[Any, ...] = ()

    def start(self) -> Any:
        return self.initial


def returns(code: str, *rules: str) -> Callable[[], str]:
    """The ``on`` callback that makes a transition return ``code``, citing ``rules``."""

    def result() -> str:
        return code

    result.__name__ = result.__qualname__ = f"returns_{code}"
    result.result = code  # type: ignore[attr-defined]
    result.rules = tuple(rules)  # type: ignore[attr-defined]
    return result


def returns_variable(name: str, *rules: str) -> Callable[..., str]:
    """The ``on`` callback that returns the code held in variable ``name`` (a stored failure)."""

    def result(model: Any) -> str:
        return str(getattr(model, name))

    result.__name__ = result.__qualname__ = f"returns_{name}"
    result.result = f"<{name}>"  # type: ignore[attr-defined]
    result.rules = tuple(rules)  # type: ignore[attr-defined]
    return result


UNDEFINED = "UNDEFINED"
"""The result of a call the documentation gives no outcome for: any result is accepted, and the
call itself is what a property or the conformance checker judges."""


def guard(*rules: str) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """Mark a method as a pure guard that encodes ``rules``."""

    def mark(fn: Callable[..., bool]) -> Callable[..., bool]:
        fn.rules = tuple(rules)  # type: ignore[attr-defined]
        fn.kind = "guard"  # type: ignore[attr-defined]
        return fn

    return mark


def effect(*rules: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Mark a method as an update of the machine's record that encodes ``rules``."""

    def mark(fn: Callable[..., None]) -> Callable[..., None]:
        fn.rules = tuple(rules)  # type: ignore[attr-defined]
        fn.kind = "effect"  # type: ignore[attr-defined]
        return fn

    return mark


class Record:
    """The mutable data of one machine instance: ``state`` plus the declared variables.

    ``params`` holds the configuration the machine was built for (OS version, protocol,
    readings of the ambiguities); it never changes during a run.
    """

    __slots__ = ("state", "params", "__dict__")

    def __init__(self, params: Any, values: dict[str, Any], state: str | None = None) -> None:
        self.state = state
        self.params = params
        self.__dict__.update(values)


class SpecMachine(StateMachine):
    """Base class of every declared machine.

    Subclasses declare ``VARIABLES`` (name -> ``Variable``), ``ARGUMENTS`` (event -> argument
    name -> finite domain, for the events that take arguments) and ``ACTOR`` (who calls the
    non-environment events: ``requester``, ``node`` or ``vss``).
    """

    VARIABLES: ClassVar[dict[str, Variable]] = {}
    ARGUMENTS: ClassVar[dict[str, dict[str, tuple[Any, ...]]]] = {}
    ACTOR: ClassVar[str] = "vss"
    API_NAMES: ClassVar[dict[str, str]] = {}
    """Event -> the documented API name it models (for reports and log conformance)."""

    @classmethod
    def new_record(cls, params: Any) -> Record:
        return Record(params, {name: var.start() for name, var in cls.VARIABLES.items()})

    @classmethod
    def start(cls, params: Any) -> "SpecMachine":
        """A real engine instance in the initial configuration."""
        return cls(model=cls.new_record(params))

    @classmethod
    def resume(cls, params: Any, local: tuple[Any, ...]) -> "SpecMachine":
        """A real engine instance placed in the local state ``local`` = (state, *variables)."""
        values = dict(zip(cls.VARIABLES, local[1:], strict=True))
        return cls(model=Record(params, values, state=local[0]))

    def local_state(self) -> tuple[Any, ...]:
        record = self.model
        return (record.state, *(getattr(record, name) for name in self.VARIABLES))

    def call(self, event: str, **arguments: Any) -> str:
        """Send ``event`` through the real engine and return the API result it declares."""
        returned = self.send(event, **arguments)
        values = returned if isinstance(returned, list) else [returned]
        results = [value for value in values if value is not None]
        if len(results) != 1:
            raise RuntimeError(f"{type(self).__name__}.{event} declared {len(results)} results")
        return str(results[0])


def each(
    states: "list[Any] | tuple[Any, ...]",
    code: str,
    *rules: str,
    effects: tuple[str, ...] = (),
    **conditions: Any,
) -> Any:
    """Self-transitions from every state in ``states`` that return ``code``.

    Without ``effects`` these are the documented error paths: a call made in the wrong state
    happens, returns its error and leaves the machine as it was. ``conditions`` (``cond``,
    ``unless``) are passed to each transition."""
    transitions = None
    for state in states:
        loop = state.to.itself(on=[*effects, returns(code, *rules)], **conditions)
        transitions = loop if transitions is None else transitions | loop
    return transitions
