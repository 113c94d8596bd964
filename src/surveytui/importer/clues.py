"""What an entry says besides its title: venue and year candidates, links, authors.

Venue and year candidates carry a priority, and the first by priority wins:
a button link whose label reads as a venue (``[[CVPR](u)] Title``); an
emphasised or ``<ins>`` span; a tag (``[ICLR'23]``); a badge
(``badge/ICLR2025-orange``); a plain-text phrase (``JMLR 2019``,
``<br> Arxiv 2023``, ``arXiv 2025,`` on a second line, ``Author et al., ICML
2023``); last, a paper button labelled with a venue (``[[arXiv](u)]``). A
button anywhere whose label reads as a venue with a year or a known venue
(``[[ICML 2023](u)]``) is the venue and the paper link. Spans, tags, badges
and phrases need a year or a venue of the vocabulary; a leading button needs
only to read as a short name. A date anywhere (``2024.05``) gives the year
when nothing else does.

Authors: an emphasised span or plain phrase that reads as names (``*A, B
and C*``, ``*Colin Raffel et al.*``), or one labelled ``Authors:`` (any names:
the label says what they are; ``;`` separates when present).

Links are sorted by what they are: labelled paper links; labelled code links
and links wrapping a stars badge; buttons with another label (the code link
only when they point at a repository); bare links. Links labelled with a
name or phrase are counted, so a paragraph listing several (authors, related
work) is not taken for a paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from surveytui.importer.segments import Break, Link, Mark, Text
from surveytui.importer.tokens import Badge, Tag, Token, flat, span
from surveytui.importer.vocab import (
    is_known_venue,
    label_kind,
    labelled_authors,
    looks_like_authors,
    read_date_year,
    read_venue,
    split_authors,
    stars_repo,
)

#: Venue priorities, best first.
VENUE_LINK, MARKED, TAG, BADGE, PLAIN, LABEL = range(6)
_ET_AL = re.compile(r"\bet\.? al\b\.?[*_,]*\s*")
_CHUNKS = re.compile(r"\s*\|\s*|(?<=[a-z\d)\]])\.(?:\s+|$)|;")


@dataclass
class Clues:
    venue: list[tuple[int, str | None, int | None]] = field(default_factory=list)  # prio, v, y
    date_year: int | None = None
    paper: list[tuple[int, Link]] = field(default_factory=list)  # prio, link
    code: list[tuple[int, str, Link]] = field(default_factory=list)
    bare: list[Link] = field(default_factory=list)
    authors: tuple[str, ...] = ()
    raw_venues: list[str] = field(default_factory=list)
    named: int = 0  # links labelled with a name or phrase that is not a link kind
    set_apart: bool = False  # the title was emphasised or a link, not running text

    def add_venue(self, prio: int, text: str, *, known_only: bool = False) -> bool:
        got = read_venue(text, known_only=known_only)
        if got is None:
            return False
        self.venue.append((prio, got[0], got[1]))
        self.raw_venues.append(text)
        return True


def add_link(found: Clues, link: Link, *, leading: bool = False) -> None:
    kind = label_kind(link.label, link.href)
    stars = next((r for r in map(stars_repo, link.images) if r), None)
    leading = leading and kind != "code" and link.button
    if leading and found.add_venue(VENUE_LINK, link.label):
        found.paper.append((0, link))
        return
    if kind == "paper":
        found.paper.append((1, link))
        if link.button and is_known_venue(link.label.strip(" []")):  # [[arXiv](u)]
            found.add_venue(LABEL, link.label, known_only=True)
    elif kind == "code":
        found.code.append((1, "code", link))
    elif stars is not None or (link.images and not link.label):
        found.code.append((2, "code", link))
    elif link.bare or not link.label:
        found.bare.append(link)
    elif kind is None and not link.button:
        found.named += 1
    elif kind is None and found.add_venue(VENUE_LINK, link.label, known_only=True):
        found.paper.append((0, link))  # [[ICML 2023](u)]
    elif kind is None:
        found.code.append((3, "repo", link))  # only if it points at a repository


def read_rest(found: Clues, items: list[Token]) -> None:
    """Venue, year, authors and links from everything that is not the title."""
    i = 0
    plain: list[str] = []
    while i < len(items):
        tok = items[i]
        if isinstance(tok, Mark) and tok.opening:
            end, inner = span(items, i)
            text = flat(inner)
            for sub in inner:
                if isinstance(sub, Link):
                    add_link(found, sub)
            named = None if found.authors else labelled_authors(text)
            if named:
                found.authors = named
            elif not found.authors and looks_like_authors(text, single=True):
                found.authors = split_authors(text)
            else:
                found.add_venue(MARKED, text, known_only=True)
            plain.append(" | ")
            i = max(end, i + 1)
            continue
        if isinstance(tok, Link):
            add_link(found, tok)
            plain.append(" | ")
        elif isinstance(tok, Tag):
            if not found.add_venue(TAG, tok.text, known_only=True):
                plain.append(" | ")
        elif isinstance(tok, Badge):
            if tok.text:
                found.add_venue(BADGE, tok.text, known_only=True)
            plain.append(" | ")
        elif isinstance(tok, Text):
            plain.append(tok.text)
        elif isinstance(tok, Break):
            plain.append(" | ")
        i += 1
    text = "".join(plain)
    for chunk in _CHUNKS.split(text):
        chunk = chunk.strip(" ,.;:")
        if not chunk:
            continue
        if read_date_year(chunk) is not None:
            found.date_year = found.date_year or read_date_year(chunk)
            continue
        if found.add_venue(PLAIN, chunk, known_only=True):
            continue
        named = None if found.authors else labelled_authors(chunk)
        if named:
            found.authors = named
            continue
        cut = _ET_AL.search(chunk)
        head, tail = (chunk[: cut.end()], chunk[cut.end() :]) if cut else (chunk, "")
        if not tail:
            head, _, tail = chunk.rpartition(",")
        if head and tail and found.add_venue(PLAIN, tail, known_only=True):
            chunk = head  # "Ada Lovelace et al., ICML 2023", "Ada Lovelace et al. ICML'23"
        if not found.authors and looks_like_authors(chunk):
            found.authors = split_authors(chunk)
