"""The HTML page as a pure function: self-contained, every section present, unique ids."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from shadowspec.reports import html

from .conftest import tiny_document


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value))
            if name == "id" and value:
                self.ids.append(value)


def _parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


def test_self_contained_no_script_no_fetch() -> None:
    page = _parse(html.render(tiny_document()))
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not [a for a in page.attributes if a[1] == "src"]
    assert not [a for a in page.attributes if a[1] == "style" and "url(" in (a[2] or "")]
    assert not [a for a in page.attributes if a[1] == "href" and a[0] != "a"]
    assert "@import" not in html.render(tiny_document())


def test_ids_are_unique_even_with_several_svgs() -> None:
    page = _parse(html.render(tiny_document()))
    assert len(page.ids) == len(set(page.ids))
    assert "verdicts-tiny" in page.ids


def test_sections_and_verdict_table() -> None:
    text = html.render(tiny_document())
    top = text[text.index("<h1>"):text.index("</h1>")]
    # The top line names what failed: the property of the configuration, and each failing log.
    assert '<span class="fail">FAIL</span>' in top and "configuration tiny: INV-30 not as the documentation" in top
    assert "log logs/bad.jsonl violates (1 error finding)" in top and "log logs/broken.jsonl unreadable" in top
    assert "Every verdict as the documentation implies" not in text
    table = text[text.index('<table class="verdicts"'):text.index("</table>")]
    assert table.count("<tr") == 7                                   # header + six properties
    assert '<tr class="mismatch"><td class="id">INV-30</td>' in table
    # Each kind of outcome looks different: a documented hazard found, a witness, not exercised.
    assert '<tr class="hazard"><td class="id">INV-21</td>' in table
    assert '<tr class="witness"><td class="id">WIT-01</td>' in table
    assert '<tr class="unexercised"><td class="id">INV-02</td>' in table
    assert '<tr><td class="id">INV-01</td>' in table
    assert 'href="#cx-tiny-inv-21"' in table and 'id="cx-tiny-inv-21"' in text
    assert "Sentence of INV-01 with &lt;b&gt; &amp; &quot;q&quot; | pipe." in table
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg" class="sequence"') == 4
    assert 'id="cx-tiny-inv-21-path0-graph0"' in text                 # the path diagram, ids scoped
    assert 'id="m-mark-graph0"' in text                                # the machine diagram
    assert "<code>spec/mark.py:44</code>" in text
    assert '<td class="fail">violates</td>' in text and '<td class="fail">unreadable</td>' in text
    assert "clears &lt;another&gt; node&#x27;s backup &amp; more" in text
    assert "1 rules: 1 encoded (100.0%)" in text and 'id="traceability"' in text
    assert "@media print" in text


def test_scoped_svg_rewrites_ids_and_references() -> None:
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg><defs><marker id="a"/></defs>'
           '<path marker-end="url(#a)"/><use href="#a"/></svg>')
    scoped = html.scoped_svg(svg, "p")
    assert scoped == '<svg><defs><marker id="p-a"/></defs><path marker-end="url(#p-a)"/><use href="#p-a"/></svg>'


def test_without_diagrams_or_logs_still_renders() -> None:
    report = tiny_document(conform=False)
    report["machines"][0].pop("svg")
    text = html.render(report)
    assert "Graphviz was not available" in text and 'id="conformance"' not in text


def test_same_report_same_bytes_and_no_absolute_paths() -> None:
    text = html.render(tiny_document())
    assert text == html.render(tiny_document())
    assert not re.search(r"(?<![\w.])/(home|root|tmp|work|usr)/", text)


def test_two_configurations_keep_ids_unique() -> None:
    from shadowspec.reports.document import assemble

    from .conftest import tiny_check

    text = html.render(assemble([tiny_check("a"), tiny_check("b")]))
    page = _parse(text)
    assert len(page.ids) == len(set(page.ids))
    assert {"verdicts-a", "verdicts-b", "cx-a-inv-21", "cx-b-inv-21"} <= set(page.ids)


def test_a_report_of_logs_only_says_which_log_failed() -> None:
    report = tiny_document()
    report["checks"] = []
    text = html.render(report)
    top = text[text.index("<h1>"):text.index("</h1>")]
    assert "0 configuration" not in text and "none" not in top
    assert "log logs/bad.jsonl violates" in top
    assert "1 log conforms" in text


def test_findings_link_their_rules_to_the_documentation() -> None:
    report = tiny_document()
    finding = report["conform"]["logs"][1]["findings"][0]
    finding["sources"] = {"NODE-11": "https://learn.microsoft.com/windows/win32/api/resapi/nf-resapi-clusterclearbackupstateforsharedvolume"}
    text = html.render(report)
    findings = text[text.index('<table class="findings"'):]
    assert ('<a href="https://learn.microsoft.com/windows/win32/api/resapi/'
            'nf-resapi-clusterclearbackupstateforsharedvolume">NODE-11</a>') in findings
