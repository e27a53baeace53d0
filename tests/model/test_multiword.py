"""States wider than one 64-bit word (``VssSpace.words`` > 1, ``model/words.py``) against the
oracles: the generic explorer (the same states in the same order, parents, every edge and its
label), the same configuration packed in one word (the ``word_bits`` knob splits a state that
fits one word into several: the strongest cheap check), the networkx deciders (the same
verdicts and counterexamples from the packed deciders), and every engine (symmetry, processes,
hash compaction, checkpoint and resume) on a space of several words."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from shadowspec.checks.catalogue import PROPERTIES, WITNESSES
from shadowspec.checks.decide import Graph, decide
from shadowspec.checks.run import explore_config, run_check
from shadowspec.model import packed_system
from shadowspec.model.config import ConfigError, shipped
from shadowspec.model.engines import EngineOptions, explore_with
from shadowspec.model.explorer import explore
from shadowspec.model.hashset import HashSet
from shadowspec.model.packed_explore import explore_vss, from_packed
from shadowspec.model.packed_symmetry import SymmetricSpace
from shadowspec.model.packed_system import VssSpace, vss_space
from shadowspec.model.system import System
from shadowspec.model.words import RowIndex, first_rows, lex_min


def _values(system: System, state: tuple[int, ...]) -> tuple:
    """A state as its components' local values (interned ids differ between systems)."""
    return tuple(m.locals[c] for m, c in zip(system.machines, state))


def _same_graph(x, system: System, y, other: System) -> None:
    assert [_values(system, s) for s in x.states] == [_values(other, s) for s in y.states]
    assert list(x.parent) == list(y.parent)
    assert list(x.sources) == list(y.sources) and list(x.targets) == list(y.targets)
    assert [x.labels[i] for i in x.edge_labels] == [y.labels[i] for i in y.edge_labels]
    assert [x.labels[i] for i in x.via if i >= 0] == [y.labels[i] for i in y.via if i >= 0]


def _two_of_each():
    return shipped()["default"].with_overrides(requesters=2, nodes=2, volumes=2, writers=1, name="two-of-each")


# -- the words themselves ------------------------------------------------------------------------

def test_rows_hashset_and_index_agree_with_python_sets() -> None:
    rng = np.random.default_rng(7)
    rows = rng.integers(0, 50, size=(3000, 3), dtype=np.uint64)  # many repeats
    distinct = {tuple(r) for r in rows.tolist()}
    found, first = first_rows(rows, np.arange(len(rows), dtype=np.int64))
    assert {tuple(r) for r in found.tolist()} == distinct and len(found) == len(distinct)
    firsts = {}
    for i, r in enumerate(rows.tolist()):
        firsts.setdefault(tuple(r), i)
    assert all(firsts[tuple(r)] == p for r, p in zip(found.tolist(), first.tolist()))
    table = HashSet(bits=4, words=3).rebuilt(0, [found[:500]])
    assert table.contains(found).tolist() == [i < 500 for i in range(len(found))]
    index = RowIndex(found)
    assert index.lookup(found).tolist() == list(range(len(found)))
    assert (index.lookup(found[:10] + np.uint64(1000)) == -1).all()


def test_first_rows_survives_a_hash_collision(monkeypatch) -> None:
    """Every row hashed alike: the rows themselves must still be told apart."""
    from shadowspec.model import words

    monkeypatch.setattr(words, "row_hash", lambda rows: np.zeros(len(rows), np.uint64))
    rows = np.array([[1, 2], [3, 4], [1, 2], [5, 6], [3, 4]], dtype=np.uint64)
    found, first = words.first_rows(rows, np.arange(5, dtype=np.int64))
    assert sorted(zip(map(tuple, found.tolist()), first.tolist())) == [((1, 2), 0), ((3, 4), 1), ((5, 6), 3)]
    index = words.RowIndex(found)
    assert [tuple(found[i]) for i in index.lookup(rows).tolist()] == [tuple(r) for r in rows.tolist()]


def test_lex_min_reads_the_last_word_as_most_significant() -> None:
    a = np.array([[5, 1], [0, 2], [7, 3]], dtype=np.uint64)
    b = np.array([[0, 2], [9, 1], [7, 3]], dtype=np.uint64)
    assert lex_min(a, b).tolist() == [[5, 1], [9, 1], [7, 3]]


# -- the packed space against the oracles --------------------------------------------------------

@pytest.mark.parametrize("name,word_bits", [("cluster-2008r2", 12), ("volume-limit", 8), ("csv-modes", 6)])
def test_forced_words_give_the_graph_of_one_word_and_of_the_generic_explorer(name: str, word_bits: int) -> None:
    config = shipped()[name]
    one = VssSpace(config, encoding="learnt")
    many = VssSpace(config, encoding="learnt", word_bits=word_bits)
    x1, xw = explore_vss(one), explore_vss(many)
    assert one.words == 1 and many.words >= 2
    _same_graph(xw, many.system, x1, one.system)
    system = System(config)
    _same_graph(xw, many.system, explore([system.initial], system.successors), system)


def test_the_learnt_encoding_grows_from_one_word_to_two_mid_search() -> None:
    space = VssSpace(shipped()["cluster-2008r2"], encoding="learnt", word_bits=14)
    assert space.words == 1  # room for two codes per component: it starts in one word
    found = explore_vss(space)
    assert found.widenings > 0 and space.words >= 2
    system = System(shipped()["cluster-2008r2"])
    _same_graph(found, space.system, explore([system.initial], system.successors), system)


def test_two_of_each_takes_two_words_and_matches_the_generic_explorer() -> None:
    config = _two_of_each()
    space = VssSpace(config, encoding="learnt")
    found = explore_vss(space, max_depth=6)
    assert space.words == 2
    system = System(config)
    _same_graph(found, space.system, explore([system.initial], system.successors, max_depth=6), system)


def test_two_of_each_under_a_state_bound_keeps_the_generic_explorers_states() -> None:
    config = _two_of_each()
    space = VssSpace(config, encoding="learnt")
    found = explore_vss(space, max_states=3000)
    system = System(config)
    oracle = explore([system.initial], system.successors, max_states=3000)
    assert not found.complete and space.words == 2
    assert [_values(space.system, s) for s in found.states] == [_values(system, s) for s in oracle.states]
    assert list(found.parent) == list(oracle.parent)


@pytest.mark.slow
def test_two_requesters_declared_takes_two_words_and_matches_the_generic_explorer() -> None:
    config = shipped()["two-requesters"]
    space = VssSpace(config)  # declared: 71 bits
    found = explore_vss(space)
    assert space.words == 2
    system = System(config)
    _same_graph(found, space.system, explore([system.initial], system.successors), system)


def test_packed_deciders_match_networkx_on_a_two_word_exploration(monkeypatch) -> None:
    monkeypatch.setattr(packed_system, "WORD_BITS", 12)
    system, exploration, figures = explore_config(shipped()["cluster-2008r2"])
    assert figures["words"] >= 2
    fast, reference = Graph(system, exploration), Graph(system, exploration, reference=True)
    for prop in PROPERTIES + WITNESSES:
        mine, theirs = decide(prop, fast), decide(prop, reference)
        assert (mine.verdict, mine.trace, mine.cycle, mine.applied, mine.reason) == \
            (theirs.verdict, theirs.trace, theirs.cycle, theirs.applied, theirs.reason), prop.id


def test_the_check_reports_of_two_words_and_one_are_the_same_but_for_the_explorer_line(monkeypatch) -> None:
    from shadowspec.reports.check_text import render

    config = shipped()["cluster-2008r2"]
    plain = run_check(config).as_dict(with_timings=False)
    monkeypatch.setattr(packed_system, "WORD_BITS", 12)
    split = run_check(config).as_dict(with_timings=False)
    explorer = split["exploration"].pop("explorer")
    assert explorer["name"] == "packed" and explorer["words"] >= 2
    assert split == plain and "explorer" not in plain["exploration"]
    assert f"explorer: packed, {explorer['words']} words a state" in render(run_check(config).as_dict())


# -- the engines on a space of several words -----------------------------------------------------

def test_symmetry_on_words_gives_the_representatives_of_one_word() -> None:
    config = shipped()["volume-limit"]
    one, many = SymmetricSpace(VssSpace(config, encoding="learnt")), \
        SymmetricSpace(VssSpace(config, encoding="learnt", word_bits=8))
    q1, qw = explore_vss(one), explore_vss(many)
    assert many.inner.words >= 2
    _same_graph(qw, many.inner.system, q1, one.inner.system)
    reps = np.array([many.inner.pack(s) for s in qw.states], dtype=np.uint64)
    symmetry = many.symmetry
    assert np.array_equal(symmetry.canonical(reps), reps)
    full = explore_vss(VssSpace(config, encoding="learnt"))
    assert int(symmetry.orbit_sizes(reps).sum()) == len(full.states) == len(symmetry.orbit(reps))


def test_symmetry_in_the_check_on_words_keeps_verdicts(monkeypatch) -> None:
    config = shipped()["volume-limit"]
    plain = run_check(config, symmetry=True).as_dict(with_timings=False)
    monkeypatch.setattr(packed_system, "WORD_BITS", 8)
    split = run_check(config, symmetry=True).as_dict(with_timings=False)
    assert split["exploration"].pop("explorer")["words"] >= 2
    assert split == plain


def _engine_figures(found):
    return found.count, found.transitions, found.max_depth, found.complete


@pytest.mark.parametrize("options", [EngineOptions(workers=2), EngineOptions(backend="local", time_limit=1000),
                                     pytest.param(EngineOptions(backend="ray", workers=2), marks=pytest.mark.slow)])
def test_engines_on_words_count_and_store_what_one_word_does(options: EngineOptions) -> None:
    config = shipped()["cluster-2008r2"]
    closed = VssSpace(config).closed()  # the workers take the coordinator's codes, not a closure each
    one = explore_with(partial(vss_space, config, closed))  # one word, one process
    many = explore_with(partial(vss_space, config, closed, 20), options)
    assert np.asarray(many.states).ndim == 2 and np.asarray(one.states).ndim == 1
    assert _engine_figures(many) == _engine_figures(one)
    space1, spacew = VssSpace(config), VssSpace(config, word_bits=20)
    # the same states; a level's order follows each process's label ids, so compare the graphs
    # from_packed rebuilds in discovery order
    assert sorted(spacew.unpack(r) for r in many.states) == sorted(space1.unpack(s) for s in one.states)
    _same_graph(from_packed(spacew, many), spacew.system, from_packed(space1, one), space1.system)


def test_hash_compaction_on_words_hashes_every_word() -> None:
    from shadowspec.model.fingerprint import path_states

    config = shipped()["cluster-2008r2"]
    one = explore_with(partial(vss_space, config))
    space = VssSpace(config, word_bits=20)  # one space: the replay needs its action ids
    found = explore_with(lambda: space, EngineOptions(fingerprint_bits=64))
    assert _engine_figures(found)[:3] == _engine_figures(one)[:3]
    odds = found.extra["hash_compaction"]["omission_probability"]
    assert 0 < odds["birthday"] < 1e-9  # 64 bits of W words: not a bijection, and said so
    exact = explore_with(lambda: space)
    last = found.count - 1
    states = path_states(space, found, last)  # the counterexample rebuilt from fingerprints alone
    assert states.shape == (len(found.path(last)), 3)
    assert np.array_equal(states, exact.states[exact.path(last)])


def test_checkpoint_and_resume_on_words(tmp_path: Path) -> None:
    config = shipped()["cluster-2008r2"]
    factory = partial(vss_space, config, None, 20)
    whole = explore_with(factory)
    saved = str(tmp_path / "words.checkpoint")
    first = explore_with(factory, EngineOptions(checkpoint=saved, time_limit=0))
    assert not first.complete and Path(saved).exists()
    with np.load(saved, allow_pickle=False) as data:
        assert json.loads(str(data["meta"]))["words"] == 3 and data["frontier"].shape[1] == 3
    resumed = explore_with(factory, EngineOptions(resume=saved))
    assert _engine_figures(resumed) == _engine_figures(whole)
    # each space numbers its actions as it meets them: compare states, and the graphs rebuilt
    space = VssSpace(config, word_bits=20)
    assert sorted(map(space.unpack, resumed.states)) == sorted(map(space.unpack, whole.states))
    other = VssSpace(config, word_bits=20)
    _same_graph(from_packed(space, resumed), space.system, from_packed(other, whole), other.system)


def _rewrite(saved: str, target: str, change) -> None:
    """A checkpoint edited by ``change(meta, arrays)``, with a valid checksum (so only the
    checks after the checksum can refuse it)."""
    from shadowspec.model.checkpoint import checksum

    with np.load(saved, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    arrays.pop("checksum")
    change(meta, arrays)
    text = json.dumps(meta, sort_keys=True)
    with open(target, "wb") as stream:
        np.savez(stream, meta=np.array(text), checksum=np.array(checksum(text, arrays)), **arrays)


def test_a_checkpoint_of_other_words_or_cut_rows_is_refused_in_one_line(tmp_path: Path) -> None:
    config = shipped()["cluster-2008r2"]
    saved = str(tmp_path / "words.checkpoint")
    explore_with(partial(vss_space, config, None, 20), EngineOptions(checkpoint=saved, time_limit=0))
    cases = {
        "other-words": (lambda m, a: m.update(words=2), "words"),
        "one-word": (lambda m, a: m.pop("words"), "words"),
        "cut-rows": (lambda m, a: a.update(frontier=a["frontier"][:, :2].copy()), "3-word rows"),
        "flat": (lambda m, a: a.update(initial=a["initial"].reshape(-1)), "3-word rows"),
        "bad-words": (lambda m, a: m.update(words="three"), "documented fields"),
    }
    for name, (change, words) in cases.items():
        edited = str(tmp_path / name)
        _rewrite(saved, edited, change)
        with pytest.raises(ConfigError) as refused:
            explore_with(partial(vss_space, config, None, 20), EngineOptions(resume=edited))
        assert "\n" not in str(refused.value) and words in str(refused.value), name
    # a one-word run resuming a file of three-word states
    with pytest.raises(ConfigError, match="saved with 3 words a state, but this run's states take 1"):
        explore_with(partial(vss_space, config), EngineOptions(resume=saved))


def test_the_check_resumes_a_two_word_checkpoint_from_the_cli(tmp_path: Path, capsys) -> None:
    from shadowspec.cli import main

    saved = str(tmp_path / "two.checkpoint")
    check = ["check", "--config", "two-requesters", "--format", "json", "--no-timings", "--max-depth", "5"]
    assert main([*check, "--checkpoint", saved, "--time-limit", "0"]) == 1
    capsys.readouterr()
    assert main([*check, "--resume", saved]) == 1  # the depth bound: incomplete, never "holds"
    resumed = json.loads(capsys.readouterr().out)
    assert resumed["exploration"]["explorer"] == {"name": "packed", "words": 2}
    assert main(check) == 1
    plain = json.loads(capsys.readouterr().out)
    assert resumed["exploration"]["states"] == plain["exploration"]["states"]
    assert [p["verdict"] for p in resumed["properties"]] == [p["verdict"] for p in plain["properties"]]
    Path(saved).write_bytes(Path(saved).read_bytes()[:200])
    assert main([*check, "--resume", saved]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
