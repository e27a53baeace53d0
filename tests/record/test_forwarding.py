"""Every method of the real interfaces is forwarded by the recording wrappers.

The method lists come from MinGW-w64's vsbackup.h and vss.h (the headers the CI build compiles
against), not from the recorder, so a method the wrapper leaves out, or one a newer header adds,
fails here by name rather than as a C++ error about an abstract class.
"""

from __future__ import annotations

import re

import pytest

from .toolchain import HEADER, sdk_header

METHOD = re.compile(r"virtual\s+HRESULT\s+STDMETHODCALLTYPE\s+(\w+)\s*\(")
WRAPPED = re.compile(r"HRESULT\s+STDMETHODCALLTYPE\s+(\w+)\s*\(([^{]*)\)\s*override\s*\{(.*?)\n    \}", re.S)


def interface_methods(header: str, interface: str) -> list[str]:
    """The methods of ``interface`` as MinGW-w64's C++ declaration lists them."""
    match = re.search(rf"\n{interface}\s*:\s*public\s+IUnknown\s*\{{(.*?)\n\}};", header, re.S)
    assert match, f"no C++ declaration of {interface}"
    return METHOD.findall(match[1])


def wrapper_bodies(cls: str) -> dict[str, str]:
    """Method name -> body of each IUnknown-derived override in the recorder's class ``cls``."""
    text = HEADER.read_text(encoding="utf-8")
    start = text.index(f"class {cls} :")
    end = text.index("\n};", start)
    return {name: body for name, _params, body in WRAPPED.findall(text[start:end])}


@pytest.mark.parametrize("interface, cls, header", [
    ("IVssBackupComponents", "RecordingBackupComponents", "vsbackup.h"),
    ("IVssAsync", "RecordingAsync", "vss.h"),
])
def test_every_method_is_forwarded_to_the_real_object(interface, cls, header) -> None:
    methods = interface_methods(sdk_header(header).read_text(encoding="utf-8", errors="replace"), interface)
    assert len(methods) >= (45 if interface == "IVssBackupComponents" else 3), methods
    bodies = wrapper_bodies(cls)
    missing = [m for m in methods if m not in bodies]
    assert not missing, f"{cls} does not implement {interface}::{', '.join(missing)}"
    unforwarded = [m for m in methods if not re.search(rf"\breal_->{m}\(", bodies[m])]
    assert not unforwarded, f"{cls} does not forward {', '.join(unforwarded)} to the real object"


def test_every_recorded_method_line_names_the_method_it_forwards() -> None:
    """A copy-paste slip (forwarding X but logging Y) would put the wrong call in the log."""
    bodies = wrapper_bodies("RecordingBackupComponents")
    wrong = []
    for name, body in bodies.items():
        logged = re.findall(r'"IVssBackupComponents::(\w+)"', body)
        if logged and logged != [name]:
            wrong.append(f"{name} logs {logged}")
    assert not wrong and len(bodies) > 40, wrong
