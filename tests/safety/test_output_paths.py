"""``-o PATH`` writes only regular files or new paths; refusals are one line and exit 2; a failed
write leaves the old file and no temporary file. All in a temporary folder: the device-node case
uses a FIFO and a path whose type the code checks (``os.lstat``), never the real ``/dev``."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from shadowspec.cli import main
from shadowspec.files import OutputError, check_target, write_atomically

LOG = Path(__file__).resolve().parents[1] / "conformance" / "corpus" / "good" / "csv-backup-2008r2.jsonl"


def conform(capsys, *options: str) -> tuple[int, str]:
    code = main(["conform", *options, str(LOG)])
    return code, capsys.readouterr().err


def test_a_new_path_and_an_existing_file_are_written(tmp_path, capsys) -> None:
    target = tmp_path / "new.txt"
    assert conform(capsys, "-o", str(target))[0] == 0 and "conforms" in target.read_text()
    target.write_text("old")
    assert conform(capsys, "-o", str(target))[0] == 0 and "conforms" in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt"]


@pytest.mark.parametrize("make, fragment", [
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: os.mkfifo(p), "is a FIFO"),
])
def test_folders_and_fifos_are_refused(tmp_path, capsys, make, fragment) -> None:
    target = tmp_path / "target"
    make(target)
    code, err = conform(capsys, "-o", str(target), "--force")
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_an_empty_name_is_refused(capsys) -> None:
    code, err = conform(capsys, "-o", "")
    assert code == 2 and "empty file name" in err


def test_a_device_node_is_refused_by_its_type(tmp_path, monkeypatch) -> None:
    """What ``-o /dev/null`` as root looks like to the code: lstat says character device."""
    target = tmp_path / "null"
    target.write_text("")
    real = os.lstat

    def lstat(path, *args, **kwargs):
        found = real(path, *args, **kwargs)
        if Path(path) == target:
            return os.stat_result((stat.S_IFCHR | 0o666, *found[1:]))
        return found
    monkeypatch.setattr(os, "lstat", lstat)
    with pytest.raises(OutputError, match="is a device node"):
        write_atomically(target, "x")
    assert target.read_text() == "" and stat.S_ISREG(real(target).st_mode)


def test_read_only_file_refused_unless_force(tmp_path, capsys) -> None:
    target = tmp_path / "ro.txt"
    target.write_text("old")
    target.chmod(0o444)
    code, err = conform(capsys, "-o", str(target))
    assert code == 2 and "read-only" in err and target.read_text() == "old"
    assert conform(capsys, "--force", "-o", str(target))[0] == 0 and "conforms" in target.read_text()


def test_symlink_refused_unless_force_which_replaces_the_link_itself(tmp_path, capsys) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "link.txt"
    link.symlink_to(victim)
    code, err = conform(capsys, "-o", str(link))
    assert code == 2 and "symbolic link" in err and link.is_symlink()
    assert conform(capsys, "--force", "-o", str(link))[0] == 0
    assert not link.is_symlink() and "conforms" in link.read_text() and victim.read_text() == "precious"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, capsys, code) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")
    real_fsync = os.fsync

    def failing(fd):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(os, "fsync", failing)
    exit_code, err = conform(capsys, "-o", str(target))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert exit_code == 2 and os.strerror(code) in err and len(err.strip().splitlines()) == 1
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_a_read_only_file_system_before_writing_is_one_line(tmp_path, monkeypatch) -> None:
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="Read-only file system"):
        write_atomically(tmp_path / "x.txt", "content")
    assert list(tmp_path.iterdir()) == []


def test_check_target_accepts_new_paths_and_regular_files(tmp_path) -> None:
    assert check_target(tmp_path / "fresh") == tmp_path / "fresh"
    with pytest.raises(OutputError, match="does not exist"):
        check_target(tmp_path / "no" / "such")
