"""The check report as GitHub-flavoured Markdown (a CI step summary or a review page)."""

from __future__ import annotations

from typing import Any

Q = "'" * 3

from .escape import md_text, one_line
from .steps import trace_lines


def _cell(text: str) -> str:
    return md_text(text)


UNDECIDED = "no violation within bound"


def _as_expected(prop: dict[str, Any]) -> str:
    if prop["verdict"] == UNDECIDED:
        return "undecided (search incomplete)"
    return "yes" if prop["as_expected"] else "**no**"


def render(report: dict[str, Any]) -> str:
    config, exploration = report["config"], report["exploration"]
    lines = [f"# shadowspec check: {md_text(config['name'])}", ""]
    if config.get("summary"):
        lines += [f"Configuration: {_cell(config['summary'])}", ""]
    if config.get("description"):
        lines += [md_text(config["description"]), ""]
    status = "complete" if exploration["complete"] else f"incomplete ({exploration['stop_reason']})"
    figures = (f"**{exploration['states']:,}** states, **{exploration['transitions']:,}** transitions, "
               f"depth {exploration['depth']}, {status}")
    if "generated" in exploration:
        figures += f", **{exploration['generated']:,}** generated (as SPIN and TLC count: transitions + initial states)"
    if "seconds" in exploration:
        figures += f", {exploration['seconds']:.1f} s"
    lines += [figures, "", "| id | expected | verdict | as expected | property |", "|---|---|---|---|---|"]
    for prop in report["properties"]:
        reason = f" _({_cell(prop['reason'])})_" if prop.get("reason") else ""
        lines.append(f"| {prop['id']} | {prop['expected']} | {prop['verdict']} | "
                     f"{_as_expected(prop)} | {_cell(prop['sentence'])}{reason} |")
    for prop in report["properties"]:
        kind = "witness" if prop.get("witness") else "counterexample"
        if not prop.get(kind):
            continue
        lines += ["", f"## {prop['id']} `{prop['slug']}` ({kind})", "",
                  f"Rules: {', '.join(prop['rules'])}", "", "```"]
        lines += [one_line(line).replace("`" * 3, Q) for line in trace_lines(prop)]
        lines.append("```")
    verdict = ("PASS" if report["passed"] else "FAIL" if any(
        not p["as_expected"] and p["verdict"] != UNDECIDED for p in report["properties"])
        else f"INCOMPLETE ({exploration.get('stop_reason')}; {exploration['states']:,} states)")
    lines += ["", f"**{verdict}**. Fairness for liveness: {report['fairness']}.", ""]
    return "\n".join(lines)
