"""A ``checks.projection.Picture`` (a small graph of labelled nodes and edges with counts) as DOT
or Mermaid. Plain data in, text out: the pictures come from ``checks.projection``."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pydot

from .diagrams import mermaid_text

SHOWN_LABELS = 3


def _edge_label(counts: Counter[str]) -> str:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [f"{text} ×{n}" if n > 1 else text for text, n in ordered[:SHOWN_LABELS]]
    if len(ordered) > SHOWN_LABELS:
        shown.append(f"… {len(ordered) - SHOWN_LABELS} more")
    return "\n".join(shown)


def to_dot(picture: Any) -> str:
    """The picture in DOT: boxes for the nodes (the initial one bold), the calls on the edges."""
    graph = pydot.Dot(graph_type="digraph", rankdir="LR", fontname="Helvetica", fontsize="10",
                      label=" ".join([picture.title, *(f"({n})" for n in picture.notes)]))
    graph.set_node_defaults(shape="box", style="rounded", fontname="Helvetica", fontsize="9")
    graph.set_edge_defaults(fontname="Helvetica", fontsize="8")
    ids = {node: f"n{i}" for i, node in enumerate(picture.nodes)}
    for node, text in picture.nodes.items():
        extra = {"penwidth": "2", "style": "rounded,bold"} if node == picture.initial else {}
        graph.add_node(pydot.Node(ids[node], label=pydot.quote_id_if_necessary(text), **extra))
    for (source, target), counts in sorted(picture.edges.items(), key=lambda kv: (ids[kv[0][0]], ids[kv[0][1]])):
        graph.add_edge(pydot.Edge(ids[source], ids[target], label=pydot.quote_id_if_necessary(_edge_label(counts))))
    return graph.to_string()


def to_mermaid(picture: Any) -> str:
    """The picture as a Mermaid flowchart (title and notes as comments)."""
    ids = {node: f"n{i}" for i, node in enumerate(picture.nodes)}
    lines = ["flowchart LR", f"    %% {mermaid_text(picture.title)}"]
    lines += [f"    %% {mermaid_text(note)}" for note in picture.notes]
    for node, text in picture.nodes.items():
        lines.append(f'    {ids[node]}["{mermaid_text(text).replace(chr(34), chr(39))}"]')
    for (source, target), counts in sorted(picture.edges.items(), key=lambda kv: (ids[kv[0][0]], ids[kv[0][1]])):
        label = mermaid_text(_edge_label(counts).replace("\n", " / ")).replace('"', "'").replace("|", "/")
        lines.append(f'    {ids[source]} -->|"{label}"| {ids[target]}')
    return "\n".join(lines) + "\n"
