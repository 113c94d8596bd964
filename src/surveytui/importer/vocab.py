"""The importer's vocabularies: link labels, venue names, badges, dates.

Rules that decide a field from a piece of text live here, so they can be read
(and extended) in one place:

Link labels
    ``paper pdf arxiv url link doi abs openreview html ...`` name the paper;
    ``code github repo implementation gitlab ...`` name the code. Weak labels
    (``project source homepage website page``) name the code only when they
    point at a GitHub/GitLab repository root; ``project`` otherwise names
    the paper page. Other labels (``demo slides blog video checkpoint``...) are
    neither.
Venues
    :func:`read_venue` accepts ``Venue'YY``, ``Venue YYYY`` (``ICML, 2025``,
    ``ICLR2025``, ``EMNLP_2024``), ``Venue YYYY Suffix`` (``ACL 2024
    Findings`` -> ``ACL Findings``), and a name alone when it is in the venue
    vocabulary (:data:`KNOWN_VENUES` plus :data:`surveytui.venues.VENUES`).
    A candidate name is at most six words and 60 characters, starts with a
    letter, and is not an author citation (``et al``). Known spellings are
    normalised by :func:`surveytui.venues.normalise_venue`.
Badges
    A shields.io static badge ``/badge/LABEL-MESSAGE-COLOR`` reads as its
    text with the shields escapes undone (``--`` -> ``-``, ``__`` -> ``_``,
    ``_`` -> space). A ``/github/stars/OWNER/REPO`` badge names a repository.
Dates
    ``2024.05``, ``2024-05-12``, ``2024/05``, ``4 Mar 2025``, ``Mar 2025``
    give a year; a four-digit number next to ``pp.``/``pages`` or in a number
    range (``1201-1210``) is a page number, never a year.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from surveytui.model.venues import VENUE_ALIASES, normalise_venue, venue_key

PAPER_LABELS = frozenset(
    {"paper", "pdf", "arxiv", "url", "link", "doi", "abs", "abstract", "openreview"}
    | {"preprint", "publication", "proceedings", "html", "paper link", "full paper"}
    | {"acl anthology", "acm", "ieee", "springer", "report", "technical report", "tech report"}
)
CODE_LABELS = frozenset(
    {"code", "github", "repo", "repository", "gitlab", "source code", "implementation"}
    | {"official code", "codes", "pytorch", "torch", "tensorflow", "jax", "official"}
)
WEAK_LABELS = frozenset(
    {"project", "project page", "source", "homepage", "home page", "website", "page"}
)
OTHER_LABELS = frozenset(
    {"demo", "slides", "slide", "blog", "video", "videos", "talk", "poster", "checkpoint"}
    | {"checkpoints", "model", "models", "dataset", "data", "colab", "huggingface", "hf"}
    | {"docs", "doc", "documentation", "bibtex", "bib", "citation", "news", "twitter", "x"}
    | {"zhihu", "知乎", "collection", "leaderboard", "benchmark", "weights", "notes"}
)
#: Venues beyond :data:`surveytui.venues.VENUES`, for names typed without a year.
KNOWN_VENUES = frozenset(
    venue_key(v)
    for v in """
    arXiv Arxiv CoRR TACL TMLR COLM DAC ICCAD DATE FPGA ISSCC ICDE WSDM CIKM ICME BMVC ICPR
    ICIP UAI AISTATS CoRL RSS ICRA IROS NSR Nature Science TPDS TCAD TVLSI TCSVT TIP TMM
    TKDD TOSEM MLSys COLING CoNLL AACL LREC NAACL EMNLP ACL Findings OpenReview medRxiv bioRxiv
    SSRN Neurocomputing PR Blog Website
    """.split()
) | frozenset(
    venue_key(v)
    for v in (
        "Technical Report", "Tech Report", "Pattern Recognition", "Neural Networks",
        "IEEE Access", "Nature Machine Intelligence", "ACM Computing Surveys",
        "Transactions on Machine Learning Research",
    )
)  # fmt: skip

_SHIELDS_BADGE = re.compile(r"https?://img\.shields\.io/badge/([^?#]+)", re.IGNORECASE)
_STARS_BADGE = re.compile(
    r"https?://img\.shields\.io/github/stars/([A-Za-z0-9_.\-]+)/([A-Za-z0-9_.\-]+?)(?:\.svg)?(?:[?#]|$)",
    re.IGNORECASE,
)
_REPO_ROOT = re.compile(
    r"https?://(?:www\.)?(?:github|gitlab)\.com/[^/?#\s]+/[^/?#\s]+?(?:\.git)?/?$", re.IGNORECASE
)
_QUOTE_YEAR = re.compile(r"(?P<name>.{1,60}?)\s*['\u2019\u2018`]\s*(?P<year>\d{1,4})")
_NAME_YEAR = re.compile(
    r"(?P<name>[^\d].{0,59}?)[\s,\-_]*(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)(?P<rest>.{0,60})"
)
_YEAR_NAME = re.compile(r"(?P<year>(?:19|20)\d{2})[\s,\-_]+(?P<name>[^\d].{0,59})")
_DATE = re.compile(
    r"(?<![\d.])(?P<year>(?:19|20)\d{2})[./\-](?:0?[1-9]|1[0-2])(?:[./\-](?:0?[1-9]|[12]\d|3[01]))?(?![\d])"
    r"|(?<![\w])(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+"
    r"(?P<year2>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
_PRESENTATION = frozenset(
    {"oral", "spotlight", "highlight", "poster", "best paper", "award", "accepted", "submission"}
)
_PAGE_WORDS = frozenset({"p", "pp", "page", "pages", "vol", "volume", "no", "issue", "article"})
_AUTHORS = re.compile(r"\bet\.? al\b|\bet al\.", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(r"\s*(?:authors?|by)\s*:\s*", re.IGNORECASE)


def label_kind(label: str, href: str) -> str | None:
    """``paper``, ``code`` or ``other`` for a link label; ``None`` when it says nothing."""
    key = " ".join(label.strip(" []()*_").casefold().split())
    if key in PAPER_LABELS:
        return "paper"
    if key in CODE_LABELS:
        return "code"
    if key in WEAK_LABELS:
        return "code" if is_repo_root(href) else ("paper" if key.startswith("project") else "other")
    if key in OTHER_LABELS:
        return "other"
    return None


def is_repo_root(url: str) -> bool:
    """``https://github.com/OWNER/REPO`` (or GitLab), nothing after the repository."""
    return bool(_REPO_ROOT.match(url.strip()))


def badge_text(src: str) -> str | None:
    """The text of a shields.io static badge, escapes undone; None for other images."""
    match = _SHIELDS_BADGE.match(src)
    if not match:
        return None
    body = unquote(match[1])
    body = re.sub(r"\.(svg|png)$", "", body)
    parts = body.replace("--", "\0").split("-")
    if len(parts) >= 2:
        parts = parts[:-1]  # the colour
    text = "-".join(parts).replace("\0", "-").replace("__", "\1").replace("_", " ")
    return " ".join(text.replace("\1", "_").split()) or None


def stars_repo(src: str) -> str | None:
    """``https://github.com/OWNER/REPO`` for a GitHub stars badge image."""
    match = _STARS_BADGE.match(src)
    return f"https://github.com/{match[1]}/{match[2]}" if match else None


def _plausible_name(name: str) -> bool:
    name = name.strip(" ,;:-_'*")
    return (
        bool(name)
        and name.split()[-1].casefold().strip(".,") not in _PAGE_WORDS  # "pages 2021": a page
        and name[0].isalpha()
        and len(name) <= 60
        and len(name.split()) <= 8
        and not _AUTHORS.search(name)
        and "http" not in name
    )


def is_known_venue(name: str) -> bool:
    key = venue_key(name)
    return key in VENUE_ALIASES or key in KNOWN_VENUES


@lru_cache(maxsize=8192)
def read_venue(text: str, *, known_only: bool = False) -> tuple[str | None, int | None] | None:
    """``(venue, year)`` when ``text`` reads as a venue and/or year, else None.

    ``known_only``: a name without a year must be in the vocabulary (used for
    plain text, where any short phrase could otherwise pass for a venue).
    """
    raw = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())
    raw = raw.strip(" *_[](){}<>,.;:|")
    if not raw or len(raw) > 130:
        return None
    if re.fullmatch(r"(?:19|20)\d{2}", raw):
        return None, int(raw)
    quote = _QUOTE_YEAR.fullmatch(raw)
    if quote and _plausible_name(quote["name"]):
        venue, year = normalise_venue(f"{quote['name']}'{quote['year']}")
        return (venue, year) if venue else None
    named = _NAME_YEAR.fullmatch(raw)
    if named and _plausible_name(named["name"]):
        rest = named["rest"].strip(" ,;:-_()")
        if rest.casefold() in _PRESENTATION:
            rest = ""
        if rest and (not rest[0].isalpha() or len(rest.split()) > 3 or _AUTHORS.search(rest)):
            return None
        name = named["name"].strip(" ,;:-_")
        if rest:
            name = f"{name} {rest}"
        venue, _ = normalise_venue(name)
        return venue, int(named["year"])
    reverse = _YEAR_NAME.fullmatch(raw)
    if reverse and _plausible_name(reverse["name"]) and is_known_venue(reverse["name"]):
        venue, _ = normalise_venue(reverse["name"])
        return venue, int(reverse["year"])
    if _plausible_name(raw) and (not known_only or is_known_venue(raw)):
        if re.search(r"\d", raw) and not is_known_venue(raw):
            return None
        venue, _ = normalise_venue(raw)
        return (venue, None) if venue else None
    return None


def read_date_year(text: str) -> int | None:
    """The year of the first date in ``text`` (``2024.05``, ``4 Mar 2025``)."""
    match = _DATE.search(text)
    if not match:
        return None
    return int(match["year"] or match["year2"])


def looks_like_authors(text: str, *, single: bool = False) -> bool:
    """``Colin Raffel et al.``, ``A. B, C D and E F``: names, not a venue or a title.

    ``single``: one name (two to four capitalised words) is enough -- for an
    emphasised span after the title, where lists put the author line.
    """
    body = text.strip(" .,*_;:")
    if not body or len(body) > 1500 or any(ch.isdigit() for ch in body):
        return False
    if _AUTHORS.search(body):
        return True
    names = [n.strip() for n in re.split(r",|\band\b|&", body) if n.strip()]
    if len(names) == 1 and single and not is_known_venue(body):
        words = body.split()
        return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
    if len(names) < 2:
        return False
    return all(1 <= len(n.split()) <= 5 and n[:1].isupper() for n in names)


def split_authors(text: str) -> tuple[str, ...]:
    """Names from an author string; ``et al.`` and markup dropped.

    Semicolons, when there are any, are the only separators (``Smith, J.;
    Doe, A.``, or ``Smith, J.;`` for one such name); otherwise commas, ``and``
    and ``&`` separate.
    """
    body = _AUTHORS.sub("", text).strip(" .,*_;:-\u2013\u2014")
    parts = body.split(";") if ";" in text else re.split(r",|\band\b|&", body)
    names = (n.strip(" .,*_;:-\u2013\u2014") for n in parts)
    return tuple(n for n in names if n and any(ch.isalpha() for ch in n))


def labelled_authors(text: str) -> tuple[str, ...] | None:
    """``Authors: A, B, C`` -> the names, whatever they look like; None without the label.

    The label says what the line is, so names :func:`looks_like_authors` would
    doubt (``Aäron van den Oord``, one-word or non-Latin names) are kept, and
    kept as written: only the line's final full stop is dropped, so a last name
    ending in one (``Jr.``) is written with a second.
    """
    label = _AUTHOR_LABEL.match(text)
    if label is None:
        return None
    body = _AUTHORS.sub("", text[label.end() :]).strip()
    body = body[:-1] if body.endswith(".") else body  # the line's own full stop, once
    parts = body.split(";") if ";" in body else re.split(r",|\band\b|&", body)
    names = (" ".join(n.split()) for n in parts)  # as written: "Jr.", "A*" stay
    return tuple(n for n in names if any(ch.isalpha() for ch in n)) or None
