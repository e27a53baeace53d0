"""``shadowspec recorder --header``: the header a user's build gets is the shipped one."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from shadowspec.cli import cli, main
from shadowspec.record import HEADER as NAME, header_text

from .toolchain import HEADER, ROOT


def test_writes_the_header_byte_for_byte(tmp_path) -> None:
    target = tmp_path / "include" / "shadowspec_record.h"
    target.parent.mkdir()
    assert main(["recorder", "--header", "-o", str(target)]) == 0
    assert target.read_bytes() == HEADER.read_bytes()


def test_a_folder_gets_the_header_under_its_own_name(tmp_path) -> None:
    assert main(["recorder", "--header", "-o", str(tmp_path)]) == 0
    assert (tmp_path / NAME).read_bytes() == HEADER.read_bytes()


def test_stdout_and_package_data_are_the_source_header() -> None:
    result = CliRunner().invoke(cli, ["recorder", "--header"])
    assert result.exit_code == 0
    assert result.output == header_text() == HEADER.read_text(encoding="utf-8")


def test_usage_errors_are_one_line_exit_2(tmp_path, capsys) -> None:
    assert main(["recorder", "-o", str(tmp_path)]) == 2
    assert main(["recorder", "--header", "-o", str(tmp_path / "no" / "such" / "x.h")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "--header" in err[0] and "does not exist" in err[1]
    assert not (tmp_path / NAME).exists()


@pytest.mark.slow
def test_the_wheel_ships_the_header(tmp_path) -> None:
    """A non-editable install has the header too (it lives outside the Python package folders)."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("shadowspec-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(f"shadowspec/record/cpp/{NAME}") == HEADER.read_bytes()
        assert not [n for n in archive.namelist() if "/cpp/tests/" in n], "test program shipped"
