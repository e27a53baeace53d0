"""Every rule id of the catalogue resolves to a documentation URL or a quoted source, never to
shorthand such as "seed:001" or "clear-backup-state page; (Note)" (what findings showed)."""

from __future__ import annotations

import re

from shadowspec.checks.rule_index import RULES
from shadowspec.checks.rule_sources import reference, source_text
from shadowspec.conform.findings import SOURCES

URL = re.compile(r"^https://learn\.microsoft\.com/[\w./-]+$")


def test_every_rule_resolves_to_a_url_or_a_quote() -> None:
    for rule, _kind, title, _source, _url in RULES:
        found = reference(rule)
        if "url" in found:
            assert URL.match(found["url"]), (rule, found)
        else:
            assert found["quote"] == title and title, rule
            assert found["source"] and not found["source"].startswith("seed:"), (rule, found)


def test_the_shorthand_pages_become_links() -> None:
    assert reference("NODE-11")["url"].endswith("nf-resapi-clusterclearbackupstateforsharedvolume")
    assert reference("CSV-19")["url"].endswith("clusctl-resource-set-shared-volume-backup-mode")
    assert "design seed 001" in reference("DATA-03")["source"]


def test_findings_name_no_shorthand_source() -> None:
    for rule, text in SOURCES.items():
        assert text.startswith("https://") or text.startswith("\u201c"), (rule, text)
    assert source_text("INV-21").startswith("\u201c")
