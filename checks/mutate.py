"""``shadowspec mutate``: does some property notice each planted mistake of the specification?

Why: the regression gate notices that *something* changed; only a property says which documented
rule a change breaks. For every mutant of ``model/mutation.py`` this module runs the normal check
of each shipped configuration (``checks.run.measure``: the same exploration and deciders as
``shadowspec check``, so a faster engine there makes this faster) and records:

* **killed**: some configuration's verdicts are no longer all as expected (the properties that
  changed are named), or the search of the mutant could not finish (``ENGINE``: a declared event
  missing where the composition fires it; reported apart, since no property decided it);
* **equivalent**: the mutant's graph has the fingerprint of the original in every configuration
  (``checks.fingerprint``), or it changes a step no configuration takes: no property could tell;
* **survived**: the graph changed somewhere but every verdict stayed as expected.

Two facts keep it affordable. A mutant changes only the steps of its (machine, state, event)
groups, so a configuration whose exploration of the original never took such a step explores
the same graph with the mutant: it is skipped, soundly. And a mutant is killed by its first
configuration that kills it (cheapest first), so only survivors are explored everywhere.
Mutants are independent: they run in a process pool.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from shadowspec.model.config import Config, shipped
from shadowspec.model.mutation import (
    OPERATORS,
    MutatedSystem,
    Mutant,
    build_class,
    cross_effect_mutants,
    machine_mutants,
)
from shadowspec.model.system import MACHINES, System

from .fingerprint import fingerprint
from .run import measure

SCHEMA_VERSION = 1
ENGINE = "ENGINE"


@dataclass
class Census:
    """One configuration explored with the original specification."""

    name: str
    passed: bool
    fingerprint: str
    seconds: float
    states: int
    groups: frozenset[tuple[str, str, str]]  # (machine, state, event) steps taken
    effects: dict[int, set[tuple[str, str, tuple[str, ...]]]]  # line -> (machine, event, rules)


def _resolve(names: Iterable[str], configs: dict[str, Config] | None = None) -> dict[str, Config]:
    known = configs if configs is not None else shipped()
    chosen = {}
    for name in names:
        if name not in known:
            raise KeyError(f"no shipped configuration {name!r}; shipped: {', '.join(known)}")
        chosen[name] = known[name]
    return chosen


def census(name: str, config: Config) -> Census:
    """Explore the original in ``config``: its verdicts, fingerprint, the steps it takes and the
    composition's effects that fired (where a mutant can make a difference)."""
    seen: set = set()
    started = time.perf_counter()
    measured = measure(config, build=lambda c, r: MutatedSystem(c, r, seen=seen))
    groups = set()
    for machine in measured.system.compiled.values():
        for local, event, _ in machine._memo:
            groups.add((machine.name, machine.state_of(local), event))
    effects: dict[int, set] = {}
    for line, machine_name, event, rules in seen:
        effects.setdefault(line, set()).add((machine_name, event, rules))
    return Census(name, measured.report.passed, fingerprint(measured.system, measured.exploration),
                  time.perf_counter() - started, len(measured.exploration.states), frozenset(groups),
                  effects)


def relevant(mutant: Mutant, info: Census) -> bool:
    """Whether the original's exploration of ``info`` takes a step the mutant changes."""
    if mutant.operator == "drop-cross-effect":
        return mutant.detail[0] in info.effects
    return any(group in info.groups for group in mutant.groups)


def mutants(censuses: list[Census], operators: tuple[str, ...] = OPERATORS,
            machines: tuple[str, ...] | None = None, exhaustive: bool = False) -> list[Mutant]:
    """Every mutant of the chosen operators and machines (``System``: the composition)."""
    found: list[Mutant] = []
    for cls in MACHINES:
        if machines is None or cls.__name__ in machines:
            found.extend(machine_mutants(cls, operators, exhaustive))
    if "drop-cross-effect" in operators and (machines is None or "System" in machines):
        fired: dict[int, set] = {}
        for info in censuses:
            for line, seen in info.effects.items():
                fired.setdefault(line, set()).update(seen)
        found.extend(cross_effect_mutants(fired))
    return found


def _system_for(mutant: Mutant) -> Callable[[Config, Any], Any]:
    if mutant.operator == "drop-cross-effect":
        return lambda config, replace: MutatedSystem(config, replace, drop=mutant.detail[0])
    return System


def evaluate(mutant: Mutant, plan: list[tuple[str, Config, str]], full: bool = False,
             without: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Check ``mutant`` on the planned configurations ((name, config, original fingerprint),
    cheapest first); stop at the first kill unless ``full``. ``without``: properties whose
    contribution is measured too (the run goes on until some other property kills, so that the
    score without them, ``status_without``, comes from the same pass)."""
    replace = None
    kills: list[dict[str, Any]] = []
    if mutant.operator != "drop-cross-effect":
        role = next(cls for cls in MACHINES if cls.__name__ == mutant.machine)
        try:
            replace = {role: build_class(mutant)}
        except Exception as error:  # python-statemachine refuses the declaration itself
            kills.append({"config": plan[0][0], "properties": [ENGINE],
                          "reason": f"{type(error).__name__}: {str(error)[:200]}"})
            return {"id": mutant.id, "status": "killed", "status_without": "killed", "kills": kills,
                    "changed_in": [], "checked": []}
    build = _system_for(mutant)
    changed: list[str] = []
    checked: list[str] = []
    for name, config, original in plan:
        checked.append(name)
        try:
            measured = measure(config, replace, build=build)
        except Exception as error:  # the mutant broke the composition's expectations
            kills.append({"config": name, "properties": [ENGINE],
                          "reason": f"{type(error).__name__}: {str(error)[:200]}"})
            if not full:
                break
            continue
        report = measured.report
        if not report.passed:
            failed = [p["id"] for p in report.properties if not p["as_expected"]]
            if not report.exploration["complete"]:
                failed.append(ENGINE)
            kills.append({"config": name, "properties": failed})
            changed.append(name)
            if not full and set(failed) - without:
                break
        elif fingerprint(measured.system, measured.exploration) != original:
            changed.append(name)
    status = "killed" if kills else "survived" if changed else "equivalent"
    before = [kill for kill in kills if set(kill["properties"]) - without]
    status_without = "killed" if before else "survived" if changed else "equivalent"
    return {"id": mutant.id, "status": status, "status_without": status_without, "kills": kills,
            "changed_in": [name for name in changed if name not in {k["config"] for k in kills}],
            "checked": checked}


def _work(args: tuple[Mutant, list[tuple[str, Config, str]], bool, frozenset[str]]) -> dict[str, Any]:
    return evaluate(*args)


def _pool_map(function: Callable[[Any], Any], items: list[Any], workers: int,
              progress: Callable[[int, int], None] | None) -> list[Any]:
    results: list[Any] = [None] * len(items)
    if workers <= 1 or len(items) <= 1:
        for i, item in enumerate(items):
            results[i] = function(item)
            if progress:
                progress(i + 1, len(items))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(function, item): i for i, item in enumerate(items)}
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(items))
    return results


def _census_work(args: tuple[str, Config]) -> Census:
    return census(*args)


def run(config_names: Iterable[str], operators: tuple[str, ...] = OPERATORS,
        machines: tuple[str, ...] | None = None, workers: int | None = None, exhaustive: bool = False,
        full: bool = False, sample: int = 0, select: Callable[[Mutant], bool] | None = None,
        without: frozenset[str] = frozenset(),
        configs: dict[str, Config] | None = None,
        progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """The whole mutation run as plain data (see ``summarise`` for the shape)."""
    started = time.perf_counter()
    chosen = _resolve(config_names, configs)
    workers = workers or os.cpu_count() or 1
    stage = (lambda name: (lambda done, total: progress(name, done, total))) if progress else (lambda name: None)
    infos = _pool_map(_census_work, list(chosen.items()), workers, stage("census"))
    infos.sort(key=lambda info: info.seconds)
    found = mutants(infos, operators, machines, exhaustive)
    if select is not None:
        found = [m for m in found if select(m)]
    if sample and sample < len(found):
        found = sample_mutants(found, sample)
    usable = [info for info in infos if info.passed]
    tasks = []
    unreached = []
    for mutant in found:
        plan = [(info.name, chosen[info.name], info.fingerprint) for info in usable if relevant(mutant, info)]
        if plan:
            tasks.append((mutant, plan, full, without))
        else:
            unreached.append(mutant)
    outcomes = _pool_map(_work, tasks, workers, stage("mutants"))
    by_id = {o["id"]: o for o in outcomes}
    for mutant in unreached:
        by_id[mutant.id] = {"id": mutant.id, "status": "equivalent", "status_without": "equivalent",
                            "kills": [], "changed_in": [],
                            "checked": [], "why": "no configuration takes the step it changes"}
    return summarise(found, by_id, infos, operators, time.perf_counter() - started, workers, without)


def sample_mutants(found: list[Mutant], count: int) -> list[Mutant]:
    """A deterministic sample spread over every (machine, operator) stratum: every ``k``-th
    mutant of each stratum, at least one each (so no operator or machine drops out)."""
    strata: dict[tuple[str, str], list[Mutant]] = {}
    for mutant in found:
        strata.setdefault((mutant.machine, mutant.operator), []).append(mutant)
    step = max(1, len(found) // count)
    chosen = []
    for members in strata.values():
        chosen.extend(members[::step] or members[:1])
    keep = {m.id for m in chosen}
    return [m for m in found if m.id in keep]


def _score(killed: int, counted: int) -> float:
    return round(100.0 * killed / counted, 2) if counted else 100.0


def summarise(found: list[Mutant], outcomes: dict[str, dict[str, Any]], infos: list[Census],
              operators: tuple[str, ...], seconds: float, workers: int,
              without: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Plain report data: the kill matrix, scores per machine, operator and rule, and the
    survivors grouped by the rule they leave unprotected."""
    rows = []
    for mutant in found:
        outcome = outcomes[mutant.id]
        row = {"id": mutant.id, "operator": mutant.operator, "machine": mutant.machine,
               "description": mutant.description, "rules": list(mutant.rules),
               "status": outcome["status"], "status_without": outcome["status_without"],
               "kills": outcome["kills"],
               "changed_in": outcome["changed_in"], "checked": outcome["checked"]}
        if mutant.site is not None:
            row["transition"] = {"event": mutant.site.event, "source": mutant.site.source,
                                 "index": mutant.site.index, "target": mutant.target, "result": mutant.result}
        else:
            row["transition"] = {"line": mutant.detail[0]}
        if "why" in outcome:
            row["why"] = outcome["why"]
        rows.append(row)

    def tally(key: Callable[[dict[str, Any]], Iterable[str]]) -> dict[str, dict[str, Any]]:
        table: dict[str, dict[str, Any]] = {}
        for row in rows:
            for name in key(row):
                entry = table.setdefault(name, {"mutants": 0, "killed": 0, "survived": 0, "equivalent": 0,
                                                "killed_without": 0, "survived_without": 0})
                entry["mutants"] += 1
                entry[row["status"]] += 1
                if row["status_without"] in ("killed", "survived"):
                    entry[row["status_without"] + "_without"] += 1
        for entry in table.values():
            entry["score"] = _score(entry["killed"], entry["killed"] + entry["survived"])
            entry["score_without"] = _score(entry["killed_without"],
                                            entry["killed_without"] + entry["survived_without"])
        return dict(sorted(table.items()))

    total = tally(lambda row: ["all"])["all"] if rows else \
        {"mutants": 0, "killed": 0, "survived": 0, "equivalent": 0, "killed_without": 0,
         "survived_without": 0, "score": 100.0, "score_without": 100.0}
    engine = sum(1 for row in rows if row["status"] == "killed"
                 and all(ENGINE in kill["properties"] and len(kill["properties"]) == 1 for kill in row["kills"]))
    survivors: dict[str, list[str]] = {}
    for row in rows:
        if row["status"] == "survived":
            for rule in row["rules"] or ["(no rule cited)"]:
                survivors.setdefault(rule, []).append(row["id"])
    return {
        "schema_version": SCHEMA_VERSION,
        "configs": [{"name": info.name, "states": info.states, "passed": info.passed,
                     "seconds": round(info.seconds, 2)} for info in infos],
        "operators": list(operators),
        "without": sorted(without),
        "workers": workers,
        "seconds": round(seconds, 1),
        "score": {**total, "killed_by_engine_only": engine},
        "machines": tally(lambda row: [row["machine"]]),
        "operator_scores": tally(lambda row: [row["operator"]]),
        "rules": tally(lambda row: row["rules"]),
        "survivors_by_rule": dict(sorted(survivors.items())),
        "mutants": rows,
    }
