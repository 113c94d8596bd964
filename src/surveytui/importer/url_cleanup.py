"""The importer's tidying of links copied from web pages: cut the junk, keep the link.

Separate from ``surveytui.system.links`` (which decides what may be opened) because
only the importer and ``check`` need it, and the browser's start-up would
otherwise compile these patterns for nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
#: The trailing-junk pattern backtracks over a run of junk; it is run on windows this
#: long from the end, so a URL ending in 40,000 dots costs linear time.
_JUNK_WINDOW = 64
_TRACKING_KEY = re.compile(r"utm_\w*|trk|fbclid|gclid|usg|mc_cid|mc_eid", re.IGNORECASE)
_PLACEHOLDER_HOSTS = frozenset(
    {"github.com", "www.github.com", "gitlab.com", "arxiv.org", "www.arxiv.org"}
    | {"huggingface.co", "example.com", "www.example.com"}
)


def arxiv_id(text: str) -> str | None:
    """``2401.08092`` from an arXiv abs/pdf link (any version) or an ``arXiv:`` mention."""
    match = _ARXIV_ID.search(text)
    return (match[1] or match[2]) if match else None


def is_repo_url(url: str) -> bool:
    """A GitHub or GitLab repository (owner and name), the usual target of a code link."""
    return bool(_REPO.match(url))


def is_placeholder_url(url: str) -> bool:
    """``https://github.com/`` and friends: a host with nothing after it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return host in _PLACEHOLDER_HOSTS and parts.path in ("", "/") and not parts.query


def _join_lines(text: str) -> str:
    """``re.sub(r"\\s*\\n\\s*", "", text)`` without its backtracking over long blank runs."""
    if "\n" not in text:
        return text
    parts = text.split("\n")
    inner = [part.strip() for part in parts[1:-1]]
    return "".join([parts[0].rstrip(), *inner, parts[-1].lstrip()])


def _strip_trailing_junk(text: str) -> str:
    """Cut the trailing junk (``_TRAILING_JUNK``), one bounded window at a time."""
    while True:
        start = max(0, len(text) - _JUNK_WINDOW)
        match = _TRAILING_JUNK.search(text, start)
        if match is None:
            return text
        cut, rest = match.start(), text[match.end() :]  # rest: a final newline ($)
        # Junk from (nearly) the window's start may go on before it: look further back.
        if start == 0 or cut - start > 16:
            return text[:cut] + rest
        text = text[:cut] + rest


def clean_url(url: str) -> str:
    """Remove only the junk that is unambiguous; leave the rest alone.

    Line breaks inside the URL are removed; an arXiv ``abs``/``pdf`` link is
    cut right after its identifier (and ``.pdf``), since anything there is
    copy-paste junk; tracking parameters (``utm_*``, ``trk``, ``fbclid``,
    ``gclid``, Google's ``&usg=``-style tails, GitHub's ``tab=``) and
    ``#:~:text=`` fragments are dropped; trailing punctuation and encoded HTML
    debris (``.``, ``,``, ``]``, ``%3E``, ``%3C/p%3E``, ``%5C``) is stripped.
    """
    url = _join_lines(url).strip()
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
        base = _strip_trailing_junk(base)
    return base + hash_mark + fragment
