"""``shadowspec mutate`` reports: text, JSON, Markdown and SARIF 2.1.0 from the plain run data of
``checks/mutate.py`` (with each mutant's ``location`` added by the command line).

Why several: the text is for a terminal, Markdown for a job summary, JSON for tools and the
committed score, SARIF for code review: a surviving mutant is a warning at the line that declares
the transition it changed (a specification the properties do not protect there). Pure and
deterministic: the same data gives the same bytes (timings only where the data has them).
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SURVIVED = "surviving-mutant"


def _killer(row: dict[str, Any]) -> str:
    if row["status"] == "killed":
        kill = row["kills"][0]
        without = row.get("status_without", "killed")
        note = "" if without == "killed" else f" (without the measured properties: {without})"
        return f"{', '.join(kill['properties'])} in {kill['config']}{note}"
    if row["status"] == "survived":
        return f"SURVIVED (graph changed in {', '.join(row['changed_in'])})"
    return "equivalent" + (f" ({row['why']})" if row.get("why") else " (same fingerprint everywhere)")


def _score_lines(title: str, table: dict[str, dict[str, Any]], without: bool) -> list[str]:
    extra = f" {'without':>8}" if without else ""
    lines = [title, f"  {'name':<28} {'mutants':>7} {'killed':>6} {'surv.':>5} {'equiv.':>6} {'score':>7}{extra}"]
    for name, entry in table.items():
        extra = f" {entry['score_without']:>7.2f}%" if without else ""
        lines.append(f"  {name:<28} {entry['mutants']:>7} {entry['killed']:>6} {entry['survived']:>5} "
                     f"{entry['equivalent']:>6} {entry['score']:>6.2f}%{extra}")
    return lines


def render_text(data: dict[str, Any]) -> str:
    score = data["score"]
    configs = ", ".join(c["name"] for c in data["configs"])
    lines = [f"mutation score {score['score']:.2f}%: {score['killed']} killed, {score['survived']} survived, "
             f"{score['equivalent']} equivalent of {score['mutants']} mutants "
             f"({score['killed_by_engine_only']} killed only by the engine)",
             f"configurations: {configs}"]
    without = bool(data.get("without"))
    if without:
        lines.append(f"without {', '.join(data['without'])}: {score['score_without']:.2f}% "
                     f"({score['killed_without']} killed, {score['survived_without']} survived)")
    lines.append("")
    lines += _score_lines("per machine", data["machines"], without) + [""]
    lines += _score_lines("per operator", data["operator_scores"], without) + [""]
    lines.append("survivors by the rule they leave unprotected")
    if not data["survivors_by_rule"]:
        lines.append("  none")
    for rule, ids in data["survivors_by_rule"].items():
        lines.append(f"  {rule}: {len(ids)}")
        lines += [f"    {mutant}" for mutant in ids]
    lines += ["", "kill matrix"]
    for row in data["mutants"]:
        rules = ",".join(row["rules"]) or "-"
        lines.append(f"  {row['id']}  [{row['operator']}]  rules {rules}  -> {_killer(row)}")
    return "\n".join(lines) + "\n"


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(data: dict[str, Any]) -> str:
    score = data["score"]
    lines = ["# Mutation score", "",
             f"**{score['score']:.2f}%** of the non-equivalent mutants are killed by a property "
             f"({score['killed']} killed, {score['survived']} survived, {score['equivalent']} equivalent, "
             f"{score['mutants']} mutants; configurations: {', '.join(c['name'] for c in data['configs'])}).", ""]
    if data.get("without"):
        lines += [f"Without {', '.join(data['without'])}: **{score['score_without']:.2f}%**.", ""]
    for title, table in (("Per machine", data["machines"]), ("Per operator", data["operator_scores"]),
                         ("Per rule", data["rules"])):
        lines += [f"## {title}", "", "| name | mutants | killed | survived | equivalent | score | score without |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {_cell(name)} | {e['mutants']} | {e['killed']} | {e['survived']} | {e['equivalent']} | "
                  f"{e['score']:.2f}% | {e['score_without']:.2f}% |" for name, e in table.items()]
        lines.append("")
    lines += ["## Survivors by the rule they leave unprotected", ""]
    if not data["survivors_by_rule"]:
        lines.append("None.")
    for rule, ids in data["survivors_by_rule"].items():
        lines.append(f"- **{rule}**: " + ", ".join(f"`{i}`" for i in ids))
    lines += ["", "## Kill matrix", "", "| mutant | operator | rules | outcome |", "|---|---|---|---|"]
    for row in data["mutants"]:
        lines.append(f"| `{_cell(row['id'])}` | {row['operator']} | {', '.join(row['rules']) or '-'} | "
                     f"{_cell(_killer(row))} |")
    return "\n".join(lines) + "\n"


def render_sarif(data: dict[str, Any]) -> str:
    results = []
    for row in data["mutants"]:
        if row["status"] != "survived":
            continue
        location = row.get("location") or {}
        physical: dict[str, Any] = {"artifactLocation": {"uri": location.get("file", "spec"),
                                                          "uriBaseId": "SRCROOT"}}
        if location.get("line"):
            physical["region"] = {"startLine": int(location["line"])}
        rules = ", ".join(row["rules"]) or "no rule cited"
        results.append({
            "ruleId": SURVIVED, "level": "warning",
            "message": {"text": f"No property notices this mutant ({row['operator']}): {row['description']}. "
                                f"Rules left unprotected: {rules}."},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {"mutant": row["id"]},
            "properties": {"mutant": row["id"], "rules": row["rules"], "changed_in": row["changed_in"]},
        })
    score = data["score"]
    run = {
        "tool": {"driver": {
            "name": "shadowspec mutate", "informationUri": "https://learn.microsoft.com/windows/win32/vss/",
            "rules": [{"id": SURVIVED, "name": "SurvivingMutant",
                       "shortDescription": {"text": "A planted mistake in the specification that no property notices"}}],
        }},
        "originalUriBaseIds": {"SRCROOT": {"uri": "./"}},
        "results": results,
        "properties": {"score": score["score"], "killed": score["killed"], "survived": score["survived"],
                       "equivalent": score["equivalent"], "mutants": score["mutants"]},
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, sort_keys=True) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "md": render_markdown, "sarif": render_sarif}
