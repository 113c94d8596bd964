"""The commands that make catalogues: ``import`` (a file or URL) and ``update``.

Kept out of :mod:`surveytui.cli.main` so the importer's heavier modules load
only for these commands. Messages go to stderr, data (the TOML, the list of
changes) to stdout; bad input is one line and exit 2, and no file is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TextIO

from surveytui.model.catalog import CatalogError

EXIT_OK, EXIT_USAGE = 0, 2


class ProgressBar:
    """A one-line bar on stderr, shown only on a terminal and once an import passes a
    second (a quick import prints nothing extra)."""

    DELAY = 1.0
    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, label: str = "importing") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.start = time.monotonic()
        self.shown = False
        self.enabled = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.start < self.DELAY:
            return
        share = min(1.0, done / total) if total else 1.0
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {share:4.0%}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (len(self.label) + self.WIDTH + 9) + "\r")
            self.stream.flush()


def cmd_import(args: argparse.Namespace, write_output: Callable[[str, str | None], None]) -> int:
    from surveytui.importer.document import import_source, render_toml

    bar = ProgressBar()
    try:
        result = import_source(
            args.source,
            title=args.title,
            arxiv=args.arxiv,
            source_url=args.source_url,
            progress=bar,
        )
    finally:
        bar.close()
    for warning in result.warnings:
        print(f"surveytui: {warning}", file=sys.stderr)
    text = render_toml(result.catalog, args.source, args.output)
    write_output(text, args.output)
    print(
        f"surveytui: imported {len(result.catalog.papers)} papers "
        f"({result.entries} entries) in {len(result.catalog.sections)} sections",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_update(args: argparse.Namespace) -> int:
    from surveytui.importer.update import fetch_update, install, undo
    from surveytui.model.catalog import load_catalog
    from surveytui.system.paths import bundled_catalog, updated_catalog

    target = updated_catalog()
    if args.undo:
        print(f"surveytui: {undo(target)}", file=sys.stderr)
        return EXIT_OK
    current_path = target if target.is_file() else bundled_catalog()
    current = load_catalog(current_path)
    result, changes, text = fetch_update(current)
    for line in changes.lines():
        print(line)
    if not changes:
        print(f"surveytui: {current_path} is up to date ({changes.summary()})", file=sys.stderr)
        return EXIT_OK
    if args.dry_run:
        print(f"surveytui: would update: {changes.summary()} (dry run)", file=sys.stderr)
        return EXIT_OK
    try:
        install(target, text)
    except OSError as exc:
        raise CatalogError(f"{target}: cannot write ({exc.strerror or exc})") from None
    print(
        f"surveytui: updated {target}: {changes.summary()}, "
        f"{len(result.catalog.papers)} papers; undo with 'surveytui update --undo'",
        file=sys.stderr,
    )
    return EXIT_OK
