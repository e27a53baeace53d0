"""A configuration whose states outgrow one machine word is packed into several words; the report
says so (text and JSON: ``explorer: packed, 2 words a state``) so that a slower run is explained.
The generic explorer stands in only where an action group's learnt table would need a key wider
than a word (``VssSpace._slots``, ``_Effects.publish``), and the report then says why."""

from __future__ import annotations

from shadowspec.checks.run import run_check
from shadowspec.model.config import shipped
from shadowspec.model.packed_system import VssSpace
from shadowspec.reports.check_text import render


def _two_of_each(max_states: int):
    return shipped()["default"].with_overrides(requesters=2, nodes=2, volumes=2, writers=1,
                                               name="two-of-each", max_states=max_states)


def test_a_state_wider_than_one_word_is_packed_in_two_words_and_said():
    report = run_check(_two_of_each(6000))
    assert report.exploration.get("explorer") == {"name": "packed", "words": 2}
    assert report.exploration["states"] == 6000 and not report.exploration["complete"]
    text = render(report.as_dict())
    assert "explorer: packed, 2 words a state" in text and "generic" not in text


def test_a_state_that_fits_names_no_explorer():
    report = run_check(_two_of_each(300))
    assert "explorer" not in report.exploration
    assert "explorer:" not in render(report.as_dict())


def test_a_table_key_wider_than_a_word_falls_back_to_the_generic_explorer_and_says_why(monkeypatch):
    def too_wide(self, g, codes):
        raise ValueError(f"{self.config.name}: group {g} reads too much state to tabulate")

    monkeypatch.setattr(VssSpace, "_slots", too_wide)
    report = run_check(shipped()["csv-modes"])
    explorer = report.exploration.get("explorer")
    assert explorer and explorer["name"] == "generic" and "too much state to tabulate" in explorer["why"]
    assert report.passed  # the generic explorer decides everything just the same
    assert "explorer: the generic one" in render(report.as_dict())
