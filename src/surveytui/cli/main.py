"""Command line entry point: plain ``surveytui`` opens the browser, subcommands work headless.

Subcommands print data on stdout and messages on stderr, and import their
heavy dependencies (markdown-it, rapidfuzz, Textual) only when they need them,
so ``surveytui search`` starts in a fraction of the browser's start-up time.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from surveytui import __version__
from surveytui.cli.reading import ReadingCommands, ReadingError, add_reading_commands
from surveytui.model.catalog import Catalog, CatalogError, Paper
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


def _refuse_own_inputs(args: argparse.Namespace) -> None:
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


def _reading_commands() -> ReadingCommands:
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


# --------------------------------------------------------------------------- parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="catalogue TOML to browse (default: the bundled survey)",
    )
    common.add_argument(
        "--state",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="user state file (default: one per catalogue in the user data dir)",
    )
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: $SURVEYTUI_CONFIG, else config.toml in the user config dir)",
    )

    parser = _Parser(
        prog="surveytui",
        parents=[common],
        description="Browse the paper list of a survey in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"surveytui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    fmt = {"choices": ("table", "json"), "default": "table", "help": "output format"}
    p = add("list", cmd_list, "list papers")
    p.add_argument(
        "--section", metavar="TEXT", help="only papers in sections whose path contains TEXT"
    )
    p.add_argument("--format", **fmt)  # type: ignore[arg-type]
    p.add_argument(
        "--ids", dest="show_ids", action="store_true", help="table: show each paper's id"
    )
    p = add("search", cmd_search, "search papers with the filter language, best match first")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_positive_int, metavar="N", help="at most N results")
    p.add_argument("--format", **fmt)  # type: ignore[arg-type]
    p.add_argument(
        "--ids", dest="show_ids", action="store_true", help="table: show each paper's id"
    )
    add("sections", cmd_sections, "show the section tree with paper counts")
    p = add("check", cmd_check, "report duplicates, venue typos, bad URLs and missing years")
    p.add_argument("path", nargs="?", metavar="PATH", help="catalogue TOML or Markdown list")
    p = add("import", cmd_import, "turn a Markdown paper list (file or URL) into a catalogue")
    p.add_argument("source", metavar="SOURCE", help="a Markdown file, a URL, or a GitHub repo URL")
    p.add_argument("-o", "--output", metavar="OUT.toml", help="write here (default: stdout)")
    p.add_argument("--title", help="catalogue title (default: the document's first heading)")
    p.add_argument("--arxiv", metavar="ID", help="the survey's arXiv id")
    p.add_argument("--source", dest="source_url", metavar="URL", help="where the list comes from")
    p = add("update", cmd_update, "bring the bundled survey up to date from its source")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    p.add_argument("--undo", action="store_true", help="go back to the catalogue before")
    p = add("export", cmd_export, "export papers (optionally matching QUERY)")
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--format", choices=("markdown", "bibtex", "csv", "json"), default="markdown")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p = add("stats", cmd_stats, "papers per year, venue, section, category; code; your progress")
    p.add_argument("query", nargs="?", metavar="QUERY", help="only papers matching this filter")
    p.add_argument("--format", **fmt)  # type: ignore[arg-type]
    add_reading_commands(add, _reading_commands(), fmt)
    p = add("state", cmd_state, "move favourites, tags, read marks and notes between machines")
    p.add_argument("action", choices=("export", "import"))
    p.add_argument("file", metavar="FILE")
    p = add("enrich", cmd_enrich, "fetch authors, abstracts and ids from arXiv and OpenAlex")
    p.add_argument(
        "query", nargs="?", metavar="QUERY", help="only papers matching QUERY (default: all)"
    )
    p.add_argument(
        "--refresh", action="store_true", help="fetch again papers that already have metadata"
    )
    p = add("metadata", cmd_metadata, "move fetched metadata between machines")
    p.add_argument("action", choices=("export", "import"))
    p.add_argument("file", metavar="FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name in ("data", "state", "config"):
        if not hasattr(args, name):
            setattr(args, name, None)
    if args.command == "fav" and args.action in ("add", "rm") and not args.ids:
        parser.error(f"fav {args.action}: give at least one paper id")
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_browse)
    from surveytui.state.store import StateError
    from surveytui.system.output import is_stdout_error, report_output_error

    try:
        _refuse_own_inputs(args)
        code = func(args)
        sys.stdout.flush()  # a full disk must fail here, not silently at exit
        return code
    except (CliError, CatalogError, StateError, ReadingError) as exc:
        print(f"surveytui: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `surveytui list | head`: the reader left; exit quietly like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if not is_stdout_error(exc):
            raise
        return report_output_error(exc)
    except KeyboardInterrupt:
        return 130
