"""A bounded configuration: how many of each actor, which OS, which faults, which readings.

A configuration is what turns the declared machines into one finite system. It comes from CLI
flags or a TOML file (``model/configs/*.toml``); every value is validated here, and a bad one is a
``ConfigError`` naming the place, the value and what would be valid.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

OS_VERSIONS = ("2008r2", "2012")
PROTOCOLS = ("2.0", "3.0")
OS_NAMES = {"2008r2": "Windows Server 2008 R2", "2012": "Windows Server 2012 or later"}

ENVIRONMENT_EVENTS = {
    "async_failure": "an asynchronous VSS operation fails (ASY-02)",
    "writer_failure": "a writer handler returns false (WRT-07, WRT-08)",
    "provider_failure": "the provider's commit fails (REQ-31, REQ-46)",
    "freeze_timeout": "a frozen writer's freeze window expires (WRT-04)",
    "timer_expiry": "a CSV's Volume Backup Timer or the 30-minute clear expires (CSV-08, NODE-09)",
    "backup_detection": "the cluster detects a backup on a CSV (CSV-09, AMB-13)",
    "crash": "a requester process dies (REQ-47)",
    "failover": "a node fails and rejoins; the CSV coordinator moves (AMB-12, NODE-12)",
    "redirect_fault": "the server redirects a CSV to handle an error (CSV-14)",
    "offline": "a CSV resource goes offline and online again (CSV-05, AMB-12)",
    "other_programs": "another program on the machine takes and gives back the creation lock (REQ-14)",
}

CALLER_GROUPS = {
    "bad_arguments": "calls with invalid arguments or too-small buffers (E_INVALIDARG, ERROR_MORE_DATA)",
    "async_calls": "IVssAsync Wait and QueryStatus",
    "cancel": "IVssAsync Cancel",
    "status_calls": "GatherWriterStatus, GetWriterStatus, FreeWriterStatus",
    "metadata_calls": "GetWriterMetadata, FreeWriterMetadata, AddComponent, SetBackupSucceeded",
    "context_calls": "SetContext",
    "all_contexts": "SetContext with every context of REQ-07 (persistent, no-writer, VSS_CTX_ALL)",
    "delete_snapshots": "DeleteSnapshots",
    "backup_mode": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE",
    "directio": "CLUSCTL_RESOURCE_ENABLE/DISABLE_SHARED_VOLUME_DIRECTIO",
    "maintenance": "CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE",
    "resapi": "ClusterPrepareSharedVolumeForBackup, ClusterClearBackupStateForSharedVolume",
}

READINGS = {
    "AMB-02": (("lenient", "strict"), "AddComponent after StartSnapshotSet: allowed (lenient) or not"),
    "AMB-10": (("reject", "accept"), "DelayTimerInSecs not matching BackupState: rejected or accepted"),
    "AMB-11": (("supported", "unsupported"), "SET_CSV_MAINTENANCE_MODE supported by the server"),
    "AMB-12": (("either", "keep", "clear"), "backup mode when a CSV goes offline or its coordinator moves"),
    "AMB-15": (("release_or_complete", "release", "complete"), "what completes the backup job for NODE-08"),
}
"""Each ambiguity the machines touch: its readings (the first is the catalogue's suggestion)."""


class ConfigError(ValueError):
    """A configuration value that is not valid; the message names it and what would be."""


@dataclass(frozen=True)
class MachineParams:
    """What the declared machines read from the configuration (constant during a run)."""

    os: str
    protocol: str
    is_csv: bool
    max_volumes_per_set: int
    readings_items: tuple[tuple[str, str], ...]

    @property
    def readings(self) -> dict[str, str]:
        return dict(self.readings_items)


@dataclass(frozen=True)
class Config:
    """One bounded system to explore."""

    name: str = "default"
    requesters: int = 1
    nodes: int = 1
    volumes: int = 1
    writers: int = 1
    os: str = "2008r2"
    protocol: str = "3.0"
    max_volumes_per_set: int = 64
    environment: tuple[str, ...] = tuple(ENVIRONMENT_EVENTS)
    callers: tuple[str, ...] = tuple(CALLER_GROUPS)
    readings: tuple[tuple[str, str], ...] = tuple((k, v[0][0]) for k, v in READINGS.items())
    max_states: int | None = None
    max_depth: int | None = None
    description: str = ""
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        where = self.source or "configuration"
        merged = {k: v[0][0] for k, v in READINGS.items()}
        merged.update(dict(self.readings))
        object.__setattr__(self, "readings", tuple(sorted(merged.items())))
        for key, low, high in (("requesters", 0, 4), ("nodes", 1, 4), ("volumes", 0, 4),
                               ("writers", 0, 3), ("max_volumes_per_set", 1, 64)):
            value = getattr(self, key)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ConfigError(f"{where}: {key} = {value!r}; expected a whole number from {low} to {high}")
        if self.os not in OS_VERSIONS:
            raise ConfigError(f"{where}: os = {self.os!r}; expected one of {', '.join(OS_VERSIONS)}")
        if self.protocol not in PROTOCOLS:
            raise ConfigError(f"{where}: protocol = {self.protocol!r}; expected one of {', '.join(PROTOCOLS)}")
        for key, known in (("environment", ENVIRONMENT_EVENTS), ("callers", CALLER_GROUPS)):
            for item in getattr(self, key):
                if item not in known:
                    raise ConfigError(f"{where}: {key} has {item!r}; expected some of {', '.join(known)}")
        for amb, reading in self.readings:
            if amb not in READINGS:
                raise ConfigError(f"{where}: reading for {amb!r}; readings exist for {', '.join(READINGS)}")
            if reading not in READINGS[amb][0]:
                raise ConfigError(f"{where}: {amb} = {reading!r}; expected one of {', '.join(READINGS[amb][0])}")
        for key in ("max_states", "max_depth"):
            value = getattr(self, key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                raise ConfigError(f"{where}: {key} = {value!r}; expected a positive whole number")

    # -- derived --------------------------------------------------------------------------
    def reading(self, amb: str) -> str:
        return dict(self.readings)[amb]

    def params(self) -> MachineParams:
        return MachineParams(self.os, self.protocol, True, self.max_volumes_per_set, self.readings)

    def node_of(self, requester: int) -> int:
        """requester-N runs on node-N, wrapping round the nodes (trace-format.md)."""
        return (requester - 1) % self.nodes + 1

    def has(self, name: str) -> bool:
        return name in self.environment or name in self.callers

    def with_overrides(self, **overrides: Any) -> "Config":
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "readings" in clean:
            merged = dict(self.readings)
            merged.update(dict(clean["readings"]))
            clean["readings"] = tuple(sorted(merged.items()))
        return replace(self, **clean)

    def summary(self) -> str:
        """The configuration actually explored, in one line, from its values (never from the
        ``description`` prose, which names the shipped values and goes stale under overrides)."""
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}" if n else f"no {many}"

        parts = [", ".join((count(self.requesters, "requester", "requesters"), count(self.nodes, "node", "nodes"),
                            count(self.volumes, "CSV", "CSVs"), count(self.writers, "writer", "writers"))),
                 OS_NAMES[self.os], f"protocol {self.protocol}"]
        if self.max_volumes_per_set != Config.max_volumes_per_set:
            parts.append(f"max_volumes_per_set = {self.max_volumes_per_set}")
        suggested = {amb: choices[0] for amb, (choices, _) in READINGS.items()}
        chosen = [f"{amb}={reading}" for amb, reading in self.readings if suggested.get(amb) != reading]
        parts.append("readings: " + (", ".join(chosen) + " (others as suggested)" if chosen
                                     else "as suggested"))
        for key in ("max_states", "max_depth"):
            if getattr(self, key) is not None:
                parts.append(f"{key} = {getattr(self, key):,}")
        return "; ".join(parts)

    def describe(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source")
        data["summary"] = self.summary()
        data["environment"] = list(self.environment)
        data["callers"] = list(self.callers)
        data["readings"] = dict(self.readings)
        return data


_FIELDS = {f.name for f in fields(Config)} - {"source"}


def _whole(low: int, high: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": low, "description": f"a whole number from {low}"
                              + (f" to {high}" if high is not None else " up")}
    if high is not None:
        schema["maximum"] = high
    return schema


_TEXT = {"type": "string", "maxLength": 2000, "pattern": "^[^\\x00-\\x08\\x0b-\\x1f\\x7f]*(?![\\s\\S])",
         "description": "text without control characters (up to 2,000 characters)"}
CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {**_TEXT, "maxLength": 100, "minLength": 1},
        "description": _TEXT,
        "requesters": _whole(0, 4), "nodes": _whole(1, 4), "volumes": _whole(0, 4), "writers": _whole(0, 3),
        "max_volumes_per_set": _whole(1, 64),
        "max_states": {**_whole(1), "type": ["integer", "null"]}, "max_depth": {**_whole(1), "type": ["integer", "null"]},
        "os": {"enum": list(OS_VERSIONS), "description": f"one of {', '.join(OS_VERSIONS)}"},
        "protocol": {"enum": list(PROTOCOLS), "description": f"one of {', '.join(PROTOCOLS)}"},
        "environment": {"type": "array", "items": {"enum": list(ENVIRONMENT_EVENTS)}, "maxItems": 100,
                        "description": f"a list of names from {', '.join(ENVIRONMENT_EVENTS)}"},
        "callers": {"type": "array", "items": {"enum": list(CALLER_GROUPS)}, "maxItems": 100,
                    "description": f"a list of names from {', '.join(CALLER_GROUPS)}"},
        "readings": {"type": "object", "properties": {amb: {"enum": list(choices)} for amb, (choices, _) in READINGS.items()},
                     "additionalProperties": False,
                     "description": "a table of AMB-NN = reading, such as {\"AMB-10\" = \"reject\"}; readings: "
                                    + "; ".join(f"{amb}: {'|'.join(c)}" for amb, (c, _) in READINGS.items())},
    },
}
"""What a configuration file may say, field by field (``from_mapping`` checks it first)."""


def _schema_problem(data: dict[str, Any]) -> str | None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(CONFIG_SCHEMA)
    if validator.is_valid(data):
        return None
    error = min(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    key = str(error.path[0]) if error.path else "?"
    where = key + "".join(f"[{p!r}]" for p in list(error.path)[1:])
    shown = repr(error.instance)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{where} = {shown}; expected {CONFIG_SCHEMA['properties'].get(key, {}).get('description', 'a valid value')}"


def from_mapping(data: dict[str, Any], source: str) -> Config:
    """A Config from a parsed TOML table, with errors that name ``source``: the table is checked
    against ``CONFIG_SCHEMA`` (types, ranges, names) before anything uses it."""
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r}; valid keys are {', '.join(sorted(_FIELDS))}")
    problem = _schema_problem(data)
    if problem:
        raise ConfigError(f"{source}: {problem}")
    values = dict(data)
    for key in ("environment", "callers"):
        if key in values:
            if not isinstance(values[key], list):
                raise ConfigError(f"{source}: {key} must be a list of names")
            values[key] = tuple(values[key])
    if "readings" in values:
        if not isinstance(values["readings"], dict):
            raise ConfigError(f"{source}: readings must be a table such as {{\"AMB-10\" = \"reject\"}}")
        merged = dict(Config().readings)
        merged.update(values["readings"])
        values["readings"] = tuple(sorted(merged.items()))
    return Config(source=source, **values)


def load(path: str | Path) -> Config:
    """Read a configuration file; a missing or malformed file is a ConfigError."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ConfigError(f"{path}: is a folder; expected a TOML configuration file")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read configuration ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 TOML file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    except (RecursionError, ValueError) as error:  # nesting or numbers no configuration has
        raise ConfigError(f"{path}: not a usable TOML file ({type(error).__name__})") from None
    return from_mapping(data, str(path))


def shipped() -> dict[str, Config]:
    """The named configurations shipped in ``model/configs``, by name."""
    found = {}
    for entry in sorted(resources.files("shadowspec.model").joinpath("configs").iterdir(),
                        key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            found[entry.name[:-5]] = from_mapping(data, f"model/configs/{entry.name}")
    return found
