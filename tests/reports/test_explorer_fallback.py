"""A configuration whose states outgrow one machine word is explored by the generic explorer;
the report says so (text and JSON) rather than leaving the user with an unexplained slow run."""

from __future__ import annotations

from shadowspec.checks.run import run_check
from shadowspec.model.config import shipped
from shadowspec.reports.check_text import render


def _two_of_each(max_states: int):
    return shipped()["default"].with_overrides(requesters=2, nodes=2, volumes=2, writers=1,
                                               name="two-of-each", max_states=max_states)


def test_a_state_wider_than_one_word_is_explored_generically_and_said():
    report = run_check(_two_of_each(6000))
    explorer = report.exploration.get("explorer")
    assert explorer and explorer["name"] == "generic"
    assert "one word holds 64" in explorer["why"]
    text = render(report.as_dict())
    assert "explorer: the generic one" in text and "bits a state" in text


def test_a_state_that_fits_names_no_fallback():
    report = run_check(_two_of_each(300))
    assert "explorer" not in report.exploration
