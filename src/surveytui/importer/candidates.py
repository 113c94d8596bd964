"""The document -> candidate entries under their headings.

markdown-it reads the block structure (headings, lists, tables, paragraphs,
quotes, code); its inline pass is switched off, because
:mod:`surveytui.importer.segments` reads inline text faster. Candidates:

List items
    Every paragraph of the item that comes before any nested list, joined by
    line breaks (``- Title`` with ``Arxiv 2025 [[Paper]](u)`` as an indented
    second paragraph is one entry). Nested items are candidates of their own.
Paragraph lines
    Outside lists and quotes, each line of a paragraph is a candidate (lists
    written as ``[Venue'YY] [Title](url) </br>`` lines). Quotes, code, HTML
    blocks and comments never hold candidates.
Table rows
    Read by :func:`read_row` when the header names a title column
    (``Title``, ``Paper Title``; or ``Paper``/``Papers``/``Publication``
    when no column is named ``Name``, ``Dataset``, ``Model``, ``Tool``... --
    that table lists things that have a paper, not papers). Other columns
    map by header: venue (``Venue``, ``Conference``, ``Journal``,
    ``Published``...), date (``Date``, ``Year``, ``Time``...), code
    (``Code``, ``GitHub``, ``Repo``, ``Implementation``...), paper link
    (``Paper``, ``PDF``, ``Link``, ``arXiv``...). Unknown columns still give
    labelled links. Every row of such a table is a paper; ragged rows are
    read as far as they go.
Headings
    Prose headings (see :mod:`surveytui.importer.document`) hide everything
    below them, except a table of contents: its own bullets are anchors
    (never papers) and the sections under it are the list's real sections.
    A heading that is only a year (``### 2023``) gives that year to the
    entries below it that state none.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from surveytui.importer.fields import Fields, read_fields
from surveytui.importer.segments import Link, Segment, Text, segments
from surveytui.importer.titles import clean_title
from surveytui.importer.tokens import tokens
from surveytui.importer.url_cleanup import is_repo_url
from surveytui.importer.vocab import label_kind, read_date_year, read_venue

_PROGRESS_EVERY = 5000
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*\)|\[\s*\])")
_TOC = re.compile(r"(table of )?contents?|toc")
_YEAR_HEADING = re.compile(r"\W*((?:19|20)\d{2})\W*")
_TITLE_COLS = ("title", "paper title", "paper name", "title of paper")
_PAPERISH_COLS = ("paper", "papers", "publication", "article")
_THING_COLS = frozenset(
    {"name", "dataset", "datasets", "model", "models", "tool", "tools", "framework", "library"}
    | {"project", "benchmark", "benchmarks", "method", "system", "repo", "repository"}
)
_VENUE_COLS = frozenset(
    {"venue", "conference", "journal", "published", "publisher", "proceedings", "pub"}
    | {"conf", "conference/journal", "venue/year", "source", "publication venue"}
)
_DATE_COLS = frozenset({"date", "year", "time", "published date", "release", "released", "month"})
_CODE_COLS = frozenset(
    {"code", "github", "repo", "repository", "implementation", "official code", "source code"}
)
_LINK_COLS = frozenset({"paper", "pdf", "link", "links", "url", "arxiv", "paper link", "papers"})


@dataclass
class Candidate:
    """One entry as read, with the heading it sits under (index into headings)."""

    fields: Fields
    section: int


@dataclass
class Heading:
    level: int
    title: str
    line: int
    parent: int | None
    papers: int = 0
    id: str = ""
    year: int | None = None


@dataclass
class Walk:
    headings: list[Heading] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    title: str | None = None
    first_text: list[str] = field(default_factory=list)
    orphans: list[Fields] = field(default_factory=list)


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """Block structure only: the inline rule is off (see the module docstring)."""

    class _AllLinks(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            return True

    logging.getLogger("markdown_it").disabled = True  # its per-line debug calls add up
    md = _AllLinks("commonmark").enable("table").enable("strikethrough")
    md.core.ruler.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


def _line(tok: Token) -> int:
    return (tok.map[0] if tok.map else 0) + 1


def _col_name(text: str) -> str:
    words = re.sub(r"[^\w/ ]+", " ", text.casefold())
    return " ".join(words.split())


@dataclass
class _Table:
    roles: list[str]
    ok: bool


def _table_roles(headers: Sequence[str]) -> _Table:
    names = [_col_name(h) for h in headers]
    title = next((i for i, n in enumerate(names) if n in _TITLE_COLS), None)
    if title is None and not _THING_COLS.intersection(names):
        title = next((i for i, n in enumerate(names) if n in _PAPERISH_COLS), None)
    roles = []
    for i, name in enumerate(names):
        if i == title:
            roles.append("title")
        elif name in _VENUE_COLS:
            roles.append("venue")
        elif name in _DATE_COLS:
            roles.append("date")
        elif name in _CODE_COLS:
            roles.append("code")
        elif name in _LINK_COLS:
            roles.append("paper")
        else:
            roles.append("other")
    return _Table(roles, title is not None)


def read_row(
    cells: Sequence[tuple[str, int]], table: _Table, year_hint: int | None
) -> Fields | None:
    """One table row by its columns' roles (see the module docstring)."""
    by_role: dict[str, list[list[Segment]]] = {}
    for (text, line), role in zip(cells, table.roles, strict=False):
        by_role.setdefault(role, []).append(segments(text, line))
    title_cells = by_role.get("title")
    if not title_cells:
        return None
    line = cells[0][1]
    fields = read_fields(title_cells[0], line, year_hint=None, evidence=False)
    if fields is None:
        text = " ".join(s.text for s in title_cells[0] if isinstance(s, Text))
        title = clean_title(text)
        if not any(ch.isalnum() for ch in title):
            return None
        fields = Fields(title, line)
    venue_cells = by_role.get("venue", [])
    for segs in venue_cells:
        text = " ".join(
            s.text if isinstance(s, Text) else s.label for s in segs if isinstance(s, (Text, Link))
        )
        got = read_venue(text) if text.strip(" -") else None
        if got and (got[0] or got[1]):
            fields.venue = got[0] or fields.venue
            fields.year = got[1] or fields.year
    for segs in by_role.get("date", []):
        text = " ".join(s.text for s in segs if isinstance(s, Text))
        year = read_date_year(text) or (
            int(m[0]) if (m := re.search(r"(?:19|20)\d{2}", text)) else None
        )
        if year:
            fields.year = year
    if fields.year is None:
        fields.year = year_hint
    extra: list[tuple[str, Link]] = []
    for role in ("paper", "code", "other"):
        for segs in by_role.get(role, []):
            links = [t for t in tokens(segs) if isinstance(t, Link)]
            for link in links:
                kind = label_kind(link.label, link.href)
                if role == "paper" and kind != "code":
                    extra.append(("paper", link))
                elif role == "code" and (kind in ("code", None) or is_repo_url(link.href)):
                    extra.append(("code", link))
                elif kind in ("paper", "code"):
                    extra.append((kind, link))
                elif link.button or link.images:
                    extra.append(("repo", link))
    title_links = [(k, lk) for k, lk in fields.links if k == "paper"]
    fields.links = [*extra, *title_links, *[(k, lk) for k, lk in fields.links if k != "paper"]]
    return fields


def walk(
    text: str,
    is_prose: Callable[[str], bool],
    clean: Callable[[str], str],
    progress: Callable[[int, int], None] | None = None,
) -> Walk:
    """Headings and candidates of a document, in source order.

    ``progress(line, lines)`` is called every :data:`_PROGRESS_EVERY` block tokens.
    """
    toks = block_parser().parse(text)
    total = text.count("\n") + 1
    out = Walk()
    open_headings: list[int] = []
    skip_level: int | None = None
    current: int | None = None
    year_hint: int | None = None
    seen_heading = False
    in_item: list[bool] = []  # per open list item: a nested list has started
    item_parts: list[list[tuple[str, int]]] = []
    quote = 0
    table: _Table | None = None
    headers: list[str] = []
    row: list[tuple[str, int]] = []
    in_head = False

    def add(fields: Fields | None) -> None:
        if fields is None:
            return
        if current is None:
            out.orphans.append(fields)
            return
        out.candidates.append(Candidate(fields, current))
        out.headings[current].papers += 1

    def flush_item() -> None:
        if item_parts and item_parts[-1]:
            parts = item_parts[-1]
            body = "\n".join(p for p, _ in parts)
            if skip_level is None:
                add(read_fields(segments(body, parts[0][1]), parts[0][1], year_hint=year_hint))
            item_parts[-1] = []

    for i, tok in enumerate(toks):
        kind = tok.type
        if progress is not None and i % _PROGRESS_EVERY == 0 and tok.map:
            progress(tok.map[0], total)
        if kind == "heading_open":
            level = int(tok.tag[1:])
            title = clean(_plain(toks[i + 1].content))
            if not seen_heading and level == 1:
                out.title, seen_heading = title or None, True
                continue
            seen_heading = True
            if skip_level is not None and level > skip_level:
                continue
            skip_level = None
            while open_headings and out.headings[open_headings[-1]].level >= level:
                open_headings.pop()
            if is_prose(title):
                current = None
                if not _TOC.fullmatch(title.casefold().strip(" \t:.")) and not _TOC.fullmatch(
                    re.sub(r"[^a-z ]+", "", title.casefold()).strip()
                ):
                    skip_level = level
                continue
            parent = open_headings[-1] if open_headings else None
            heading = Heading(level, title or "Untitled", _line(tok), parent)
            year_match = _YEAR_HEADING.fullmatch(title)
            inherited = out.headings[parent].year if parent is not None else None
            heading.year = int(year_match[1]) if year_match else inherited
            year_hint = heading.year
            out.headings.append(heading)
            current = len(out.headings) - 1
            open_headings.append(current)
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "list_item_open":
            in_item.append(False)
            item_parts.append([])
        elif kind == "list_item_close":
            if in_item and not in_item[-1]:
                flush_item()
            in_item.pop() if in_item else None
            item_parts.pop() if item_parts else None
        elif kind in ("bullet_list_open", "ordered_list_open") and in_item and not in_item[-1]:
            flush_item()
            in_item[-1] = True
        elif kind == "inline" and toks[i - 1].type == "paragraph_open":
            if in_item:
                if not in_item[-1]:
                    item_parts[-1].append((tok.content, _line(tok)))
            elif skip_level is None and not quote and current is not None:
                first = _line(tok)
                for offset, part in enumerate(tok.content.split("\n")):
                    if part.strip():
                        add(
                            read_fields(
                                segments(part, first + offset),
                                first + offset,
                                year_hint=year_hint,
                                paragraph=True,
                            )
                        )
            if not in_item and not out.candidates and len(out.first_text) < 20:
                out.first_text.append(tok.content)
        elif kind == "table_open":
            table, headers, in_head = None, [], False
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
            table = _table_roles(headers)
        elif kind == "tr_open":
            row = []
        elif kind == "inline" and toks[i - 1].type in ("th_open", "td_open"):
            if in_head:
                headers.append(_plain(tok.content))
            else:
                row.append((tok.content, _line(tok)))
        elif kind == "tr_close" and row and not in_head and skip_level is None:
            readable = table is not None and table.ok
            add(read_row(row, table, year_hint) if table is not None and readable else None)
    return out


def _plain(text: str) -> str:
    """Inline Markdown as plain text (headings, table headers).

    A link to an anchor (``([back](#contents))``) is navigation, not part of
    the heading: it is dropped, with the brackets left empty around it.
    """
    parts = [
        s.text if isinstance(s, Text) else s.label
        for s in segments(text)
        if isinstance(s, Text) or (isinstance(s, Link) and not s.href.startswith("#"))
    ]
    return _EMPTY_BRACKETS.sub("", "".join(parts)).strip()
