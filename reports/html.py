"""The report as one self-contained HTML page for a reviewer: opens offline, prints well.

Everything is inline (CSS, SVG); there is no script and nothing is fetched. Sections: the verdict
table of each configuration, each counterexample and witness as a sequence diagram between the
actors (``reports.sequence_svg``) and as its path highlighted on the machine diagrams, the
conformance findings, the state diagram of each machine, the traceability matrix and the
transitions no configuration fired. A pure function of the report object: same report, same bytes.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from . import headline, sequence_svg
from .steps import trace_lines

CSS = """
:root{--ok:#1a7f37;--bad:#cf222e;--muted:#57606a;--line:#d0d7de}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:0 auto;
 max-width:1200px;padding:16px 24px}
h1{font-size:22px;margin:8px 0;overflow-wrap:anywhere}h2{font-size:20px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}
h3{font-size:16px;margin:20px 0 6px}h4{font-size:14px;margin:12px 0 4px}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border:1px solid var(--line);padding:3px 6px;
 text-align:left;vertical-align:top}th{background:#f6f8fa}code,pre{font:12px ui-monospace,Menlo,Consolas,monospace}
pre{background:#f6f8fa;padding:8px;overflow-x:auto;white-space:pre-wrap}
.pass{color:var(--ok);font-weight:bold}.fail{color:var(--bad);font-weight:bold}.muted{color:var(--muted)}
tr.mismatch td{background:#ffebe9}tr.mismatch td.id{border-left:4px solid var(--bad)}
tr.hazard td{background:#fff8c5}tr.hazard td.id{border-left:4px solid #bf8700}
tr.witness td{background:#ddf4ff}tr.witness td.id{border-left:4px solid #0969da}
tr.undecided td{background:#fbefff}tr.undecided td.id{border-left:4px dashed #8250df}
tr.unexercised td{color:var(--muted);background:#fafbfc}
td.id,th{white-space:nowrap}td{overflow-wrap:anywhere}table.traceability,table.findings{font-size:12px}
table.traceability td:nth-child(4){max-width:22em}
.legend .key{display:inline-block;padding:1px 6px;margin:2px 4px 2px 0;border:1px solid var(--line);font-size:12px}
.key.mismatch{background:#ffebe9}.key.hazard{background:#fff8c5}.key.witness{background:#ddf4ff}
.key.undecided{background:#fbefff}.key.unexercised{background:#fafbfc;color:var(--muted)}.figure{overflow-x:auto;margin:8px 0;border:1px solid var(--line);padding:6px}
.figure svg{max-width:100%;height:auto}.figure svg.sequence,#machines .figure svg{max-width:none}
.paths{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start}.paths .figure.path{margin:0;flex:0 1 auto;max-width:100%}
.figure.path svg{max-height:400px;width:auto;max-width:100%}
.caption{color:var(--muted);font-size:12px}.summary{font-size:16px}
nav ul{columns:2;padding-left:18px}
@media print{body{max-width:none;padding:0;font-size:11px}h2{page-break-before:always}
 .figure,table tr,.counterexample h3{page-break-inside:avoid}.figure{overflow:visible;border:none}
 .figure svg,.figure svg.sequence{max-width:100%;height:auto}a{color:inherit;text-decoration:none}
 details{display:block}details>*{display:block}details::details-content{content-visibility:visible;display:contents}}
"""

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def scoped_svg(svg: str, prefix: str) -> str:
    """An SVG ready to inline: no XML prolog, and its ids (and references to them) prefixed, so
    several diagrams on one page never share an id."""
    svg = _XML_PROLOG.sub("", svg)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def _anchor(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts)).strip("-").lower()


def _outcome(prop: dict[str, Any]) -> str:
    """The row's class: what kind of outcome this verdict is, so each looks different."""
    if prop["verdict"] == "no violation within bound":
        return "undecided"
    if not prop["as_expected"]:
        return "mismatch"
    if prop["verdict"] == "not exercised":
        return "unexercised"
    if prop["kind"] == "witness":
        return "witness"
    if prop["verdict"] == "violated":
        return "hazard"
    return ""


def _verdict_table(check: dict[str, Any], anchors: dict[str, str]) -> list[str]:
    config = check["config"]["name"]
    out = [f'<table class="verdicts" id="{_e(_anchor("verdicts", config))}">',
           "<thead><tr><th>id</th><th>expected</th><th>verdict</th><th>as expected</th><th>property</th>"
           "<th>rules</th></tr></thead><tbody>"]
    for prop in check["properties"]:
        outcome = _outcome(prop)
        row_class = f' class="{outcome}"' if outcome else ""
        mark = {"mismatch": '<span class="fail">NO</span>', "undecided": "undecided",
                "unexercised": '<span class="muted">\u2014</span>'}.get(outcome, "yes")
        verdict = _e(prop["verdict"])
        if prop["id"] in anchors:
            verdict = f'<a href="#{anchors[prop["id"]]}">{verdict}</a>'
        reason = f' <span class="muted">({_e(prop["reason"])})</span>' if prop.get("reason") else ""
        out.append(f"<tr{row_class}><td class=\"id\">{_e(prop['id'])}</td><td>{_e(prop['expected'])}</td><td>{verdict}</td>"
                   f"<td>{mark}</td><td>{_e(prop['sentence'])}{reason}</td>"
                   f"<td>{_e(', '.join(prop['rules']))}</td></tr>")
    out.append("</tbody></table>")
    return out


def _figures(check: dict[str, Any], prop: dict[str, Any], gathered: dict[str, Any] | None, anchor: str) -> list[str]:
    kind = "witness" if prop.get("witness") else "counterexample"
    steps = prop[kind]
    out = [f'<section class="counterexample" id="{anchor}">',
           f"<h3>{_e(prop['id'])} <code>{_e(prop['slug'])}</code>: {kind}, {_e(prop['verdict'])} "
           f"(expected {_e(prop['expected'])})</h3>",
           f"<p>{_e(prop['sentence'])} <span class=\"muted\">Rules: {_e(', '.join(prop['rules']))}</span></p>",
           "<h4>Sequence of calls</h4>", '<div class="figure">',
           scoped_svg(sequence_svg.render(steps, prop.get("cycle"), prop.get("stutter") if "cycle" in prop else None,
                                          title=f"{prop['id']} {kind}"), f"{anchor}-seq"),
           "</div>"]
    out.append(f"<details><summary>Steps as text</summary><pre>{_e(chr(10).join(trace_lines(prop)))}</pre></details>")
    if gathered:
        if gathered.get("path_error"):
            out.append(f'<p class="muted">Path not drawn: {_e(gathered["path_error"])}</p>')
        diagrams = gathered.get("diagrams") or []
        if diagrams:
            out.append("<h4>Path on the machines</h4>")
            out.append('<p class="caption">Fired transitions in red, numbered in the order this machine took '
                       "them; the filled state is where the path ends. Only the states the path touches and "
                       "their neighbours are drawn (the whole machine is under State diagrams), and "
                       "transitions that keep the state only where the path takes them.</p>")
        if diagrams:
            out.append('<div class="paths">')  # side by side where they fit: small machines share a row
        for n, figure in enumerate(diagrams):
            out += [f'<div class="figure path"><div class="caption">{_e(figure["component"])} '
                    f'({_e(figure["machine"])})</div>', scoped_svg(figure["svg"], f"{anchor}-path{n}"), "</div>"]
        if diagrams:
            out.append("</div>")
        if gathered.get("path"):
            out.append(f'<details><summary>The {len(gathered["path"])} declared transitions the path fired, '
                       "with where each is declared</summary>")
            out.append('<table class="path"><thead><tr><th>step</th><th>component</th><th>transition</th>'
                       "<th>result</th><th>declared at</th></tr></thead><tbody>")
            for t in gathered["path"]:
                out.append(f"<tr><td>{t['step']}</td><td>{_e(t['component'])}</td><td><code>{_e(t['machine'])}."
                           f"{_e(t['event'])}: {_e(t['source'])} \u2192 {_e(t['target'])}</code></td>"
                           f"<td>{_e(t['result'])}</td><td><code>{_e(t['file'])}:{t['line']}</code></td></tr>")
            out.append("</tbody></table></details>")
    out.append("</section>")
    return out


def _check_section(check: dict[str, Any], report: dict[str, Any]) -> list[str]:
    config, exploration = check["config"], check["exploration"]
    name = config["name"]
    shown = [p for p in check["properties"] if p.get("counterexample") or p.get("witness")]
    anchors = {p["id"]: _anchor("cx", name, p["id"]) for p in shown}
    status = "complete" if exploration["complete"] else f"INCOMPLETE ({exploration.get('stop_reason')})"
    word = headline.check_word(check)
    verdict = f'<span class="{"pass" if word == "PASS" else "fail"}">{word}</span>'
    out = [f'<section class="check" id="{_e(_anchor("check", name))}">',
           f"<h2>Configuration <code>{_e(name)}</code>: {verdict}</h2>"]
    if config.get("summary"):
        out.append(f'<p class="summary">Configuration checked: {_e(config["summary"])}</p>')
    if config.get("description"):
        out.append(f"<p>{_e(config['description'])}</p>")
    out.append(f"<p>{exploration['states']:,} states, {exploration['transitions']:,} transitions, depth "
               f"{exploration['depth']}, {_e(status)}.</p>")
    out += _verdict_table(check, anchors)
    coverage = check.get("coverage", {})
    if coverage:
        out.append(f"<p>Coverage: {coverage['fired_transitions']} of {coverage['declared_transitions']} declared "
                   f"transitions fired; {len(coverage.get('rules_exercised', []))} rules exercised. "
                   f"Fairness for liveness: {_e(check.get('fairness', ''))}.</p>")
    if shown:
        out.append("<h3>Counterexamples and witnesses</h3>")
    for prop in shown:
        gathered = next((e for e in report.get("counterexamples", [])
                         if e["config"] == name and e["property"] == prop["id"]), None)
        out += _figures(check, prop, gathered, anchors[prop["id"]])
    out.append("</section>")
    return out


def _conform_section(conform: dict[str, Any]) -> list[str]:
    out = ['<section id="conformance"><h2>Conformance of API call logs</h2>',
           "<table class=\"logs\"><thead><tr><th>log</th><th>verdict</th><th>errors</th><th>warnings</th>"
           "</tr></thead><tbody>"]
    for log in conform.get("logs", []):
        findings = log.get("findings", [])
        errors = sum(1 for f in findings if f.get("severity") == "error")
        cls = "pass" if log.get("verdict") == "conforms" else "fail"
        out.append(f"<tr><td><code>{_e(log['file'])}</code></td><td class=\"{cls}\">{_e(log.get('verdict'))}</td>"
                   f"<td>{errors}</td><td>{len(findings) - errors}</td></tr>")
    out.append("</tbody></table>")
    for log in conform.get("logs", []):
        if not log.get("findings"):
            continue
        out += [f"<h3><code>{_e(log['file'])}</code></h3>",
                "<table class=\"findings\"><thead><tr><th>line</th><th>severity</th><th>side</th><th>actor</th>"
                "<th>call</th><th>what went wrong</th><th>rules</th><th>the specification allowed</th></tr>"
                "</thead><tbody>"]
        for f in log["findings"]:
            out.append(f"<tr><td>{_e(f.get('line'))}</td><td>{_e(f.get('severity'))}</td><td>{_e(f.get('side'))}</td>"
                       f"<td>{_e(f.get('actor'))}</td><td><code>{_e(f.get('call'))}</code></td><td>{_e(f.get('message'))}</td>"
                       f"<td>{_rule_links(f)}</td>"
                       f"<td>{_e(', '.join(map(str, f.get('allowed') or [])))}</td></tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _rule_links(finding: dict[str, Any]) -> str:
    """A finding's rules, each linked to its documentation page when the finding names one."""
    sources = finding.get("sources") or {}
    links = []
    for rule in map(str, finding.get("rules", [])):
        url = sources.get(rule)
        links.append(f'<a href="{_e(url)}">{_e(rule)}</a>' if isinstance(url, str) and url.startswith("https://")
                     else _e(rule))
    return ", ".join(links)


def _machines_section(machines: list[dict[str, Any]]) -> list[str]:
    out = ['<section id="machines"><h2>State diagrams of the declared machines</h2>',
           '<p class="caption">Drawn by python-statemachine from the declarations (through Graphviz); '
           "transitions that keep the state (mostly the documented error returns) are listed in their state's box.</p>"]
    for machine in machines:
        out.append(f'<h3 id="{_e(_anchor("machine", machine["name"]))}">{_e(machine["name"])} '
                   f'<span class="muted"><code>{_e(machine["file"])}:{machine["line"]}</code>, '
                   f'{machine["transitions"]} declared transitions</span></h3>')
        if machine.get("doc"):
            out.append(f"<p>{_e(machine['doc'])}</p>")
        if machine.get("svg"):
            out += ['<div class="figure">', scoped_svg(machine["svg"], _anchor("m", machine["name"])), "</div>"]
        else:
            out.append(f"<p class=\"muted\">States: {_e(', '.join(machine['states']))} (no drawing: Graphviz was "
                       "not available when the report was built).</p>")
    out.append("</section>")
    return out


def _ran(value: Any) -> str:
    return "not run" if value is None else "yes" if value else "no"


def _traceability_section(matrix: dict[str, Any]) -> list[str]:
    out = ['<section id="traceability"><h2>Traceability</h2>',
           f"<p class=\"summary\"><strong>{_e(matrix['summary']['line'])}.</strong></p>",
           f"<details><summary>The matrix: {len(matrix['rules'])} rules, with what encodes and checks each "
           "(printed in full)</summary>",
           "<table class=\"traceability\"><thead><tr><th>rule</th><th>kind</th><th>rule (short)</th>"
           "<th>encoded by</th><th>checked by</th><th>explored in</th><th>Hypothesis</th><th>logs</th>"
           "</tr></thead><tbody>"]
    for row in matrix["rules"]:
        if row["status"] == "not encoded":
            encoded = f"<em>not encoded: {_e(row.get('reason') or 'no reason given')}</em>"
        elif row["status"] == "checked only":
            encoded = "<em>only a property</em>"
        else:
            encoded = "<br>".join(_e(s) for s in row["spec"])
        decided = {d["property"] for d in row.get("decided", [])}
        checked = ", ".join(p if p in decided else f"{p} (not decided)" for p in row["properties"]) or "\u2014"
        rule = f'<a href="{_e(row["url"])}">{_e(row["id"])}</a>' if row.get("url") else _e(row["id"])
        out.append(f"<tr><td>{rule}</td><td>{_e(row['kind'])}</td><td>{_e(row['title'])}</td><td>{encoded}</td>"
                   f"<td>{_e(checked)}</td><td>{_e(', '.join(row['exploration']) or chr(8212))}</td>"
                   f"<td>{_ran(row.get('hypothesis'))}</td><td>{_ran(row.get('logs'))}</td></tr>")
    out.append("</tbody></table></details></section>")
    return out


def _dead_section(dead: list[dict[str, Any]], configs: list[str]) -> list[str]:
    out = ['<section id="dead"><h2>Transitions no configuration fired</h2>',
           f"<p>{len(dead)} declared transitions fired in none of: {_e(', '.join(configs))}.</p>",
           "<details><summary>List</summary><ul>"]
    for entry in dead:
        where = f" <span class=\"muted\">{_e(entry['file'])}:{entry['line']}</span>" if entry.get("file") else ""
        out.append(f"<li><code>{_e(entry['transition'])}</code>{where}</li>")
    out.append("</ul></details></section>")
    return out


def render(report: dict[str, Any]) -> str:
    checks = report["checks"]
    configs = [check["config"]["name"] for check in checks]
    failed, passed = headline.failures(report), headline.passes(report)
    if failed:
        body = [f'<h1>shadowspec report: <span class="fail">FAIL</span>: {_e("; ".join(failed))}</h1>']
        if passed:
            body.append(f'<p class="summary">Passed: {_e("; ".join(passed))}.</p>')
    else:
        body = [f'<h1>shadowspec report: <span class="pass">PASS</span>: '
                f'{_e("; ".join(passed) or "nothing to check")}</h1>']
    body.append('<p class="legend"><span class="key mismatch">not as expected</span> '
                '<span class="key hazard">hazard or obligation found, as documented</span> '
                '<span class="key witness">witness found</span> '
                '<span class="key undecided">undecided (search cut short)</span> '
                '<span class="key unexercised">not exercised here</span></p>')
    nav = [f'<li><a href="#{_anchor("check", name)}">Configuration {_e(name)}</a></li>' for name in configs]
    if report.get("conform"):
        nav.append('<li><a href="#conformance">Conformance of API call logs</a></li>')
    if report.get("machines"):
        nav.append('<li><a href="#machines">State diagrams</a></li>')
    if report.get("traceability"):
        nav.append('<li><a href="#traceability">Traceability</a></li>')
    if report.get("dead_transitions"):
        nav.append('<li><a href="#dead">Transitions no configuration fired</a></li>')
    body += ["<nav><ul>", *nav, "</ul></nav>"]
    for check in checks:
        body += _check_section(check, report)
    if report.get("conform"):
        body += _conform_section(report["conform"])
    if report.get("machines"):
        body += _machines_section(report["machines"])
    if report.get("traceability"):
        body += _traceability_section(report["traceability"])
    if report.get("dead_transitions"):
        body += _dead_section(report["dead_transitions"], configs)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        f"<title>shadowspec report: {_e(', '.join(configs))}</title>", f"<style>{CSS}</style>", "</head>",
        "<body>", *body, "</body>", "</html>",
    ]) + "\n"
