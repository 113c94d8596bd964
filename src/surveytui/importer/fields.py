"""Segments of one candidate -> the paper's fields, by rules in a fixed order.

A candidate is a list item, a table row or a paragraph line (see
:mod:`surveytui.importer.candidates`); its inline text has been split into
segments (:mod:`surveytui.importer.segments`). The rules:

Tokens
    Literal brackets around a link are dropped (``[[Paper](u)]`` is the link);
    other bracketed text becomes a *tag* (``[ICLR'23]``, ``[Short name]``,
    ``[72:fire:]``). A shields badge becomes its text; a GitHub stars badge
    names a repository; other images are dropped. Anchor (``#x``) and relative
    links read as their label.
Title
    On the first line, leading emoji, tags, badges, dates (``2024.05``) and
    a bracketed link (``[[CVPR](u)]``) are skipped (a venue-like tag or
    bracketed link gives the venue, a date the year), and so is a marked
    prefix followed by a colon (``<u>T5</u>:``). The title is then the first of:
    an emphasised span (``**Title**``, ``**"Title"**``); a link whose label is
    not a link kind (``[Title](url)``: the link is the paper link); or the text
    up to the first link, tag, badge or line break, where a trailing
    emphasised/``<ins>`` span that reads as a venue, or a trailing
    ``(Author et al., 2023)`` / ``. Venue 2023`` / ``[CHI 2023]``, is the venue.
    The title loses surrounding quotes, a final period (not ``?.`` -> ``?``
    only), a trailing ``(@affiliation)``, and leading emoji.
Venue and year (first found wins, in this order)
    a bracketed link whose label reads as a venue; an emphasised or
    ``<ins>`` span; a tag; a badge; a plain-text phrase (``JMLR 2019``,
    ``<br> Arxiv 2023``, ``arXiv 2025,`` on a second line); for the year
    alone, a date anywhere in the entry, then the year heading above.
Authors
    An emphasised span after the title that reads as names (``*A, B and C*``,
    ``*Colin Raffel et al.*``), or such a plain phrase.
Links
    Labelled links by :func:`surveytui.importer.vocab.label_kind`; a link
    wrapping a stars badge, or an unnamed bracketed link, to a repository is
    the code link; an unlabelled (bare) link is the paper link if none yet,
    else the code link when it points at a repository. First of each wins.
Is it a paper?
    A title with a letter or digit, at most 40 words, and evidence: a venue or
    year from a marker (not a bare date), a paper link, or the title being a
    link. A code link alone is a tool, not a paper.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from surveytui.importer.segments import Break, Image, Link, Mark, Segment, Text
from surveytui.importer.vocab import (
    badge_text,
    is_known_venue,
    label_kind,
    looks_like_authors,
    read_date_year,
    read_venue,
    split_authors,
    stars_repo,
)
from surveytui.model.venues import normalise_venue

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:|//")
_SEP = " \t\n,;:|-\u2013\u2014"
_TAIL_PAREN = re.compile(r"\((?P<v>[^()]{1,120})\)[\s,.;:]*$")
_TAIL_PLAIN = re.compile(
    r"(?<=[.?!,;:])\s+(?P<v>[A-Za-z][\w&/+.\- ]{0,60}?(?:\s*'\d{1,4}|[\s,]+(?:19|20)\d{2}))"
    r"[\s,.;:]*$"
)
_TAIL_YEAR = re.compile(r"[,;]\s*((?:19|20)\d{2})[\s.]*$")
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
_AFFILIATION = re.compile(r"\s*\(@[^()]{0,200}\)\s*$")
_SHORT_YEAR = re.compile(r"'\s*\d{1,3}\s*$")
_MAX_TITLE_WORDS = 40


@dataclass(frozen=True, slots=True)
class Tag:
    """Bracketed text that is not a link: ``[ICLR'23]``, ``[Short]``."""

    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Badge:
    text: str | None  # shields text
    repo: str | None  # stars badge repository


Token = Segment | Tag | Badge


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


# --------------------------------------------------------------------------- tokens


def _is_text_link(link: Link) -> bool:
    return not _SCHEME.match(link.href.strip()) and label_kind(link.label, link.href) is None


def tokens(segs: list[Segment]) -> list[Token]:
    """Segments -> tokens: tags, badges, unwrapped links (see the module rules)."""
    out: list[Token] = []
    for seg in segs:
        if isinstance(seg, Link) and _is_text_link(seg):
            seg = Text(seg.label, seg.line)
        elif isinstance(seg, Link) and seg.label.startswith("[") and seg.label.endswith("]"):
            seg = _Bracketed.of(seg)
        if isinstance(seg, Image):
            text, repo = badge_text(seg.src), stars_repo(seg.src)
            if text or repo:
                out.append(Badge(text, repo))
            continue
        if isinstance(seg, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + seg.text, out[-1].line)
            continue
        out.append(seg)
    return _bracket_tags(out)


def _bracket_tags(items: list[Token]) -> list[Token]:
    """Split ``[...]`` out of text (also across marks); mark links set in brackets."""
    out: list[Token] = []
    for i, item in enumerate(items):
        if not isinstance(item, Text):
            out.append(item)
            continue
        text = item.text
        prev_link = i > 0 and isinstance(items[i - 1], Link)
        next_link = i + 1 < len(items) and isinstance(items[i + 1], Link)
        if prev_link and text.startswith("]"):
            text = text[1:]
            _set_bracketed(out)
        if next_link and text.rstrip().endswith("["):
            text = text.rstrip()[:-1]
            items[i + 1] = _Bracketed.of(items[i + 1])  # type: ignore[arg-type]
        pos = 0
        for match in re.finditer(r"\[([^\[\]\n]{1,100})\]", text):
            if text[pos : match.start()]:
                out.append(Text(text[pos : match.start()], item.line))
            out.append(Tag(match[1].strip(), item.line))
            pos = match.end()
        if text[pos:]:
            out.append(Text(text[pos:], item.line))
    return _cross_tags(out)


class _Bracketed(Link):
    """A link written inside literal brackets: a button (``[[Paper](u)]``), never a title."""

    __slots__ = ()

    @staticmethod
    def of(link: Link) -> Link:
        new = _Bracketed(link.label, link.href, link.line, link.images, link.bare)
        return new


def _set_bracketed(out: list[Token]) -> None:
    if out and isinstance(out[-1], Link) and not isinstance(out[-1], _Bracketed):
        out[-1] = _Bracketed.of(out[-1])


def _cross_tags(items: list[Token]) -> list[Token]:
    """``[**Short**]``: a ``[`` ending one text and ``]`` starting a later one, marks between."""
    out: list[Token] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Text) and item.text.rstrip().endswith("["):
            j, inner = i + 1, []
            while j < len(items) and j - i < 8 and isinstance(items[j], (Mark, Text)):
                nxt = items[j]
                if isinstance(nxt, Text):
                    if nxt.text.lstrip().startswith("]"):
                        break
                    inner.append(nxt.text)
                j += 1
            closer = items[j] if j < len(items) else None
            if isinstance(closer, Text) and closer.text.lstrip().startswith("]"):
                head = item.text.rstrip()[:-1]
                if head:
                    out.append(Text(head, item.line))
                out.append(Tag("".join(inner).strip(), item.line))
                tail = closer.text.lstrip()[1:]
                if tail:  # looked at again: it may open the next tag
                    items[j] = Text(tail, item.line)
                    i = j
                else:
                    i = j + 1
                continue
        out.append(item)
        i += 1
    return out


# --------------------------------------------------------------------------- helpers


def _strip_symbols(text: str) -> str:
    """Drop leading emoji, pictographs and their joiners/selectors."""
    i = 0
    while i < len(text):
        ch = text[i]
        cat = unicodedata.category(ch)
        emoji = cat in ("So", "Cf", "Mn", "Me") or (cat == "Sk" and not ch.isascii())
        if ch.isspace() or emoji:
            i += 1
            continue
        if ch == ":" and (m := re.match(r":[a-z0-9_+\-]{1,30}:", text[i:])):
            i += m.end()
            continue
        break
    return text[i:]


def _clean_title(text: str) -> str:
    title = " ".join(text.split())
    title = _AFFILIATION.sub("", title)
    title = _strip_symbols(title).rstrip(_SEP).strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    title = title.strip()
    if len(title) > 1 and title[0] in _QUOTES and title[-1] in _QUOTES:
        title = title[1:-1].strip()
    elif len(title) > 1 and title[0] in '"\u201c\u201d' and title.count(title[0]) == 1:
        title = title[1:].strip()
    title = title.strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return _AFFILIATION.sub("", title)


def _span(items: list[Token], start: int) -> tuple[int, list[Token]]:
    """End index (exclusive) and inner tokens of the marked span opening at ``start``."""
    depth = 0
    for j in range(start, len(items)):
        tok = items[j]
        if isinstance(tok, Mark):
            depth += 1 if tok.opening else -1
            if depth == 0:
                return j + 1, items[start + 1 : j]
        elif isinstance(tok, Break):
            break
    return start + 1, []


def _flat(items: list[Token]) -> str:
    parts: list[str] = []
    for tok in items:
        if isinstance(tok, Text):
            parts.append(tok.text)
        elif isinstance(tok, Tag):
            parts.append(f"[{tok.text}]")
        elif isinstance(tok, Link):
            parts.append(tok.label)
        elif isinstance(tok, Break):
            parts.append(" ")
    return "".join(parts)


def _lines(items: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for tok in items:
        if isinstance(tok, Break):
            lines.append([])
        else:
            lines[-1].append(tok)
    return [ln for ln in lines if any(not _blank(t) for t in ln)]


def _blank(tok: Token) -> bool:
    return isinstance(tok, Text) and not _strip_symbols(tok.text).strip(_SEP + ".")


# --------------------------------------------------------------------------- reader


@dataclass
class _Found:
    venue: list[tuple[int, str | None, int | None]] = field(default_factory=list)  # prio, v, y
    date_year: int | None = None
    paper: list[tuple[int, Link]] = field(default_factory=list)  # prio, link
    code: list[tuple[int, str, Link]] = field(default_factory=list)
    bare: list[Link] = field(default_factory=list)
    authors: tuple[str, ...] = ()
    raw_venues: list[str] = field(default_factory=list)
    named: int = 0  # links labelled with a name or phrase that is not a link kind

    def add_venue(self, prio: int, text: str, *, known_only: bool = False) -> bool:
        got = read_venue(text, known_only=known_only)
        if got is None:
            return False
        self.venue.append((prio, got[0], got[1]))
        self.raw_venues.append(text)
        return True


_VENUE_LINK, _MARKED, _TAG, _BADGE, _PLAIN = range(5)


def _link(found: _Found, link: Link, *, leading: bool = False) -> None:
    kind = label_kind(link.label, link.href)
    stars = next((r for r in map(stars_repo, link.images) if r), None)
    leading = leading and kind != "code" and isinstance(link, _Bracketed)
    if leading and found.add_venue(_VENUE_LINK, link.label):
        found.paper.append((0, link))
        return
    if kind == "paper":
        found.paper.append((1, link))
    elif kind == "code":
        found.code.append((1, "code", link))
    elif stars is not None or (link.images and not link.label):
        found.code.append((2, "code", link))
    elif link.bare or not link.label:
        found.bare.append(link)
    elif kind is None and not isinstance(link, _Bracketed):
        found.named += 1
    elif kind is None and isinstance(link, _Bracketed):
        if leading and found.add_venue(_VENUE_LINK, link.label):
            found.paper.append((0, link))
        else:
            found.code.append((3, "repo", link))  # only if it points at a repository


def _rest(found: _Found, items: list[Token]) -> None:
    """Venue, year, authors and links from everything that is not the title."""
    i = 0
    plain: list[str] = []
    while i < len(items):
        tok = items[i]
        if isinstance(tok, Mark) and tok.opening:
            end, inner = _span(items, i)
            text = _flat(inner)
            for sub in inner:
                if isinstance(sub, Link):
                    _link(found, sub)
            if not found.authors and looks_like_authors(text):
                found.authors = split_authors(text)
            else:
                found.add_venue(_MARKED, text, known_only=True)
            plain.append(" | ")
            i = max(end, i + 1)
            continue
        if isinstance(tok, Link):
            _link(found, tok)
            plain.append(" | ")
        elif isinstance(tok, Tag):
            if not found.add_venue(_TAG, tok.text, known_only=True):
                plain.append(" | ")
        elif isinstance(tok, Badge):
            if tok.text:
                found.add_venue(_BADGE, tok.text, known_only=True)
            plain.append(" | ")
        elif isinstance(tok, Text):
            plain.append(tok.text)
        elif isinstance(tok, Break):
            plain.append(" | ")
        i += 1
    text = "".join(plain)
    for chunk in re.split(r"\s*\|\s*|(?<=[a-z\d)\]])\.(?:\s+|$)|;", text):
        chunk = chunk.strip(" ,.;:")
        if not chunk:
            continue
        if read_date_year(chunk) is not None:
            found.date_year = found.date_year or read_date_year(chunk)
            continue
        venue = found.add_venue(_PLAIN, chunk, known_only=True)
        if not venue and not found.authors and looks_like_authors(chunk):
            found.authors = split_authors(chunk)


def _title_span(line: list[Token], found: _Found) -> tuple[str, Link | None, int]:
    """(raw title, title link, index after the title) on the first line."""
    i = 0
    while i < len(line):
        tok = line[i]
        if _blank(tok) or isinstance(tok, Badge):
            if isinstance(tok, Badge) and tok.text:
                found.add_venue(_BADGE, tok.text, known_only=True)
            i += 1
            continue
        if isinstance(tok, Tag):
            if not found.add_venue(_TAG, tok.text, known_only=True) and (
                y := read_date_year(tok.text)
            ):
                found.date_year = y
            i += 1
            continue
        if isinstance(tok, _Bracketed):
            _link(found, tok, leading=True)
            i += 1
            continue
        if isinstance(tok, Text):
            stripped = _strip_symbols(tok.text)
            date = re.match(
                r"\s*((?:19|20)\d{2}[./\-]\d{1,2}(?:[./\-]\d{1,2})?)\b[\s:,\-]*", stripped
            )
            if date:
                found.date_year = read_date_year(date[1])
                rest = stripped[date.end() :]
                line = (
                    [*line[:i], Text(rest, tok.line), *line[i + 1 :]]
                    if rest
                    else line[:i] + line[i + 1 :]
                )
                continue
        if isinstance(tok, Mark) and tok.opening:
            end, inner = _span(line, i)
            text = _flat(inner).strip()
            after = line[end] if end < len(line) else None
            if (
                isinstance(after, Text)
                and after.text.lstrip().startswith(":")
                and end + 1 <= len(line)
            ):
                rest_text = after.text.lstrip()[1:]
                if rest_text.strip() or end + 1 < len(line):  # <u>Model</u>: Title
                    line = (
                        line[:i]
                        + ([Text(rest_text, after.line)] if rest_text.strip() else [])
                        + line[end + 1 :]
                    )
                    continue
            if text and found.add_venue(_MARKED, text, known_only=True):
                i = end
                continue
            if (
                text
                and any(ch.isalnum() for ch in text)
                and not any(isinstance(t, (Tag,)) for t in inner[:1])
            ):
                link = next(
                    (
                        t
                        for t in inner
                        if isinstance(t, Link)
                        and not isinstance(t, _Bracketed)
                        and t.label.strip() == text
                    ),
                    None,
                )
                tail = line[end:]
                tail_text = _flat([t for t in tail if isinstance(t, Text)]).strip(" .,:;")
                if not (isinstance(after, Text) and after.text[:1].isalnum()):
                    return text, link, end
                del tail_text
        if isinstance(tok, Link) and not isinstance(tok, _Bracketed):
            kind = label_kind(tok.label, tok.href)
            if kind is None and not tok.bare and tok.label and any(c.isalpha() for c in tok.label):
                return tok.label, tok, i + 1
        break
    return _text_title(line, i, found)


def _text_title(line: list[Token], start: int, found: _Found) -> tuple[str, Link | None, int]:
    """Plain-text title up to the first link/tag/badge; a trailing venue span is cut off."""
    parts: list[str] = []
    spans: list[tuple[int, int, str, bool]] = []  # start, end, text, is <ins>
    i = start
    while i < len(line):
        tok = line[i]
        if isinstance(tok, Mark) and tok.opening:
            end, inner = _span(line, i)
            if end == i + 1 or any(isinstance(t, (Link, Badge)) for t in inner):
                break  # unclosed, or a span of links: the title has ended
            size = sum(map(len, parts))
            text = _flat(inner)
            parts.append(text)
            spans.append((size, size + len(text), text, tok.kind in ("ins", "u")))
            i = max(end, i + 1)
            continue
        if isinstance(tok, Text):
            parts.append(tok.text)
        elif isinstance(tok, Mark):
            pass
        elif isinstance(tok, Tag) and _more_title(line, i + 1):
            parts.append(f"[{tok.text}]")  # "Markup [b]Bold[/b] Paper": text, not a tag
        else:
            break
        i += 1
    text = "".join(parts)
    if spans:
        s, e, span, ins = spans[-1]
        tail_empty = not text[e:].strip(_SEP + ".")
        if tail_empty and text[:s].strip():
            if found.add_venue(_MARKED, span, known_only=not ins):
                return text[:s], None, i
            if ins and (venue := normalise_venue(span)) != (None, None):  # <ins> is the venue
                found.venue.append((_MARKED, *venue))
                found.raw_venues.append(span)
                return text[:s], None, i
            if looks_like_authors(span) and not found.authors:
                found.authors = split_authors(span)
                return text[:s], None, i
    if i < len(line) and isinstance(line[i], Tag) and text.strip():
        tag = line[i]
        assert isinstance(tag, Tag)
        if found.add_venue(_TAG, tag.text, known_only=True):
            return text, None, i + 1
    tail_year = _TAIL_YEAR.search(text)
    if tail_year and text[: tail_year.start()].strip():
        found.venue.append((_PLAIN, None, int(tail_year[1])))
        return text[: tail_year.start()], None, i
    for pattern in (_TAIL_PAREN, _TAIL_PLAIN):
        match = pattern.search(text)
        if not match or not text[: match.start()].strip():
            continue
        raw = match["v"]
        if pattern is _TAIL_PAREN and not re.search(r"(?:19|20)\d{2}|'\d{2}", raw):
            continue
        if pattern is _TAIL_PAREN and re.search(r"\bet\.? al", raw):
            year = re.search(r"(?:19|20)\d{2}", raw)
            found.venue.append((_MARKED, None, int(year[0]) if year else None))
            return text[: match.start()], None, i
        name = re.sub(r"[\s,]+(?:19|20)\d{2}$", "", raw)
        if pattern is _TAIL_PLAIN and not ("'" in raw or raw[0].isupper() or is_known_venue(name)):
            continue
        if found.add_venue(_MARKED, raw, known_only=pattern is _TAIL_PAREN):
            return text[: match.start()], None, i
    return text, None, i


def _more_title(line: list[Token], start: int) -> bool:
    """Title text goes on after a tag (rather than links, badges or the end)."""
    for tok in line[start:]:
        if isinstance(tok, Text):
            if any(ch.isalnum() for ch in tok.text):
                return True
        elif isinstance(tok, Mark) and tok.opening:
            return True  # an emphasised span follows: the venue marker is still to come
        elif not isinstance(tok, (Mark, Tag)):
            return False
    return False


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
    lines = _lines(items)
    if not lines:
        return None
    found = _Found()
    first = next(
        (
            n
            for n, ln in enumerate(lines)
            if any(not isinstance(t, Badge) and not _blank(t) for t in ln)
        ),
        0,
    )
    for badge_line in lines[:first]:
        _rest(found, badge_line)
    lines = lines[first:]
    raw_title, title_link, after = _title_span(lines[0], found)
    title = _clean_title(raw_title)
    if not any(ch.isalnum() for ch in title) or len(title.split()) > _MAX_TITLE_WORDS:
        return None
    rest = lines[0][after:]
    for more in lines[1:]:
        rest.append(Break())
        rest.extend(more)
    _rest(found, rest)
    # A paragraph line needs a paper link of its own, and one title among its links.
    one_title = found.named + (title_link is not None) <= 1
    if paragraph and not ((title_link or found.paper) and one_title):
        return None
    return _assemble(title, line, found, title_link, year_hint, evidence)


def _assemble(
    title: str,
    line: int,
    found: _Found,
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
