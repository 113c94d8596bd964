"""Which file a command is about to write, and whether it is one the command reads.

``import list.md -o list.md`` would replace the list with its catalogue, and
``export -o`` onto the catalogue or ``state export`` onto the state file would
lose what the command was reading. Every writing command is checked here before
it starts: the same file (by inode, so a link or another spelling counts) as one
of its inputs is refused in one line and nothing is written.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

_URL_PREFIXES = ("http://", "https://")


def output_of(args: argparse.Namespace) -> str | None:
    """The path the command will write (None: stdout or nothing)."""
    out: str | None = None
    if args.command in ("import", "export"):
        out = args.output
    elif args.command in ("state", "metadata") and args.action == "export":
        out = args.file
    return None if out in (None, "-") else out


def inputs_of(args: argparse.Namespace, catalog_path: Path) -> list[tuple[str, Path]]:
    """(what, path) for each file the command reads."""
    if args.command == "import":
        source = str(args.source)
        return [] if source.startswith(_URL_PREFIXES) else [("source", Path(source))]
    from surveytui.metadata.store import metadata_path
    from surveytui.system.paths import state_path

    return [
        ("catalogue", catalog_path),
        ("state file", state_path(catalog_path, args.state)),
        ("metadata file", metadata_path(catalog_path)),
    ]


def _same(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # either one missing: not the same file
        return False


def own_input_problem(args: argparse.Namespace, catalog_path: Path) -> str | None:
    """One line when the command would write onto a file it reads, else None."""
    out = output_of(args)
    if out is None:
        return None
    for what, path in inputs_of(args, catalog_path):
        if _same(out, path):
            return f"{out}: is the {what} this command reads; nothing written (choose another file)"
    return None
