"""The report as GitHub-flavoured Markdown: a code-host page or a CI step summary.

Diagrams are Mermaid blocks, which the code host draws: each counterexample as a sequence diagram
(``reports.diagrams.sequence_mermaid``) and each machine as python-statemachine's own
``stateDiagram-v2``. A counterexample's path on the machines is a table of the declared transitions
it fired, each with the line that declares it. Pure and deterministic.
"""

from __future__ import annotations

from typing import Any

from . import traceability_markdown
from .diagrams import sequence_mermaid
from .steps import trace_lines


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _check(check: dict[str, Any], report: dict[str, Any]) -> list[str]:
    config, exploration = check["config"], check["exploration"]
    name = config["name"]
    status = "complete" if exploration["complete"] else f"**incomplete** ({exploration.get('stop_reason')})"
    lines = [f"## Configuration `{name}`: {'PASS' if check.get('passed') else '**FAIL**'}", ""]
    if config.get("description"):
        lines += [config["description"], ""]
    lines += [f"{exploration['states']:,} states, {exploration['transitions']:,} transitions, depth "
              f"{exploration['depth']}, {status}.", "",
              "| id | expected | verdict | as expected | property | rules |", "|---|---|---|---|---|---|"]
    for prop in check["properties"]:
        reason = f" _({prop['reason']})_" if prop.get("reason") else ""
        lines.append(f"| {prop['id']} | {prop['expected']} | {prop['verdict']} | "
                     f"{'yes' if prop['as_expected'] else '**NO**'} | {_cell(prop['sentence'])}{_cell(reason)} | "
                     f"{', '.join(prop['rules'])} |")
    for prop in check["properties"]:
        kind = "witness" if prop.get("witness") else "counterexample"
        if not prop.get(kind):
            continue
        lines += ["", f"### {prop['id']} `{prop['slug']}`: {kind}, {prop['verdict']} (expected {prop['expected']})",
                  "", f"{prop['sentence']} Rules: {', '.join(prop['rules'])}.", "", "```mermaid",
                  sequence_mermaid(prop[kind] + (prop.get("cycle") or [])).rstrip("\n"), "```", ""]
        lines += ["<details><summary>Steps as text</summary>", "", "```", *trace_lines(prop), "```", "", "</details>"]
        gathered = next((e for e in report.get("counterexamples", [])
                         if e["config"] == name and e["property"] == prop["id"]), None)
        if gathered and gathered.get("path"):
            lines += ["", "<details><summary>Path on the machines: the declared transitions it fired</summary>", "",
                      "| step | component | transition | result | declared at |", "|---|---|---|---|---|"]
            for t in gathered["path"]:
                lines.append(f"| {t['step']} | {_cell(t['component'])} | `{t['machine']}.{t['event']}: "
                             f"{t['source']} → {t['target']}` | {_cell(t['result'])} | `{t['file']}:{t['line']}` |")
            lines += ["", "</details>"]
    coverage = check.get("coverage")
    if coverage:
        lines += ["", f"Coverage: {coverage['fired_transitions']} of {coverage['declared_transitions']} declared "
                      f"transitions fired; {len(coverage.get('rules_exercised', []))} rules exercised. "
                      f"Fairness for liveness: {check.get('fairness', '')}."]
    return lines + [""]


def _conform(conform: dict[str, Any]) -> list[str]:
    lines = ["## Conformance of API call logs", "", "| log | verdict | errors | warnings |", "|---|---|---|---|"]
    for log in conform.get("logs", []):
        findings = log.get("findings", [])
        errors = sum(1 for f in findings if f.get("severity") == "error")
        verdict = log.get("verdict") if log.get("verdict") == "conforms" else f"**{log.get('verdict')}**"
        lines.append(f"| `{_cell(log['file'])}` | {verdict} | {errors} | {len(findings) - errors} |")
    for log in conform.get("logs", []):
        if not log.get("findings"):
            continue
        lines += ["", f"### `{log['file']}`", "",
                  "| line | severity | side | actor | call | what went wrong | rules | the specification allowed |",
                  "|---|---|---|---|---|---|---|---|"]
        for f in log["findings"]:
            lines.append("| " + " | ".join(_cell(c) for c in (
                f.get("line"), " ".join(str(x) for x in (f.get("severity"), f.get("strength")) if x), f.get("side"), f.get("actor"), f"`{f.get('call')}`",
                f.get("message"), ", ".join(map(str, f.get("rules", []))),
                ", ".join(map(str, f.get("allowed") or [])) or "—")) + " |")
    return lines + [""]


def _machines(machines: list[dict[str, Any]]) -> list[str]:
    lines = ["## State diagrams of the declared machines", "",
             "Drawn by python-statemachine from the declarations; transitions that keep the state are not drawn.", ""]
    for machine in machines:
        if not machine.get("mermaid"):
            continue
        lines += [f"<details><summary>{machine['name']} (<code>{machine['file']}:{machine['line']}</code>, "
                  f"{machine['transitions']} declared transitions)</summary>", "", "```mermaid",
                  machine["mermaid"].rstrip("\n"), "```", "", "</details>", ""]
    return lines


def render(report: dict[str, Any]) -> str:
    checks = report["checks"]
    lines = [f"# shadowspec report: {'PASS' if report.get('passed') else 'FAIL'}", ""]
    mismatches = [f"{c['config']['name']}: {p['id']}" for c in checks for p in c["properties"] if not p["as_expected"]]
    lines += [f"{len(checks)} configuration(s): {', '.join(c['config']['name'] for c in checks) or 'none'}. "
              + (f"Verdicts not as expected: {', '.join(mismatches)}." if mismatches
                 else "Every verdict as the documentation implies."), ""]
    for check in checks:
        lines += _check(check, report)
    if report.get("conform"):
        lines += _conform(report["conform"])
    if report.get("machines"):
        lines += _machines(report["machines"])
    if report.get("traceability"):
        matrix = traceability_markdown.render(report["traceability"])
        lines += ["#" + line if line.startswith("# ") else line for line in matrix.splitlines()] + [""]
    if report.get("dead_transitions"):
        lines += ["## Transitions no configuration fired", "",
                  f"{len(report['dead_transitions'])} declared transitions fired in none of the configurations.", "",
                  "<details><summary>List</summary>", ""]
        lines += [f"- `{d['transition']}`" + (f" (`{d['file']}:{d['line']}`)" if d.get("file") else "")
                  for d in report["dead_transitions"]]
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
