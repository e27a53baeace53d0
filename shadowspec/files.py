"""Writing output files so that nothing the user had is lost, half-written or written through.

``-o PATH`` may name a new file in an existing folder or an existing regular file. Everything
else is refused in one line (``OutputError``, exit code 2) before anything is written:

- an empty name, a folder, a device node, a FIFO or a socket: always (``-o /dev/null`` run as
  root would otherwise replace the device node with a regular file);
- a read-only file or a symbolic link: unless ``--force``. With ``--force`` the file (or the link
  itself, never the file it points to) is replaced.

The content goes to a temporary file in the same folder, is flushed to disk, then renamed over
the target: a reader (or a crash) sees the old file or the new one, never a mix. A failed write
(a full disk, a read-only file system) leaves the old file as it was and no temporary file
behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable

import click

FORCE_KEY = "shadowspec.force"


class OutputError(Exception):
    """An output path that cannot or may not be written; the message is one line."""


def force_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--force``: replace a read-only output file or a symbolic link (kept in the context, so
    command signatures do not change)."""
    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        ctx.meta[FORCE_KEY] = bool(value) or ctx.meta.get(FORCE_KEY, False)
        return value

    return click.option("--force", is_flag=True, expose_value=False, callback=remember,
                        help="Replace a read-only output file or a symbolic link (the link itself, "
                             "not its target). Devices, folders and FIFOs are never written.")(command)


def forced() -> bool:
    """Whether the running command was given ``--force``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get(FORCE_KEY))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def check_target(path: Path | str, force: bool = False) -> Path:
    """The output path, if it may be written; else ``OutputError`` saying why in one line."""
    name = str(path)
    if not name or not name.strip():
        raise OutputError("--output: an empty file name; give a file path or '-' for stdout")
    target = Path(name)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"--output {name}: cannot use this path ({_reason(error)})") from None
    if info is None:
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(f"--output {name}: folder {parent} does not exist")
        return target
    if stat.S_ISLNK(info.st_mode):
        if not force:
            raise OutputError(f"--output {name}: is a symbolic link; refusing to replace it (--force replaces "
                              "the link itself)")
        return target
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"--output {name}: is a folder; give a file path")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a device node" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                else "not a regular file")
        raise OutputError(f"--output {name}: is {kind}; only regular files are written (use '-' for stdout)")
    read_only = not (info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(target, os.W_OK)
    if read_only and not force:
        raise OutputError(f"--output {name}: is read-only; refusing to replace it (--force replaces it)")
    return target


def write_atomically(path: Path | str, content: str | bytes, force: bool | None = None) -> None:
    """Check ``path`` (``check_target``), then write ``content`` to a temporary file beside it
    and rename it over ``path``. The file gets ordinary permissions (mkstemp's are 0600). Any
    failure is an ``OutputError``, with the old file intact and no temporary file left."""
    target = check_target(path, forced() if force is None else force)
    data = content.encode("utf-8", "backslashreplace") if isinstance(content, str) else content
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"--output {target}: cannot write in {folder} ({_reason(error)})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"--output {target}: write failed ({_reason(error)}); the old file is unchanged") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
