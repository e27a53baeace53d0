"""``shadowspec diagram``: machine diagrams, system graphs and counterexamples as pictures.

DOT and Mermaid need nothing but python; SVG and PNG need Graphviz's ``dot``. When it is
missing, the command says how to install it, still writes the DOT and Mermaid files, and exits 1
(what was asked for was not produced). Usage errors exit 2 with one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shadowspec.files import force_option, write_atomically

FORMATS = ("dot", "mermaid", "svg", "png")
SUFFIX = {"dot": ".dot", "mermaid": ".mmd", "svg": ".svg", "png": ".png"}

Artifact = tuple[str, "str | bytes"]


def _usage(message: str) -> Exception:
    from shadowspec.cli import UsageFailure

    return UsageFailure(message)


def _machine_classes(name: str) -> list[type]:
    from shadowspec.model.system import MACHINES

    if name == "all":
        return list(MACHINES)
    for cls in MACHINES:
        if cls.__name__.lower() == name.lower():
            return [cls]
    raise _usage(f"--machine {name!r}: expected all or one of {', '.join(c.__name__ for c in MACHINES)}")


def _render(stem: str, dot: str | None, mermaid: str | None, formats: tuple[str, ...]) -> tuple[list[Artifact], bool]:
    """The files for one picture in the asked formats; (files, graphviz was missing)."""
    from shadowspec.reports.diagrams import render_dot

    files: list[Artifact] = []
    missing = False
    for fmt in formats:
        if fmt == "dot" and dot is not None:
            files.append((stem + SUFFIX[fmt], dot))
        elif fmt == "mermaid" and mermaid is not None:
            files.append((stem + SUFFIX[fmt], mermaid))
        elif fmt in ("svg", "png") and dot is not None:
            image = render_dot(dot, fmt)
            if image is None:
                missing = True
            else:
                files.append((stem + SUFFIX[fmt], image.decode("utf-8") if fmt == "svg" else image))
    if missing:  # still write what needs no Graphviz
        for fmt, text in (("dot", dot), ("mermaid", mermaid)):
            if text is not None and fmt not in formats:
                files.append((stem + SUFFIX[fmt], text))
    return files, missing


def _emit(files: list[Artifact], output: str | None) -> None:
    if output in (None, "-"):
        if len(files) != 1 or not isinstance(files[0][1], str):
            names = ", ".join(name for name, _ in files)
            raise _usage(f"{len(files)} files ({names}) cannot go to stdout: give -o FOLDER")
        click.echo(files[0][1], nl=False)
        return
    target = Path(output)
    if _is_folder(output, len(files)):
        _make_folder(target)
        for name, content in files:
            write_atomically(target / name, content)
            click.echo(f"wrote {target / name}", err=True)
    elif len(files) == 1:
        _make_folder(target.parent)
        write_atomically(target, files[0][1])
        click.echo(f"wrote {target}", err=True)
    else:
        raise _usage(f"-o {output}: {len(files)} files need a folder (a name without a suffix, or ending in /)")


def _is_folder(output: str, count: int) -> bool:
    """-o names a folder when it is one, ends in a slash, has no suffix, or several files go
    there; otherwise the one file itself."""
    target = Path(output)
    return target.is_dir() or output.endswith(("/", "\\")) or not target.suffix


def _make_folder(folder: Path) -> None:
    """Create -o's folder and its parents (a file in the way is a usage error, not a traceback)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _usage(f"-o: {folder} is a file, not a folder") from None
    except OSError as error:
        raise _usage(f"-o: cannot create folder {folder} ({error.strerror})") from None


def _emit_summary(summary: str, stem: str, output: str | None) -> None:
    """A graph too big to draw: the summary goes to stdout, or to the output (a folder gets
    ``STEM.summary.txt``; a picture's file name gets ``.summary.txt`` instead of its suffix, never
    text in a .png), and stderr says that a summary was written instead of a drawing."""
    if output in (None, "-"):
        click.echo(summary, nl=False)
        return
    target = Path(output)
    if _is_folder(output, 1):
        _make_folder(target)
        target = target / f"{stem}.summary.txt"
    else:
        _make_folder(target.parent)
        target = target.with_suffix(".summary.txt")
    write_atomically(target, summary)
    click.echo(f"shadowspec diagram: too many nodes to draw (see --max-nodes); wrote a summary instead "
               f"of a drawing to {target}", err=True)


def _config(name: str | None):
    from shadowspec.cli import _resolve_config

    if name is None:
        raise _usage("--config NAME is needed with --system and --counterexample")
    return _resolve_config(name)


def machine_files(classes: list[type], formats: tuple[str, ...], self_loops: bool) -> tuple[list[Artifact], bool]:
    from shadowspec.reports.diagrams import machine_dot, machine_mermaid

    files: list[Artifact] = []
    missing = False
    for cls in classes:
        found, lacked = _render(cls.__name__, machine_dot(cls, self_loops=self_loops),
                                machine_mermaid(cls, self_loops=self_loops), formats)
        files += found
        missing |= lacked
    return files, missing


def system_stem(config_name: str, project: str | None) -> str:
    return f"{config_name}.{project or 'system'}"


def system_files(config_name: str, project: str | None, detail: str, limit: int,
                 formats: tuple[str, ...]) -> tuple[list[Artifact], bool, str | None]:
    """(files, graphviz missing, summary printed instead of a picture)."""
    from shadowspec.checks import projection
    from shadowspec.model.explorer import explore
    from shadowspec.model.system import System
    from shadowspec.reports import system_graph

    config = _config(config_name)
    system = System(config)
    exploration = explore([system.initial], system.successors, max_states=config.max_states,
                          max_depth=config.max_depth)
    try:
        if project:
            picture = projection.projection(system, exploration, project, detail, limit)
        else:
            picture = projection.whole(system, exploration, limit)
    except KeyError as error:
        raise _usage(f"--project: {error.args[0]}") from None
    except projection.TooBig as too_big:
        return [], False, too_big.summary
    stem = system_stem(config.name, project)
    files, missing = _render(stem, system_graph.to_dot(picture), system_graph.to_mermaid(picture), formats)
    return files, missing, None


def counterexample_files(config_name: str, prop_id: str, formats: tuple[str, ...],
                         self_loops: bool) -> tuple[list[Artifact], bool]:
    from shadowspec.checks.run import measure
    from shadowspec.checks.replay import fired_by_component
    from shadowspec.reports import sequence_svg
    from shadowspec.reports.diagrams import highlighted_machine_dot, sequence_dot, sequence_mermaid

    config = _config(config_name)
    measured = measure(config)
    by_id = {p["id"]: p for p in measured.report.properties}
    prop = by_id.get(prop_id.upper())
    if prop is None:
        raise _usage(f"--counterexample {prop_id!r}: no such property; e.g. {', '.join(list(by_id)[:4])}")
    steps = (prop.get("counterexample") or prop.get("witness") or []) + (prop.get("cycle") or [])
    if not steps:
        raise _usage(f"--counterexample {prop['id']}: {prop['verdict']} in {config.name}, with no trace to draw"
                     + (f" ({prop['reason']})" if prop.get("reason") else ""))
    stem = f"{prop['id']}.{config.name}"
    kind = "witness" if prop.get("witness") else "counterexample"
    files: list[Artifact] = []
    missing = False
    title = f"{prop['id']} {kind} in {config.name}"
    if "mermaid" in formats:
        files.append((f"{stem}.sequence.mmd", sequence_mermaid(steps, title)))
    if "svg" in formats:  # hand-laid SVG (reports/sequence_svg.py): needs no Graphviz
        files.append((f"{stem}.sequence.svg", sequence_svg.render(
            prop.get("counterexample") or prop.get("witness") or [], prop.get("cycle"), prop.get("stutter"), title)))
    if "dot" in formats or "png" in formats:  # the same sequence as a Graphviz table, for PNG
        found, lacked = _render(f"{stem}.sequence", sequence_dot(steps, title), None,
                                tuple(f for f in formats if f in ("dot", "png")))
        files += found
        missing |= lacked
    for component, (cls, fired) in fired_by_component(measured.system, steps).items():
        dot = highlighted_machine_dot(cls, fired, self_loops=self_loops, name=fired[0].machine,
                                      compact=not self_loops)
        found, lacked = _render(f"{stem}.{component}", dot, None, tuple(f for f in formats if f != "mermaid"))
        files += found
        missing |= lacked
    return files, missing


@click.command("diagram")
@click.option("--machine", default=None, metavar="NAME|all",
              help="A declared machine (e.g. RequesterSession) or all of them.")
@click.option("--system", "system", is_flag=True, help="The explored system graph of --config.")
@click.option("--project", metavar="COMPONENT", help="With --system: the quotient graph onto one "
              "component, e.g. requester-1 or volume-1.")
@click.option("--detail", type=click.Choice(("state", "local")), default="state", show_default=True,
              help="With --project: blocks by control state, or by the whole local record.")
@click.option("--counterexample", "prop_id", metavar="PROPERTY",
              help="A property's counterexample in --config: a sequence diagram and the path on the machines.")
@click.option("--config", "config_name", metavar="NAME|FILE", help="The configuration for --system or --counterexample.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="Repeatable; default: dot and mermaid.")
@click.option("--self-loops/--no-self-loops", default=False, show_default=True,
              help="Draw the transitions that keep a machine's state (mostly documented error paths) "
              "as edges; by default they are listed in their state's box, and a counterexample's "
              "path is drawn on a compact view (its states and their neighbours).")
@click.option("--max-nodes", type=click.IntRange(1), default=150, show_default=True,
              help="Above this many nodes a system graph is summarised instead of drawn.")
@click.option("--output", "-o", metavar="FOLDER|FILE", help="Where to write (default: stdout for one text file).")
@force_option
def diagram(machine: str | None, system: bool, project: str | None, detail: str, prop_id: str | None,
            config_name: str | None, formats: tuple[str, ...], self_loops: bool, max_nodes: int,
            output: str | None) -> None:
    """Draw the declared machines, the explored system graph, or a counterexample."""
    from shadowspec.reports.diagrams import INSTALL_GRAPHVIZ

    chosen = [flag for flag, on in (("--machine", machine), ("--system", system), ("--counterexample", prop_id)) if on]
    if len(chosen) > 1:
        raise _usage(f"{' and '.join(chosen)}: choose one of --machine, --system, --counterexample")
    if project and not system:
        raise _usage("--project: only with --system")
    formats = tuple(dict.fromkeys(formats or ("dot", "mermaid")))
    if system:
        files, missing, too_big = system_files(config_name, project, detail, max_nodes, formats)
        if too_big is not None:
            _emit_summary(too_big, system_stem(_config(config_name).name, project), output)
            return
    elif prop_id:
        files, missing = counterexample_files(config_name, prop_id, formats, self_loops)
    else:
        files, missing = machine_files(_machine_classes(machine or "all"), formats, self_loops)
    if missing:
        click.echo(f"shadowspec diagram: {INSTALL_GRAPHVIZ}", err=True)
        if output in (None, "-"):
            raise _usage("SVG/PNG need Graphviz; give -o FOLDER to write the DOT and Mermaid files instead")
    _emit(files, output)
    if missing:
        sys.exit(1)
