"""The multi-configuration check (``checks/suite.py``) for a terminal and as Markdown.

Pure functions of the suite document (``SuiteReport.as_dict()``): one line per configuration,
then one table in which each property shows the configuration that decided it, then the
counterexamples of the deciding configurations.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .steps import trace_lines

MARK = {True: "ok", False: "MISMATCH"}


def config_line(report: dict[str, Any]) -> str:
    x = report["exploration"]
    decided = sum(1 for p in report["properties"] if p["verdict"] != "not exercised")
    bad = [p["id"] for p in report["properties"] if not p["as_expected"]]
    line = (f"{report['config']['name']:16} {x['states']:>9,} states {x['transitions']:>10,} transitions "
            f"depth {x['depth']:>3}  {decided:>2} decided")
    if "seconds" in x:
        line += f"  explored in {x['seconds']:.1f} s"
    if not x["complete"]:
        line += f"  INCOMPLETE ({x['stop_reason']})"
    return line + ("  ok" if not bad else f"  MISMATCH {', '.join(bad)}")


def _deciding(suite: dict[str, Any], row: dict[str, Any]) -> dict[str, Any] | None:
    for report in suite["configs"]:
        if report["config"]["name"] == row["decided_by"]:
            return next(p for p in report["properties"] if p["id"] == row["id"])
    return None


def render_text(suite: dict[str, Any], color: bool = False, width: int = 120) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      highlight=False, soft_wrap=False, markup=False)
    names = [r["config"]["name"] for r in suite["configs"]]
    console.print(Text(f"shadowspec check: {len(names)} configurations", style="bold"))
    for report in suite["configs"]:
        console.print(config_line(report))
    console.print()
    table = Table(show_edge=False, box=None, pad_edge=False, header_style="bold")
    for column in ("id", "expected", "verdict", "", "decided by", "property"):
        table.add_column(column, overflow="fold")
    for row in suite["summary"]:
        prop = _deciding(suite, row)
        sentence = prop["sentence"] if prop else next(
            p["sentence"] for p in suite["configs"][0]["properties"] if p["id"] == row["id"])
        if row.get("reason"):
            sentence += f" ({row['reason']})"
        if row.get("mismatched_in"):
            sentence += f" [not as expected in {', '.join(row['mismatched_in'])}]"
        table.add_row(row["id"], row["expected"], row["verdict"], MARK[row["as_expected"]],
                      row["decided_by"] or "-", Text(sentence),
                      style=None if row["as_expected"] else "bold red")
    console.print(table)
    shown = [(row, _deciding(suite, row)) for row in suite["summary"] if row["decided_by"]]
    shown = [(row, p) for row, p in shown if p and (p.get("counterexample") or p.get("witness"))]
    if shown:
        console.print()
        console.print(Text("Counterexamples and witnesses of the deciding configurations "
                           "(shortest; only changed variables shown)", style="bold"))
    for row, prop in shown:
        kind = "witness" if prop.get("witness") else "counterexample"
        console.print()
        console.print(f"{prop['id']} {prop['slug']} in {row['decided_by']}: {kind}, {prop['verdict']}"
                      f" (expected {prop['expected']}); rules {', '.join(prop['rules'])}")
        for line in trace_lines(prop, indent="  "):
            console.print(line, soft_wrap=True)
    console.print()
    console.print(f"Fairness for liveness: {suite['configs'][0]['fairness']}.")
    decided = sum(1 for row in suite["summary"] if row["decided_by"])
    undecided = [row["id"] for row in suite["summary"] if not row["decided_by"]]
    tail = f"{decided} of {len(suite['summary'])} properties decided"
    if undecided:
        tail += f"; not exercised by any: {', '.join(undecided)}"
    if "seconds" in suite:
        tail += f"; {suite['seconds']:.1f} s"
    if suite["passed"]:
        console.print(Text(f"PASS: every verdict as the documentation implies ({tail}).", style="bold green"), soft_wrap=True)
    else:
        console.print(Text(f"FAIL: verdicts not as expected or a search incomplete ({tail}).", style="bold red"), soft_wrap=True)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(suite: dict[str, Any]) -> str:
    lines = ["# shadowspec check", "", "| configuration | states | transitions | depth | complete | as expected |",
             "|---|---|---|---|---|---|"]
    for report in suite["configs"]:
        x = report["exploration"]
        ok = all(p["as_expected"] for p in report["properties"])
        lines.append(f"| {report['config']['name']} | {x['states']:,} | {x['transitions']:,} | {x['depth']} | "
                     f"{'yes' if x['complete'] else '**no**'} | {'yes' if ok else '**no**'} |")
    lines += ["", "| id | expected | verdict | as expected | decided by |", "|---|---|---|---|---|"]
    for row in suite["summary"]:
        reason = f" _({row['reason']})_" if row.get("reason") else ""
        lines.append(f"| {row['id']} | {row['expected']} | {row['verdict']}{_cell(reason)} | "
                     f"{'yes' if row['as_expected'] else '**no**'} | {row['decided_by'] or '-'} |")
    lines += ["", f"**{'PASS' if suite['passed'] else 'FAIL'}**.", ""]
    return "\n".join(lines)
