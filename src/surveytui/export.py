"""Reading lists leave the app in the formats researchers paste elsewhere.

Every writer is a pure function of (catalogue, papers[, user state]) returning
text, so the CLI, the UI and the golden-file tests share one code path and the
same input always gives the same bytes. Titles are untrusted: each writer
escapes them for its own syntax so data never turns into Markdown links,
LaTeX commands or spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence

from surveytui.bibtex import bibtex_entry, bibtex_keys, latex_escape, to_bibtex
from surveytui.model.catalog import Catalog, Paper, Section
from surveytui.model.meta import MetaView, NoMeta, paper_arxiv_id, paper_authors
from surveytui.state.protocols import UserState

FORMATS = ("markdown", "bibtex", "csv", "json")
__all__ = ["FORMATS", "bibtex_entry", "bibtex_keys", "export_papers", "latex_escape", "to_bibtex"]


StateView = UserState  # the read-only slice of user state an export needs


# --------------------------------------------------------------------------- records


def meta_fields(paper: Paper, meta: MetaView | None) -> dict[str, object]:
    """Authors and fetched facts; an empty list or null when unknown, never a missing key."""
    view = meta or NoMeta()
    found = view.meta(paper.id)
    return {
        "authors": list(paper_authors(paper, found)),
        "abstract": found.abstract if found else None,
        "arxiv_id": paper_arxiv_id(paper, found, view.mismatch(paper.id) is not None),
        "doi": found.doi if found else None,
        "published": found.published if found else None,
    }


def paper_record(
    catalog: Catalog,
    paper: Paper,
    state: StateView | None = None,
    meta: MetaView | None = None,
) -> dict[str, object]:
    """One paper as plain JSON-ready data: the shape scripts rely on, so keys are stable."""
    record: dict[str, object] = {
        "id": paper.id,
        "title": paper.title,
        "venue": paper.venue,
        "year": paper.year,
        "sections": [catalog.section_path(s) for s in paper.sections],
        "paper_url": paper.paper_url,
        "code_url": paper.code_url,
        "categories": list(paper.categories),
        **meta_fields(paper, meta),
    }
    if state is not None:
        record["favourite"] = state.is_favourite(paper.id)
        record["read"] = state.is_read(paper.id)
        record["tags"] = list(state.tags(paper.id))
        record["note"] = state.note(paper.id)
    return record


def to_json(
    catalog: Catalog,
    papers: Sequence[Paper],
    state: StateView | None = None,
    meta: MetaView | None = None,
) -> str:
    records = [paper_record(catalog, p, state, meta) for p in papers]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- Markdown

# Characters that start Markdown syntax anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<~#])")
# An HTML entity reference: markdown-it would decode ``&amp;`` to ``&``.
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What a list item's text may not start with without becoming a block:
# a quote, a nested bullet, or a nested ordered list (``1.`` / ``1)``).
_MD_BLOCK_START = re.compile(r"^(?:([>+\-])|(\d{1,9})([.)])(?=\s|$))")


def md_escape(text: str) -> str:
    """Backslash-escape what Markdown would read as syntax; markdown-it removes the escapes."""
    out = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", text))
    match = _MD_BLOCK_START.match(out)
    if match and match.group(1):
        out = "\\" + out
    elif match:
        out = match.group(2) + "\\" + out[match.end(2) :]
    return out


def _md_url(url: str) -> str:
    """A link destination that ends where the URL ends, whatever it contains."""
    if any(ch.isspace() for ch in url):
        return "<" + re.sub(r"([\\<>])", r"\\\1", url) + ">"
    return _MD_ENTITY.sub(r"\\&", re.sub(r"([\\()<>])", r"\\\1", url))


def _venue_tag(paper: Paper) -> str:
    """``Venue'YY`` as the survey writes it, ``Venue`` or ``YYYY`` when one is missing.

    Two-digit years are read back as 1970-2069 by the importer, so years
    outside that window keep all four digits.
    """
    if paper.year is None:
        return paper.venue or ""
    if not paper.venue:
        return str(paper.year)
    year = f"{paper.year % 100:02d}" if 1970 <= paper.year <= 2069 else str(paper.year)
    return f"{paper.venue}'{year}"


_NAME_SEPARATOR = re.compile(r",|&|\band\b")


def _author_line(authors: Sequence[str]) -> str:
    """``*Authors: A, B, C*``: every author, labelled so the importer takes any name.

    Commas separate, unless a name holds a comma, ``&`` or the word ``and``:
    then semicolons do (the importer splits on them alone when present; one
    such name gets a trailing one). A last name ending in a full stop gets a
    second, the line's own. A name holding a semicolon cannot be written back
    whole.
    """
    names = [" ".join(name.split()) for name in authors]
    if any(_NAME_SEPARATOR.search(n) for n in names):
        text = "; ".join(names) + (";" if len(names) == 1 else "")
    else:
        text = ", ".join(names)
    if text.endswith("."):  # "Jr.": the importer drops one final full stop
        text += "."
    return f"*{md_escape('Authors: ' + text)}*"


def markdown_entry(paper: Paper, authors: Sequence[str] = ()) -> str:
    """``- Title. *[Venue'YY]* [[Paper]](url) [[Code]](url)``: the survey's own bullet,
    with an ``*Authors: ...*`` line under it when the authors are known."""
    parts = [f"- {md_escape(paper.title)}."]
    tag = _venue_tag(paper)
    if tag:
        parts.append(f"*[{md_escape(tag)}]*")
    if paper.paper_url:
        parts.append(f"[[Paper]]({_md_url(paper.paper_url)})")
    if paper.code_url:
        parts.append(f"[[Code]]({_md_url(paper.code_url)})")
    names = [n for n in authors if n.strip()]
    return " ".join(parts) + (f"\n  {_author_line(names)}" if names else "")


def _walk(catalog: Catalog, parent: str | None, depth: int) -> Iterator[tuple[Section, int]]:
    for section in catalog.children.get(parent, ()):
        yield section, depth
        yield from _walk(catalog, section.id, depth + 1)


def to_markdown(catalog: Catalog, papers: Sequence[Paper], meta: MetaView | None = None) -> str:
    """An awesome-list page that ``surveytui import`` reads back to the same papers.

    Sections follow the catalogue's order and only those holding an exported
    paper (or a subsection that does) get a heading; within a section papers
    keep the order given. A paper in two sections is listed under both, as in
    the survey, and the importer merges the copies back into one paper.
    Papers in no section go last, under "Other papers", because the importer
    skips bullets that have no heading above them.

    One thing the format cannot carry: a bullet with no venue, year or link
    reads as prose to the importer, so such a paper is listed for the reader
    but does not come back on import.
    """
    by_section: dict[str, list[Paper]] = {}
    unsorted: list[Paper] = []
    for paper in papers:
        for sid in dict.fromkeys(paper.sections):
            by_section.setdefault(sid, []).append(paper)
        if not paper.sections:
            unsorted.append(paper)
    view = meta or NoMeta()

    def entry(paper: Paper) -> str:
        return markdown_entry(paper, paper_authors(paper, view.meta(paper.id)))

    lines = [f"# {md_escape(catalog.title)}", ""]
    for section, depth in _walk(catalog, None, 0):
        if not any(by_section.get(sid) for sid in catalog.descendants(section.id)):
            continue
        lines += [f"{'#' * min(depth + 2, 6)} {md_escape(section.title)}", ""]
        entries = by_section.get(section.id, [])
        if entries:
            lines += [*(entry(p) for p in entries), ""]
    if unsorted:
        lines += ["## Other papers", "", *(entry(p) for p in unsorted), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "id", "title", "venue", "year", "sections", "paper_url", "code_url", "categories",
    "authors", "abstract", "arxiv_id", "doi", "published",
)  # fmt: skip
CSV_STATE_COLUMNS = ("favourite", "read", "tags", "note")
CSV_META_FIELDS = ("abstract", "arxiv_id", "doi", "published")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """Guard against formula injection: a leading ``= + - @`` (or tab/CR) gets an apostrophe.

    Spreadsheets run a cell starting with those as a formula, so a crafted
    title could fetch URLs or run commands when the export is opened. The
    apostrophe is the OWASP-recommended neutraliser and shows as text.
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(
    catalog: Catalog,
    papers: Sequence[Paper],
    state: StateView | None = None,
    meta: MetaView | None = None,
) -> str:
    """One row per paper; lists joined with ``"; "``; state columns only when state is given."""
    view = meta or NoMeta()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = CSV_COLUMNS + (CSV_STATE_COLUMNS if state is not None else ())
    writer.writerow(header)
    for paper in papers:
        row = [
            paper.id,
            paper.title,
            paper.venue or "",
            "" if paper.year is None else str(paper.year),
            "; ".join(catalog.section_path(s) for s in paper.sections),
            paper.paper_url or "",
            paper.code_url or "",
            "; ".join(paper.categories),
        ]
        found = view.meta(paper.id)
        row += [
            "; ".join(paper_authors(paper, found)),
            *((getattr(found, name) or "") if found else "" for name in CSV_META_FIELDS),
        ]
        if state is not None:
            row += [
                "true" if state.is_favourite(paper.id) else "false",
                "true" if state.is_read(paper.id) else "false",
                "; ".join(state.tags(paper.id)),
                state.note(paper.id),
            ]
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


# --------------------------------------------------------------------------- dispatch


def export_papers(
    catalog: Catalog,
    papers: Sequence[Paper],
    fmt: str,
    state: StateView | None = None,
    meta: MetaView | None = None,
) -> str:
    """The text of ``papers`` in ``fmt`` (one of :data:`FORMATS`)."""
    writers: dict[str, Callable[[], str]] = {
        "markdown": lambda: to_markdown(catalog, papers, meta),
        "bibtex": lambda: to_bibtex(catalog, papers, meta),
        "csv": lambda: to_csv(catalog, papers, state, meta),
        "json": lambda: to_json(catalog, papers, state, meta),
    }
    writer = writers.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    return writer()
