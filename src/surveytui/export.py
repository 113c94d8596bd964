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

from surveytui.model.catalog import Catalog, Paper, Section
from surveytui.model.text import normalise_title
from surveytui.state.protocols import UserState

FORMATS = ("markdown", "bibtex", "csv", "json")


StateView = UserState  # the read-only slice of user state an export needs


# --------------------------------------------------------------------------- records


def paper_record(
    catalog: Catalog, paper: Paper, state: StateView | None = None
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
        "authors": list(paper.authors),
    }
    if state is not None:
        record["favourite"] = state.is_favourite(paper.id)
        record["read"] = state.is_read(paper.id)
        record["tags"] = list(state.tags(paper.id))
        record["note"] = state.note(paper.id)
    return record


def to_json(catalog: Catalog, papers: Sequence[Paper], state: StateView | None = None) -> str:
    records = [paper_record(catalog, p, state) for p in papers]
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


def markdown_entry(paper: Paper) -> str:
    """``- Title. *[Venue'YY]* [[Paper]](url) [[Code]](url)``: the survey's own bullet."""
    parts = [f"- {md_escape(paper.title)}."]
    tag = _venue_tag(paper)
    if tag:
        parts.append(f"*[{md_escape(tag)}]*")
    if paper.paper_url:
        parts.append(f"[[Paper]]({_md_url(paper.paper_url)})")
    if paper.code_url:
        parts.append(f"[[Code]]({_md_url(paper.code_url)})")
    return " ".join(parts)


def _walk(catalog: Catalog, parent: str | None, depth: int) -> Iterator[tuple[Section, int]]:
    for section in catalog.children.get(parent, ()):
        yield section, depth
        yield from _walk(catalog, section.id, depth + 1)


def to_markdown(catalog: Catalog, papers: Sequence[Paper]) -> str:
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
    lines = [f"# {md_escape(catalog.title)}", ""]
    for section, depth in _walk(catalog, None, 0):
        if not any(by_section.get(sid) for sid in catalog.descendants(section.id)):
            continue
        lines += [f"{'#' * min(depth + 2, 6)} {md_escape(section.title)}", ""]
        entries = by_section.get(section.id, [])
        if entries:
            lines += [*(markdown_entry(p) for p in entries), ""]
    if unsorted:
        lines += ["## Other papers", "", *(markdown_entry(p) for p in unsorted), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- BibTeX

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "`": r"\textasciigrave{}",
}
_LATEX_RE = re.compile("[" + re.escape("".join(_LATEX_SPECIALS)) + "]")

#: Words never used as a citation key's word: they say nothing about the paper.
_KEY_STOPWORDS_TEXT = """
a an and are as at be by can do does for from how in into is it its not of on or our
the to toward towards via we what when where which why with without you your
"""
_KEY_STOPWORDS = frozenset(_KEY_STOPWORDS_TEXT.split())

#: Venue words and abbreviations that mark a journal rather than a conference.
_JOURNAL_WORDS_TEXT = """
journal transactions letters magazine surveys jmlr tmlr tacl tist taslp tpami tnnls
tkde tip tmc tocs tos tog ijcv jsac cacm csur tallip nature science
"""
_JOURNAL_WORDS = frozenset(_JOURNAL_WORDS_TEXT.split())


def latex_escape(text: str) -> str:
    """Text-mode LaTeX for any string: specials become commands, braces stay balanced.

    Braces are spelled ``\\textbraceleft{}`` rather than ``\\{`` because BibTeX
    counts every brace, escaped or not, and one stray brace ends the entry.
    Non-ASCII is kept as UTF-8 (biber and modern BibTeX read it).
    """
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def _bib_url(url: str) -> str:
    """URLs stay verbatim (``\\url`` and biber read them so) except what breaks BibTeX syntax."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _key_stem(paper: Paper) -> str:
    words = [
        w
        for w in normalise_title(paper.title).split()
        if w not in _KEY_STOPWORDS and not w.isdigit()
    ]
    word = words[0][:24] if words else "paper"
    return word + (str(paper.year) if paper.year is not None else "")


def _suffixes() -> Iterator[str]:
    """b, c, ..., z, ba, bb, ...: the bare key is the implicit "a"."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    n = 1
    while True:
        digits, m = "", n
        while True:
            digits = letters[m % 26] + digits
            m //= 26
            if m == 0:
                break
        yield digits
        n += 1


def bibtex_keys(catalog: Catalog, papers: Sequence[Paper] = ()) -> dict[str, str]:
    """Citation key per paper id, unique and stable whatever subset is exported.

    Keys are the first significant title word plus the year (``attention2017``).
    They are assigned over the whole catalogue in its order, so exporting five
    papers gives each the key it has in a full export; on a collision the first
    paper keeps the bare key (adding papers later never renames it) and the
    others get ``b``, ``c``, ... Papers not in the catalogue come last.
    """
    keys: dict[str, str] = {}
    used: set[str] = set()
    extra = [p for p in papers if p.id not in catalog.by_id]
    for paper in (*catalog.papers, *extra):
        if paper.id in keys:
            continue
        stem = key = _key_stem(paper)
        suffixes = _suffixes()
        while key in used:
            key = stem + next(suffixes)
        used.add(key)
        keys[paper.id] = key
    return keys


def _venue_field(venue: str) -> tuple[str, str, str]:
    """(entry type, field, value): preprints and journals are articles, the rest proceedings."""
    lowered = venue.casefold()
    if lowered.startswith("arxiv"):
        return "article", "journal", "arXiv preprint"
    if "rxiv" in lowered:
        return "article", "journal", f"{latex_escape(venue)} preprint"
    if _JOURNAL_WORDS.intersection(re.split(r"[^a-z0-9]+", lowered)):
        return "article", "journal", latex_escape(venue)
    return "inproceedings", "booktitle", latex_escape(venue)


def bibtex_entry(paper: Paper, key: str) -> str:
    if paper.venue:
        kind, venue_field, venue_value = _venue_field(paper.venue)
    else:
        kind, venue_field, venue_value = "misc", "", ""
    fields = [("title", "{" + latex_escape(paper.title) + "}")]
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if venue_field:
        fields.append((venue_field, venue_value))
    if paper.paper_url:
        fields.append(("url", _bib_url(paper.paper_url)))
    if paper.code_url:
        fields.append(("note", "Code: \\url{" + _bib_url(paper.code_url) + "}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def to_bibtex(catalog: Catalog, papers: Sequence[Paper]) -> str:
    """One entry per paper; titles double-braced so BibTeX styles keep their capitals."""
    keys = bibtex_keys(catalog, papers)
    return "\n".join(bibtex_entry(p, keys[p.id]) for p in papers)


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS = (
    *("id", "title", "venue", "year", "sections", "paper_url", "code_url", "categories"),
    "authors",
)
CSV_STATE_COLUMNS = ("favourite", "read", "tags", "note")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """Guard against formula injection: a leading ``= + - @`` (or tab/CR) gets an apostrophe.

    Spreadsheets run a cell starting with those as a formula, so a crafted
    title could fetch URLs or run commands when the export is opened. The
    apostrophe is the OWASP-recommended neutraliser and shows as text.
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(catalog: Catalog, papers: Sequence[Paper], state: StateView | None = None) -> str:
    """One row per paper; lists joined with ``"; "``; state columns only when state is given."""
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
            "; ".join(paper.authors),
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
    catalog: Catalog, papers: Sequence[Paper], fmt: str, state: StateView | None = None
) -> str:
    """The text of ``papers`` in ``fmt`` (one of :data:`FORMATS`)."""
    writers: dict[str, Callable[[], str]] = {
        "markdown": lambda: to_markdown(catalog, papers),
        "bibtex": lambda: to_bibtex(catalog, papers),
        "csv": lambda: to_csv(catalog, papers, state),
        "json": lambda: to_json(catalog, papers, state),
    }
    writer = writers.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    return writer()
