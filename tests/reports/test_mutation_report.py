"""The mutation report renderers: a survivor is a SARIF warning at its declaring line, and every
format names the survivors by the rule they leave unprotected."""

from __future__ import annotations

import json

from shadowspec.reports.mutation_report import RENDERERS, render_markdown, render_sarif, render_text


def _entry(killed: int, survived: int, equivalent: int) -> dict:
    counted = killed + survived
    return {"mutants": killed + survived + equivalent, "killed": killed, "survived": survived,
            "equivalent": equivalent, "killed_without": killed - 1, "survived_without": survived + 1,
            "score": round(100 * killed / counted, 2), "score_without": round(100 * (killed - 1) / counted, 2)}


DATA = {
    "schema_version": 1, "configs": [{"name": "csv-modes", "states": 288, "passed": True}],
    "operators": ["swap-result", "retarget"], "workers": 1, "without": ["PRN-01"],
    "score": {**_entry(2, 1, 1), "killed_by_engine_only": 0},
    "machines": {"CsvVolume": _entry(2, 1, 1)}, "operator_scores": {"retarget": _entry(2, 1, 1)},
    "rules": {"CSV-12": _entry(2, 1, 0)},
    "survivors_by_rule": {"CSV-12": ["CsvVolume.enable_directio@normal#3:retarget(backup)"]},
    "mutants": [
        {"id": "CsvVolume.enable_directio@normal#3:retarget(backup)", "operator": "retarget",
         "machine": "CsvVolume", "description": "enable_directio: normal -> normal [ERROR_SUCCESS]: leads to backup",
         "rules": ["CSV-12"], "status": "survived", "status_without": "survived", "kills": [],
         "changed_in": ["csv-modes"], "checked": ["csv-modes"], "location": {"file": "spec/csv_volume.py", "line": 97}},
        {"id": "CsvVolume.a:swap-result(X)", "operator": "swap-result", "machine": "CsvVolume",
         "description": "d", "rules": ["CSV-12"], "status": "killed", "status_without": "survived",
         "kills": [{"config": "csv-modes", "properties": ["PRN-01"]}], "changed_in": [], "checked": ["csv-modes"],
         "location": {"file": "spec/csv_volume.py", "line": 90}},
    ],
}


def test_sarif_has_one_warning_per_survivor_at_its_line() -> None:
    sarif = json.loads(render_sarif(DATA))
    results = sarif["runs"][0]["results"]
    assert len(results) == 1 and results[0]["level"] == "warning"
    where = results[0]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "spec/csv_volume.py" and where["region"]["startLine"] == 97
    assert "CSV-12" in results[0]["message"]["text"]


def test_text_and_markdown_name_survivors_by_rule_and_the_score_without() -> None:
    text, markdown = render_text(DATA), render_markdown(DATA)
    for rendered in (text, markdown):
        assert "CSV-12" in rendered and "retarget(backup)" in rendered
        assert "66.67%" in rendered and "33.33%" in rendered
    assert "(without the measured properties: survived)" in text


def test_every_format_is_deterministic() -> None:
    for render in RENDERERS.values():
        assert render(DATA) == render(json.loads(json.dumps(DATA)))
