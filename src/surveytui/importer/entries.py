"""One awesome-list bullet -> one paper entry (title, venue, year, links), from its tokens.

Paper bullets
    The first paragraph of a list item is a paper when it has a title and
    either a venue marker or a paper/code link. Anchor (``#...``) and relative
    links are read as plain text, which is what makes table-of-contents and
    "[link](/llms)" bullets fall out. Accepted venue markers: an emphasised or
    ``<ins>`` span at the end of the title (``*[NeurIPS'21]*``,
    ``<ins>*arXiv'17*</ins>``), or in plain text a trailing ``[CHI 2023]``,
    ``(Author et al., 2023)`` or ``. arxiv 2023`` / ``. Venue'YY``. So an entry
    without any link is still a paper when it names a venue and year, and a
    prose bullet without link or venue never is. The title is the text before
    the venue marker (or first link) without its final separator: ``Yet?.``
    keeps the ``?``. A bullet that starts with a link whose label is not a link
    kind (``- [Title](url) ...``) takes its title from that label. Venues are
    read by :func:`surveytui.model.venues.normalise_venue`.

Links
    Labels map to fields, first of each wins: paper/pdf/arxiv/url/link/doi/
    project... -> ``paper_url``; code/github/repo... -> ``code_url``; a link
    without a label (an autolink or bare URL) is the paper link if none yet,
    else the code link when it points at a GitHub/GitLab repository; other
    labels (slides, blog...) are ignored. Line breaks inside a URL are removed
    and copy-paste junk is cut (:func:`surveytui.importer.url_cleanup.clean_url`). Only links
    that :func:`surveytui.system.links.is_safe_url` accepts are stored; others are
    refused with a warning naming file, line and link. A bare host such as
    ``https://github.com/`` is a placeholder, not a link: dropped with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from surveytui.importer.url_cleanup import clean_url, is_placeholder_url, is_repo_url
from surveytui.model.text import clean_text
from surveytui.model.venues import PLAIN_YEAR, is_known_venue, normalise_venue
from surveytui.system.links import is_safe_url, looks_like_http_url

IssueKind = Literal["warning", "unsafe", "duplicate"]


@dataclass(frozen=True)
class ImportIssue:
    """One import remark; ``unsafe`` ones are errors for ``surveytui check``."""

    where: str  # "file:line"
    message: str
    kind: IssueKind = "warning"
    line: int = 0

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


_PAPER_LABELS = frozenset(
    {"paper", "pdf", "arxiv", "url", "link", "doi", "project", "project page", "abs"}
    | {"openreview", "preprint", "publication", "proceedings", "html"}
)
_CODE_LABELS = frozenset(
    {"code", "github", "repo", "repository", "gitlab", "source", "source code"}
    | {"implementation", "official code"}
)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:|//")
_TEXT_LINK = r"\[\[?(?P<label>[^\[\]\n]{0,40})\]?\]?\((?P<url>[^()]{1,2100}?)\)"
_TEXT_LINK_OR_URL = re.compile(_TEXT_LINK + r"|https?://[^\s<>\[\]()\"'`]+")
_HTML_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z]+)")
_MARK_TAGS = frozenset({"ins", "u", "em", "i", "b", "strong", "sup", "sub", "mark", "s", "del"})
_MARK_TOKENS = frozenset(
    {"em_open", "strong_open", "s_open", "em_close", "strong_close", "s_close"}
)
_SEPARATORS = " \t\n,;:|-\u2013\u2014"
_TAIL_BRACKET = re.compile(r"\[(?P<v>[^\[\]]{1,80})\][\s,.;:]*$")
_TAIL_PAREN = re.compile(r"\((?P<v>[^()]{1,120})\)[\s,.;:]*$")
_TAIL_PLAIN = re.compile(
    r"(?<=[.?!,;:])\s+(?P<v>[A-Za-z][\w&/+.\- ]{0,60}?(?:\s*'\d{1,4}|[\s,]+(?:19|20)\d{2}))"
    r"[\s,.;:]*$"
)
_HAS_YEAR = re.compile(r"'\s*\d{1,4}$|\b(?:19|20)\d{2}$")
_SHORT_YEAR = re.compile(r"'\s*\d{1,3}\s*$")

LinkKind = Literal["paper", "code", "bare"]


@dataclass
class _Link:
    href: str
    label: str
    line: int
    from_text: bool = False  # found in plain text: not normalised by markdown-it


@dataclass(frozen=True)
class _Mark:
    """Start or end of emphasis, ``<ins>``...: where a venue is usually set apart."""

    opening: bool
    ins: bool


_Segment = str | _Link | _Mark


@dataclass
class Entry:
    """One paper bullet as read; the document walk sets ``section`` and merges repeats."""

    title: str
    venue: str | None
    year: int | None
    line: int
    paper_url: str | None = None
    code_url: str | None = None
    section: int = -1


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The parser for documents and for links found in plain text: built once, it is slow."""

    class _AllLinks(MarkdownIt):
        def validateLink(self, url: str) -> bool:  # every link reaches is_safe_url and a warning
            return True

    return _AllLinks("commonmark").enable("strikethrough")


def _split_text(text: str, line: int) -> list[_Segment]:
    """Text may still hold links markdown-it could not parse (a URL broken by a newline)."""
    out: list[_Segment] = []
    pos = 0
    for match in _TEXT_LINK_OR_URL.finditer(text):
        out.append(text[pos : match.start()])
        at = line + text.count("\n", 0, match.start())
        if match["url"] is not None:
            out.append(_Link(match["url"], match["label"].strip(), at, from_text=True))
        else:
            out.append(_Link(match.group(0), match.group(0), at, from_text=True))
        pos = match.end()
    out.append(text[pos:])
    return [s for s in out if s != ""]


def _segments(children: Sequence[Token], first_line: int) -> list[_Segment]:
    """Flatten inline tokens to text, links and emphasis marks, tracking source lines."""
    out: list[_Segment] = []
    buf: list[str] = []
    line = buf_line = first_line
    label: list[str] | None = None  # collecting a link's label
    href = ""
    link_line = first_line
    for tok in children:
        kind = tok.type
        breaks = kind in ("softbreak", "hardbreak")
        if label is not None:
            if kind == "link_close":
                out.append(_Link(href, clean_text("".join(label)), link_line))
                label = None
            elif kind in ("text", "code_inline", "image") or breaks:
                label.append(" " if breaks else tok.content)
        elif kind in ("text", "code_inline") or breaks:
            if not buf:
                buf_line = line
            buf.append("\n" if breaks else tok.content)
        else:
            out.extend(_split_text("".join(buf), buf_line))
            buf.clear()
            if kind == "link_open":
                href, link_line, label = str(tok.attrs.get("href", "")), line, []
            elif kind in _MARK_TOKENS:
                out.append(_Mark(kind.endswith("_open"), ins=False))
            elif kind == "html_inline" and (tag := _HTML_TAG.match(tok.content)):
                name = tag[2].lower()
                if name in _MARK_TAGS:
                    out.append(_Mark(not tag[1], ins=name in ("ins", "u")))
                elif name == "br":
                    buf.append(" ")
        line += breaks
    out.extend(_split_text("".join(buf), buf_line))
    return out


def _is_text_link(link: _Link) -> bool:
    return not _SCHEME.match(link.href.strip()) and _link_kind(link) in (None, "bare")


def _link_kind(link: _Link) -> LinkKind | None:
    label = link.label.strip(" []").casefold()
    if label in _PAPER_LABELS:
        return "paper"
    if label in _CODE_LABELS:
        return "code"
    if not label or label.startswith(("http://", "https://", "www.")) or label == link.href:
        return "bare"
    return None


def _venue_like(fragment: str, *, marked: bool = False) -> bool:
    """A year or a known venue; inside emphasis (``*[...]*``) any bracketed text too."""
    text = fragment.strip(_SEPARATORS + ".*_")
    inner = text.strip("[]() ").replace("\u2019", "'")
    if not inner:
        return False
    bracketed = marked and text.startswith("[") and text.endswith("]")
    return bracketed or bool(_HAS_YEAR.search(inner)) or is_known_venue(inner)


def _clean_title(text: str) -> str:
    title = clean_text(text).rstrip(_SEPARATORS).strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    if len(title) > 1 and title[0] in '"\u201c' and title[-1] in '"\u201d':
        title = title[1:-1].strip()
    return title


def _split_venue(segments: Sequence[_Segment]) -> tuple[str, str | None]:
    """(title text, raw venue) from the segments before the first link."""
    parts: list[str] = []
    spans: list[tuple[int, int, bool]] = []  # outermost marked spans: start, end, is <ins>
    depth, start, ins = 0, 0, False
    size = 0  # len("".join(parts)), kept as a running total (one sum per mark was quadratic)
    for seg in segments:
        if isinstance(seg, str):
            parts.append(seg)
            size += len(seg)
        elif isinstance(seg, _Mark):
            if seg.opening:
                if depth == 0:
                    start, ins = size, seg.ins
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    spans.append((start, size, ins))
    text = "".join(parts)
    if text.rstrip().endswith("["):  # the draft's "[[Paper](url)]": drop the outer bracket
        text = text.rstrip()[:-1]
    if spans:
        start, end, ins = spans[-1]
        span = text[start:end]
        tail_empty = not text[end:].strip(_SEPARATORS + ".")
        if tail_empty and text[:start].strip() and (ins or _venue_like(span, marked=True)):
            return text[:start], span
    for pattern in (_TAIL_BRACKET, _TAIL_PAREN, _TAIL_PLAIN):
        match = pattern.search(text)
        if not match or not text[: match.start()].strip():
            continue
        raw = match["v"]
        if pattern is _TAIL_PAREN and not _HAS_YEAR.search(raw.strip()):
            continue
        if pattern is _TAIL_PLAIN and not (
            "'" in raw or raw[0].isupper() or is_known_venue(PLAIN_YEAR.sub(r"\1", raw))
        ):
            continue
        if pattern is not _TAIL_BRACKET or _venue_like(raw):
            return text[: match.start()], raw
    return text, None


@dataclass
class EntryReader:
    """Reads entries one inline token at a time, collecting remarks with their lines."""

    source_name: str
    issues: list[ImportIssue] = field(default_factory=list)

    def warn(self, line: int, message: str, kind: IssueKind = "warning") -> None:
        self.issues.append(ImportIssue(f"{self.source_name}:{line}", message, kind, line))

    def entry(self, inline: Token) -> Entry | None:
        """The paper in a list item's first paragraph, or ``None`` if it is not one."""
        first_line = (inline.map[0] if inline.map else 0) + 1
        segments = _segments(inline.children or [], first_line)
        segments = [  # anchors and relative links read as text, unless labelled [[Paper]]
            s.label if isinstance(s, _Link) and _is_text_link(s) else s for s in segments
        ]
        links = [s for s in segments if isinstance(s, _Link)]
        first = next((i for i, s in enumerate(segments) if isinstance(s, _Link)), len(segments))
        title_text, raw_venue = _split_venue(segments[:first])
        title = _clean_title(title_text)
        if not title and links and _link_kind(links[0]) is None:  # - [Title](url) ...
            title = _clean_title(links[0].label)
            links[0] = _Link(links[0].href, "", links[0].line, links[0].from_text)
            rest = segments[first + 1 :]
            upto = next((i for i, s in enumerate(rest) if isinstance(s, _Link)), len(rest))
            fragment = "".join(s for s in rest[:upto] if isinstance(s, str))
            raw_venue = fragment if _venue_like(fragment) else None
        if not any(ch.isalnum() for ch in title):
            return None
        venue, year = normalise_venue(raw_venue) if raw_venue else (None, None)
        kinds = [_link_kind(link) for link in links]
        if venue is None and year is None and not any(kinds):
            return None
        found = Entry(title, venue, year, first_line)
        if raw_venue and year is None and _SHORT_YEAR.search(raw_venue.strip("*[]() ")):
            shown = clean_text(raw_venue).strip("*[]() ")
            self.warn(first_line, f"ambiguous year in venue {shown!r} for {title!r}")
        for link, kind in zip(links, kinds, strict=True):
            url = self.accept(link, title)
            if url is None or kind is None:
                continue
            if kind == "bare":
                kind = "code" if found.paper_url and is_repo_url(url) else "paper"
            if kind == "paper" and found.paper_url is None:
                found.paper_url = url
            elif kind == "code" and found.code_url is None:
                found.code_url = url
        return found

    def accept(self, link: _Link, title: str) -> str | None:
        """The cleaned URL, or ``None`` (with a warning) when unsafe or a placeholder."""
        raw = re.sub(r"\s*\n\s*", "", link.href).strip()
        if link.from_text and looks_like_http_url(raw):
            raw = markdown_parser().normalizeLink(raw)
        url = clean_url(raw)
        if not is_safe_url(url):
            shown = clean_text(raw)
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            self.warn(link.line, f"refused unsafe link {shown!r} for {title!r}", "unsafe")
            return None
        if is_placeholder_url(url):
            self.warn(link.line, f"dropped placeholder link {url!r} for {title!r}")
            return None
        return url
