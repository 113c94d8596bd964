"""Awesome-list Markdown -> :class:`Catalog`: the importer's pipeline, start to end.

Paper lists are written by hand in many styles (bullets, numbered items,
tables, paragraph lines, two-line entries, badges...). Every list goes through
the same stages, each in its own module with its rules in its docstring:

0. :mod:`~surveytui.importer.sources` and :mod:`~surveytui.importer.fetch` --
   the text, from a file or a URL, with bad input refused in one line.
1. :mod:`~surveytui.importer.candidates` -- the document's block structure
   (markdown-it, inline parsing off): headings become sections; list items,
   table rows and paragraph lines become candidates.
2. :mod:`~surveytui.importer.segments` -- a candidate's inline Markdown as
   text, links, images, emphasis marks and line breaks (one linear pass).
3. :mod:`~surveytui.importer.fields` -- segments to title, venue, year,
   links and authors, by rules in a fixed order (:mod:`~surveytui.importer.tokens`,
   :mod:`~surveytui.importer.titles`, :mod:`~surveytui.importer.clues`), with the
   vocabularies of :mod:`~surveytui.importer.vocab` (link labels, venues, badges,
   dates).
4. :mod:`~surveytui.importer.entries` -- links cleaned and vetted.
5. :mod:`~surveytui.importer.merge` -- repeated and near-duplicate listings
   joined; stable ids (and aliases for joined ones).

Sections
    Every heading is a section except the document's first heading when it is
    an H1 (that is the catalogue title), prose headings (abstract, citation,
    contribute, scope, references, metadata, "filter by categories", licence,
    news, tutorials...) together with everything below them, a table of
    contents heading (its own bullets only), and headings with no paper below
    them at any depth. Ids are slug paths (``top/sub``); list items before the
    first section heading are ignored with a warning.

Categories
    :func:`categorise` -- keyword rules on the title plus the section path.

:func:`import_markdown` never raises on any text (no papers gives an empty
catalogue); :func:`import_source` (a file or URL) and :func:`import_file` raise
:class:`CatalogError` when the input is unreadable, binary, not UTF-8, an HTML
page, empty, or holds no papers.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from surveytui.importer.candidates import Heading, walk
from surveytui.importer.entries import EntryReader, ImportIssue
from surveytui.importer.merge import merge
from surveytui.importer.sources import read_source
from surveytui.importer.url_cleanup import arxiv_id
from surveytui.model.catalog import (
    Catalog,
    CatalogError,
    Paper,
    Section,
    catalog_to_toml,
)
from surveytui.model.categories import categorise
from surveytui.model.text import clean_text, normalise_title, slugify

#: ``progress(done, total)``: source lines read so far, of all.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    """The catalogue plus every remark, so ``import`` and ``check`` report the same things."""

    catalog: Catalog
    warnings: tuple[str, ...]  # "file:line: message", refused unsafe links included
    entries: int  # paper bullets seen, before merging
    duplicates: tuple[str, ...]  # "file:line: message", one per merged listing
    issues: tuple[ImportIssue, ...] = ()  # all of the above, structured, in line order
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)  # id -> line
    source_name: str = "<markdown>"


# --------------------------------------------------------------------------- the document

_PROSE_HEADING = re.compile(
    r"(table of )?contents?|toc|abstract|citations?|cite|how to cite|contribute|contributing"
    r"|contributions?|contributors?|scope\b.*|references?|metadata|filter by categor(y|ies)"
    r"|licen[cs]e|acknowledg(e)?ments?|news|updates?|star history|contact|tutorials?"
)


def _is_prose(title: str) -> bool:
    return bool(_PROSE_HEADING.fullmatch(normalise_title(title)))


def _keep_sections(headings: list[Heading]) -> list[Heading]:
    """Drop headings with no paper at any depth; give the rest slug-path ids."""
    kept: set[int] = set()
    for index, heading in enumerate(headings):
        walk: int | None = index if heading.papers else None
        while walk is not None and walk not in kept:
            kept.add(walk)
            walk = headings[walk].parent
    used: set[str] = set()
    next_n: dict[str, int] = {}  # per base, the first suffix not yet tried: 20k equal
    out = []  # sibling names would otherwise retry every earlier suffix (quadratic)
    for index, heading in enumerate(headings):
        if index not in kept:
            continue
        base = slugify(heading.title) or "section"
        if heading.parent is not None:
            base = f"{headings[heading.parent].id}/{base}"
        sid, n = base, next_n.get(base, 2)
        while sid in used:
            sid, n = f"{base}-{n}", n + 1
        next_n[base] = n
        used.add(sid)
        heading.id = sid
        out.append(heading)
    return out


def _section_path(headings: list[Heading], index: int) -> list[str]:
    path: list[str] = []
    walk: int | None = index
    while walk is not None:
        path.append(headings[walk].title)
        walk = headings[walk].parent
    return path[::-1]


# --------------------------------------------------------------------------- public API


def import_markdown(
    text: str,
    *,
    source_name: str = "<markdown>",
    title: str | None = None,
    arxiv: str | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Parse an awesome-list README; never raises, an empty catalogue means no papers.

    ``progress(done, total)`` is called now and then with source lines read.
    """
    imp = EntryReader(source_name)
    doc = walk(text.lstrip("\ufeff"), _is_prose, clean_text, progress)
    headings = doc.headings
    entries = [imp.entry(c.fields, c.section) for c in doc.candidates]
    for orphan in doc.orphans:
        imp.warn(orphan.line, f"ignored {clean_text(orphan.title)!r}: no section heading above it")
    kept = _keep_sections(headings)
    records, duplicate_issues = merge(
        entries, lambda s: " / ".join(_section_path(headings, s)), source_name
    )
    papers = [
        Paper(
            id=record.id,
            title=record.entry.title,
            venue=record.entry.venue,
            year=record.entry.year,
            sections=tuple(headings[s].id for s in record.sections),
            paper_url=record.entry.paper_url,
            code_url=record.entry.code_url,
            categories=categorise(
                record.entry.title,
                [t for s in record.sections for t in _section_path(headings, s)],
            ),
            authors=record.entry.authors,
            aliases=tuple(record.aliases),
        )
        for record in records
    ]
    catalog = Catalog(
        title=clean_text(title or "") or doc.title or "Papers",
        sections=tuple(
            Section(h.id, h.title, headings[h.parent].id if h.parent is not None else None)
            for h in kept
        ),
        papers=tuple(papers),
        arxiv=clean_text(arxiv or "") or next(filter(None, map(arxiv_id, doc.first_text)), None),
        source=clean_text(source or "") or None,
    )
    issues = sorted(imp.issues + duplicate_issues, key=lambda issue: issue.line)
    return ImportResult(
        catalog=catalog,
        warnings=tuple(str(i) for i in issues if i.kind != "duplicate"),
        entries=len(entries),
        duplicates=tuple(str(i) for i in issues if i.kind == "duplicate"),
        issues=tuple(issues),
        lines={record.id: record.entry.line for record in records},
        source_name=source_name,
    )


def import_file(
    path: Path | str,
    *,
    title: str | None = None,
    arxiv: str | None = None,
    source: str | None = None,
) -> ImportResult:
    """Import a Markdown file; bad input raises CatalogError (see ``sources``)."""
    return import_source(str(path), title=title, arxiv=arxiv, source_url=source)


def import_source(
    source: str,
    *,
    title: str | None = None,
    arxiv: str | None = None,
    source_url: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a Markdown file or http(s) URL; refused input raises :class:`CatalogError`.

    A URL becomes the catalogue's source unless ``source_url`` names another.
    """
    text, fetched_from = read_source(source)
    if not text.strip():
        raise CatalogError(f"{source}: empty, no paper list in it")
    result = import_markdown(
        text,
        source_name=source,
        title=title,
        arxiv=arxiv,
        source=source_url or fetched_from,
        progress=progress,
    )
    if not result.catalog.papers:
        raise CatalogError(
            f"{source}: no paper entries found (expected list items, table rows or lines "
            'like "- Title. *[Venue\'YY]* [[Paper]](https://...)" under section headings)'
        )
    return result


def regenerate_command(
    catalog: Catalog, markdown: str | Path, output: str | Path | None = None
) -> str:
    """The ``surveytui import`` line that rebuilds ``catalog`` from ``markdown``.

    Built from the catalogue's own title, arXiv id and source rather than from
    the flags a user happened to type, so the same data always gets the same
    header (and the shipped file stays byte-for-byte reproducible).
    """
    argv = ["surveytui", "import", str(markdown)]
    if output is not None:
        argv += ["-o", str(output)]
    argv += ["--title", catalog.title]
    for flag, value in (("--arxiv", catalog.arxiv), ("--source", catalog.source)):
        if value:
            argv += [flag, value]
    return shlex.join(argv)


def toml_header(
    catalog: Catalog, markdown: str | Path | None = None, output: str | Path | None = None
) -> list[str]:
    """Comment lines for :func:`catalog_to_toml`: what the list is and how to rebuild it."""
    header = [clean_text(catalog.title)]
    if catalog.arxiv:
        header.append(f"arXiv: {clean_text(catalog.arxiv)}")
    if catalog.source:
        header.append(f"Source: {clean_text(catalog.source)}")
    header += [
        "",
        f"{len(catalog.papers)} papers in {len(catalog.sections)} sections, imported by surveytui",
        "from the list above: titles, venues, years, links and sections.",
    ]
    if markdown is not None:  # clean_text: one comment line, whatever the paths contain
        command = regenerate_command(catalog, markdown, output)
        header += ["Regenerate with:", "  " + clean_text(command)]
    header.append("Hand edits are fine; run `surveytui check` on this file afterwards.")
    return header


def render_toml(
    catalog: Catalog, markdown: str | Path | None = None, output: str | Path | None = None
) -> str:
    """Deterministic TOML with :func:`toml_header` on top."""
    return catalog_to_toml(catalog, header=toml_header(catalog, markdown, output))
