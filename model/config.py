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

    def describe(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source")
        data["environment"] = list(self.environment)
        data["callers"] = list(self.callers)
        data["readings"] = dict(self.readings)
        return data


_FIELDS = {f.name for f in fields(Config)} - {"source"}


def from_mapping(data: dict[str, Any], source: str) -> Config:
    """A Config from a parsed TOML table, with errors that name ``source``."""
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r}; valid keys are {', '.join(sorted(_FIELDS))}")
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
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read configuration ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 TOML file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
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
