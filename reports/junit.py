"""The report as JUnit XML, the test-result format CI systems read (Jenkins junit-10.xsd).

One ``testsuite`` per checked configuration with one ``testcase`` per property (a failure when the
verdict is not the one the documentation implies, skipped when the configuration cannot exercise
it), and one ``testsuite`` for the conformance run with one ``testcase`` per checked log (a failure
when the log violates the specification or its check was cut short, an error when it cannot be
read). No times or timestamps: the same report, the same bytes.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .steps import trace_lines

NOT_EXERCISED = "not exercised"


def _clean(value: str) -> str:
    """Characters XML 1.0 cannot hold (control characters, lone surrogates) become '?'."""
    return "".join(c if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\U0010ffff"
                   and c not in "\ufffe\uffff" else "?" for c in value)


def _text(value: str) -> str:
    return escape(_clean(value))


def _attr(value: str) -> str:
    return quoteattr(_clean(value))


def _trace(prop: dict[str, Any]) -> str:
    kind = "witness" if prop.get("witness") else "counterexample"
    lines = [f"{prop['id']} {prop['slug']}: {prop['sentence']}", f"rules: {', '.join(prop['rules'])}"]
    if prop.get("reason"):
        lines.append(f"reason: {prop['reason']}")
    if prop.get(kind):
        lines.append(f"{kind}:")
        lines += trace_lines(prop, indent="  ")
    return "\n".join(lines)


def _property_case(config: str, prop: dict[str, Any]) -> tuple[list[str], str]:
    """(lines of one testcase, its outcome: passed, failed or skipped)."""
    name = f"{prop['id']} {prop['slug']}"
    head = f"    <testcase classname={_attr('shadowspec.check.' + config)} name={_attr(name)}>"
    if prop["verdict"] == "no violation within bound":  # the check's "incomplete" case is the failure
        skipped = f"      <skipped message={_attr('undecided: ' + prop.get('reason', 'search incomplete'))}/>"
        return [head, skipped, "    </testcase>"], "skipped"
    if not prop["as_expected"]:
        message = f"expected {prop['expected']}, found {prop['verdict']}"
        return [head, f"      <failure type=\"verdict\" message={_attr(message)}>{_text(_trace(prop))}</failure>",
                "    </testcase>"], "failed"
    if prop["verdict"] == NOT_EXERCISED:
        skipped = f"      <skipped message={_attr(prop.get('reason', NOT_EXERCISED))}/>"
        return [head, skipped, "    </testcase>"], "skipped"
    return [head, f"      <system-out>{_text(_trace(prop))}</system-out>", "    </testcase>"], "passed"


def _suite(name: str, cases: list[tuple[list[str], str]], properties: dict[str, str]) -> list[str]:
    count = {outcome: sum(1 for _, o in cases if o == outcome) for outcome in ("failed", "error", "skipped")}
    lines = [f"  <testsuite name={_attr(name)} tests=\"{len(cases)}\" failures=\"{count['failed']}\" "
             f"errors=\"{count['error']}\" skipped=\"{count['skipped']}\">"]
    if properties:
        lines.append("    <properties>")
        lines += [f"      <property name={_attr(k)} value={_attr(v)}/>" for k, v in properties.items()]
        lines.append("    </properties>")
    for case, _ in cases:
        lines += case
    lines.append("  </testsuite>")
    return lines


def _finding(finding: dict[str, Any]) -> str:
    allowed = finding.get("allowed") or []
    text = (f"line {finding.get('line')}: {finding.get('severity')} ({finding.get('side')}) "
            f"{finding.get('actor')}: {finding.get('call')}: {finding.get('message')}"
            f" [{', '.join(finding.get('rules', []))}]")
    return text + (f"; allowed: {', '.join(map(str, allowed))}" if allowed else "")


def _log_case(log: dict[str, Any]) -> tuple[list[str], str]:
    findings = log.get("findings", [])
    head = f"    <testcase classname=\"shadowspec.conform\" name={_attr(str(log['file']))}>"
    if log.get("verdict") == "unreadable":
        message = str(log.get("error", "the log cannot be read"))
        return [head, f"      <error type=\"unreadable\" message={_attr(message)}/>", "    </testcase>"], "error"
    body = _text("\n".join(_finding(f) for f in findings))
    if log.get("verdict") != "conforms":
        errors = sum(1 for f in findings if f.get("severity") == "error")
        message = f"{log.get('verdict')}: {errors} error(s), {len(findings) - errors} warning(s)"
        return [head, f"      <failure type=\"conformance\" message={_attr(message)}>{body}</failure>",
                "    </testcase>"], "failed"
    if findings:
        return [head, f"      <system-out>{body}</system-out>", "    </testcase>"], "passed"
    return [head, "    </testcase>"], "passed"


def render(report: dict[str, Any]) -> str:
    suites: list[list[str]] = []
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for check in report["checks"]:
        config = check["config"]["name"]
        cases = [_property_case(config, prop) for prop in check["properties"]]
        exploration = check["exploration"]
        info = {"states": str(exploration["states"]), "transitions": str(exploration["transitions"]),
                "complete": str(exploration["complete"]).lower()}
        if not exploration["complete"]:
            message = f"the search was cut short ({exploration.get('stop_reason')}): no verdict can say holds"
            case = [f"    <testcase classname={_attr('shadowspec.check.' + config)} name=\"exploration complete\">",
                    f"      <failure type=\"incomplete\" message={_attr(message)}/>", "    </testcase>"]
            cases.append((case, "failed"))
        suites.append(_suite(f"shadowspec check {config}", cases, info))
        totals["tests"] += len(cases)
        totals["failures"] += sum(1 for _, outcome in cases if outcome == "failed")
    conform = report.get("conform")
    if conform is not None:
        cases = [_log_case(log) for log in conform.get("logs", [])]
        suites.append(_suite("shadowspec conform", cases, {}))
        totals["tests"] += len(cases)
        totals["failures"] += sum(1 for _, outcome in cases if outcome == "failed")
        totals["errors"] += sum(1 for _, outcome in cases if outcome == "error")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f"<testsuites name=\"shadowspec\" tests=\"{totals['tests']}\" failures=\"{totals['failures']}\" "
             f"errors=\"{totals['errors']}\">"]
    for suite in suites:
        lines += suite
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"
