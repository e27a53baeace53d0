"""The command line of the modules generated from rules.md (``rule_index.py``,
``result_index.py``, ``phase_result_index.py``, ``writer_table_index.py``): one shape for all, so each generator is
only its ``generate(text) -> module source`` and they refuse an unreadable catalogue the same way
(one line, exit 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable


def generator_main(name: str, description: str, generate: Callable[[str], str],
                   argv: list[str] | None = None) -> int:
    """Read rules.md (default ``../shared/domain/rules.md``), write ``generate``'s module to
    ``-o PATH`` or standard output (``-``)."""
    parser = argparse.ArgumentParser(prog=f"python -m shadowspec.checks.{name}", description=description)
    parser.add_argument("rules_md", nargs="?", default="../shared/domain/rules.md")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    try:
        text = Path(args.rules_md).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        print(f"{name}: {args.rules_md}: cannot read ({reason})", file=sys.stderr)
        return 2
    module = generate(text)
    if args.output == "-":
        sys.stdout.write(module)
    else:
        Path(args.output).write_text(module, encoding="utf-8")
    return 0
