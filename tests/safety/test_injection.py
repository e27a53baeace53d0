"""Hostile text from a log or a saved file never acts as markup or as a terminal command, in any
report format. The payloads are those of issue 11: raw ``<script>``/``<img onerror>``, a backtick
that would close a code span, ``\\r`` that would start a Markdown heading, ESC sequences that would
clear the screen or set the terminal's title, a file name that is not a URI. The HTML page is
loaded in the real browser (as ``tests/reports/test_html_browser.py``), which must run no script,
even with the page's Content-Security-Policy removed."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from shadowspec.cli import cli
from shadowspec.reports import conform_markdown, conform_text, html, junit, markdown_report, sarif
from shadowspec.reports.document import assemble
from shadowspec.reports.escape import file_uri

SCRIPT = "<script>document.title='PWNED';window.__pwned=1</script>"
IMG = "<img src=x onerror=\"window.__pwned=1\">"
BREAKOUT = "`) " + SCRIPT
HEADING = "ok\r# INJECTED HEADING\r\n## also"
ESC = "\x1b]0;owned title\x07\x1b[2J\x1b[31mred"
PAYLOADS = (SCRIPT, IMG, BREAKOUT, HEADING, ESC)
FILE = "logs/evil `name` <img src=x onerror=alert(1)> #1?.jsonl"


def conform_report() -> dict[str, Any]:
    findings = [{"line": n + 1, "actor": "requester-1" + payload, "call": "IVssBackupComponents::X" + payload,
                 "side": "caller", "severity": "error", "kind": "order", "rules": ["REQ-01"],
                 "sources": {}, "message": "message " + payload, "allowed": ["Y" + payload]}
                for n, payload in enumerate(PAYLOADS)]
    return {"schema_version": 1, "readings": {}, "summary": {"logs": 2, "conforms": 0, "violates": 1, "incomplete": 0,
                                                            "unreadable": 1, "errors": 5, "warnings": 0},
            "logs": [{"file": FILE, "verdict": "violates", "system": {"os": "2008r2", "os_from": "default",
                                                                      "protocol": "3.0", "protocol_from": "default"},
                      "calls": 5, "errors": 5, "warnings": 0, "findings": findings},
                     {"file": FILE + ESC, "verdict": "unreadable", "error": "unreadable " + HEADING + ESC,
                      "findings": []}],
            "coverage": {"transitions_declared": 1, "transitions_exercised": 0, "transitions": [], "rules": []},
            "exit_code": 2}


def check_report() -> dict[str, Any]:
    step = {"step": 1, "actor": "requester-1" + BREAKOUT, "call": "Call" + HEADING, "arguments": {"a": SCRIPT},
            "result": "S_OK" + IMG, "changes": {"x" + ESC: ["a", "b" + SCRIPT]}, "rules": ["REQ-01" + BREAKOUT]}
    prop = {"id": "INV-01" + SCRIPT, "slug": "slug" + BREAKOUT, "sentence": "sentence " + IMG + HEADING, "kind": "state",
            "rules": ["REQ-01" + SCRIPT], "expected": "HOLD", "verdict": "violated", "as_expected": False,
            "reason": "reason " + SCRIPT, "counterexample": [step]}
    return {"schema_version": 1, "config": {"name": "cfg" + BREAKOUT, "description": "description " + HEADING + SCRIPT},
            "exploration": {"states": 1, "transitions": 0, "depth": 0, "complete": False,
                            "stop_reason": "stop " + SCRIPT},
            "properties": [prop], "coverage": {"declared_transitions": 1, "fired_transitions": 0,
                                               "dead_transitions": ["X.y: a -> b [S_OK]" + SCRIPT],
                                               "rules_exercised": []},
            "fairness": "fair " + IMG, "passed": False}


def document() -> dict[str, Any]:
    return assemble([check_report()], conform_report(),
                    machines=[{"name": "M" + SCRIPT, "file": "spec/m.py" + BREAKOUT, "line": 1, "doc": "",
                               "states": [], "initial": "a", "transitions": 1, "mermaid": "stateDiagram-v2\n" + HEADING,
                               "svg": "<svg><script>window.__pwned=1</script></svg>"}],
                    counterexamples=[{"config": "cfg" + BREAKOUT, "property": "INV-01" + SCRIPT, "kind": "counterexample",
                                      "path": [{"step": 1, "component": "c" + SCRIPT, "machine": "M", "event": "e" + BREAKOUT,
                                                "source": "a", "target": "b", "index": 0, "result": "S_OK" + IMG,
                                                "rules": [], "file": "spec/m.py" + BREAKOUT, "line": 2}]}])


def _outside_fences(text: str) -> list[str]:
    """The lines Markdown reads as markup (fenced code blocks are shown verbatim)."""
    lines, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("`" * 3):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
        else:
            assert not line.lstrip().startswith("`" * 3), "a value closed a fence"
    assert not fenced
    return lines


def _markdown_is_inert(text: str) -> None:
    assert "\r" not in text and "\x1b" not in text
    markup = _outside_fences(text)
    assert not any("<script" in line or "<img" in line for line in markup), "raw HTML passed through"
    headings = [line for line in markup if line.startswith("#")]
    # a renderer's own heading may quote a value (the report's headline names the failing
    # configuration), but no value starts a heading of its own
    assert not any(h.lstrip("#").strip().startswith("INJECTED") for h in headings), headings
    assert all(h.startswith(("# shadowspec", "## ", "### ", "#### ")) for h in headings), headings
    for line in markup:
        # every backtick a value brought is an entity or escaped, so code spans stay closed
        if "`" in line and not line.startswith("`" * 3):
            assert "\\`" in line or line.count("`") % 2 == 0, line


def test_conform_markdown_escapes_every_payload() -> None:
    _markdown_is_inert(conform_markdown.render(conform_report()))


def test_report_markdown_escapes_every_payload() -> None:
    _markdown_is_inert(markdown_report.render(document()))


def test_terminal_text_shows_control_characters_as_escapes() -> None:
    text = conform_text.render(conform_report())
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "\\x1b]0;owned title\\x07" in text
    assert "INJECTED HEADING" in text and not any(line.startswith("# INJECTED") for line in text.split("\n"))


def test_terminal_text_of_conform_on_a_hostile_log(tmp_path: Path) -> None:
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps({"actor": "requester-1", "call": "CreateVssBackupComponents", "result": "S_OK"}) + "\n"
                    + json.dumps({"actor": "requester-1", "call": "Nope" + ESC, "result": "S_OK" + ESC}) + "\n")
    result = CliRunner().invoke(cli, ["conform", str(path)])
    assert result.exit_code == 2 and "\x1b" not in result.output and "\x07" not in result.output


def test_sarif_uris_are_rfc3986_references() -> None:
    data = sarif.render_dict(document())
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]
            for loc in r.get("locations", [])]
    assert uris
    reference = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=@/%]*$")  # path-noscheme / path-absolute characters
    for uri in uris:
        assert reference.match(uri), uri
        assert ":" not in uri.split("/")[0]
    assert file_uri(FILE) == "logs/evil%20%60name%60%20%3Cimg%20src=x%20onerror=alert(1)%3E%20%231%3F.jsonl"
    assert file_uri("C:\\logs\\a b.jsonl") == "C%3A/logs/a%20b.jsonl"


def test_junit_is_well_formed_and_holds_the_text_literally() -> None:
    text = junit.render(document())
    root = ElementTree.fromstring(text.encode("utf-8"))
    assert "<script" not in text.replace("&lt;script", "")
    names = [case.get("name") for case in root.iter("testcase")]
    assert any(name and SCRIPT in name for name in names) or any(FILE in (n or "") for n in names)
    assert "\x1b" not in text


def _text_only(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without drawings: the renderer inlines the SVG that ``report_inputs`` drew
    (from the declarations); a saved file's SVG never gets that far (next test)."""
    for machine in doc["machines"]:
        machine.pop("svg", None)
    return doc


def test_html_escapes_every_text_payload() -> None:
    page = html.render(_text_only(document()))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;document.title=" in page and "&lt;img src=x onerror=" in page


def test_report_from_a_crafted_report_regenerates_its_svg(tmp_path: Path) -> None:
    crafted = document()
    crafted["machines"][0]["svg"] = "<svg onload=\"window.__pwned=1\"><script>window.__pwned=1</script></svg>"
    crafted["counterexamples"][0]["diagrams"] = [{"component": "c", "machine": "M", "svg": crafted["machines"][0]["svg"]}]
    saved = tmp_path / "crafted.json"
    saved.write_text(json.dumps(crafted))
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["report", "--from", str(saved), "--format", "html", "-o", str(out)])
    assert result.exit_code in (1, 2), result.output
    page = out.read_text(encoding="utf-8")
    assert "window.__pwned" not in page.replace("window.__pwned=1&lt;", "").replace("window.__pwned=1&quot;", "") \
        or "<script" not in page
    assert "<script" not in page and "onload=" not in page


CHROMIUM = os.environ.get("SHADOWSPEC_CHROMIUM", "/usr/bin/chromium")


@pytest.mark.skipif(os.environ.get("SHADOWSPEC_NO_BROWSER") == "1", reason="SHADOWSPEC_NO_BROWSER=1")
def test_no_script_runs_in_the_browser(tmp_path: Path) -> None:
    """The page with every payload, its CSP removed (so only escaping protects it), in Chromium:
    no script ran, no handler fired, the title is the report's."""
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is not installed (apt-get install -y chromium; or SHADOWSPEC_NO_BROWSER=1)")
    from playwright.sync_api import sync_playwright

    crafted = document()
    saved = tmp_path / "crafted.json"
    saved.write_text(json.dumps(crafted))
    out = tmp_path / "page.html"
    CliRunner().invoke(cli, ["report", "--from", str(saved), "--format", "html", "-o", str(out)])
    pages = [html.render(_text_only(document())), out.read_text(encoding="utf-8")]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--headless", "--no-sandbox",
                                                                             "--disable-gpu"])
        for n, page_text in enumerate(pages):
            without_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page_text)
            assert "Content-Security-Policy" not in without_csp
            path = tmp_path / f"page{n}.html"
            path.write_text(without_csp, encoding="utf-8")
            page = browser.new_page()
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            assert page.evaluate("window.__pwned === undefined")
            assert page.title() != "PWNED" and page.title().startswith("shadowspec report")
            assert page.locator("script").count() == 0
            assert page.locator("img").count() == 0
            page.close()
        browser.close()
