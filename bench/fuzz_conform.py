"""Count crashes and lost verdicts of ``shadowspec conform`` on generated hostile logs.

    python bench/fuzz_conform.py                       # 10,000 logs, in batches of 100
    python bench/fuzz_conform.py --logs 1000 --seed 7  # a shorter run

Each log is a log of the test corpus with a few hostile mutations (``hostile_log``): a value
replaced by null, a huge integer, a lone surrogate escape, a float beyond range, NaN, a control
character, an actor with a trailing newline, deep nesting; a field dropped; a line truncated, made
binary or not UTF-8. Every log is checked on its own (a crash is an exception out of the CLI or
an "internal error" verdict), then the logs are checked in batches of ``--batch`` through the CLI
entry point; a batch "loses every verdict" when it gives no report. Prints the inputs tried, the
crashes by exception, the batches that lost their verdicts, the time taken, and the lines checked
per second of conformance checking (every log's lines twice: alone and in its batch; the time of
the CLI runs only, not of making the logs). A progress line goes to stderr every ten batches.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "conformance" / "corpus"

HOSTILE_VALUES: list[Any] = [
    None, "", "\ud800", "x\udfffy", "__BIG__", "__-BIG__", 1e308 * 10, float("nan"), float("-inf"),
    "requester-1\n", "node-1\n", "\x1b]0;pwned\x07\x1b[2J", "`) <script>alert(1)</script>", "\r# heading",
    "<img src=x onerror=alert(1)>", 0, -1, 2 ** 63, 1.5, True, [], {}, [[["x"]]], {"a": {"b": {"c": None}}},
    "1970-01-01T00:00:00", "2024-03-10T02:30:00", "9999-12-31T23:59:59+14:00", "NaN", "Infinity", "1e999",
    "requester-0", "requester-99999999", "node-" + "9" * 50, "\u202e", "\x00", "a" * 5000,
]
FIELDS = ("actor", "call", "result", "status", "args", "out", "ts", "meta")


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def hostile_value(rng: random.Random) -> Any:
    return rng.choice(HOSTILE_VALUES)


def _dump(data: Any, rng: random.Random) -> str:
    text = json.dumps(data, allow_nan=True, ensure_ascii=rng.random() < 0.5)
    return text.replace('"__BIG__"', "9" * 4400).replace('"__-BIG__"', "-" + "9" * 4400)


def mutate_line(line: str, rng: random.Random) -> str:
    """One hostile change to one JSON line (as text, so that invalid JSON can come out too)."""
    choice = rng.random()
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        data = None
    if choice < 0.55 and isinstance(data, dict):
        target = data
        if rng.random() < 0.3 and isinstance(data.get("args"), dict) and data["args"]:
            target = data["args"]
        field = rng.choice(sorted(target) + list(FIELDS))
        if rng.random() < 0.15:
            target.pop(field, None)
        else:
            target[field] = hostile_value(rng)
        return _dump(data, rng)
    if choice < 0.65:
        return line[: rng.randrange(len(line) + 1)]
    if choice < 0.72:
        return _deep(rng.choice((50, 999, 5000, 100_000)))
    if choice < 0.78:
        return '{"actor": "requester-1", "call": "X", "result": ' + "9" * rng.choice((4301, 5000)) + "}"
    if choice < 0.84:
        return line.replace('"', "'", 1)
    if choice < 0.90:
        return json.dumps(rng.choice([[1, 2], "text", 3, None, {"meta": rng.choice(HOSTILE_VALUES)}]))
    if choice < 0.95:
        return '{"actor": "requester-1", "call": "CreateVssBackupComponents", "result": "S_OK", "ts": 1e999}'
    return line.replace("requester-1", rng.choice(["requester-1\\n", "requester-1\\u0000", "requester-01"]))


def hostile_log(rng: random.Random, sources: list[list[str]]) -> bytes:
    """A corpus log with one to four hostile line changes (or, rarely, raw bytes)."""
    lines = list(rng.choice(sources))
    for _ in range(rng.randint(1, 4)):
        index = rng.randrange(len(lines))
        lines[index] = mutate_line(lines[index], rng)
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    roll = rng.random()
    if roll < 0.03:
        data += b"\xff\xfe binary \x00\x01\n"
    elif roll < 0.05:
        data = data.replace(b"\n", b"\r", 1)
    return data


def corpus() -> list[list[str]]:
    return [path.read_text(encoding="utf-8").splitlines() for path in sorted(CORPUS.glob("*/*.jsonl"))]


def run_cli(argv: list[str]) -> tuple[int | None, str | None]:
    """(exit code, None) or (None, the exception) for one in-process CLI run."""
    from shadowspec.cli import main

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return main(argv), None
    except BaseException as error:  # noqa: BLE001 - counting every escape is the point
        if isinstance(error, KeyboardInterrupt):
            raise
        return None, f"{type(error).__name__}: {str(error)[:80]}" + "\n" + traceback.format_exc(limit=-2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--show", type=int, default=3, help="tracebacks to print")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = corpus()
    started = time.perf_counter()
    crashes: Counter[str] = Counter()
    shown = 0
    lost = batches = 0
    lines = 0
    checking = 0.0
    codes: Counter[int] = Counter()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    with tempfile.TemporaryDirectory() as folder:
        done = 0
        while done < args.logs:
            size = min(args.batch, args.logs - done)
            paths = []
            for n in range(size):
                path = Path(folder) / f"log-{done + n}.jsonl"
                data = hostile_log(rng, sources)
                lines += 2 * data.count(b"\n")
                path.write_bytes(data)
                paths.append(str(path))
            out = Path(folder) / "report.json"
            for path in paths:
                start = time.perf_counter()
                code, error = run_cli(["conform", "--format", "json", "-o", str(out), path])
                checking += time.perf_counter() - start
                if error is None and out.exists():
                    report = json.loads(out.read_text(encoding="utf-8"))
                    if any("internal error" in str(log.get("error", "")) for log in report["logs"]):
                        error = "internal error verdict: " + report["logs"][0]["error"][:120]
                if error is not None:
                    crashes[error.splitlines()[0]] += 1
                    if shown < args.show:
                        print(f"--- {path}\n{error}", file=sys.stderr)
                        shown += 1
                else:
                    codes[code] += 1
                out.unlink(missing_ok=True)
            start = time.perf_counter()
            code, error = run_cli(["conform", "--format", "json", "-o", str(out), *paths])
            checking += time.perf_counter() - start
            batches += 1
            if error is not None or not out.exists():
                lost += 1
            out.unlink(missing_ok=True)
            for path in paths:
                Path(path).unlink()
            done += size
            if batches % 10 == 0:
                print(f"{done:,} logs, {sum(crashes.values())} crashed, {lost} batches lost, "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    print(f"inputs tried: {args.logs:,} logs (seed {args.seed}); crashed: {sum(crashes.values()):,}; "
          f"exit codes of the others: {dict(sorted(codes.items()))}")
    print(f"batches of {args.batch}: {batches}; batches that lost every verdict: {lost}")
    for message, count in crashes.most_common(12):
        print(f"  {count:6,}  {message}")
    print(f"time: {seconds:.1f} s; lines checked: {lines:,} in {checking:.1f} s of conform runs "
          f"({lines / checking if checking else 0:,.0f} lines/s)")


if __name__ == "__main__":
    main()
