"""The documented GitHub Actions job cannot rot: its YAML parses, its ``run:`` steps use only
shadowspec subcommands and options that exist (with valid choices), and the page shows the file."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import yaml

from shadowspec.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs"
WORKFLOW = DOCS / "github-actions.yml"
SHELL = {";", "&&", "||", "|", ">", ">>", "<", "&"}


def _steps() -> list[dict]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = data["jobs"].values()
    return job["steps"]


def _invocations() -> list[list[str]]:
    """Every ``shadowspec ...`` command line of the run steps, as argument lists."""
    found = []
    for step in _steps():
        for line in step.get("run", "").splitlines():
            words = shlex.split(line, comments=True)
            while "shadowspec" in words:
                words = words[words.index("shadowspec") + 1:]
                end = next((i for i, w in enumerate(words) if w in SHELL), len(words))
                found.append(words[:end])
                words = words[end:]
    return found


def _check(args: list[str]) -> None:
    command = cli.commands.get(args[0])
    assert command is not None, f"shadowspec {args[0]}: no such subcommand"
    options = {opt: p for p in command.params if isinstance(p, click.Option) for opt in p.opts + p.secondary_opts}
    words = iter(args[1:])
    for word in words:
        if not word.startswith("-") or word == "-":
            continue
        name, _, inline = word.partition("=")
        assert name in options, f"shadowspec {args[0]}: no option {name}"
        param = options[name]
        if param.is_flag:
            continue
        value = inline or next(words)
        if isinstance(param.type, click.Choice):
            assert value in param.type.choices, f"shadowspec {args[0]} {name} {value}: not one of {param.type.choices}"


def test_the_workflow_parses_and_has_the_documented_steps() -> None:
    steps = _steps()
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "apt-get install -y graphviz" in runs and "pip install" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs
    subcommands = [args[0] for args in _invocations()]
    for wanted in ("check", "conform", "gate", "report"):
        assert wanted in subcommands
    sarif = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    produced = [args for args in _invocations() if args[0] == "report" and "sarif" in args]
    assert produced and sarif["with"]["sarif_file"] in produced[0]


def test_every_shadowspec_command_and_option_exists() -> None:
    invocations = _invocations()
    assert len(invocations) >= 6
    for args in invocations:
        _check(args)


def test_the_checker_notices_a_wrong_option() -> None:
    for bad in (["gate", "--basline", "x"], ["check", "--format", "xml"], ["nope"]):
        try:
            _check(bad)
        except AssertionError:
            continue
        raise AssertionError(f"{bad} passed the check")


def test_the_page_shows_the_workflow_file() -> None:
    page = (DOCS / "github-actions.md").read_text(encoding="utf-8")
    block = page.split("```yaml\n", 1)[1].rsplit("```", 1)[0]
    assert block == WORKFLOW.read_text(encoding="utf-8")
