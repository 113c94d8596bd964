"""Awesome-list Markdown -> :class:`Catalog`, from markdown-it tokens.

Paper lists are written by hand and drift in format from one README to the
next, so entries are read from the parsed token stream (headings, list items,
inline children) rather than with line regexes: a link that wraps onto the
next line, an ``<ins>`` venue or an escaped bracket then parse the same way
they render on GitHub. This module walks the document; one bullet is read by
:mod:`surveytui.importer.entries`, venues by :mod:`surveytui.model.venues`, links are
cleaned and vetted by :mod:`surveytui.system.links`, ids come from
:mod:`surveytui.model.identity` and categories from :mod:`surveytui.model.categories`.

The rules, so the output can be predicted and checked:

Sections
    Every heading is a section except the document's first heading when it is
    an H1 (that is the catalogue title), prose headings (table of contents,
    abstract, citation, contribute, scope, references, metadata, "filter by
    categories", licence, news...) together with everything below them, and
    headings with no paper bullet below them at any depth. Ids are slug paths
    (``top/sub``); bullets before the first section heading are ignored with a
    warning.

Paper bullets, links, venues
    See :mod:`surveytui.importer.entries` and :func:`normalise_venue`.

Duplicates and ids
    Bullets whose :func:`title_key` match are one paper: sections accumulate in
    survey order, first-seen values win and later listings fill missing fields;
    each merge is reported. Ids come from the title alone (:func:`assign_ids`),
    so user state keyed by them survives re-imports.

Categories
    :func:`categorise` -- keyword rules on the title plus the section path.

:func:`import_markdown` never raises on any text (no papers gives an empty
catalogue); :func:`import_file` raises :class:`CatalogError` when the file is
unreadable, not UTF-8, or holds no papers.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from surveytui.importer.entries import Entry, EntryReader, ImportIssue, markdown_parser
from surveytui.importer.url_cleanup import arxiv_id
from surveytui.model.catalog import (
    Catalog,
    CatalogError,
    Paper,
    Section,
    catalog_to_toml,
    read_text_file,
)
from surveytui.model.categories import categorise
from surveytui.model.identity import assign_ids, title_key
from surveytui.model.text import clean_text, normalise_title, slugify


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
    r"|licen[cs]e|acknowledg(e)?ments?|news|updates?|star history|contact"
)


@dataclass
class _Heading:
    level: int
    title: str
    line: int
    parent: int | None
    papers: int = 0
    id: str = ""


@dataclass
class _Document:
    title: str | None = None
    arxiv: str | None = None
    headings: list[_Heading] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


def _inline_text(inline: Token) -> str:
    kinds = ("text", "code_inline", "image")
    return "".join(t.content for t in inline.children or [] if t.type in kinds)


def _walk(tokens: Sequence[Token], imp: EntryReader) -> _Document:
    doc = _Document()
    open_headings: list[int] = []
    skip_level: int | None = None  # inside a prose heading's subtree
    current: int | None = None
    items: list[bool] = []  # per open list item: first paragraph already read?
    seen_heading = False
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            level = int(tok.tag[1:])
            text = clean_text(_inline_text(tokens[i + 1]))
            if not seen_heading and level == 1:
                doc.title, seen_heading = text or None, True
                continue
            seen_heading = True
            if skip_level is not None and level > skip_level:
                continue
            skip_level = None
            while open_headings and doc.headings[open_headings[-1]].level >= level:
                open_headings.pop()
            if _PROSE_HEADING.fullmatch(normalise_title(text)):
                skip_level, current = level, None
                continue
            line = (tok.map[0] if tok.map else 0) + 1
            parent = open_headings[-1] if open_headings else None
            doc.headings.append(_Heading(level, text or "Untitled", line, parent))
            current = len(doc.headings) - 1
            open_headings.append(current)
        elif tok.type == "list_item_open":
            items.append(False)
        elif tok.type == "list_item_close" and items:
            items.pop()
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            if items and not items[-1] and skip_level is None:
                items[-1] = True
                noted = len(imp.issues)
                entry = imp.entry(tok)
                if entry and current is not None:
                    entry.section = current
                    doc.entries.append(entry)
                    doc.headings[current].papers += 1
                    continue
                if entry:
                    del imp.issues[noted:]  # its link remarks would only be noise
                    imp.warn(entry.line, f"ignored {entry.title!r}: no section heading above it")
            elif items:
                items[-1] = True
            if not doc.entries and doc.arxiv is None:
                doc.arxiv = arxiv_id(tok.content)
    return doc


def _keep_sections(headings: list[_Heading]) -> list[_Heading]:
    """Drop headings with no paper at any depth; give the rest slug-path ids."""
    kept: set[int] = set()
    for index, heading in enumerate(headings):
        walk: int | None = index if heading.papers else None
        while walk is not None and walk not in kept:
            kept.add(walk)
            walk = headings[walk].parent
    used: set[str] = set()
    out = []
    for index, heading in enumerate(headings):
        if index not in kept:
            continue
        base = slugify(heading.title) or "section"
        if heading.parent is not None:
            base = f"{headings[heading.parent].id}/{base}"
        sid, n = base, 2
        while sid in used:
            sid, n = f"{base}-{n}", n + 1
        used.add(sid)
        heading.id = sid
        out.append(heading)
    return out


def _section_path(headings: list[_Heading], index: int) -> list[str]:
    path: list[str] = []
    walk: int | None = index
    while walk is not None:
        path.append(headings[walk].title)
        walk = headings[walk].parent
    return path[::-1]


def _merge(
    doc: _Document, source_name: str
) -> tuple[list[tuple[Entry, list[int]]], list[ImportIssue]]:
    """One record per distinct title; later listings fill gaps and are reported."""
    merged: dict[str, tuple[Entry, list[int]]] = {}
    issues: list[ImportIssue] = []
    for entry in doc.entries:
        key = title_key(entry.title)
        if key not in merged:
            merged[key] = (entry, [entry.section])
            continue
        first, sections = merged[key]
        here = " / ".join(_section_path(doc.headings, entry.section))
        how = "listed again" if entry.section in sections else "also listed"
        message = f"{entry.title!r} is {how} in {here!r} (first at line {first.line})"
        if entry.section not in sections:
            sections.append(entry.section)
        for name in ("venue", "year", "paper_url", "code_url"):
            old, new = getattr(first, name), getattr(entry, name)
            if old is None:
                setattr(first, name, new)
            elif new is not None and new != old:
                message += f"; kept {name} {old!r}, not {new!r}"
        where = f"{source_name}:{entry.line}"
        issues.append(ImportIssue(where, message, "duplicate", entry.line))
    return list(merged.values()), issues


# --------------------------------------------------------------------------- public API


def import_markdown(
    text: str,
    *,
    source_name: str = "<markdown>",
    title: str | None = None,
    arxiv: str | None = None,
    source: str | None = None,
) -> ImportResult:
    """Parse an awesome-list README; never raises, an empty catalogue means no papers."""
    imp = EntryReader(source_name)
    doc = _walk(markdown_parser().parse(text.lstrip("\ufeff")), imp)
    headings = doc.headings
    kept = _keep_sections(headings)
    records, duplicate_issues = _merge(doc, source_name)
    ids = assign_ids([entry.title for entry, _ in records])
    papers = [
        Paper(
            id=pid,
            title=entry.title,
            venue=entry.venue,
            year=entry.year,
            sections=tuple(headings[s].id for s in sections),
            paper_url=entry.paper_url,
            code_url=entry.code_url,
            categories=categorise(
                entry.title, [t for s in sections for t in _section_path(headings, s)]
            ),
        )
        for pid, (entry, sections) in zip(ids, records, strict=True)
    ]
    catalog = Catalog(
        title=clean_text(title or "") or doc.title or "Papers",
        sections=tuple(
            Section(h.id, h.title, headings[h.parent].id if h.parent is not None else None)
            for h in kept
        ),
        papers=tuple(papers),
        arxiv=clean_text(arxiv or "") or doc.arxiv,
        source=clean_text(source or "") or None,
    )
    issues = sorted(imp.issues + duplicate_issues, key=lambda issue: issue.line)
    return ImportResult(
        catalog=catalog,
        warnings=tuple(str(i) for i in issues if i.kind != "duplicate"),
        entries=len(doc.entries),
        duplicates=tuple(str(i) for i in issues if i.kind == "duplicate"),
        issues=tuple(issues),
        lines={pid: entry.line for pid, (entry, _) in zip(ids, records, strict=True)},
        source_name=source_name,
    )


def import_file(
    path: Path | str,
    *,
    title: str | None = None,
    arxiv: str | None = None,
    source: str | None = None,
) -> ImportResult:
    """Import a Markdown file; unreadable, non-UTF-8 or paper-less files raise CatalogError."""
    path = Path(path)
    text = read_text_file(path, "Markdown")
    result = import_markdown(text, source_name=str(path), title=title, arxiv=arxiv, source=source)
    if not result.catalog.papers:
        raise CatalogError(
            f"{path}: no paper entries found (expected bullets like "
            '"- Title. *[Venue\'YY]* [[Paper]](https://...)" under section headings)'
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
