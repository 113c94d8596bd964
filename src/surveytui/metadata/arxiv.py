"""The arXiv API: many ids per request, one request every three seconds.

arXiv answers ``GET /api/query?id_list=ID,ID&max_results=N`` with an Atom
feed; each ``<entry>`` carries the abs URL (with version) as ``<id>``, the
title, ``<summary>`` (the abstract), ``<published>``, ``<author><name>``
in order, ``<arxiv:primary_category term=...>`` and, when the authors gave
one, ``<arxiv:doi>``. A malformed id gives a feed with one entry whose id
points at ``/api/errors``. ``max_results`` defaults to 10 on arXiv's side,
so it is always sent.

The feed is parsed with the standard library; a document type declaration
(the door to entity-expansion attacks) is refused before parsing, since a
real arXiv answer never has one.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from urllib.parse import urlencode

from surveytui.metadata.http import HttpClient, ServiceError, endpoint_from_env
from surveytui.model.meta import PaperMeta
from surveytui.model.text import clean_text

SERVICE = "arXiv API"
DEFAULT_ENDPOINT = "https://export.arxiv.org/api/query"
#: arXiv's published rule: no more than one request every three seconds.
DEFAULT_INTERVAL = 3.0
BATCH = 50

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_ENTRY_ID = re.compile(r"/abs/(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def endpoint() -> str:
    return endpoint_from_env(SERVICE, "SURVEYTUI_ARXIV_API", DEFAULT_ENDPOINT)


def interval() -> float:
    """Seconds between requests; ``SURVEYTUI_ARXIV_INTERVAL`` lets tests and mirrors change it."""
    raw = os.environ.get("SURVEYTUI_ARXIV_INTERVAL")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_INTERVAL
    except ValueError:
        return DEFAULT_INTERVAL


def query_url(base: str, ids: Sequence[str]) -> str:
    params = {"id_list": ",".join(ids), "max_results": str(len(ids))}
    return f"{base}?{urlencode(params, safe=',/')}"


def _text(node: ET.Element, tag: str) -> str:
    found = node.find(tag)
    return clean_text(found.text or "") if found is not None and found.text else ""


def _entries(root: ET.Element) -> Iterator[ET.Element]:
    yield from root.iter(f"{_ATOM}entry")


def parse_feed(data: bytes, fetched: str = "") -> dict[str, PaperMeta]:
    """Records by versionless id; entries without a title (no such paper) are left out.

    Raises ServiceError for anything that is not an arXiv Atom feed.
    """
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]:
        raise ServiceError(SERVICE, "answered with a web page instead of an Atom feed")
    if b"<!doctype" in data[:4096].lower() or b"<!entity" in data.lower():
        raise ServiceError(SERVICE, "answer declares a document type; refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ServiceError(SERVICE, f"malformed Atom answer (line {line}, column {col})") from None
    if root.tag != f"{_ATOM}feed":
        raise ServiceError(SERVICE, "answer is XML but not an Atom feed")
    out: dict[str, PaperMeta] = {}
    for entry in _entries(root):
        raw_id = _text(entry, f"{_ATOM}id")
        if "/api/errors" in raw_id:
            reason = _text(entry, f"{_ATOM}summary") or "error"
            raise ServiceError(SERVICE, f"rejected the request: {reason}")
        match = _ENTRY_ID.search(raw_id)
        title = _text(entry, f"{_ATOM}title")
        if not match or not title:
            continue
        primary = entry.find(f"{_ARXIV}primary_category")
        doi = _text(entry, f"{_ARXIV}doi").lower() or None
        published = _text(entry, f"{_ATOM}published")[:10] or None
        authors = tuple(
            name
            for author in entry.iter(f"{_ATOM}author")
            if (name := _text(author, f"{_ATOM}name"))
        )
        out[match.group(1)] = PaperMeta(
            source="arxiv",
            title=title,
            authors=authors,
            abstract=_text(entry, f"{_ATOM}summary") or None,
            arxiv_id=match.group(1),
            doi=doi.split()[0] if doi else None,
            published=published,
            primary_class=clean_text(primary.get("term", "")) or None
            if primary is not None
            else None,
            venue="arXiv",
            venue_kind="repository",
            fetched=fetched,
        )
    return out


class ArxivClient:
    """Fetches records for arXiv ids, ``BATCH`` per request, paced as arXiv asks."""

    def __init__(self, http: HttpClient | None = None, base: str | None = None) -> None:
        pace = interval()
        self.http = http or HttpClient(SERVICE, interval=pace, backoff=max(pace, 0.01))
        self.base = base or endpoint()

    def fetch(self, ids: Sequence[str], fetched: str = "") -> dict[str, PaperMeta]:
        return parse_feed(self.http.get(query_url(self.base, ids)) or b"", fetched)
