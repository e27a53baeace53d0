"""The committed rule index is rules.md's, and every rule is cited or has a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from shadowspec.checks import rule_catalogue
from shadowspec.checks.rule_catalogue import BEHAVIOURAL, parse, render_module, rules
from shadowspec.checks.traceability import property_citations, spec_citations
from shadowspec.checks.unencoded import UNENCODED

REPO = Path(__file__).resolve().parents[2]
RULES_MD = REPO.parent / "shared" / "domain" / "rules.md"
INDEX = REPO / "checks" / "rule_index.py"


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared/domain/rules.md is not beside the repository")
def test_snapshot_matches_rules_md() -> None:
    expected = render_module(parse(RULES_MD.read_text(encoding="utf-8")))
    assert INDEX.read_text(encoding="utf-8") == expected, (
        "checks/rule_index.py is stale: run python -m shadowspec.checks.rule_catalogue "
        "../shared/domain/rules.md -o checks/rule_index.py")


def test_the_index_has_the_documented_counts() -> None:
    families: dict[str, int] = {}
    for rule in rules():
        families[rule.family] = families.get(rule.family, 0) + 1
    # rules.md (revision 2) section 10: REQ 54 (53 in force: REQ-44 withdrawn), ASY 9, WRT 17,
    # CSV 19, NODE 13, DATA 11; 28 INV, 11 LIV, 26 AMB
    assert families == {"REQ": 54, "ASY": 9, "WRT": 17, "CSV": 19, "NODE": 13, "DATA": 11,
                        "INV": 28, "LIV": 11, "AMB": 26}
    assert len({r.id for r in rules()}) == len(rules())


def test_parse_reads_kind_title_source_and_link() -> None:
    text = "\n".join([
        "| REQ-01 | MUST | A session begins. The caller owns it. | S_OK | sdk-api:vsbackup/nf-vsbackup-x.md |",
        "| REQ-02 | ORDER | Then this, e.g. that. More. | — | same; seed:002 |",
        "| DATA-01 | Two values only. | seed:003 |",
        "| CSV-01 | DATA | A volume. | — | MS-CMRP §3.1.1.4 |",
        "| INV-01 | HOLD | Nothing succeeds. | REQ-02 |",
        "| AMB-01 | Generic text. | Encode pairs. |",
        "| not a rule | x | y |",
    ])
    parsed = parse(text)
    assert [(r.id, r.kind, r.title) for r in parsed] == [
        ("REQ-01", "MUST", "A session begins"), ("REQ-02", "ORDER", "Then this, e.g. that"),
        ("DATA-01", "DATA", "Two values only"), ("CSV-01", "DATA", "A volume"),
        ("INV-01", "HOLD", "Nothing succeeds"), ("AMB-01", "AMB", "Generic text")]
    assert parsed[0].url == "https://learn.microsoft.com/windows/win32/api/vsbackup/nf-vsbackup-x"
    assert parsed[1].source == "sdk-api:vsbackup/nf-vsbackup-x.md; seed:002"
    assert parsed[3].url.startswith("https://learn.microsoft.com/openspecs/windows_protocols/ms-cmrp")


def test_regeneration_command_writes_the_module(tmp_path: Path) -> None:
    source = tmp_path / "rules.md"
    source.write_text("| REQ-01 | MUST | A session begins. | S_OK | seed:000 |\n", encoding="utf-8")
    target = tmp_path / "index.py"
    assert rule_catalogue.main([str(source), "-o", str(target)]) == 0
    namespace: dict = {}
    exec(target.read_text(encoding="utf-8"), namespace)
    assert namespace["RULES"] == (("REQ-01", "MUST", "A session begins", "seed:000", ""),)
    assert rule_catalogue.main([str(tmp_path / "missing.md")]) == 2


def test_every_rule_is_cited_or_has_a_reason() -> None:
    cited = set(spec_citations()) | set(property_citations())
    missing = [r.id for r in rules() if r.family in BEHAVIOURAL + ("AMB",)
               and r.id not in cited and r.id not in UNENCODED]
    assert not missing, f"neither cited by a declaration or property nor given a reason in checks/unencoded.py: {missing}"


def test_no_reason_for_a_rule_that_is_cited() -> None:
    cited = set(spec_citations()) | set(property_citations())
    stale = sorted(set(UNENCODED) & cited)
    assert not stale, f"checks/unencoded.py gives reasons for rules that are cited: {stale}"
    assert set(UNENCODED) <= {r.id for r in rules()}


def test_every_cited_rule_exists() -> None:
    known = {r.id for r in rules()}
    assert not set(spec_citations()) - known
    assert not set(property_citations()) - known
