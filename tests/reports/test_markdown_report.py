"""Markdown: GitHub-flavoured, diagrams as Mermaid blocks."""

from __future__ import annotations

from shadowspec.reports.escape import md_text

from shadowspec.reports import markdown_report

from .conftest import tiny_document


def test_sections_tables_and_mermaid_blocks() -> None:
    text = markdown_report.render(tiny_document())
    top = text.splitlines()[0]
    assert top.startswith("# shadowspec report: FAIL: configuration tiny: INV-30 not as the documentation implies")
    assert md_text("log logs/bad.jsonl violates (1 error finding)") in top  # escaped, renders as written
    # one sequence diagram per counterexample or witness (INV-21, INV-30, LIV-05, WIT-01), one state diagram
    assert text.count("```mermaid\nsequenceDiagram") == 4
    assert text.count("```mermaid\nstateDiagram-v2") == 1
    assert "| INV-30 | HOLD | violated | **NO** |" in text
    assert "with &lt;b&gt; &amp; \"q\" \\| pipe." in text      # no raw HTML; a pipe inside a cell is escaped
    assert "<code>Mark.clear: on → off</code> | ERROR\\_SUCCESS | <code>spec/mark.py:44</code> |" in text
    assert "| <code>logs/bad.jsonl</code> | **violates** | 1 | 1 |" in text
    assert "| 7 | error | caller | node-2 |" in text
    assert "## Traceability" in text and "1 rules: 1 encoded (100.0%)" in text
    assert "- <code>Mark.clear: on -&#62; off &#91;ERROR_SUCCESS&#93;</code> (<code>spec/mark.py:44</code>)" in text


def test_lasso_and_stutter_are_written_out() -> None:
    report = tiny_document(conform=False)
    text = markdown_report.render(report)
    assert "then forever (fair cycle):" in text
    liv = next(p for p in report["checks"][0]["properties"] if p["id"] == "LIV-05")
    liv.update(cycle=[], stutter="no fair step is enabled")
    assert "then forever: no fair step is enabled" in markdown_report.render(report)


def test_same_report_same_bytes() -> None:
    assert markdown_report.render(tiny_document()) == markdown_report.render(tiny_document())
