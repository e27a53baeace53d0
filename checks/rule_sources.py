"""Where a reader checks each rule: a documentation URL, or else a quoted source.

``checks/rule_index.py`` (generated from rules.md) carries a link only where rules.md names a page
the generator recognises. Its other sources are shorthand ("clear-backup-state page; (Note)",
"seed:001", "each method page") or empty (the invariants, liveness properties and ambiguities,
which rules.md states itself). A report must never show such shorthand as if it were a source:
each rule id resolves here to a URL of the page rules.md means, or, where there is no public page
(a design seed, an archived blog, rules.md's own catalogue), to a quotation of the rule with where
it comes from. ``tests/traceability/test_rule_sources.py`` keeps every id resolving.
"""

from __future__ import annotations

from .rule_index import RULES

LEARN = "https://learn.microsoft.com"
PAGES = (
    ("clear-backup-state page", f"{LEARN}/windows/win32/api/resapi/nf-resapi-clusterclearbackupstateforsharedvolume"),
    ("onfreeze page", f"{LEARN}/windows/win32/api/vswriter/nf-vswriter-cvsswriter-onfreeze"),
    ("onbackupcomplete.md", f"{LEARN}/windows/win32/api/vswriter/nf-vswriter-cvsswriter-onbackupcomplete"),
    ("each vswriter page", f"{LEARN}/windows/win32/api/vswriter/nl-vswriter-cvsswriter"),
    ("each method page", f"{LEARN}/windows/win32/api/vsbackup/nl-vsbackup-ivssbackupcomponents"),
    ("clusctl-resource-disable-shared-volume-directio",
     f"{LEARN}/previous-versions/windows/desktop/mscs/clusctl-resource-disable-shared-volume-directio"),
    ("set-csv-maintenance-mode", f"{LEARN}/previous-versions/windows/desktop/mscs/clusctl-resource-set-csv-maintenance-mode"),
    ("clusctl-resource-set-shared-volume-backup-mode",
     f"{LEARN}/previous-versions/windows/desktop/mscs/clusctl-resource-set-shared-volume-backup-mode"),
)
"""Shorthand page names of rules.md -> the page's address (the first that occurs wins)."""

CATALOGUE = "shadowspec requirement catalogue (rules.md)"


def reference(rule: str) -> dict[str, str]:
    """``{"url": ...}`` or ``{"quote": ..., "source": ...}`` for a rule id of rules.md; an id it
    does not list gets a quote that says so (never an empty source)."""
    row = INDEX.get(rule)
    if row is None:
        return {"quote": f"{rule} is not in the requirement catalogue", "source": CATALOGUE}
    _kind, title, source, url = row
    if url:
        return {"url": url}
    for phrase, address in PAGES:
        if phrase in source:
            return {"url": address}
    where = source.strip() or CATALOGUE
    if where.startswith("seed:"):
        where = f"design seed {where[5:]} of the shadowspec sources (shared/seeds)"
    return {"quote": title, "source": where}


def source_text(rule: str) -> str:
    """One string for a finding's ``sources``: the URL, or ``"quoted rule" (where)``."""
    found = reference(rule)
    return found["url"] if "url" in found else f"\u201c{found['quote']}\u201d ({found['source']})"


INDEX = {rule: (kind, title, source, url) for rule, kind, title, source, url in RULES}
