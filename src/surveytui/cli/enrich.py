"""``surveytui enrich`` and ``surveytui metadata``: fetch, keep and move paper metadata.

Exit status: 0 when the run finished (papers no service knows are reported,
not errors), 1 when a service could not be reached or answered badly (one
line naming it; everything fetched before is kept), 2 for user errors, 130
when interrupted (everything fetched is kept; a rerun resumes).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from surveytui.metadata.store import MetaStore, MetaStoreError, metadata_path
from surveytui.model.catalog import Catalog, Paper
from surveytui.model.meta import SOURCE_NAMES

EXIT_SERVICE = 1
EXIT_INTERRUPTED = 130


def _say(text: str) -> None:
    print(f"surveytui: {text}", file=sys.stderr)


def load_meta(catalog_path: Path) -> MetaStore:
    """The catalogue's metadata, read now; notices (a corrupt file moved aside) to stderr."""
    store = MetaStore(metadata_path(catalog_path))
    for notice in store.load():
        _say(notice)
    return store


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run_enrich(store: MetaStore, catalog: Catalog, papers: Sequence[Paper], refresh: bool) -> int:
    from surveytui.cli.progress import ProgressLine
    from surveytui.metadata.arxiv import ArxivClient
    from surveytui.metadata.enrich import Enricher, needs_fetch
    from surveytui.metadata.http import EndpointError, ServiceError
    from surveytui.metadata.openalex import OpenAlexClient

    try:
        clients = ArxivClient(), OpenAlexClient()
    except EndpointError as exc:  # a setting, not the service: a user error
        _say(f"error: {exc}")
        return 2
    todo = needs_fetch(papers, store, refresh)
    if not todo:
        have = "already has" if len(papers) == 1 else "already have"
        _say(
            f"nothing to fetch: {_plural(len(papers), 'paper')} {have} metadata "
            "(--refresh fetches them again)"
        )
        return 0
    bar = ProgressLine()
    enricher = Enricher(store, *clients, bar, refresh=refresh)
    try:
        enricher.run(todo)
    except ServiceError as exc:
        bar.close(keep=False)
        kept = len(enricher.report.found)
        tail = f" (kept the {_plural(kept, 'record')} fetched before it)" if kept else ""
        _say(f"error: {exc}{tail}")
        return EXIT_SERVICE
    except KeyboardInterrupt:
        bar.close()
        kept = len(enricher.report.found)
        _say(
            f"interrupted: kept {_plural(kept, 'record')}; "
            "run 'surveytui enrich' again to fetch the rest"
        )
        return EXIT_INTERRUPTED
    bar.close()
    report = enricher.report
    for pid, found in report.mismatched.items():
        paper = catalog.by_id[pid]
        _say(
            f"{pid}: link points to a different paper: "
            f"{SOURCE_NAMES.get(found.source, found.source)} {found.identifier} "
            f"is {found.found_title!r}, not {paper.title!r}; not attached"
        )
    _say(
        f"enrich: {_plural(len(report.found), 'paper')} found, {len(report.not_found)} not "
        f"found, {_plural(len(report.mismatched), 'wrong link')}; stored in {store.path}"
    )
    return 0


def cmd_enrich_with(args: argparse.Namespace, catalog: Catalog, catalog_path: Path) -> int:
    """The command body once the CLI has loaded the catalogue and parsed the query."""
    store = load_meta(catalog_path)
    papers: Sequence[Paper] = catalog.papers
    if args.query:
        from surveytui.search.engine import SearchIndex
        from surveytui.search.query import QueryError

        index = SearchIndex(catalog)
        index.attach_meta(store)
        try:
            papers = index.search(args.query)
        except QueryError as exc:
            _say(f"error: query {args.query!r}: {exc}")
            return 2
        if not papers:
            _say(f"no paper matches {args.query!r}; nothing to fetch")
            return 0
    try:
        return run_enrich(store, catalog, papers, args.refresh)
    except MetaStoreError as exc:
        _say(f"error: {exc}")
        return 2


def cmd_metadata_with(args: argparse.Namespace, catalog_path: Path) -> int:
    store = load_meta(catalog_path)
    target = Path("/dev/stdout" if args.file == "-" else args.file)  # written to our stdout
    try:
        if args.action == "export":
            count = store.export_to(target)
            _say(f"wrote {_plural(count, 'record')} to {'stdout' if args.file == '-' else target}")
        else:
            return _import_metadata(store, catalog_path, target)
    except MetaStoreError as exc:
        _say(f"error: {exc}")
        return 2
    except OSError as exc:
        _say(f"error: {target}: cannot write ({exc.strerror or exc})")
        return 2
    return 0


def _import_metadata(store: MetaStore, catalog_path: Path, source: Path) -> int:
    """Import the records of ``source`` unless none of them are papers of this catalogue."""
    from surveytui.cli.transfer import EXIT_NO_MATCH, match_line, matching
    from surveytui.search.registry import load_cached

    records, mismatches, skipped, _ = decoded = store.read_import(source)
    tail = f"; skipped {decoded.skipped_text()}" if skipped else ""
    if not records and not mismatches:
        _say(f"{source}: no records{tail}; nothing imported")
        return EXIT_NO_MATCH if skipped else 0
    found, total = matching([*records, *mismatches], load_cached(catalog_path))
    if total and not found:
        _say(match_line(source, found, total))
        return EXIT_NO_MATCH
    store.update(records, mismatches)
    _say(f"{match_line(source, found, total)}; imported {_plural(len(records), 'record')}{tail}")
    return 0
