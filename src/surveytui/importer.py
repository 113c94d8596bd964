"""Awesome-list Markdown -> :class:`Catalog`, from markdown-it tokens.

Paper lists are written by hand and drift in format from one README to the
next, so entries are read from the parsed token stream (headings, list items,
inline children) rather than with line regexes: a link that wraps onto the
next line, an ``<ins>`` venue or an escaped bracket then parse the same way
they render on GitHub. Regexes only ever look inside the text of one inline
token (to pick a venue out of a title tail, say).

The rules, so the output can be predicted and checked:

Sections
    Every heading is a section except the document's first heading when it is
    an H1 (that is the catalogue title), prose headings (table of contents,
    abstract, citation, contribute, scope, references, metadata, "filter by
    categories", licence, news...) together with everything below them, and
    headings with no paper bullet below them at any depth. Ids are slug paths
    (``top/sub``); bullets before the first section heading are ignored with a
    warning.

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
    kind (``- [Title](url) ...``) takes its title from that label.

Links
    Labels map to fields, first of each wins: paper/pdf/arxiv/url/link/doi/
    project... -> ``paper_url``; code/github/repo... -> ``code_url``; a link
    without a label (an autolink or bare URL) is the paper link if none yet,
    else the code link when it points at a GitHub/GitLab repository; other
    labels (slides, blog...) are ignored. Only ``http``/``https`` URLs with a
    host and no hidden control characters are stored (:func:`is_safe_url`);
    others are refused with a warning naming file, line and link. Cleaning is
    limited to what is unambiguous: line breaks inside a URL are removed; an
    arXiv ``abs``/``pdf`` link is cut right after its identifier (and
    ``.pdf``), since anything there is copy-paste junk; tracking parameters
    (``utm_*``, ``trk``, ``fbclid``, ``gclid``, Google's ``&usg=``-style tails,
    GitHub's ``tab=``) and ``#:~:text=`` fragments are dropped; trailing
    punctuation and encoded HTML debris (``.``, ``,``, ``]``, ``%3E``,
    ``%3C/p%3E``, ``%5C``) is stripped. A bare host such as
    ``https://github.com/`` is a placeholder, not a link: dropped with a warning.

Venues and years
    See :func:`normalise_venue`: an alias table fixes spelling (``NeruIPS`` ->
    ``NeurIPS``), two-digit years expand (00-69 -> 20xx, 70-99 -> 19xx), and a
    one-digit year (``NeurIPS'2``) is ambiguous: year ``None`` plus a warning.

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

import hashlib
import re
import shlex
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from surveytui.catalog import CATEGORIES, Catalog, CatalogError, Paper, Section, catalog_to_toml
from surveytui.text import clean_text, normalise_title, slugify

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


@dataclass(frozen=True)
class ImportResult:
    catalog: Catalog
    warnings: tuple[str, ...]  # "file:line: message", refused unsafe links included
    entries: int  # paper bullets seen, before merging
    duplicates: tuple[str, ...]  # "file:line: message", one per merged listing
    issues: tuple[ImportIssue, ...] = ()  # all of the above, structured, in line order
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)  # id -> line
    source_name: str = "<markdown>"


# --------------------------------------------------------------------------- venues

_PLAIN_VENUES = """
    ICLR ICML ACL EMNLP EACL COLING TACL CVPR ICCV ECCV WACV OSDI SOSP ASPLOS EuroSys NSDI FAST
    SIGCOMM MobiCom MobiSys SenSys CHI UIST AAAI IJCAI SIGIR JMLR TMLR ICASSP Interspeech HPCA
    ISCA MICRO SC PPoPP ICPP IPDPS SIGMOD INFOCOM MICCAI IJCV TIST TMC TKDE TNNLS
"""
#: Canonical venue -> other spellings seen in the wild (compared by :func:`venue_key`).
VENUES: dict[str, tuple[str, ...]] = {
    "NeurIPS": ("NIPS", "NeruIPS", "Nuerips", "NeurlPS", "NeuIPS", "NeurIP", "Neural IPS"),
    "arXiv": ("arXiv preprint", "CoRR"),
    "NAACL": ("NAACL-HLT",),
    "MLSys": ("SysML",),
    "ATC": ("USENIX ATC",),
    "UbiComp": ("IMWUT",),
    "KDD": ("SIGKDD",),
    "WWW": ("The Web Conference", "TheWebConf"),
    "TPAMI": ("PAMI", "IEEE TPAMI"),
    "TASLP": ("IEEE/ACM Transactions on Audio, Speech, and Language Processing",),
    "MM": ("ACM MM", "ACM Multimedia"),
    "VLDB": ("PVLDB",),
    **{name: () for name in _PLAIN_VENUES.split()},
}


def venue_key(name: str) -> str:
    """Spelling-insensitive key: casefolded letters and digits only."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


#: venue_key(alias or canonical) -> canonical name.
VENUE_ALIASES: dict[str, str] = {
    venue_key(alias): canonical
    for canonical, aliases in VENUES.items()
    for alias in (canonical, *aliases)
}

_QUOTE_YEAR = re.compile(r"(?P<name>.*?)\s*'\s*(?P<year>\d{1,4})")
_PLAIN_YEAR = re.compile(r"(?P<name>.*?)[\s,\-]*(?P<year>(?:19|20)\d{2})")


def _expand_year(digits: str) -> int | None:
    if len(digits) == 2:
        value = int(digits)
        return 2000 + value if value < 70 else 1900 + value
    if len(digits) == 4 and 1900 <= int(digits) <= 2099:
        return int(digits)
    return None  # one or three digits: no safe reading


def normalise_venue(raw: str) -> tuple[str | None, int | None]:
    """``"NeruIPS'21"`` -> ``("NeurIPS", 2021)``; ``"CHI 2023"`` -> ``("CHI", 2023)``.

    A one- or three-digit year (``"NeurIPS'2"``) keeps the venue and gives year
    ``None``: guessing 2020 or 2022 would be inventing data. Author citations
    (``"Author et al., 2023"``) give only the year. Unknown venues are kept as
    written, whitespace folded.
    """
    text = clean_text(raw).replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.strip(" *_[](){}").rstrip(",.;:").strip()
    year: int | None = None
    match = _QUOTE_YEAR.fullmatch(text) or _PLAIN_YEAR.fullmatch(text)
    if match:
        text, year = match["name"], _expand_year(match["year"])
    name = text.strip(" ,;:-'*_[](){}")
    if not name or "et al" in name.casefold():
        return None, year
    return VENUE_ALIASES.get(venue_key(name), name), year


# --------------------------------------------------------------------------- categories

#: Category id -> (title pattern, section-path pattern), both matched casefolded.
_CATEGORY_RULES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "llm": (
        re.compile(
            r"\bllms?\b|\blms?\b|language models?|gpt|(?<!hu)bert|llama|\bpalm\b|\bglm\b|\bt5\b"
            r"|mistral|mixtral|\bnlp\b|natural language|question answering|summari[sz]ation"
            r"|machine translation|\bprompt|instruction|in-context|kv ?cache|decoding"
        ),
        re.compile(r"language|\bllm"),
    ),
    "multimodal": (
        re.compile(
            r"multi-?modal|vision|visual|image|video|pixel|vit\b|\bvit|\bclip\b|speech|audio"
            r"|\basr\b|segment|object detection|caption|\b3d\b|\bvlm|llava|blip|flamingo"
        ),
        re.compile(r"multi-?modal|vision|visual|\bvit|image|video|speech|audio"),
    ),
    "diffusion": (
        re.compile(r"diffusion|\bddpm|\bddim|score-based|consistency models?"),
        re.compile(r"diffusion"),
    ),
}


def categorise(title: str, section_titles: Sequence[str]) -> tuple[str, ...]:
    """Category ids (in :data:`CATEGORIES` order) for a paper.

    A category applies when the title mentions it or any section the paper is
    listed under (ancestors included) is about it: ``llm`` for LLM, language
    model, GPT, BERT, LLaMA, prompts, KV caches, decoding...; ``multimodal``
    for vision, image, video, ViT, CLIP, speech, audio, multimodal...;
    ``diffusion`` for diffusion, DDPM/DDIM, score-based and consistency models.
    Several or none may apply; the TOML stays hand-editable.
    """
    name = title.casefold()
    sections = " | ".join(section_titles).casefold()
    return tuple(
        cat
        for cat in CATEGORIES
        if cat in _CATEGORY_RULES
        and (_CATEGORY_RULES[cat][0].search(name) or _CATEGORY_RULES[cat][1].search(sections))
    )


# --------------------------------------------------------------------------- ids


def title_key(title: str) -> str:
    """Merge key; titles with no ASCII letters (CJK...) still need a non-empty key."""
    return normalise_title(title) or clean_text(title).casefold()


def paper_id(title: str) -> str:
    """The id a title gets when nothing collides with it (see :func:`assign_ids`)."""
    slug = slugify(title, max_len=60)
    if slug:
        return slug
    return "paper-" + hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:6]


def assign_ids(titles: Sequence[str]) -> list[str]:
    """Ids for distinct titles; a shared slug gets a hash suffix on every holder.

    The suffix depends only on each title, so ids are the same whatever the
    order of the list and whichever paper came first.
    """
    keys = [title_key(t) for t in titles]
    digests = [hashlib.sha1(k.encode("utf-8")).hexdigest() for k in keys]
    bases = ids = [paper_id(t) for t in titles]
    width = 6
    while True:
        holders: dict[str, set[str]] = {}
        for pid, key in zip(ids, keys, strict=True):
            holders.setdefault(pid, set()).add(key)
        clashing = {pid for pid, owners in holders.items() if len(owners) > 1}
        if not clashing or width > 40:
            return ids
        ids = [
            f"{base}-{d[:width]}" if pid in clashing else pid
            for base, d, pid in zip(bases, digests, ids, strict=True)
        ]
        width += 2


# --------------------------------------------------------------------------- URLs

_MAX_URL = 2048
_BAD_ASCII = re.compile(r"[\x00-\x20\x7f\\]")  # controls, space, DEL, backslash
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ARXIV_URL = re.compile(
    r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/"
    r"(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?",
    re.IGNORECASE,
)
_ARXIV_ID = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})|arxiv:\s*(\d{4}\.\d{4,5})", re.I)
_GITHUB = re.compile(r"https?://(?:www\.)?github\.com(?:/|$)", re.IGNORECASE)
_REPO = re.compile(r"https?://(?:www\.)?(?:github|gitlab)\.com/[^/?#]+/[^/?#]+", re.IGNORECASE)
_PATHLESS_JUNK = re.compile(r"&(?:usg|sa|ved|ust|source|cd|url)=.*$", re.DOTALL)
_TRAILING_JUNK = re.compile(
    r"(?:[.,;:'\"\]\\]|%5[CD]|%3E|%22|%27|%3C/?[A-Z]*(?:%3E)?)+$", re.IGNORECASE
)
_TRACKING_KEY = re.compile(r"utm_\w*|trk|fbclid|gclid|usg|mc_cid|mc_eid", re.IGNORECASE)
_PLACEHOLDER_HOSTS = frozenset(
    {"github.com", "www.github.com", "gitlab.com", "arxiv.org", "www.arxiv.org"}
    | {"huggingface.co", "example.com", "www.example.com"}
)


def arxiv_id(text: str) -> str | None:
    """``2401.08092`` from an arXiv abs/pdf link (any version) or an ``arXiv:`` mention."""
    match = _ARXIV_ID.search(text)
    return (match[1] or match[2]) if match else None


def is_safe_url(url: str) -> bool:
    """True only for an ``http``/``https`` URL with a host that is fine to store and open.

    Refused: other schemes, a leading ``-`` (read as an option by a browser
    command), whitespace, control/format characters (bidi, zero-width) or a
    backslash, credentials before the host, a malformed port, over 2048 chars.
    """
    if not url or len(url) > _MAX_URL or url.startswith("-") or _BAD_ASCII.search(url):
        return False
    if not url.isascii() and any(
        ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in url
    ):
        return False
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not port_ok or "@" in parts.netloc:
        return False
    return bool(parts.hostname)


def hides_control(url: str) -> bool:
    """Percent-encoded controls or bidi marks: harmless bytes, hostile once decoded."""
    if "%" not in url:
        return False
    decoded = unquote(url)
    return bool(_ASCII_CONTROL.search(decoded)) or any(
        unicodedata.category(ch) in ("Cc", "Cf") for ch in decoded if not ch.isascii()
    )


def is_placeholder_url(url: str) -> bool:
    """``https://github.com/`` and friends: a host with nothing after it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return host in _PLACEHOLDER_HOSTS and parts.path in ("", "/") and not parts.query


def clean_url(url: str) -> str:
    """Remove junk that is unambiguous (see the module docstring); leave the rest alone."""
    url = re.sub(r"\s*\n\s*", "", url).strip()
    arxiv = _ARXIV_URL.match(url)
    if arxiv:
        return arxiv.group(0)
    if "?" not in url:
        url = _PATHLESS_JUNK.sub("", url)
    base, hash_mark, fragment = url.partition("#")
    if fragment.startswith(":~:"):
        hash_mark = fragment = ""
    path, question, query = base.partition("?")
    if question:
        on_github = bool(_GITHUB.match(path))
        kept = [
            pair
            for pair in query.split("&")
            if pair
            and not _TRACKING_KEY.fullmatch(pair.split("=", 1)[0])
            and not (on_github and pair.split("=", 1)[0] == "tab")
        ]
        base = path + ("?" + "&".join(kept) if kept else "")
    if not hash_mark:
        base = _TRAILING_JUNK.sub("", base)
    return base + hash_mark + fragment


# --------------------------------------------------------------------------- one entry

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
class _Entry:
    title: str
    venue: str | None
    year: int | None
    line: int
    paper_url: str | None = None
    code_url: str | None = None
    section: int = -1


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
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
    return bracketed or bool(_HAS_YEAR.search(inner)) or venue_key(inner) in VENUE_ALIASES


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
    for seg in segments:
        if isinstance(seg, str):
            parts.append(seg)
        elif isinstance(seg, _Mark):
            size = sum(map(len, parts))
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
            "'" in raw
            or raw[0].isupper()
            or venue_key(_PLAIN_YEAR.sub(r"\1", raw)) in VENUE_ALIASES
        ):
            continue
        if pattern is not _TAIL_BRACKET or _venue_like(raw):
            return text[: match.start()], raw
    return text, None


@dataclass
class _Importer:
    """Reads entries one inline token at a time, collecting remarks with their lines."""

    source_name: str
    issues: list[ImportIssue] = field(default_factory=list)

    def warn(self, line: int, message: str, kind: IssueKind = "warning") -> None:
        self.issues.append(ImportIssue(f"{self.source_name}:{line}", message, kind, line))

    def entry(self, inline: Token) -> _Entry | None:
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
        found = _Entry(title, venue, year, first_line)
        if raw_venue and year is None and _SHORT_YEAR.search(raw_venue.strip("*[]() ")):
            shown = clean_text(raw_venue).strip("*[]() ")
            self.warn(first_line, f"ambiguous year in venue {shown!r} for {title!r}")
        for link, kind in zip(links, kinds, strict=True):
            url = self.accept(link, title)
            if url is None or kind is None:
                continue
            if kind == "bare":
                kind = "code" if found.paper_url and _REPO.match(url) else "paper"
            if kind == "paper" and found.paper_url is None:
                found.paper_url = url
            elif kind == "code" and found.code_url is None:
                found.code_url = url
        return found

    def accept(self, link: _Link, title: str) -> str | None:
        """The cleaned URL, or ``None`` (with a warning) when unsafe or a placeholder."""
        raw = re.sub(r"\s*\n\s*", "", link.href).strip()
        if link.from_text and is_safe_url(raw):
            raw = _parser().normalizeLink(raw)
        url = clean_url(raw)
        if not is_safe_url(url) or hides_control(url):
            shown = clean_text(raw)
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            self.warn(link.line, f"refused unsafe link {shown!r} for {title!r}", "unsafe")
            return None
        if is_placeholder_url(url):
            self.warn(link.line, f"dropped placeholder link {url!r} for {title!r}")
            return None
        return url


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
    entries: list[_Entry] = field(default_factory=list)


def _inline_text(inline: Token) -> str:
    kinds = ("text", "code_inline", "image")
    return "".join(t.content for t in inline.children or [] if t.type in kinds)


def _walk(tokens: Sequence[Token], imp: _Importer) -> _Document:
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
) -> tuple[list[tuple[_Entry, list[int]]], list[ImportIssue]]:
    """One record per distinct title; later listings fill gaps and are reported."""
    merged: dict[str, tuple[_Entry, list[int]]] = {}
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
    imp = _Importer(source_name)
    doc = _walk(_parser().parse(text.lstrip("\ufeff")), imp)
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
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CatalogError(f"{path}: is a directory, not a Markdown file") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text (byte {exc.start})") from None
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
