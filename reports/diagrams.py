"""State diagrams of the declared machines, drawn by python-statemachine itself.

The library extracts a diagram model from a machine class (``contrib.diagram.extract``) and renders
it to DOT (through pydot) or Mermaid. We use exactly that pipeline, so the picture cannot drift
from the declarations; we only (a) normalise the object ids the DOT renderer puts into node names,
so the same class gives the same bytes in every process, (b) optionally leave out the transitions
that keep the state (the documented error paths: a requester's machine declares hundreds), and
(c) style the edges of a counterexample's path. A counterexample's steps also become a Mermaid
sequence diagram between the actors.
"""

from __future__ import annotations

import json
import re
import shutil
from typing import Any, Iterable, NamedTuple, Protocol

from statemachine.contrib.diagram import DotGraphMachine
from statemachine.contrib.diagram.extract import extract
from statemachine.contrib.diagram.graphviz import run_graphviz
from statemachine.contrib.diagram.model import ActionType, DiagramAction, DiagramGraph, DiagramTransition
from statemachine.contrib.diagram.renderers.dot import DotRenderer
from statemachine.contrib.diagram.renderers.mermaid import MermaidRenderer

from .escape import one_line
from . import api_words
from .steps import show

INSTALL_GRAPHVIZ = ("Graphviz's `dot` is not installed, so only DOT and Mermaid were written; "
                    "install it with `apt-get install graphviz` (Debian/Ubuntu) or "
                    "`brew install graphviz` (macOS)")
HIGHLIGHT_COLOUR = "#d62728"
FADED_COLOUR = "#b0b0b0"

_OBJECT_IDS = re.compile(r"(__initial|__atomic)_\d+")


class TransitionId(Protocol):
    """What a path step must tell (``model.compiled.TransitionId`` does; reports import none of
    the model, so they read it by its fields)."""

    machine: str
    source: str
    event: str
    index: int
    target: str


class _Drawn(NamedTuple):
    """One declared transition as the diagram draws it: its identity in the declarations."""

    source: str
    event: str
    index: int
    target: str


def _transition_ids(cls: type) -> list[_Drawn]:
    """The declared transitions in the order ``extract`` lists them (states, then each state's
    transitions), numbered per (state, event) as the model compiler numbers them, so diagram
    edge i is declared transition i."""
    ordered, seen = [], {}
    for state in cls.states:
        for transition in state.transitions:
            for event in transition.events:
                key = (state.id, str(event))
                index = seen[key] = seen.get(key, -1) + 1
                target = transition.target.id if transition.target else state.id
                ordered.append(_Drawn(state.id, str(event), index, target))
    return ordered


def _diagram(cls: type, self_loops: bool,
             keep: frozenset[tuple[str, str, int]] = frozenset(),
             api_labels: bool = True) -> tuple[DiagramGraph, dict[int, _Drawn]]:
    """The library's diagram model of ``cls`` and, for each edge, the transition it draws
    (``keep``: (source, event, index) of self-loops drawn even without ``self_loops``; the others
    are folded into a list in their state's box). ``api_labels``: edges name the documented call
    (``event_label``) rather than the library's humanised event id."""
    graph = extract(cls)
    tids = _transition_ids(cls)
    if len(tids) != len(graph.transitions) or any(
            t.source != d.source for t, d in zip(tids, graph.transitions)):
        raise RuntimeError(f"{cls.__name__}: the diagram's transitions do not line up with the declarations")
    kept: list[DiagramTransition] = []
    edges: dict[int, _Drawn] = {}
    folded: dict[str, list[str]] = {}
    for tid, drawn in zip(tids, graph.transitions):
        if api_labels:
            drawn.event = event_label(cls, tid.event)
        if not self_loops and tid.source == tid.target and (tid.source, tid.event, tid.index) not in keep:
            names = folded.setdefault(tid.source, [])
            label = event_label(cls, tid.event)
            if label not in names:
                names.append(label)
            continue
        kept.append(drawn)
        edges[id(drawn)] = tid
    graph.transitions = kept
    if folded:
        omitted = len(tids) - len(kept)
        graph.name = f"{graph.name} ({omitted} transitions that keep the state listed in their state)"
        for state in graph.states:
            names = folded.get(state.id)
            if names:  # folded into the state's box: what leaves it unchanged, a few names a line
                rows = [", ".join(names[i:i + FOLD_PER_LINE]) for i in range(0, len(names), FOLD_PER_LINE)]
                state.actions.append(DiagramAction(ActionType.INTERNAL, "stays on: " + rows[0]))
                state.actions += [DiagramAction(ActionType.INTERNAL, "  " + row) for row in rows[1:]]
    return graph, edges


FOLD_PER_LINE = 3
"""Names per line in a state's folded list of self-loops (keeps the boxes narrow)."""


def event_label(cls: type, event: str) -> str:
    """An edge's label in the API's words: the documented call a program makes (without its
    interface, which the machine's name already says), or for the environment's steps what
    happens, e.g. "(environment) snapshot failed"."""
    api = getattr(cls, "API_NAMES", {}).get(event)
    if api:
        return api.split("::")[-1]
    if event.startswith("env_"):
        return "(environment) " + event[len("env_"):].replace("_", " ")
    return event


def _config(cls: type, top_down: bool = False) -> Any:
    """The styling ``DotGraphMachine`` (the library's own DOT entry point) uses; ``top_down``
    lays the states out top to bottom (with the self-loops folded into the boxes, left to right
    gives a strip several screens wide)."""
    config = DotGraphMachine(cls)._build_config()
    if top_down:
        config.graph_rankdir = "TB"
    return config


def _normalise(dot: str) -> str:
    return _OBJECT_IDS.sub(r"\1", dot)


def machine_dot(cls: type, *, self_loops: bool = False, api_labels: bool = True) -> str:
    """The DOT source python-statemachine draws for ``cls`` (deterministic node names); by
    default the self-loops are folded into their states and edges read as API calls."""
    graph, _ = _diagram(cls, self_loops, api_labels=api_labels)
    return _normalise(DotRenderer(_config(cls, top_down=not self_loops)).render(graph).to_string())


def machine_mermaid(cls: type, *, self_loops: bool = False, api_labels: bool = True) -> str:
    """The Mermaid ``stateDiagram-v2`` source python-statemachine writes for ``cls``."""
    graph, _ = _diagram(cls, self_loops, api_labels=api_labels)
    return MermaidRenderer().render(graph)


def dot_available() -> bool:
    return shutil.which("dot") is not None


def render_dot(dot: str, fmt: str = "svg") -> bytes | None:
    """Graphviz's rendering of ``dot`` in ``fmt`` (svg, png), or None when ``dot`` is missing."""
    if not dot_available():
        return None
    try:
        return run_graphviz(dot, fmt)
    except FileNotFoundError:
        return None


def machine_svg(cls: type, *, self_loops: bool = False) -> str | None:
    """The machine diagram as SVG, or None when Graphviz is not installed."""
    rendered = render_dot(machine_dot(cls, self_loops=self_loops), "svg")
    return None if rendered is None else rendered.decode("utf-8")


class _HighlightRenderer(DotRenderer):
    """The library's DOT renderer with the fired transitions bold and coloured, the rest faded."""

    def __init__(self, config: Any, edges: dict[int, _Drawn], fired: dict[_Drawn, list[int]]) -> None:
        super().__init__(config)
        self._edges = edges
        self._fired = fired

    def _create_edges(self, transition: DiagramTransition) -> list[Any]:
        created = super()._create_edges(transition)
        steps = self._fired.get(self._edges.get(id(transition)))  # type: ignore[arg-type]
        for edge in created:
            if steps:
                edge.set("color", HIGHLIGHT_COLOUR)
                edge.set("fontcolor", HIGHLIGHT_COLOUR)
                edge.set("penwidth", "3")
                edge.set("xlabel", f'"{", ".join(map(str, steps))}"')
            else:
                edge.set("color", FADED_COLOUR)
                edge.set("fontcolor", FADED_COLOUR)
        return created


def _same(a: _Drawn, b: TransitionId) -> bool:
    return (a.source, a.event, a.index) == (b.source, b.event, b.index)


def highlighted_machine_dot(cls: type, transitions: Iterable[TransitionId], *,
                            self_loops: bool = False, name: str | None = None,
                            compact: bool = False) -> str:
    """The machine diagram of ``cls`` with a path drawn on it: each fired transition in bold red,
    labelled with its position(s) in ``transitions`` (1-based), the other edges faded, and the
    state the path ends in filled (the library's active-state style). Transitions of other
    machines are ignored; ``name`` is the role ``cls`` plays when it is a variant."""
    role = name or cls.__name__
    path = [t for t in transitions if t.machine == role]
    graph, edges = _diagram(cls, self_loops, frozenset((t.source, t.event, t.index) for t in path))
    fired: dict[_Drawn, list[int]] = {}
    for position, step in enumerate(path, start=1):
        for tid in edges.values():
            if _same(tid, step):
                fired.setdefault(tid, []).append(position)
    if path:
        for state in graph.states:
            state.is_active = state.id == path[-1].target
    if compact and path:
        _compact(graph, {t.source for t in path} | {t.target for t in path})
    return _normalise(_HighlightRenderer(_config(cls, top_down=not self_loops and not compact), edges,
                                         fired).render(graph).to_string())


def _compact(graph: DiagramGraph, touched: set[str]) -> None:
    """Keep only the states a path touches and their neighbours, and the edges among them; the
    folded self-loop lists go too (the full machine diagram, drawn once, has them)."""
    near = set(touched)
    for transition in graph.transitions:
        ends = {transition.source, *transition.targets}
        if ends & touched:
            near |= ends
    hidden = [s for s in graph.states if s.id not in near]
    graph.states = [s for s in graph.states if s.id in near]
    for state in graph.states:
        state.actions = [a for a in state.actions if not a.body.lstrip().startswith("stays on:")
                         and not (a.type is ActionType.INTERNAL and a.body.startswith("  "))]
    graph.transitions = [t for t in graph.transitions if t.source in near and set(t.targets) <= near]
    base = graph.name.split(" (")[0]
    graph.name = (f"{base}: the path's states and their neighbours"
                  + (f" ({len(hidden)} other states not drawn)" if hidden else ""))


# -- counterexamples as sequence diagrams -----------------------------------------------------
_PARTICIPANT = re.compile(r"[^A-Za-z0-9_]")


def _participant(actor: str) -> str:
    return "p_" + _PARTICIPANT.sub("_", actor)


def mermaid_text(text: str) -> str:
    """Mermaid message text: no line breaks of any kind (a ``\\r`` would end a Markdown fence), no
    control characters, no characters its parser treats as syntax."""
    return (one_line(text).replace(";", ",").replace("#", "").replace("`", "'")
            .replace("<", "‹").replace(">", "›"))


def _callee(step: dict[str, Any]) -> str:
    """Who a step reaches: a requester's calls reach VSS; a node's cluster calls and the
    environment's steps reach the volume, writer, node or requester they name (a node's call
    naming none reaches the cluster)."""
    actor, arguments = step["actor"], step.get("arguments", {})
    if actor.startswith("requester-"):
        return "vss"
    for key in ("volume", "VolumeName", "lpszFileName", "lpszVolumePathName", "writer", "node", "requester"):
        value = arguments.get(key)
        if isinstance(value, str) and value.split("-")[0] in ("volume", "writer", "node", "requester"):
            return value
    return "cluster" if actor.startswith("node-") else actor


def sequence_mermaid(steps: list[dict[str, Any]], title: str | None = None) -> str:
    """A counterexample (the ``counterexample`` steps of the check JSON) as a Mermaid
    ``sequenceDiagram``: one message per step from its actor to whom it reaches, the result as the
    reply, and the state changes and rules as a note; ``title`` goes in the frontmatter."""
    order: list[str] = []

    def meet(name: str) -> str:
        if name not in order:
            order.append(name)
        return _participant(name)

    body: list[str] = []
    for step in steps:
        source = meet(step["actor"])
        target = meet(_callee(step))
        call = mermaid_text(f"{step['step']}. {api_words.label(step)[0]}")
        result = mermaid_text(api_words.shown_result(step))
        if source == target:
            body.append(f"    {source}->>{source}: {call}" + (f" → {result}" if result else ""))
        else:
            body.append(f"    {source}->>{target}: {call}")
            body.append(f"    {target}-->>{source}: {result or 'done'}")
        changes = [f"{name}: {show(before)} → {show(after)}"
                   for name, (before, after) in step.get("changes", {}).items()]
        note = ", ".join(mermaid_text(c) for c in changes)
        if step.get("rules"):
            rules = mermaid_text(", ".join(map(str, step["rules"])))
            note = f"{note} [{rules}]" if note else f"[{rules}]"
        if note:
            body.append(f"    Note over {target}: {note}" if source == target
                        else f"    Note over {source},{target}: {note}")
    lines = ["---", f"title: {json.dumps(title)}", "---"] if title else []  # Mermaid frontmatter
    lines.append("sequenceDiagram")
    lines += [f"    participant {_participant(name)} as {mermaid_text(name)}" for name in order]
    return "\n".join(lines + body) + "\n"


def _html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def sequence_dot(steps: list[dict[str, Any]], title: str | None = None) -> str:
    """A counterexample as a Graphviz table (one column per actor, one row per step: the call
    under its caller with an arrow towards whom it reaches, the result under the callee, the
    changed variables below), so ``dot -Tpng`` and ``-Tsvg`` draw the sequence as well."""
    order: list[str] = []
    for step in steps:
        for name in (step["actor"], _callee(step)):
            if name not in order:
                order.append(name)
    rows = ['<TR><TD BGCOLOR="#eef3fb"><B>step</B></TD>'
            + "".join(f'<TD BGCOLOR="#eef3fb"><B>{_html(name)}</B></TD>' for name in order) + "</TR>"]
    for step in steps:
        source, target = order.index(step["actor"]), order.index(_callee(step))
        call = api_words.label(step)[0]
        cells = [""] * len(order)
        arrow = "" if source == target else (" →" if target > source else "← ")
        cells[source] = _html(call + arrow if target >= source else arrow + call)
        result = _html(f"↳ {step['result']}")
        cells[target] = f"{cells[target]}<BR/>{result}" if source == target else result
        changes = "; ".join(f"{name}: {show(a)} → {show(b)}"
                            for name, (a, b) in step.get("changes", {}).items())
        rows.append(f'<TR><TD>{step["step"]}</TD>' + "".join(
            f'<TD ALIGN="LEFT">{cell}</TD>' for cell in cells) + "</TR>")
        if changes:
            rows.append(f'<TR><TD></TD><TD COLSPAN="{len(order)}" ALIGN="LEFT">'
                        f'<FONT COLOR="#666666" POINT-SIZE="9">{_html(changes)}</FONT></TD></TR>')
    label = f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">{"".join(rows)}</TABLE>>'
    head = f"    label={json.dumps(title)};\n    labelloc=t;\n" if title else ""
    return ("digraph sequence {\n" + head + '    node [shape=plaintext, fontname="monospace", fontsize=10];\n'
            f"    sequence [label={label}];\n}}\n")
