"""The check report for a person at a terminal: a verdict table, counterexamples, figures.

A pure function of the report data (``CheckReport.as_dict()``); rich lays out the table.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .escape import one_line
from .steps import trace_lines

MARK = {True: "ok", False: "MISMATCH"}
UNDECIDED = "no violation within bound"


def mark(prop: dict[str, Any]) -> str:
    """The verdict column's last word: an undecided property of a cut-short search is
    "incomplete", not a mismatch (nothing contradicted the documentation)."""
    if prop["verdict"] == UNDECIDED:
        return "incomplete"
    return MARK[prop["as_expected"]]


def incomplete_words(exploration: dict[str, Any]) -> str:
    """"incomplete: state bound 500 reached (500 states)": why a search stopped, and where."""
    reason = exploration.get("stop_reason") or "stopped early"
    return f"incomplete: {reason} ({exploration['states']:,} states)"


def render(report: dict[str, Any], color: bool = False, width: int = 120) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      highlight=False, soft_wrap=False, markup=False)
    config, exploration = report["config"], report["exploration"]
    console.print(Text(f"shadowspec check: {one_line(config['name'])}", style="bold"))
    if config.get("summary"):
        console.print(Text(f"configuration: {one_line(config['summary'])}"))
    if config.get("description"):
        console.print(Text(one_line(config["description"])))
    figures = (f"explored {exploration['states']:,} states and {exploration['transitions']:,} transitions "
               f"to depth {exploration['depth']}, "
               + ("complete" if exploration["complete"] else incomplete_words(exploration)))
    if "generated" in exploration:
        figures += f"; {exploration['generated']:,} generated (as SPIN and TLC count: transitions + initial states)"
    if "seconds" in exploration:
        figures += f", in {exploration['seconds']:.1f} s ({exploration['states_per_second']:,} states/s)"
    console.print(figures)
    if exploration.get("hash_compaction"):
        compaction = exploration["hash_compaction"]
        odds = compaction["omission_probability"]
        console.print(f"hash compaction: {compaction['bits']}-bit fingerprints; probability of a missed state "
                      f"{odds['birthday']:.1e} (expected collisions {odds['expected_missed']:.2g})")
    if exploration.get("symmetry"):
        console.print(Text(one_line(symmetry_words(exploration["symmetry"]))))
    explorer = exploration.get("explorer")
    if isinstance(explorer, dict) and explorer.get("name") == "packed":
        words = explorer.get("words")
        console.print(Text(one_line(f"explorer: packed, {words} words a state" if isinstance(words, int)
                                    else "explorer: packed")))
    elif isinstance(explorer, dict):
        console.print(Text(one_line(f"explorer: the generic one, a state at a time (slower), because "
                                    f"{explorer.get('why', '')}")))
    console.print()

    table = Table(show_edge=False, box=None, pad_edge=False, header_style="bold")
    for column in ("id", "expected", "verdict", "", "property"):
        table.add_column(column, overflow="fold")
    for prop in report["properties"]:
        style = None if prop["as_expected"] else ("yellow" if prop["verdict"] == UNDECIDED else "bold red")
        sentence = prop["sentence"] + (f" ({prop['reason']})" if prop.get("reason") else "")
        table.add_row(prop["id"], prop["expected"], prop["verdict"], mark(prop),
                      Text(sentence), style=style)
    console.print(table)

    shown = [p for p in report["properties"] if p.get("counterexample") or p.get("witness")]
    if shown:
        console.print()
        console.print(Text("Counterexamples and witnesses (shortest; only changed variables shown)", style="bold"))
    for prop in shown:
        kind = "witness" if prop.get("witness") else "counterexample"
        console.print()
        console.print(f"{prop['id']} {prop['slug']}: {kind}, {prop['verdict']}"
                      f" (expected {prop['expected']}); rules {', '.join(prop['rules'])}")
        for line in trace_lines(prop, indent="  "):
            # Wrapped at the width like the table, continuing under the step's text.
            hanging = " " * (len(line) - len(line.lstrip()) + 5)
            for part in textwrap.wrap(line, width=width, subsequent_indent=hanging, break_on_hyphens=False,
                                      drop_whitespace=True) or [""]:
                console.print(Text(part))
    console.print()
    coverage = report["coverage"]
    console.print(f"Coverage: {coverage['fired_transitions']} of {coverage['declared_transitions']} declared "
                  f"transitions fired in this configuration; {len(coverage['rules_exercised'])} rules exercised.")
    console.print(f"Fairness for liveness: {report['fairness']}.")
    mismatches = [p["id"] for p in report["properties"] if not p["as_expected"] and p["verdict"] != UNDECIDED]
    undecided = [p["id"] for p in report["properties"] if p["verdict"] == UNDECIDED]
    exercised = sum(1 for p in report["properties"] if p["verdict"] != "not exercised")
    skipped = len(report["properties"]) - exercised
    if report["passed"]:
        console.print(Text(f"PASS: every verdict as the documentation implies ({exercised} decided, "
                           f"{skipped} not exercised by this configuration).", style="bold green"))
    elif mismatches:
        console.print(Text(f"FAIL: verdicts not as expected: {', '.join(mismatches)}.", style="bold red"))
    if not exploration["complete"]:
        console.print(Text(f"INCOMPLETE: {incomplete_words(exploration)[len('incomplete: '):]}; "
                           f"{len(undecided)} properties undecided ({', '.join(undecided) or 'none'}); "
                           f"{'no decided verdict contradicts' if not mismatches else 'see FAIL above for'} "
                           "the documentation.", style="bold yellow"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def symmetry_words(symmetry: dict[str, Any]) -> str:
    """The ``--symmetry`` line: what was interchangeable and how much the search stored."""
    if not symmetry.get("used"):
        return f"symmetry: not used; {symmetry.get('why', '')}"
    actors = "; ".join(" and ".join(", ".join(c) for c in classes) + " interchangeable"
                       for classes in symmetry.get("interchangeable", {}).values())
    if symmetry.get("states") is None:
        return f"symmetry: {actors}; {symmetry['representatives']:,} representatives stored (group of {symmetry['group_order']})"
    return (f"symmetry: {actors}; the search stored {symmetry['representatives']:,} representatives of "
            f"{symmetry['states']:,} states ({symmetry['reduction']:g}x, group of {symmetry['group_order']}); "
            "every property decided on the concrete states")
