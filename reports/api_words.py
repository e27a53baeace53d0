"""A counterexample step in the API's own words, for a person reading a report.

The check JSON keeps each step as the model explores it: the call's name and the model's
arguments (``volume=0``, ``csv_contended=false``, ``privileged=true``). A reader knows the
documented calls instead: ``AddToSnapshotSet(pwszVolumeName="volume-1")``,
``ClusterResourceControl(hResource="volume-1", dwControlCode=CLUSCTL_..., BackupState=...)``, and
steps nobody calls are events ("the VSS service completes DoSnapshotSet", "requester-1's process
exits"). This module turns a step into (what happened, in documented terms; the model's own
arguments that have no documented parameter, for a details line). The JSON is unchanged.

Pure data and string functions: ``reports`` import nothing of the model (tests/test_layering.py).
"""

from __future__ import annotations

from typing import Any, Callable

Args = dict[str, Any]


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _quoted(value: Any) -> str:
    return f'"{value}"'


def _volume_index(value: Any) -> str:
    """The model numbers a session's volumes from 0; the reports name them volume-1, ..."""
    return _quoted(f"volume-{value + 1}") if isinstance(value, int) else _quoted(value)


# call -> ((model argument, documented parameter, how to show the value), ...). Arguments not
# listed go to the details line.
PARAMETERS: dict[str, tuple[tuple[str, str, Callable[[Any], str]], ...]] = {
    "IVssBackupComponents::AddToSnapshotSet": (("volume", "pwszVolumeName", _volume_index),),
    "IVssBackupComponents::SetBackupState": (("select_components", "bSelectComponents", _show),),
    "IVssBackupComponents::SetContext": (("context", "lContext", str),),
    "ClusterPrepareSharedVolumeForBackup": (("lpszFileName", "lpszFileName", _quoted),),
    "ClusterClearBackupStateForSharedVolume": (("lpszVolumePathName", "lpszVolumePathName", _quoted),),
}
CONTROL = "ClusterResourceControl"
DELAY = {0: "0", 1: "non-zero"}
"""The model keeps DelayTimerInSecs as zero or non-zero (the length matters only to the timer)."""

ENVIRONMENT: dict[str, Callable[[Args], str]] = {
    "requester process dies": lambda a: f"{a.get('requester', 'the requester')}'s process exits",
    "freeze window expires": lambda a: f"the freeze window of {a.get('writer', 'a writer')} expires",
    "provider CommitSnapshots": lambda a: ("the provider commits the shadow copies" if a.get("ok", True)
                                           else "the provider fails to commit the shadow copies"),
    "CVssWriter::OnAbort": lambda a: f"the VSS service sends OnAbort to the writers of {a.get('requester', 'the session')}",
    "Volume Backup Timer expires": lambda a: f"the Volume Backup Timer of {a.get('volume', 'the volume')} expires",
    "backup detected": lambda a: f"the cluster detects a backup on {a.get('volume', 'the volume')}",
    "volume redirected by the server": lambda a: f"the server redirects {a.get('volume', 'the volume')} to handle an error",
    "resource goes offline": lambda a: f"{a.get('volume', 'the volume')}'s resource goes offline",
    "resource comes online": lambda a: f"{a.get('volume', 'the volume')}'s resource comes online",
    "30-minute automatic clear": lambda a: f"the 30-minute automatic clear of {a.get('volume', 'the volume')} runs",
    "node fails": lambda a: f"{a.get('node', 'a node')} fails",
    "node rejoins": lambda a: f"{a.get('node', 'a node')} rejoins the cluster",
}
"""Steps the environment takes (the VSS service, the cluster, timers, faults), in words."""

SHOWN_IN_WORDS = {"requester", "writer", "volume", "node", "ok"}
"""Environment arguments the sentence already says."""


def _writer_event(call: str, arguments: Args) -> str | None:
    if not call.startswith("CVssWriter::On") or call == "CVssWriter::OnAbort":
        return None
    event = call.split("::")[1]
    writer = arguments.get("writer", "the writer")
    outcome = "" if arguments.get("ok", True) else " and the writer's handler returns false"
    return f"the VSS service sends {event} to {writer}{outcome}"


def _service(call: str, arguments: Args) -> str | None:
    """``IVssBackupComponents::DoSnapshotSet completes`` -> the VSS service completes DoSnapshotSet."""
    for verb in ("completes", "fails"):
        suffix = f" {verb}"
        if call.endswith(suffix):
            method = call[:-len(suffix)].split("::")[-1]
            return f"the VSS service {verb} {method}" + (f" with {arguments['code']}" if verb == "fails"
                                                        and "code" in arguments else "")
    return None


def label(step: dict[str, Any]) -> tuple[str, bool, str]:
    """(the call with its documented parameters, or the environment's step as a sentence;
    whether it is such an event; the model's other arguments as ``name=value, ...``)."""
    call, arguments = step["call"], dict(step.get("arguments", {}))
    actor = step.get("actor", "")
    sentence = ENVIRONMENT.get(call)
    if sentence is not None or actor in ("vss", "cluster", "fault"):
        text = (sentence(arguments) if sentence else _writer_event(call, arguments) or _service(call, arguments)
                or call)
        shown = SHOWN_IN_WORDS | ({"code"} if call.endswith(" fails") else set())
        return text, True, _details({k: v for k, v in arguments.items() if k not in shown})
    if call.startswith("IVssAsync::"):
        return _async(call, arguments), False, ""
    if call == CONTROL:
        return _control(arguments), False, ""
    shown, rest = [], dict(arguments)
    for model, documented, how in PARAMETERS.get(call, ()):
        if model in rest:
            shown.append(f"{documented}={how(rest.pop(model))}")
    return f"{call}({', '.join(shown)})", False, _details(rest)


SUCCESS = ("S_OK", "ERROR_SUCCESS", "VSS_S_", "true")


def shown_result(step: dict[str, Any]) -> str:
    """The result a picture shows for a step: a call's result always; an environment step's only
    when it is a failure the sentence does not already say ("requester-1's process exits", not
    "... -> S_OK")."""
    text, event, _ = label(step)
    result = str(step.get("result", ""))
    if event and (result.startswith(SUCCESS) or result in text):
        return ""
    return result


def words(step: dict[str, Any]) -> tuple[str, str]:
    """(the step in the API's words, the model's other arguments as ``name=value, ...``): a call
    reads ``actor: Call(documented parameters) -> result``; an environment step is a sentence
    (its result, the model's bookkeeping, is not shown)."""
    text, event, details = label(step)
    if event:
        return text, details
    return f"{step.get('actor', '')}: {text} -> {step.get('result')}", details


def _async(call: str, arguments: Args) -> str:
    operation = str(arguments.get("operation", "")).split("::")[-1]
    owner = f" on {operation}'s IVssAsync" if operation else ""
    if call == "IVssAsync::Wait":
        text = f"IVssAsync::Wait(dwMilliseconds=INFINITE){owner}"
        if arguments.get("reports_failure_as") == "status":
            text += " (a failure shows in QueryStatus's pHrResult, not in Wait's result)"
        return text
    if call == "IVssAsync::QueryStatus":
        return f"IVssAsync::QueryStatus(pHrResult, NULL){owner}"
    return f"{call}(){owner}"


def _control(arguments: Args) -> str:
    parts = [f"hResource={_quoted(arguments.get('VolumeName', '?'))}", f"dwControlCode={arguments.get('control', '?')}"]
    if "BackupState" in arguments:
        delay = arguments.get("DelayTimerInSecs")
        parts.append(f"lpInBuffer={{BackupState={arguments['BackupState']}, "
                     f"DelayTimerInSecs={DELAY.get(delay, delay)}}}")
    if "InMaintenance" in arguments:
        parts.append(f"lpInBuffer={{InMaintenance={_show(arguments['InMaintenance'])}}}")
    return f"ClusterResourceControl({', '.join(parts)})"


def _details(rest: Args) -> str:
    return ", ".join(f"{k}={_show(v)}" for k, v in rest.items())
