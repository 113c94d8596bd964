"""Where an entry's title is, and what is cut from it.

On the title's line, leading symbols, tags, badges, dates (``2024.05``) and
a parenthesised venue (``(ICML 2023)``) are skipped (a venue-like tag gives
the venue, a date the year), a leading
button is read as the venue link (:mod:`surveytui.importer.clues`), and so is
a marked prefix followed by a colon (``<u>T5</u>:``). The title is then the
first of:

1. an emphasised span (``**Title**``, ``**"Title"**``) that is not a venue
   and is not followed directly by more words;
2. a link whose label is not a link kind (``[Title](url)``): the link is the
   paper link;
3. the text up to the first link, badge, line break or closing tag, where a
   trailing emphasised/``<ins>`` span that reads as a venue (or names), a
   trailing tag such as ``[CHI 2023]``, a trailing ``(Author et al., 2023)``,
   ``. Venue 2023`` (a known venue, or at most three words) or ``, 2024`` is
   cut off and read as venue/year, and then a last sentence of names
   (``Title. Ada Lovelace, Alan Turing.``) as the authors. A tag
   followed by more title words (``Markup [b]Bold[/b] Paper``) is text.
   So is a bare URL in running text: inside a parenthesis, bracket or quote
   the title opened (``Title (see https://x/y)``, ``=HYPERLINK("http://x")``),
   or between two words (``Title see https://x/y here``). It still counts as
   a bare link, the weakest kind, so a labelled ``[[Paper]]`` link wins.

The title then loses surrounding straight or curly quotes, a final period
(``Yet?.`` keeps the ``?``), a trailing ``(@affiliation)``, and leading
emoji.
"""

from __future__ import annotations

import re

from surveytui.importer.clues import BADGE, MARKED, PLAIN, TAG, Clues, add_link
from surveytui.importer.segments import Link, Mark, Text
from surveytui.importer.tokens import (
    SEPARATORS,
    Badge,
    Tag,
    Token,
    flat,
    is_blank,
    span,
    strip_symbols,
)
from surveytui.importer.vocab import (
    is_known_venue,
    label_kind,
    looks_like_authors,
    read_date_year,
    split_authors,
)
from surveytui.model.venues import normalise_venue

_TAIL_PAREN = re.compile(r"\((?P<v>[^()]{1,120})\)[\s,.;:]*$")
_TAIL_PLAIN = re.compile(
    r"(?<=[.?!,;:])\s+(?P<v>[A-Za-z][\w&/+\- ]{0,60}?(?:\s*'\d{1,4}|[\s,]+(?:19|20)\d{2}))"
    r"[\s,.;:]*$"
)
_TAIL_YEAR = re.compile(r"[,;]\s*(?P<v>(?:19|20)\d{2})[\s.]*$")
_PAREN_PREFIX = re.compile(r"\s*\(([^()]{1,60})\)\s*")
_LAST_SENTENCE = re.compile(r"(?<=[.?!])\s+(?P<names>[^.?!]{3,300})[.\s]*$")
_DATE_PREFIX = re.compile(r"\s*((?:19|20)\d{2}[./\-]\d{1,2}(?:[./\-]\d{1,2})?)\b[\s:,\-]*")
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
_AFFILIATION = re.compile(r"\s*\(@[^()]{0,200}\)\s*$")
_OPENERS = {"(": 1, "[": 1, "{": 1, "\u201c": 1, ")": -1, "]": -1, "}": -1, "\u201d": -1}
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")


def clean_title(text: str) -> str:
    title = " ".join(text.split())
    title = _AFFILIATION.sub("", title)
    title = strip_symbols(title).rstrip(SEPARATORS).strip()
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


def read_title(line: list[Token], found: Clues) -> tuple[str, Link | None, int]:
    """(raw title, title link, index after the title) on the first line."""
    i = 0
    prefixed = False  # one date or one "Model:" prefix at most: keeps odd lines linear
    while i < len(line):
        tok = line[i]
        if is_blank(tok) or isinstance(tok, Badge):
            if isinstance(tok, Badge) and tok.text:
                found.add_venue(BADGE, tok.text, known_only=True)
            i += 1
            continue
        if isinstance(tok, Tag):
            if not found.add_venue(TAG, tok.text, known_only=True):  # [Short], [4 Mar 2025]
                found.date_year = found.date_year or read_date_year(tok.text)
            i += 1
            continue
        if isinstance(tok, Link) and tok.button:
            add_link(found, tok, leading=True)
            i += 1
            continue
        if isinstance(tok, Text) and not prefixed:
            stripped = strip_symbols(tok.text)
            date = _DATE_PREFIX.match(stripped)
            paren = _PAREN_PREFIX.match(stripped)
            if date:  # "2024.05 Title" (a date column typed into the item)
                found.date_year = read_date_year(date[1])
            elif not (paren and found.add_venue(TAG, paren[1], known_only=True)):
                paren = None  # "(ICML 2023) Title" gives the venue; other parentheses stay
            cut = date or paren
            if cut:
                prefixed = True
                line = [*line[:i], Text(stripped[cut.end() :], tok.line), *line[i + 1 :]]
                continue
        if isinstance(tok, Mark) and tok.opening:
            end, inner = span(line, i)
            text = flat(inner).strip()
            after = line[end] if end < len(line) else None
            colon = isinstance(after, Text) and after.text.lstrip().startswith(":")
            if colon and not prefixed and isinstance(after, Text):  # <u>Model</u>: Title
                rest = after.text.lstrip()[1:]
                if rest.strip() or end + 1 < len(line):
                    prefixed = True
                    line = [*line[:i], Text(rest, after.line), *line[end + 1 :]]
                    continue
            if text and found.add_venue(MARKED, text, known_only=True):
                i = end
                continue
            followed = isinstance(after, Text) and after.text[:1].isalnum()
            if any(ch.isalnum() for ch in text) and not followed:
                link = next(
                    (
                        t
                        for t in inner
                        if isinstance(t, Link) and not t.button and t.label.strip() == text
                    ),
                    None,
                )
                found.set_apart = True
                return text, link, end
        if isinstance(tok, Link) and not tok.button:
            kind = label_kind(tok.label, tok.href)
            if kind is None and not tok.bare and any(c.isalpha() for c in tok.label):
                found.set_apart = True
                return tok.label, tok, i + 1
        break
    return _text_title(line, i, found)


def _text_title(line: list[Token], start: int, found: Clues) -> tuple[str, Link | None, int]:
    """Plain-text title up to the first link/tag/badge; a trailing venue span is cut off."""
    parts: list[str] = []
    spans: list[tuple[int, int, str, bool]] = []  # start, end, text, is <ins>
    size = 0  # len("".join(parts)), kept as a running total: re-summing it is quadratic
    more: list[bool] | None = None  # _more_title per position, worked out once if needed
    depth = 0  # brackets the title text opened and has not closed
    quoted = 0  # 1 inside an unpaired straight quote
    i = start
    while i < len(line):
        tok = line[i]
        nxt = line[i + 1] if i + 1 < len(line) else None
        if (
            parts
            and isinstance(tok, Link)
            and tok.bare
            and (depth > 0 or quoted or _between_words(parts[-1], nxt))
        ):
            add_link(found, tok)  # still a (bare) link, but the title goes on
            parts.append(tok.label)
            size += len(tok.label)
            i += 1
            continue
        if isinstance(tok, Mark) and tok.opening:
            end, inner = span(line, i)
            if end == i + 1 or any(isinstance(t, (Link, Badge)) for t in inner):
                break  # unclosed, or a span of links: the title has ended
            text = flat(inner)
            parts.append(text)
            depth += _opened(text)
            quoted ^= text.count('"') % 2
            spans.append((size, size + len(text), text, tok.kind in ("ins", "u")))
            size += len(text)
            i = max(end, i + 1)
            continue
        if isinstance(tok, Text):
            parts.append(tok.text)
            depth += _opened(tok.text)
            quoted ^= tok.text.count('"') % 2
            size += len(tok.text)
        elif isinstance(tok, Mark):
            pass
        elif isinstance(tok, Tag):
            if more is None:
                more = _more_title(line)
            if not more[i + 1]:
                break
            parts.append(f"[{tok.text}]")  # "Markup [b]Bold[/b] Paper": text, not a tag
            size += len(tok.text) + 2
        else:
            break
        i += 1
    text = "".join(parts)
    if spans:
        s, e, marked, ins = spans[-1]
        tail_empty = not text[e:].strip(SEPARATORS + ".")
        if tail_empty and text[:s].strip():
            if found.add_venue(MARKED, marked, known_only=not ins):
                return text[:s], None, i
            if ins and (venue := normalise_venue(marked)) != (None, None):  # <ins>: the venue
                found.venue.append((MARKED, *venue))
                found.raw_venues.append(marked)
                return text[:s], None, i
            if looks_like_authors(marked) and not found.authors:
                found.authors = split_authors(marked)
                return text[:s], None, i
    if i < len(line) and isinstance(line[i], Tag) and text.strip():
        tag = line[i]
        assert isinstance(tag, Tag)
        if found.add_venue(TAG, tag.text, known_only=True):
            return text, None, i + 1
    for pattern in (_TAIL_PAREN, _TAIL_PLAIN, _TAIL_YEAR):
        match = pattern.search(text)
        if not match or not text[: match.start()].strip():
            continue
        raw = match["v"]
        if pattern is _TAIL_YEAR:  # "Title, 2024"
            found.venue.append((PLAIN, None, int(raw)))
            return _authors_off(text[: match.start()], found), None, i
        if pattern is _TAIL_PAREN and not re.search(r"(?:19|20)\d{2}|'\d{2}", raw):
            continue
        if pattern is _TAIL_PAREN and re.search(r"\bet\.? al", raw):
            year = re.search(r"(?:19|20)\d{2}", raw)
            found.venue.append((MARKED, None, int(year[0]) if year else None))
            return text[: match.start()], None, i
        name = re.sub(r"[\s,]+(?:19|20)\d{2}$", "", raw)
        plausible = "'" in raw or (raw[0].isupper() and len(name.split()) <= 3)
        if pattern is _TAIL_PLAIN and not (plausible or is_known_venue(name)):
            continue
        if found.add_venue(MARKED, raw, known_only=pattern is _TAIL_PAREN):
            return _authors_off(text[: match.start()], found), None, i
    return text, None, i


def _opened(text: str) -> int:
    """Brackets ``text`` leaves open (closes count against)."""
    return sum(_OPENERS.get(ch, 0) for ch in text)


def _between_words(before: str, after: Token | None) -> bool:
    """A bare URL with a word right before it and a lower-case word (not a venue) after."""
    word_end = before.rstrip()
    if not isinstance(after, Text) or word_end == before or not word_end[-1:].isalnum():
        return False
    word = _NEXT_WORD.match(after.text)
    return word is not None and not is_known_venue(word[1])


def _authors_off(title: str, found: Clues) -> str:
    """``Title. Ada Lovelace, Alan Turing.`` -> the title; the names become the authors."""
    match = _LAST_SENTENCE.search(title)
    if match and not found.authors and looks_like_authors(match["names"]):
        found.authors = split_authors(match["names"])
        return title[: match.start()]
    return title


def _more_title(line: list[Token]) -> list[bool]:
    """Per position k: does title text go on from ``line[k]`` (rather than links, badges
    or the end)? Worked out in one backward pass, so a line of many tags stays linear."""
    more = [False] * (len(line) + 1)
    for k in range(len(line) - 1, -1, -1):
        tok = line[k]
        if isinstance(tok, Text):
            more[k] = any(ch.isalnum() for ch in tok.text) or more[k + 1]
        elif isinstance(tok, Mark) and tok.opening:
            more[k] = True  # an emphasised span follows: the venue marker is still to come
        elif isinstance(tok, (Mark, Tag)):
            more[k] = more[k + 1]
    return more
