"""What a logged call means to the specification: which system action, with which arguments.

The names of the modelled calls are read from the declared machines (``API_NAMES``); what is
written here is only the bridge between the two vocabularies: the log's documented parameter
names (``bSelectComponents``, ``DelayTimerInSecs``, ``pwszVolumeName``...) and the machines'
abstract event arguments (``select_components``, ``delay_secs`` as 0 or non-zero, a volume
index). Arguments a log does not show are left free: the result decides between them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Callable

from shadowspec.model.system import OPERATIONS
from shadowspec.spec.async_operation import AsyncOperation
from shadowspec.spec.cluster_node import SharedVolumeBackupState
from shadowspec.spec.csv_volume import CsvVolume
from shadowspec.spec.requester import CONTEXT_VALUES, MODIFIERS, RequesterSession, decode_context
from shadowspec.spec.vocabulary import ENVIRONMENT_PREFIX

CONTROL = "ClusterResourceControl"
RELEASE = RequesterSession.API_NAMES["release"]
REQUESTER_CALLS = frozenset(RequesterSession.API_NAMES.values()) | frozenset(AsyncOperation.API_NAMES.values())
CONTROLS = {name: event for event, name in CsvVolume.API_NAMES.items() if not event.startswith(ENVIRONMENT_PREFIX)}
NODE_CALLS = frozenset({CONTROL} | {name for event, name in SharedVolumeBackupState.API_NAMES.items()
                                    if not event.startswith(ENVIRONMENT_PREFIX)})
ASYNC_METHODS = {RequesterSession.API_NAMES[op]: op for op in OPERATIONS}

READ_ONLY = frozenset({
    "IVssBackupComponents::IsVolumeSupported", "IVssBackupComponents::GetSnapshotProperties",
    "IVssBackupComponents::Query", "IVssBackupComponents::GetWriterMetadataCount",
    "IVssBackupComponents::GetWriterStatusCount", "IVssBackupComponents::GetWriterComponentsCount",
    "IVssBackupComponents::GetWriterComponents", "IVssBackupComponents::IsVolumeSnapshotted",
    "IVssBackupComponents::SaveAsXML", "IVssBackupComponents::GetSessionId",
    "IVssBackupComponents::QueryRevertStatus", "IVssExamineWriterMetadata::GetIdentity",
    "IVssExamineWriterMetadata::GetFileCounts", "IVssExamineWriterMetadata::GetComponent",
    "ClusterIsPathOnSharedVolume", "ClusterGetVolumeNameForVolumeMountPoint",
    "ClusterGetVolumePathName", "GetVolumeNameForVolumeMountPoint", "GetVolumePathName",
    "OpenCluster", "CloseCluster", "OpenClusterResource", "CloseClusterResource",
    "IVssBackupComponents::EnableWriterClasses", "IVssBackupComponents::DisableWriterClasses",
    "IVssBackupComponents::DisableWriterInstances",
})
"""Documented calls that change no modelled state (trace-format.md): accepted anywhere. The writer
filters (Enable/DisableWriterClasses, DisableWriterInstances) choose which writers take part; the
model's writers are not chosen by class, and rules.md gives those calls no order rule."""

READ_ONLY_CONTROLS_PREFIX = "CLUSCTL_RESOURCE_GET_"
CONTEXT_NAMES = {
    "VSS_CTX_BACKUP": 0x0, "VSS_CTX_FILE_SHARE_BACKUP": 0x10, "VSS_CTX_NAS_ROLLBACK": 0x19,
    "VSS_CTX_APP_ROLLBACK": 0x9, "VSS_CTX_CLIENT_ACCESSIBLE": 0x1D, "VSS_CTX_CLIENT_ACCESSIBLE_WRITERS": 0xD,
    "VSS_CTX_ALL": 0xFFFFFFFF,
    **{f"VSS_VOLSNAP_ATTR_{name}": bit for bit, name in MODIFIERS.items()},
}
"""REQ-07: the documented names of lContext's context values and modifier bits (the numbers are
the spec's, ``CONTEXT_VALUES`` and ``MODIFIERS``); a log may give a number, a hex string, a
name, or names joined with ``|``."""
assert set(CONTEXT_NAMES.values()) >= set(CONTEXT_VALUES)
GENERIC_FAILURES = frozenset({"E_OUTOFMEMORY", "VSS_E_UNEXPECTED", "E_UNEXPECTED"})
"""Failures rules.md section 1 documents for nearly every method (resource exhaustion, an
internal error): the model does not say when they happen, so they are accepted and change nothing."""

VOLUME_ARGUMENT = {
    "IVssBackupComponents::AddToSnapshotSet": "pwszVolumeName",
    CONTROL: "VolumeName",
    "ClusterPrepareSharedVolumeForBackup": "lpszFileName",
    "ClusterClearBackupStateForSharedVolume": "lpszVolumePathName",
}
"""The argument naming the volume a modelled call is about."""


class Unusable(ValueError):
    """A modelled call whose arguments cannot be understood (an input error of the log)."""


def context_value(value: Any) -> int | None:
    """The numeric lContext a log gives (None when it cannot be read: the argument stays free)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value & 0xFFFFFFFF if -(1 << 31) <= value < 1 << 32 else None
    if not isinstance(value, str):
        return None
    total = 0
    for part in value.replace("+", "|").split("|"):
        part = part.strip()
        if part in CONTEXT_NAMES:
            total |= CONTEXT_NAMES[part]
            continue
        try:
            total |= int(part, 0) & 0xFFFFFFFF
        except ValueError:
            return None
    return total


COMPONENT_KEY = ("instanceId", "writerId", "wszLogicalPath", "wszComponentName")
"""REQ-11: a component's key (writer instance id, writer class id, logical path, name), under the
documented parameter names of AddComponent and SetBackupSucceeded; the type is not part of it."""


def component_key(args: dict[str, Any]) -> tuple[str, ...] | None:
    """The REQ-11 key of an AddComponent / SetBackupSucceeded line, or None when the log does not
    show all of it (then the abstraction cannot tell a duplicate, and stays free). A NULL and an
    empty logical path are one path (AMB-22's default reading); GUIDs compare case-insensitively."""
    if "wszComponentName" not in args or not ({"instanceId", "writerId"} <= set(args)):
        return None
    parts = []
    for name in COMPONENT_KEY:
        value = args.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            return None
        parts.append(value.strip("{}").casefold() if name in ("instanceId", "writerId") else value)
    return tuple(parts)


def is_success(code: str) -> bool:
    return code in ("S_OK", "ERROR_SUCCESS", "true") or code.startswith(("VSS_S_", "S_"))


def failure_class(code: str | None) -> str | None:
    """IVssAsync codes compared as the model knows them: one representative failure per operation."""
    if code is None or is_success(code) or code == "UNDEFINED":
        return code
    return "failure"


@dataclass(frozen=True)
class ModelCall:
    """A logged call as the system labels it: actor, call, and the values its arguments may take."""

    actor: str
    call: str
    arguments: tuple[tuple[str, frozenset[Any]], ...]
    result: str
    compare: Callable[[str, str], bool] = field(default=lambda model, logged: model == logged, compare=False)
    operation: str | None = None      # IVssAsync lines: the operation (for status checks)
    status: str | None = None
    infinite_wait: bool = False

    def same_call(self, label: Any) -> bool:
        if label.actor != self.actor or label.call != self.call:
            return False
        given = dict(label.arguments)
        return all(name in given and given[name] in values for name, values in self.arguments)

    def result_matches(self, model_result: str) -> bool:
        return model_result == "UNDEFINED" or self.compare(model_result, self.result)


def _bool(entry: Any, name: str) -> bool | None:
    value = entry.args.get(name)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    raise Unusable(f"args.{name} is {value!r}; expected true or false")


def _async_compare(model: str, logged: str) -> bool:
    return failure_class(model) == failure_class(logged)


def _system_error(model: str, logged: str) -> bool:
    if model == "SYSTEM_ERROR":
        return not is_success(logged) and logged != "ERROR_MORE_DATA"
    return model == logged


def classify(call: str, args: dict[str, Any]) -> str:
    """``modelled``, ``read-only`` or ``unknown`` for a call name (and a control code)."""
    if call == CONTROL:
        control = args.get("control")
        if isinstance(control, str) and control in CONTROLS:
            return "modelled"
        if isinstance(control, str) and control.startswith(READ_ONLY_CONTROLS_PREFIX):
            return "read-only"
        return "unknown"
    if call == RELEASE:
        return "modelled" if args.get("interface", "IVssBackupComponents") == "IVssBackupComponents" else "read-only"
    if call in REQUESTER_CALLS or call in NODE_CALLS:
        return "modelled"
    return "read-only" if call in READ_ONLY else "unknown"


KNOWN_NAMES = tuple(sorted(REQUESTER_CALLS | NODE_CALLS | READ_ONLY | set(CONTROLS)))


def did_you_mean(name: str) -> str | None:
    """The known call (or control code) closest to ``name``, if one is close."""
    candidates = {known: known for known in KNOWN_NAMES}
    candidates.update({known.split("::")[-1].casefold(): known for known in KNOWN_NAMES})
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.75) or \
        difflib.get_close_matches(name.split("::")[-1].casefold(), list(candidates), n=1, cutoff=0.75)
    return candidates[close[0]] if close else None


def translate(entry: Any, actor: str, volume: int | None) -> ModelCall:
    """The system action a modelled log entry stands for (``volume``: 1-based index or None)."""
    one = lambda value: frozenset({value})  # noqa: E731 - a short local constructor
    fixed: list[tuple[str, frozenset[Any]]] = []
    call, compare = entry.call, (lambda model, logged: model == logged)
    result = entry.result
    if call == RELEASE:
        if result != "0":
            raise Unusable("IUnknown::Release of IVssBackupComponents with a count other than \"0\" "
                           "is not the end of the object")  # handled by the caller before translate
        result = "S_OK"
    elif call == "IVssBackupComponents::SetContext" and "lContext" in entry.args:
        value = context_value(entry.args["lContext"])
        if value is not None:
            context, provider_modifier = decode_context(value)
            fixed.append(("context", one(context)))
            if provider_modifier:
                fixed.append(("provider_modifier", one(True)))
    elif call == "IVssBackupComponents::SetBackupState":
        select = _bool(entry, "bSelectComponents")
        if select is not None:
            fixed.append(("select_components", one(select)))
    elif call == "IVssBackupComponents::AddToSnapshotSet":
        fixed.append(("volume", one(volume - 1)))
    elif call in AsyncOperation.API_NAMES.values():
        operation = entry.args.get("operation")
        if not isinstance(operation, str) or operation not in ASYNC_METHODS:
            raise Unusable(f"args.operation is {operation!r}; expected the method that returned the "
                           f"IVssAsync: {', '.join(ASYNC_METHODS)}")
        fixed.append(("operation", one(operation)))
        waits = entry.args.get("dwMilliseconds")
        return ModelCall(actor, call, tuple(fixed), result, _async_compare, ASYNC_METHODS[operation],
                         entry.status, call == "IVssAsync::Wait" and waits in ("INFINITE", 0xFFFFFFFF))
    elif call == CONTROL:
        control = entry.args["control"]
        fixed += [("control", one(control)), ("VolumeName", one(f"volume-{volume}"))]
        event = CONTROLS[control]
        if event == "set_backup_mode":
            for name in ("BackupState", "DelayTimerInSecs"):
                if name not in entry.args:
                    raise Unusable(f"args.{name} is missing; {control} carries BackupState and DelayTimerInSecs")
            state, delay = entry.args["BackupState"], entry.args["DelayTimerInSecs"]
            if state not in CsvVolume.ARGUMENTS["set_backup_mode"]["backup_state"]:
                raise Unusable(f"args.BackupState is {state!r}; expected VolumeBackupInProgress or VolumeBackupNone")
            if not isinstance(delay, int) or isinstance(delay, bool) or not 0 <= delay < 1 << 32:
                raise Unusable(f"args.DelayTimerInSecs is {delay!r}; expected a number of seconds (0 to 2^32-1)")
            fixed += [("BackupState", one(state)), ("DelayTimerInSecs", one(min(delay, 1)))]
        elif event == "set_maintenance_mode":
            on = _bool(entry, "InMaintenance")
            if on is not None:
                fixed.append(("InMaintenance", one(on)))
    elif call == "ClusterPrepareSharedVolumeForBackup":
        fixed.append(("lpszFileName", frozenset({f"volume-{volume}", "C:\\"})))
        compare = _system_error
    elif call == "ClusterClearBackupStateForSharedVolume":
        fixed.append(("lpszVolumePathName", frozenset({f"volume-{volume}", "C:\\"})))
    return ModelCall(actor, call, tuple(fixed), result, compare)

