"""A counterexample as an SVG sequence diagram between the actors, for the HTML report.

A pure function of the steps of the check JSON: one lifeline per actor in order of appearance
(requesters, VSS, writers, cluster nodes, volumes), one arrow per call from its actor to whom it
reaches, the result as a dashed reply, the variables that changed in grey beneath. A lasso's cycle
follows a marked separator. Its CSS is scoped to ``svg.sequence`` because a ``<style>`` inside
inline SVG applies to the whole HTML page. Hand-laid (fixed row height, fixed lane width), so the same steps give
the same bytes; no fonts or scripts are fetched.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from . import api_words
from .steps import show

LANE = 190          # horizontal distance between lifelines
MARGIN = 20
HEADER = 44         # participant boxes
ROW = 40            # one call and its reply
LINE = 14           # one line of changes
CHAR = 6.4          # approximate width of one character at 11px
MAX_CHANGES = 4     # change lines shown per step (the rest is summarised)
NAMED = ("volume", "VolumeName", "lpszFileName", "lpszVolumePathName", "writer", "node", "requester")
KINDS = ("volume", "writer", "node", "requester")


def callee(step: dict[str, Any]) -> str:
    """Whom a step reaches: a requester's calls reach the VSS service (the ``vss`` actor of the
    system's own steps); other actors' steps reach the volume, writer, node or requester they name,
    else the cluster (a node's call) or themselves."""
    actor, arguments = step["actor"], step.get("arguments", {})
    if actor.startswith("requester-"):
        return "vss"
    for key in NAMED:
        value = arguments.get(key)
        if isinstance(value, str) and value.split("-")[0] in KINDS:
            return value
    return "cluster" if actor.startswith("node-") else actor


def _text(x: float, y: float, content: str, *, cls: str = "", anchor: str = "start") -> str:
    attrs = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}"{attrs}>{escape(content)}</text>'


def _label(step: dict[str, Any]) -> str:
    return f"{step['step']}. {api_words.label(step)[0]}"


def _changes(step: dict[str, Any]) -> list[str]:
    lines = [f"{name}: {show(a)} \u2192 {show(b)}" for name, (a, b) in step.get("changes", {}).items()]
    if len(lines) > MAX_CHANGES:
        lines = lines[:MAX_CHANGES - 1] + [f"\u2026 and {len(lines) - MAX_CHANGES + 1} more changes"]
    return lines


def render(steps: list[dict[str, Any]], cycle: list[dict[str, Any]] | None = None,
           stutter: str | None = None, title: str = "") -> str:
    """The SVG text of one counterexample (``cycle``: a lasso's repeated part, ``stutter``: why
    it ends with no fair step)."""
    everything = list(steps) + list(cycle or [])
    lanes: list[str] = []
    for step in everything:
        for name in (step["actor"], callee(step)):
            if name not in lanes:
                lanes.append(name)
    x_of = {name: MARGIN + LANE / 2 + i * LANE for i, name in enumerate(lanes)}
    body: list[str] = []
    y = HEADER + 24
    widest = MARGIN + LANE * max(len(lanes), 1)

    def draw(step: dict[str, Any]) -> None:
        nonlocal y, widest
        source, target = x_of[step["actor"]], x_of[callee(step)]
        label, result = _label(step), api_words.shown_result(step)
        left = min(source, target)
        widest = max(widest, int(left + 6 + CHAR * len(label)) + MARGIN)
        body.append(f"<g class=\"step\"><title>{escape(label)} -> {escape(result)}</title>")
        body.append(_text(left + 6, y, label, cls="call"))
        if source == target:
            loop = f"M{source:.0f},{y + 5} h28 v14 h-28"
            body.append(f'<path d="{loop}" class="arrow" marker-end="url(#seq-arrow)"/>')
            if result:
                body.append(_text(source + 34, y + 19, f"\u2192 {result}", cls="result"))
        else:
            body.append(f'<line x1="{source:.0f}" y1="{y + 6}" x2="{target:.0f}" y2="{y + 6}" class="arrow" '
                        f'marker-end="url(#seq-arrow)"/>')
            body.append(f'<line x1="{target:.0f}" y1="{y + 20}" x2="{source:.0f}" y2="{y + 20}" class="reply" '
                        f'marker-end="url(#seq-arrow)"/>')
            body.append(_text(left + 6, y + 17, result, cls="result"))
        y += ROW
        for line in _changes(step):
            body.append(_text(left + 6, y - 6, line, cls="change"))
            widest = max(widest, int(left + 6 + CHAR * 0.9 * len(line)) + MARGIN)
            y += LINE
        body.append("</g>")

    for step in steps:
        draw(step)
    if cycle:
        body.append(f'<line x1="{MARGIN}" y1="{y - 8}" x2="{widest - MARGIN}" y2="{y - 8}" class="separator"/>')
        body.append(_text(MARGIN, y + 6, "then forever (fair cycle):", cls="note"))
        y += 22
        for step in cycle:
            draw(step)
    elif stutter:
        body.append(_text(MARGIN, y + 6, f"then forever: {stutter}", cls="note"))
        widest = max(widest, int(MARGIN + CHAR * len(stutter) + 100))
        y += 22
    height = y + 10
    heads = []
    for name, x in x_of.items():
        heads.append(f'<line x1="{x:.0f}" y1="{HEADER}" x2="{x:.0f}" y2="{height - 4}" class="lifeline"/>')
        heads.append(f'<rect x="{x - LANE / 2 + 10:.0f}" y="8" width="{LANE - 20}" height="{HEADER - 16}" '
                     f'rx="4" class="actor"/>')
        heads.append(_text(x, 8 + (HEADER - 16) / 2 + 4, name, cls="actor-name", anchor="middle"))
    style = ("svg.sequence text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#222}"
             "svg.sequence .actor{fill:#eef3fb;stroke:#4a6fa5}svg.sequence .actor-name{font-weight:bold}"
             "svg.sequence .lifeline{stroke:#9aa;stroke-dasharray:4 3}"
             "svg.sequence .arrow{stroke:#1f4e8c;stroke-width:1.5;fill:none}"
             "svg.sequence .reply{stroke:#1f4e8c;stroke-dasharray:5 3;fill:none}svg.sequence .result{fill:#1f4e8c}"
             "svg.sequence .change{fill:#666;font-size:10px}svg.sequence .note{font-style:italic;fill:#a33}"
             "svg.sequence .separator{stroke:#a33;stroke-dasharray:2 2}")
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sequence" role="img" width="{widest}" '
        f'height="{height}" viewBox="0 0 {widest} {height}" aria-label={quoteattr(title or "sequence diagram")}>',
        f"<style>{style}</style>",
        '<defs><marker id="seq-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f4e8c"/></marker></defs>',
        *heads, *body, "</svg>",
    ])
