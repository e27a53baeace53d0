"""Why each rule of rules.md that no declaration and no property cites is left out of the model.

The traceability matrix prints these reasons; ``tests/traceability`` fails when a rule is neither
cited nor listed here, and when a rule listed here is cited after all (then its reason is stale).
"""

from __future__ import annotations

RESTORE = "restore sessions (InitializeForRestore) are not modelled; the model covers backup only"
OLD_OS = "Windows XP / Server 2003 / Vista / Server 2008 (pre-2008 R2) are not modelled (os is 2008r2 or 2012)"
ABSTRACTED_NAMES = ("volumes are abstract indices, not path strings: name syntax is not modelled "
                    "(a malformed name is the boolean `on_csv`/`valid` argument)")
CONSTANT = "a numeric constant or wire layout, not behaviour: nothing to encode as a transition"
NO_TIME = "the model has no clock: timing windows appear only as timer events that may fire"

UNENCODED: dict[str, str] = {
    "REQ-04": RESTORE,
    "REQ-06": OLD_OS + " (SetContext E_NOTIMPL on XP)",
    "REQ-12": "component selectability (the writer's metadata tree) is not modelled: AddComponent is one abstract call",
    "REQ-16": ABSTRACTED_NAMES,
    "REQ-18": "the per-volume shadow-copy limit has no documented number (AMB-19); a volume joins one set at a time here",
    "REQ-44": "withdrawn in rules.md revision 2: merged into REQ-36, which the declarations cite instead",
    "REQ-21": "nested VHDs are not modelled: volumes carry no VHD nesting",
    "REQ-32": OLD_OS + " (version-gated DoSnapshotSet codes on 2003/XP)",
    "REQ-35": "Cancel after the snapshot exists is modelled through the IVssAsync machine (ASY-04, AMB-07), "
              "not as a separate abandonment of the session",
    "ASY-06": OLD_OS + " (Wait's timeout argument on 2003/XP)",
    "ASY-08": "which provider errors surface only through QueryStatus is not distinguished: one failure code per operation",
    "WRT-05": NO_TIME + " (the PrepareForSnapshot window is only 'typically longer', AMB-18)",
    "WRT-06": NO_TIME + " (the 10 s hold-writes window is folded into the provider commit's outcome)",
    "WRT-16": "writer identity and Initialize's S_FALSE in safe mode are outside the requester's view of a writer",
    "WRT-17": "components' per-component outcome (GetBackupSucceeded) is not modelled: components are abstract",
    "CSV-15": ABSTRACTED_NAMES + " (how the DIRECTIO codes identify the volume)",
    "CSV-17": "output buffer sizes of the legacy DIRECTIO codes are not modelled (no output buffer argument)",
    "CSV-18": CONSTANT,
    "CSV-19": "the generic ClusterResourceControl results are subsumed by the specific results of each control code",
    "DATA-01": CONSTANT + " (the two BackupState values are the argument's domain)",
    "DATA-02": CONSTANT,
    "DATA-04": ABSTRACTED_NAMES,
    "DATA-05": ABSTRACTED_NAMES,
    "DATA-07": "writer indices of GetWriterMetadata/GetWriterStatus are not modelled: the calls take no index",
    "DATA-10": NO_TIME + " (the freeze timeout's unit and default)",
    "DATA-11": CONSTANT,
    "AMB-07": "the reading is built into the composition (model/system.py: Cancel affects only the IVssAsync), "
              "not a declared transition",
    "AMB-09": ABSTRACTED_NAMES,
    "AMB-14": "the reading is structural: two separate machines (CsvVolume, SharedVolumeBackupState), no link",
    "AMB-18": NO_TIME,
    "AMB-19": "see REQ-18: the per-volume limit is not modelled",
    "AMB-21": "2012+ CSV backup behaviour beyond NODE-03 has no API source; only Prepare's no-op is encoded",
    "AMB-22": "logical paths are not in the abstraction (one component flag and a `duplicate` argument); the log "
              "checker's component keys take the default reading (a NULL and an empty path are one path, "
              "conform/vocabulary.py component_key); the switch `null_path_distinct` is not offered",
}
