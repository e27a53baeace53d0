"""The MinGW-w64 cross compiler, its Windows SDK headers and Wine, for the recorder's tests.

A test that needs one of them is skipped only on a developer machine without it; where the
``CI`` environment variable is set it fails instead, because ``.ci/run`` installs them and a
skipped recorder test there would pass CI without checking anything.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER = ROOT / "record" / "cpp" / "shadowspec_record.h"
DRIVER = ROOT / "record" / "cpp" / "tests" / "run_scenarios.py"


def require(*programs: str) -> None:
    """Skip (developer machine) or fail (CI) when a program is not installed."""
    missing = [p for p in programs if shutil.which(p) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (Debian: g++-mingw-w64-x86-64 g++-mingw-w64-i686 wine)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; .ci/run installs them, so CI must not skip this test")
    pytest.skip(message)


@lru_cache(maxsize=None)
def sdk_header(name: str) -> Path:
    """The MinGW-w64 header the cross compiler includes for ``#include <name>``."""
    require("x86_64-w64-mingw32-g++")
    done = subprocess.run(["x86_64-w64-mingw32-g++", "-x", "c++", "-M", "-"], input=f"#include <{name}>\n",
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for word in done.stdout.replace("\\\n", " ").split():
        if Path(word).name == name:
            return Path(word)
    raise AssertionError(f"the cross compiler does not include {name}")


@lru_cache(maxsize=None)
def driver():
    """record/cpp/tests/run_scenarios.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("shadowspec_record_run_scenarios", DRIVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
