"""Measure ``shadowspec conform`` on a generated log of at least a million lines.

    python bench/conform_bench.py                 # 1,000,000 lines: lines/s and peak memory
    python bench/conform_bench.py --lines 100000  # a shorter log, to compare peak memory

The log repeats realistic backup cycles (backup mode set and cleared on a CSV, the full requester
sequence with waits and timestamps, one object per cycle under the same requester name). It is
written to a temporary file and checked by streaming, as the command does. Peak memory is the
process's maximum resident set size (getrusage), so run each size in its own process to compare
them. Figures are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time

from shadowspec.conform.checker import Options, Oracles, check

IVSS = "IVssBackupComponents::"
VOLUME = "C:\\ClusterStorage\\Volume1\\"


def cycle(start: int) -> list[dict]:
    """One backup: 24 lines, timestamps from ``start`` seconds."""
    def r(call: str, result: str = "S_OK", **extra) -> dict:
        return {"actor": "requester-1", "call": call, "result": result, **extra}

    def wait(op: str) -> dict:
        return r("IVssAsync::Wait", args={"operation": IVSS + op, "dwMilliseconds": "INFINITE"},
                 status="VSS_S_ASYNC_FINISHED")

    def mode(state: str, delay: int) -> dict:
        return {"actor": "node-1", "call": "ClusterResourceControl", "result": "ERROR_SUCCESS",
                "args": {"control": "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE", "BackupState": state,
                         "DelayTimerInSecs": delay, "VolumeName": VOLUME}}
    lines = [
        mode("VolumeBackupInProgress", 600), r("CreateVssBackupComponents"),
        r(IVSS + "InitializeForBackup", args={"bstrXML": None}),
        r(IVSS + "SetBackupState", args={"bSelectComponents": False, "backupType": "VSS_BT_FULL"}),
        r(IVSS + "GatherWriterMetadata"), wait("GatherWriterMetadata"), r(IVSS + "GetWriterMetadataCount"),
        r(IVSS + "StartSnapshotSet"), r(IVSS + "AddToSnapshotSet", args={"pwszVolumeName": VOLUME}),
        r(IVSS + "PrepareForBackup"), wait("PrepareForBackup"), r(IVSS + "DoSnapshotSet"),
        r("IVssAsync::QueryStatus", args={"operation": IVSS + "DoSnapshotSet"}, status="VSS_S_ASYNC_PENDING"),
        wait("DoSnapshotSet"), r(IVSS + "GetSnapshotProperties"), r(IVSS + "GatherWriterStatus"),
        wait("GatherWriterStatus"), r(IVSS + "GetWriterStatus"), r(IVSS + "FreeWriterStatus"),
        r(IVSS + "BackupComplete"), wait("BackupComplete"), mode("VolumeBackupNone", 0),
        r("IUnknown::Release", "0", args={"interface": "IVssBackupComponents"}),
        r("IUnknown::Release", "1", args={"interface": "IVssAsync"}),
    ]
    return [dict(line, ts=start + i) for i, line in enumerate(lines)]


def generate(path: str, lines: int) -> int:
    written = 0
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(json.dumps({"meta": {"os": "2008r2", "cluster_protocol": "3.0"}}) + "\n")
        written += 1
        start = 0
        while written < lines:
            for line in cycle(start):
                stream.write(json.dumps(line) + "\n")
            written += 24
            start += 3600
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.jsonl")
        lines = generate(path, args.lines)
        size = os.path.getsize(path)
        began = time.perf_counter()
        report = check(path, "bench.jsonl", Options(), Oracles(20_000))
        seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"lines {lines:,} ({size / 2**20:.0f} MiB), verdict {report.verdict}, findings {len(report.findings)}")
    print(f"seconds {seconds:.1f} (two streaming passes), lines/s {lines / seconds:,.0f}, peak RSS {peak:.0f} MiB")
    return 0 if report.verdict == "conforms" else 1


if __name__ == "__main__":
    sys.exit(main())
