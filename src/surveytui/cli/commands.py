"""The subcommands: each loads what it needs, prints data on stdout and messages on stderr.

Heavy dependencies (markdown-it, rapidfuzz, Textual) are imported inside the
command that needs them, so ``surveytui search`` starts in a fraction of the
browser's start-up time. ``cli.parser`` wires these to the command line and
``cli.main`` runs them and turns their errors into one line and an exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from surveytui.cli.reading import ReadingCommands
from surveytui.model.catalog import Catalog, Paper
from surveytui.quick.table import print_table

if TYPE_CHECKING:
    from surveytui.state.store import Store

EXIT_OK, EXIT_FOUND_ERRORS, EXIT_USAGE = 0, 1, 2
#: A command's change is lost if it cannot take the state lock (unlike the
#: browser, it cannot keep it for later), so it waits well beyond the store's
#: default: a hundred ``fav add`` started at once queue for the lock.
CLI_LOCK_TIMEOUT = 60.0


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 2."""


# --------------------------------------------------------------------------- helpers


def _catalog_path(args: argparse.Namespace) -> Path:
    from surveytui.system.paths import default_catalog

    return Path(args.data) if args.data else default_catalog()


def _load_catalog(args: argparse.Namespace) -> Catalog:
    from surveytui.search.registry import load_cached

    return load_cached(_catalog_path(args))


def _open_store(
    args: argparse.Namespace, *, headless: bool = True, readonly: bool = False
) -> tuple[Store, list[str]]:
    """The user's state; notices (a corrupt file moved aside, a migration) go to stderr
    for headless commands and are returned so the browser can show them on screen.
    A ``readonly`` command never repairs or moves the file (see ``Store.load``)."""
    from surveytui.state.store import LOCK_TIMEOUT, Store
    from surveytui.system.paths import catalog_key, state_path

    path = _catalog_path(args)
    timeout = CLI_LOCK_TIMEOUT if headless else LOCK_TIMEOUT
    store = Store(state_path(path, args.state), catalog_key=catalog_key(path), lock_timeout=timeout)
    notices = store.load(readonly=readonly)
    if headless:
        for notice in notices:
            print(f"surveytui: {notice}", file=sys.stderr)
    return store, notices


def _adopt_aliases(store: Store, catalog: Catalog) -> None:
    """State kept under a joined listing's old id follows the paper (state/aliases.py)."""
    from surveytui.state.aliases import adopt_aliases

    adopt_aliases(store, catalog)


def _write_output(text: str, out: str | None) -> None:
    """Write to ``out`` (``-`` or None: stdout); a file is written atomically."""
    if out in (None, "-"):
        sys.stdout.write(text)
        return
    from surveytui.system.atomic import write_text_atomic

    target = Path(str(out))
    try:
        write_text_atomic(target, text, private=False)
    except OSError as exc:
        raise CliError(f"{target}: cannot write ({exc.strerror or exc})") from None
    print(f"surveytui: wrote {target}", file=sys.stderr)


def refuse_own_inputs(args: argparse.Namespace) -> None:
    from surveytui.cli.outputs import own_input_problem

    if args.command and (problem := own_input_problem(args, _catalog_path(args))):
        raise CliError(problem)


def _emit_papers(
    args: argparse.Namespace, catalog: Catalog, papers: Sequence[Paper], store: Store
) -> None:
    if args.format == "json":
        from surveytui.cli.enrich import load_meta
        from surveytui.export import to_json

        meta = load_meta(_catalog_path(args))
        sys.stdout.write(to_json(catalog, papers, store, meta))
    else:
        print_table(papers, store.is_favourite, ids=getattr(args, "show_ids", False))


def reading_commands() -> ReadingCommands:
    def open_store(args: argparse.Namespace) -> tuple[Store, list[str]]:
        _require_catalogue_file(args)  # it names the state file
        return _open_store(args, readonly=getattr(args, "action", None) == "list")

    return ReadingCommands(_load_catalog, open_store, _emit_papers)


# --------------------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    catalog = _load_catalog(args)
    store, _ = _open_store(args, readonly=True)
    _adopt_aliases(store, catalog)
    papers: Sequence[Paper] = catalog.papers
    if args.section:
        needle = args.section.casefold()
        wanted = {s.id for s in catalog.sections if needle in catalog.section_path(s.id).casefold()}
        if not wanted:
            raise CliError(f"{catalog.path}: no section matches {args.section!r}")
        papers = [p for p in papers if wanted.intersection(p.sections)]
    _emit_papers(args, catalog, papers, store)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from surveytui.quick.writer import ensure_pack, remember_favourites
    from surveytui.search.query import QueryError, parse_query
    from surveytui.search.registry import search_index
    from surveytui.system.paths import state_path

    try:
        catalog_stat: os.stat_result | None = _catalog_path(args).stat()
    except OSError:
        catalog_stat = None  # loading reports it
    catalog = _load_catalog(args)
    state_file = state_path(_catalog_path(args), args.state)
    store, notices = _open_store(args, readonly=True)
    try:
        query = parse_query(args.query)
    except QueryError as exc:
        raise CliError(f"query {args.query!r}: {exc}") from None
    index = search_index(catalog)
    if query.uses_meta():
        from surveytui.cli.enrich import load_meta

        index.attach_meta(load_meta(_catalog_path(args)))
    papers = index.search(query, store, limit=args.limit)
    if not papers and args.format == "table":
        # Like grep: nothing on stdout, a word on stderr, exit status 1.
        print(f"surveytui: no paper matches {args.query!r}", file=sys.stderr)
    else:
        _emit_papers(args, catalog, papers, store)
    # Let the next plain-word search of this catalogue take the quick path.
    if catalog_stat is not None:
        ensure_pack(_catalog_path(args), catalog_stat, catalog.papers, index.pack_arrays())
    if not notices:
        remember_favourites(state_file, store.file_bytes, (pid for pid, _ in store.favourites()))
    return EXIT_OK if papers else EXIT_FOUND_ERRORS


def cmd_sections(args: argparse.Namespace) -> int:
    catalog = _load_catalog(args)
    counts = {s.id: len(catalog.papers_in(s.id)) for s in catalog.sections}
    print(f"{catalog.title} ({len(catalog.papers)} papers)")

    def walk(parent: str | None, depth: int) -> None:
        for sec in catalog.children.get(parent, ()):
            print(f"{'  ' * depth}{sec.title} ({counts[sec.id]})")
            walk(sec.id, depth + 1)

    walk(None, 1)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from surveytui.importer.check import check_catalog, check_markdown

    path = Path(args.path) if args.path else _catalog_path(args)
    where = str(path)
    if args.path and args.path.startswith(("http://", "https://")):
        from surveytui.importer.document import import_source

        findings = check_markdown(import_source(args.path))
        where = args.path
    elif path.suffix.lower() in (".md", ".markdown"):
        from surveytui.importer.document import import_file

        findings = check_markdown(import_file(path))
    else:
        from surveytui.cli.enrich import load_meta
        from surveytui.model.catalog import load_catalog

        findings = check_catalog(load_catalog(path), load_meta(path))
    for finding in findings:
        print(str(finding))
    errors = sum(1 for f in findings if f.level == "error")
    warnings = len(findings) - errors
    print(f"{where}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_FOUND_ERRORS if errors else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from surveytui.cli.catalogs import cmd_import as run_import

    return run_import(args, _write_output)


def cmd_update(args: argparse.Namespace) -> int:
    from surveytui.cli.catalogs import cmd_update as run_update

    return run_update(args)


def cmd_export(args: argparse.Namespace) -> int:
    from surveytui.cli.enrich import load_meta
    from surveytui.export import export_papers
    from surveytui.search.query import QueryError, parse_query
    from surveytui.search.registry import search_index

    catalog = _load_catalog(args)
    store, _ = _open_store(args, readonly=True)
    _adopt_aliases(store, catalog)
    meta = load_meta(_catalog_path(args))
    papers: Sequence[Paper] = catalog.papers
    if args.query:
        index = search_index(catalog)
        index.attach_meta(meta)
        try:
            papers = index.search(parse_query(args.query), store)
        except QueryError as exc:
            raise CliError(f"query {args.query!r}: {exc}") from None
    _write_output(export_papers(catalog, papers, args.format, store, meta), args.output)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from surveytui.cli.stats_output import write_stats
    from surveytui.search.query import QueryError

    catalog = _load_catalog(args)
    store, _ = _open_store(args, readonly=True)
    try:
        write_stats(catalog, store, args.query or "", args.format, sys.stdout)
    except QueryError as exc:
        raise CliError(f"query {args.query!r}: {exc}") from None
    return EXIT_OK


def _require_catalogue_file(args: argparse.Namespace) -> None:
    """State-only commands need the catalogue's path (it names the state file), not its data."""
    path = _catalog_path(args)
    if not path.is_file():
        raise CliError(f"{path}: no such file")


def cmd_state(args: argparse.Namespace) -> int:
    from surveytui.cli.transfer import import_state

    _require_catalogue_file(args)
    store, _ = _open_store(args, readonly=args.action == "export")
    if args.action == "export":
        store.export_state(Path("/dev/stdout" if args.file == "-" else args.file))
        if args.file != "-":
            print(f"surveytui: wrote {args.file}", file=sys.stderr)
        return EXIT_OK
    return import_state(store, _load_catalog(args), Path(args.file))


def cmd_enrich(args: argparse.Namespace) -> int:
    from surveytui.cli.enrich import cmd_enrich_with

    return cmd_enrich_with(args, _load_catalog(args), _catalog_path(args))


def cmd_metadata(args: argparse.Namespace) -> int:
    from surveytui.cli.enrich import cmd_metadata_with

    _require_catalogue_file(args)
    return cmd_metadata_with(args, _catalog_path(args))


def cmd_browse(args: argparse.Namespace) -> int:
    from surveytui.system.config import config_path, load_config
    from surveytui.ui.app import SurveyApp

    config, problems = load_config(config_path(args.config))
    for problem in problems:  # also on screen; this line stays after the browser exits
        print(f"surveytui: {problem}", file=sys.stderr)
    catalog = _load_catalog(args)
    store, notices = _open_store(args, headless=False)
    _adopt_aliases(store, catalog)
    from surveytui.metadata.store import MetaStore, metadata_path

    meta = MetaStore(metadata_path(_catalog_path(args)))  # read by the browser after it paints
    app = SurveyApp(catalog, store, notices=[*problems, *notices], meta=meta, config=config)
    app.run()
    # A change whose write failed (lock held too long, disk full) is retried once more
    # on the way out, so quitting right after a failed star does not lose it silently.
    if store.has_unsaved_changes:
        store.flush()
    # A crash inside the app (Textual has printed its traceback) must not read as success.
    return app.return_code or EXIT_OK
