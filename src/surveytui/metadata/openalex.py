"""OpenAlex: papers that do not link to arXiv, found by DOI or by title.

``GET /works/doi:10.x/y`` answers one Work object (404 when OpenAlex does not
know the DOI); ``GET /works?filter=title.search:WORDS`` answers
``{"meta": ..., "results": [Work, ...]}``. A Work carries ``title``,
``doi`` (as a URL), ``publication_date``, ``authorships[].author.display_name``
in order, the abstract as ``abstract_inverted_index`` (word -> positions),
``primary_location.source`` (``display_name``, ``type``) and ``locations``
whose landing pages may be an arXiv abs page. ``select`` keeps answers small.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, unquote, urlencode

from surveytui.metadata.http import HttpClient, ServiceError, endpoint_from_env
from surveytui.model.meta import VENUE_KINDS, PaperMeta, arxiv_id_from_url
from surveytui.model.text import clean_text, normalise_title

SERVICE = "OpenAlex API"
DEFAULT_ENDPOINT = "https://api.openalex.org"
#: OpenAlex allows ten requests a second; staying well under it is polite.
DEFAULT_INTERVAL = 0.2
SEARCH_RESULTS = 5
_SELECT = (
    "id,doi,title,display_name,publication_date,authorships,"
    "abstract_inverted_index,primary_location,locations,type"
)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s?#\"<>]+)", re.IGNORECASE)
_ACL = re.compile(r"aclanthology\.org/(\d{4}\.[a-z\-]+\.\d+|[A-Z]\d{2}-\d{4})", re.IGNORECASE)
_DOI_TAIL = re.compile(r"(?:/(?:full|abstract|pdf|epdf))?(?:\.pdf)?/?$", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}(?:\s[^<>]{0,200})?/?>")
_MAX_POSITION = 20_000


def endpoint() -> str:
    return endpoint_from_env(SERVICE, "SURVEYTUI_OPENALEX_API", DEFAULT_ENDPOINT).rstrip("/")


def interval() -> float:
    """Seconds between requests; ``SURVEYTUI_OPENALEX_INTERVAL`` changes it (tests, mirrors)."""
    raw = os.environ.get("SURVEYTUI_OPENALEX_INTERVAL")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_INTERVAL
    except ValueError:
        return DEFAULT_INTERVAL


def doi_from_url(url: str | None) -> str | None:
    """The DOI a link names: doi.org, publisher pages that put it in the path
    (ACM, Springer, Wiley, ...), and ACL Anthology ids (``10.18653/v1/ID``)."""
    if not url:
        return None
    if match := _ACL.search(url):
        return f"10.18653/v1/{match.group(1)}".lower()
    path = unquote(url.split("?", 1)[0].split("#", 1)[0])
    match = _DOI.search(path)
    if not match:
        return None
    return _DOI_TAIL.sub("", match.group(1)).rstrip(".").lower()


def _abstract(index: Any) -> str | None:
    """Rebuild the text from OpenAlex's inverted index (word -> positions)."""
    if not isinstance(index, Mapping):
        return None
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(word, str) or not isinstance(positions, list):
            continue
        for pos in positions:
            if isinstance(pos, int) and 0 <= pos < _MAX_POSITION:
                slots[pos] = word
    text = clean_text(" ".join(slots[i] for i in sorted(slots)))
    return text or None


def _plain(text: Any) -> str:
    """OpenAlex titles may carry HTML (``<i>``, ``&amp;``): keep the words."""
    if not isinstance(text, str):
        return ""
    return clean_text(html.unescape(_TAG.sub("", text)))


def work_to_meta(work: Any, fetched: str = "") -> PaperMeta | None:
    """A record from one Work object, or None when it has no title."""
    if not isinstance(work, Mapping):
        return None
    title = _plain(work.get("title")) or _plain(work.get("display_name"))
    if not title:
        return None
    authors: list[str] = []
    for authorship in work.get("authorships") or []:
        if not isinstance(authorship, Mapping):
            continue
        author = authorship.get("author")
        name = _plain(author.get("display_name")) if isinstance(author, Mapping) else ""
        name = name or _plain(authorship.get("raw_author_name"))
        if name:
            authors.append(name)
    doi = work.get("doi")
    doi_text = doi_from_url(doi) if isinstance(doi, str) else None
    source = (work.get("primary_location") or {}).get("source") or {}
    venue = _plain(source.get("display_name")) if isinstance(source, Mapping) else ""
    kind = source.get("type") if isinstance(source, Mapping) else None
    arxiv = None
    for location in work.get("locations") or []:
        if isinstance(location, Mapping):
            arxiv = arxiv or arxiv_id_from_url(str(location.get("landing_page_url") or ""))
    date = work.get("publication_date")
    return PaperMeta(
        source="openalex",
        title=title,
        authors=tuple(authors),
        abstract=_abstract(work.get("abstract_inverted_index")),
        arxiv_id=arxiv,
        doi=doi_text,
        published=date[:10] if isinstance(date, str) and date else None,
        venue=venue or None,
        venue_kind=kind if kind in VENUE_KINDS else None,
        fetched=fetched,
    )


def _json(body: bytes) -> Any:
    if body[:200].lstrip().startswith(b"<"):
        raise ServiceError(SERVICE, "answered with a web page instead of JSON")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        where = f" at {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        raise ServiceError(SERVICE, f"malformed JSON answer{where}") from None


class OpenAlexClient:
    def __init__(self, http: HttpClient | None = None, base: str | None = None) -> None:
        pace = interval()
        self.http = http or HttpClient(SERVICE, interval=pace, backoff=max(pace, 0.01) * 5)
        self.base = base or endpoint()

    def by_doi(self, doi: str, fetched: str = "") -> PaperMeta | None:
        url = f"{self.base}/works/doi:{quote(doi, safe='/')}?{urlencode({'select': _SELECT})}"
        body = self.http.get(url, absent=frozenset({404}))
        if body is None:
            return None
        data = _json(body)
        if not isinstance(data, Mapping):
            raise ServiceError(SERVICE, "answer is not a Work object")
        return work_to_meta(data, fetched)

    def by_title(self, title: str, fetched: str = "") -> Sequence[PaperMeta]:
        """Candidates for a title, best first; the caller decides which (if any) agrees."""
        words = normalise_title(title)
        if not words:
            return []
        params = {
            "filter": f"title.search:{words}",
            "per_page": str(SEARCH_RESULTS),
            "select": _SELECT,
        }
        body = self.http.get(f"{self.base}/works?{urlencode(params)}")
        data = _json(body or b"")
        results = data.get("results") if isinstance(data, Mapping) else None
        if not isinstance(results, list):
            raise ServiceError(SERVICE, "answer has no 'results' list")
        return [meta for work in results if (meta := work_to_meta(work, fetched)) is not None]
