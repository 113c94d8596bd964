"""Segments of one candidate -> the paper's fields: the rules' entry point.

A candidate is a list item, a table row's title cell or a paragraph line (see
:mod:`surveytui.importer.candidates`); its inline text has become segments
(:mod:`~surveytui.importer.segments`) and tokens (:mod:`~surveytui.importer.tokens`).
Then, in this order:

1. Lines: the entry's line breaks (newlines, ``<br>``) split it; lines holding
   only badges are read for clues but never hold the title.
2. Title: :mod:`~surveytui.importer.titles` finds it on the first remaining
   line; everything else is read by :mod:`~surveytui.importer.clues`.
3. Venue and year: the best-priority candidate with a venue gives both (its
   year, else the best candidate's year); without one, a date in the entry,
   then the year heading above (``### 2023``).
4. Links: the title link, then paper links, code links, buttons to a
   repository, bare links (vetted and assigned in
   :mod:`~surveytui.importer.entries`).

Is it a paper? A title with a letter or digit, at most 40 words, and
evidence: a venue or a year from a marker (not a bare date), a paper link or
a bare link, or the title being a link. A code link alone is a tool, not a
paper. A paragraph line needs a title set apart (emphasised or a link: running
prose is not a title), a paper link of its own, and at most one link labelled
with a name (a line of author links is not a paper). A table row of
a paper table needs no evidence: the table says what it lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from surveytui.importer.clues import Clues, read_rest
from surveytui.importer.segments import Break, Link, Segment
from surveytui.importer.titles import clean_title, read_title
from surveytui.importer.tokens import Badge, is_blank, split_lines, tokens
from surveytui.importer.vocab import read_venue

_SHORT_YEAR = re.compile(r"'\s*\d{1,3}\s*$")
_MAX_TITLE_WORDS = 40


@dataclass
class Fields:
    """What one candidate says; ``None`` where it says nothing."""

    title: str
    line: int
    venue: str | None = None
    year: int | None = None
    paper_url: str | None = None
    code_url: str | None = None
    authors: tuple[str, ...] = ()
    links: list[tuple[str, Link]] = field(default_factory=list)  # (kind, link) to vet
    ambiguous_year: str | None = None


def read_fields(
    segs: list[Segment],
    line: int,
    *,
    year_hint: int | None = None,
    evidence: bool = True,
    paragraph: bool = False,
) -> Fields | None:
    """The paper in one list item or paragraph line, or None when it is not one."""
    items = tokens(segs)
    lines = split_lines(items)
    if not lines:
        return None
    found = Clues()
    first = next(
        (
            n
            for n, ln in enumerate(lines)
            if any(not isinstance(t, Badge) and not is_blank(t) for t in ln)
        ),
        0,
    )
    for badge_line in lines[:first]:
        read_rest(found, badge_line)
    lines = lines[first:]
    raw_title, title_link, after = read_title(lines[0], found)
    title = clean_title(raw_title)
    if not any(ch.isalnum() for ch in title) or len(title.split()) > _MAX_TITLE_WORDS:
        return None
    rest = lines[0][after:]
    for more in lines[1:]:
        rest.append(Break())
        rest.extend(more)
    read_rest(found, rest)
    # A paragraph line needs a paper link of its own, and one title among its links.
    one_title = found.named + (title_link is not None) <= 1
    if paragraph and not ((title_link or found.paper) and one_title and found.set_apart):
        return None
    return _assemble(title, line, found, title_link, year_hint, evidence)


def _assemble(
    title: str,
    line: int,
    found: Clues,
    title_link: Link | None,
    year_hint: int | None,
    need_evidence: bool = True,
) -> Fields | None:
    out = Fields(title, line)
    if found.venue:
        ordered = sorted(found.venue, key=lambda v: v[0])
        out.venue = next((v for _, v, _ in ordered if v), None)
        with_year = [y for _, v, y in ordered if y is not None]
        first_venue = next(((v, y) for _, v, y in ordered if v), None)
        out.year = (
            first_venue[1]
            if first_venue and first_venue[1]
            else (with_year[0] if with_year else None)
        )
    evidence = out.venue is not None or out.year is not None
    if out.year is None:
        out.year = found.date_year or year_hint
    papers = sorted(found.paper, key=lambda p: p[0])
    links: list[tuple[str, Link]] = []
    if title_link is not None:
        links.append(("paper", title_link))
    links += [("paper", link) for _, link in papers]
    links += [(kind, link) for _, kind, link in sorted(found.code, key=lambda c: c[0])]
    links += [("bare", link) for link in found.bare]
    out.links = links
    out.authors = found.authors
    has_paper = title_link is not None or bool(papers) or bool(found.bare)
    if need_evidence and not (evidence or has_paper):
        return None
    for raw in found.raw_venues:
        if _SHORT_YEAR.search(raw.strip("*[]() ")):
            got = read_venue(raw)
            if got and got[1] is None:
                out.ambiguous_year = " ".join(raw.split()).strip("*[]() ")
    return out
