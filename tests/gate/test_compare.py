"""The comparison on hand-built baseline entries: every kind of difference, in words."""

from __future__ import annotations

import copy

from shadowspec.checks.baseline import compare, describe_states, validate


def _entry(**changes) -> dict:
    entry = {
        "states": 10, "transitions": 20, "depth": 3, "complete": True, "fingerprint": "a" * 32,
        "properties": {"INV-01": {"verdict": "holds", "counterexample": 0},
                       "INV-21": {"verdict": "violated", "counterexample": 2}},
        "fired": {"M.go: idle -> busy [S_OK] (R-1)": 4, "M.stop: busy -> idle [S_OK] (R-2)": 4},
        "facts": {"m-1": ["state=busy", "state=idle", "timer=off", "state=busy & timer=off",
                          "state=idle & timer=off"]},
        "together": ["m-1=busy & n-1=up", "m-1=idle & n-1=up"],
    }
    entry.update(changes)
    return entry


def _messages(old: dict, new: dict, counts: dict | None = None) -> dict[str, str]:
    return {d.key: d.message for d in compare({"configs": {"c": old}}, {"c": new}, {"c": counts or {}})}


def test_no_difference() -> None:
    assert compare({"configs": {"c": _entry()}}, {"c": _entry()}) == []


def test_verdict_wording() -> None:
    new = _entry(properties={"INV-01": {"verdict": "violated", "counterexample": 3},
                             "INV-21": {"verdict": "holds", "counterexample": 0},
                             "INV-30": {"verdict": "holds", "counterexample": 0}})
    messages = _messages(_entry(), new)
    assert messages["verdict INV-01"] == "INV-01 now violated (was holds)"
    assert messages["verdict INV-21"] == "INV-21 no longer violated (now holds)"
    assert messages["verdict INV-30"] == "INV-30 is new: holds"
    assert _messages(new, _entry())["verdict INV-30"] == "INV-30 no longer checked (was holds)"


def test_counterexample_length() -> None:
    new = copy.deepcopy(_entry())
    new["properties"]["INV-21"]["counterexample"] = 5
    assert _messages(_entry(), new) == {"counterexample INV-21": "INV-21 violated with a 5-step trace (was 2 steps)"}


def test_new_states_are_named_by_their_smallest_new_fact() -> None:
    new = _entry(states=13, facts={"m-1": ["state=busy", "state=idle", "timer=off", "timer=armed",
                                           "state=busy & timer=off", "state=idle & timer=off",
                                           "state=idle & timer=armed", "state=busy & timer=armed"]})
    message = _messages(_entry(), new, {"facts": {"m-1: timer=armed": 3}})["states"]
    # the pairs with timer=armed are implied by the new value itself
    assert message == "+3 states (10 -> 13): now reachable: m-1 with timer=armed (3 states)"


def test_a_new_pair_of_known_values() -> None:
    new = _entry(states=11, facts={"m-1": _entry()["facts"]["m-1"] + ["state=busy & state=idle"]})
    assert "m-1 with state=busy while state=idle" in _messages(_entry(), new)["states"]


def test_lost_states_and_pairs_of_components() -> None:
    fewer = _entry(states=8, facts={"m-1": ["state=idle", "timer=off", "state=idle & timer=off"]})
    assert describe_states(_entry(), fewer) == "no longer reachable: m-1 with state=busy"
    together = _entry(states=12, together=["m-1=busy & n-1=up", "m-1=idle & n-1=up", "m-1=busy & n-1=down"])
    assert describe_states(_entry(), together, {"together": {"m-1=busy & n-1=down": 2}}) == \
        "now together: m-1=busy while n-1=down (2 states)"


def test_transitions_no_longer_and_now_reachable() -> None:
    new = _entry(fired={"M.go: idle -> busy [S_OK] (R-1)": 4, "M.halt: busy -> idle [S_OK] (R-3)": 4})
    messages = _messages(_entry(), new)
    assert messages["transition M.stop: busy -> idle [S_OK] (R-2)"] == \
        "transition M.stop from busy (to idle, S_OK; R-2) no longer reachable (fired 4 times)"
    assert messages["transition M.halt: busy -> idle [S_OK] (R-3)"] == \
        "transition M.halt from busy (to idle, S_OK; R-3) now reachable (fires 4 times)"


def test_fingerprint_only_when_nothing_else_differs() -> None:
    assert _messages(_entry(), _entry(fingerprint="b" * 32)) == {
        "fingerprint": "the graph changed though its counts, facts and transitions did not "
                       "(fingerprint aaaaaaaaaaaa -> bbbbbbbbbbbb)"}
    assert "fingerprint" not in _messages(_entry(), _entry(fingerprint="b" * 32, depth=4))


def test_configurations_added_and_dropped() -> None:
    found = {(d.config, d.message) for d in compare({"configs": {"old": _entry()}}, {"new": _entry()})}
    assert found == {("old", "configuration old is in the baseline but was not checked"),
                     ("new", "configuration new is not in the baseline")}


def test_validate() -> None:
    assert validate({"schema_version": 1, "configs": {}, "allow": []}, "f") is None
    assert "schema_version" in validate({"configs": {}}, "f")
    assert "allow[0]" in validate({"schema_version": 1, "configs": {}, "allow": [{"key": "x"}]}, "f")
