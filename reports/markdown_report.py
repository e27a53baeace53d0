"""The report as GitHub-flavoured Markdown: a code-host page or a CI step summary.

Diagrams are Mermaid blocks, which the code host draws: each counterexample as a sequence diagram
(``reports.diagrams.sequence_mermaid``) and each machine as python-statemachine's own
``stateDiagram-v2``. A counterexample's path on the machines is a table of the declared transitions
it fired, each with the line that declares it. Pure and deterministic.

Every value that comes from a log or a saved file is escaped (``escape.md_text`` for text and
table cells, ``escape.md_code`` for code spans, ``_fenced`` for the lines of a fenced block), so
it cannot add raw HTML, break out of a code span or a table cell, or start a heading.
"""

from __future__ import annotations

from typing import Any

from . import headline, traceability_markdown
from .diagrams import sequence_mermaid
from .escape import md_code, md_text, one_line
from .steps import trace_lines

FENCE = "`" * 3


def _cell(value: Any) -> str:
    return md_text(value)


def _where(entry: dict[str, Any]) -> str:
    return f"{entry.get('file')}:{entry.get('line')}"


def _fenced(lines: list[str]) -> list[str]:
    """Lines for a fenced block: each one line (no carriage return), none able to close the fence."""
    return [one_line(line).replace(FENCE, "'''") for line in lines]


def _check(check: dict[str, Any], report: dict[str, Any]) -> list[str]:
    config, exploration = check["config"], check["exploration"]
    name = config["name"]
    status = "complete" if exploration["complete"] else f"**incomplete** ({_cell(exploration.get('stop_reason'))})"
    word = headline.check_word(check)
    lines = [f"## Configuration {md_code(name)}: {word if word == 'PASS' else f'**{_cell(word)}**'}", ""]
    if config.get("summary"):
        lines += [f"Configuration: {_cell(config['summary'])}", ""]
    if config.get("description"):
        lines += [_cell(config["description"]), ""]
    lines += [f"{exploration['states']:,} states, {exploration['transitions']:,} transitions, depth "
              f"{exploration['depth']}, {status}.", "",
              "| id | expected | verdict | as expected | property | rules |", "|---|---|---|---|---|---|"]
    for prop in check["properties"]:
        reason = f" _({_cell(prop['reason'])})_" if prop.get("reason") else ""
        lines.append(f"| {_cell(prop['id'])} | {_cell(prop['expected'])} | {_cell(prop['verdict'])} | "
                     f"{'yes' if prop['as_expected'] else '**NO**'} | {_cell(prop['sentence'])}{reason} | "
                     f"{_cell(', '.join(prop['rules']))} |")
    for prop in check["properties"]:
        kind = "witness" if prop.get("witness") else "counterexample"
        if not prop.get(kind):
            continue
        mermaid = sequence_mermaid(prop[kind] + (prop.get("cycle") or [])).rstrip("\n").split("\n")
        lines += ["", f"### {_cell(prop['id'])} {md_code(prop['slug'])}: {kind}, {_cell(prop['verdict'])} "
                      f"(expected {_cell(prop['expected'])})",
                  "", f"{_cell(prop['sentence'])} Rules: {_cell(', '.join(prop['rules']))}.", "",
                  FENCE + "mermaid", *_fenced(mermaid), FENCE, ""]
        lines += ["<details><summary>Steps as text</summary>", "", FENCE, *_fenced(trace_lines(prop)), FENCE, "",
                  "</details>"]
        gathered = next((e for e in report.get("counterexamples", [])
                         if e["config"] == name and e["property"] == prop["id"]), None)
        if gathered and gathered.get("path"):
            lines += ["", "<details><summary>Path on the machines: the declared transitions it fired</summary>", "",
                      "| step | component | transition | result | declared at |", "|---|---|---|---|---|"]
            for t in gathered["path"]:
                move = f"{t['machine']}.{t['event']}: {t['source']} → {t['target']}"
                lines.append(f"| {_cell(t['step'])} | {_cell(t['component'])} | {md_code(move)} | "
                             f"{_cell(t['result'])} | {md_code(_where(t))} |")
            lines += ["", "</details>"]
    coverage = check.get("coverage")
    if coverage:
        lines += ["", f"Coverage: {coverage['fired_transitions']} of {coverage['declared_transitions']} declared "
                      f"transitions fired; {len(coverage.get('rules_exercised', []))} rules exercised. "
                      f"Fairness for liveness: {_cell(check.get('fairness', ''))}."]
    return lines + [""]


def _conform(conform: dict[str, Any]) -> list[str]:
    lines = ["## Conformance of API call logs", "", "| log | verdict | errors | warnings |", "|---|---|---|---|"]
    for log in conform.get("logs", []):
        findings = log.get("findings", [])
        errors = sum(1 for f in findings if f.get("severity") == "error")
        verdict = _cell(log.get("verdict")) if log.get("verdict") == "conforms" else f"**{_cell(log.get('verdict'))}**"
        lines.append(f"| {md_code(log['file'])} | {verdict} | {errors} | {len(findings) - errors} |")
    for log in conform.get("logs", []):
        if not log.get("findings"):
            continue
        lines += ["", f"### {md_code(log['file'])}", "",
                  "| line | severity | side | actor | call | what went wrong | rules | the specification allowed |",
                  "|---|---|---|---|---|---|---|---|"]
        for f in log["findings"]:
            severity = " ".join(str(x) for x in (f.get("severity"), f.get("strength")) if x)
            cells = [_cell(f.get("line")), _cell(severity), _cell(f.get("side")), _cell(f.get("actor")),
                     md_code(f.get("call")), _cell(f.get("message")), _cell(", ".join(map(str, f.get("rules", [])))),
                     _cell(", ".join(map(str, f.get("allowed") or [])) or "—")]
            lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def _machines(machines: list[dict[str, Any]]) -> list[str]:
    lines = ["## State diagrams of the declared machines", "",
             "Drawn by python-statemachine from the declarations; transitions that keep the state are not drawn.", ""]
    for machine in machines:
        if not machine.get("mermaid"):
            continue
        where = md_code(_where(machine))
        lines += [f"<details><summary>{_cell(machine['name'])} ({where}, "
                  f"{_cell(machine['transitions'])} declared transitions)</summary>", "", FENCE + "mermaid",
                  *_fenced(machine["mermaid"].rstrip("\n").split("\n")), FENCE, "", "</details>", ""]
    return lines


def render(report: dict[str, Any]) -> str:
    checks = report["checks"]
    failed = [_cell(text) for text in headline.failures(report)]
    passed = [_cell(text) for text in headline.passes(report)]
    if failed:
        lines = [f"# shadowspec report: FAIL: {'; '.join(failed)}", ""]
        if passed:
            lines += [f"Passed: {'; '.join(passed)}.", ""]
    else:
        lines = [f"# shadowspec report: PASS: {'; '.join(passed) or 'nothing to check'}", ""]
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
        lines += [f"- {md_code(d['transition'])}" + (f" ({md_code(_where(d))})"
                                                       if d.get("file") else "")
                  for d in report["dead_transitions"]]
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
