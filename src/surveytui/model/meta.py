"""What the services told us about a paper, beside what the list says.

This is data only, so it lives with the paper model: exports, the search
index and the browser read it without importing the fetching code in
``surveytui.metadata`` (which sits above them). A catalogue never stores it:
metadata can be fetched again, and the shipped catalogue stays read-only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from surveytui.model.catalog import Paper
from surveytui.model.text import clean_text

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ID_IN_URL = re.compile(
    rf"(?:arxiv\.org|ar5iv\.org|ar5iv\.labs\.arxiv\.org)/(?:abs|pdf|html)/"
    rf"({_NEW_ID}|{_OLD_ID})(?:v\d+)?",
    re.IGNORECASE,
)

#: How a record's ``source`` is named to the reader.
SOURCE_NAMES = {"arxiv": "arXiv", "openalex": "OpenAlex"}

#: Venue kinds OpenAlex reports for a paper's primary source.
VENUE_KINDS = ("journal", "conference", "repository")


@dataclass(frozen=True, slots=True)
class PaperMeta:
    """One paper's fetched metadata. Unknown fields are empty, never guessed."""

    source: str  # "arxiv" or "openalex": where it came from
    title: str  # the title the service gave (shown when it differs from the list's)
    authors: tuple[str, ...] = ()
    abstract: str | None = None
    arxiv_id: str | None = None  # without version
    doi: str | None = None  # lowercase, without https://doi.org/
    published: str | None = None  # ISO date
    primary_class: str | None = None  # arXiv category, e.g. cs.LG
    venue: str | None = None  # the journal or proceedings OpenAlex names
    venue_kind: str | None = None  # one of VENUE_KINDS
    fetched: str = ""  # ISO timestamp (UTC)
    replace_authors: bool = False  # fetched with --refresh: these authors win over the list's

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "title": self.title}
        out["authors"] = list(self.authors)
        for name in (
            "abstract", "arxiv_id", "doi", "published", "primary_class", "venue", "venue_kind",
        ):  # fmt: skip
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.fetched:
            out["fetched"] = self.fetched
        if self.replace_authors:
            out["replace_authors"] = True
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PaperMeta:
        """Raises ``ValueError`` naming the field at fault."""

        def opt(name: str) -> str | None:
            value = raw.get(name)
            if value is None:
                return None
            if not isinstance(value, str):
                raise ValueError(f"field {name!r} must be a string")
            return clean_text(value) or None

        authors = raw.get("authors", [])
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise ValueError("field 'authors' must be a list of strings")
        source, title = opt("source"), opt("title")
        if not source or not title:
            raise ValueError("fields 'source' and 'title' are required")
        kind = opt("venue_kind")
        return cls(
            source=source,
            title=title,
            authors=tuple(a for a in (clean_text(a) for a in authors) if a),
            abstract=opt("abstract"),
            arxiv_id=opt("arxiv_id"),
            doi=opt("doi"),
            published=opt("published"),
            primary_class=opt("primary_class"),
            venue=opt("venue"),
            venue_kind=kind if kind in VENUE_KINDS else None,
            fetched=opt("fetched") or "",
            replace_authors=raw.get("replace_authors") is True,
        )


@dataclass(frozen=True, slots=True)
class LinkMismatch:
    """A paper whose link leads to a record with another title: the link is wrong."""

    source: str  # "arxiv" or "openalex"
    identifier: str  # the arXiv id or DOI the link carries
    found_title: str  # what that identifier really is
    checked: str = ""  # ISO timestamp

    def to_json(self) -> dict[str, str]:
        return {
            "source": self.source,
            "identifier": self.identifier,
            "found_title": self.found_title,
            "checked": self.checked,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> LinkMismatch:
        values = [raw.get(k) for k in ("source", "identifier", "found_title")]
        if not all(isinstance(v, str) and v for v in values):
            raise ValueError("a mismatch needs 'source', 'identifier' and 'found_title'")
        checked = raw.get("checked", "")
        return cls(
            source=clean_text(str(values[0])),
            identifier=clean_text(str(values[1])),
            found_title=clean_text(str(values[2])),
            checked=checked if isinstance(checked, str) else "",
        )


class MetaView(Protocol):
    """The read-only slice of the metadata store that exports and searches need."""

    def meta(self, paper_id: str) -> PaperMeta | None: ...

    def mismatch(self, paper_id: str) -> LinkMismatch | None: ...


class NoMeta:
    """A view with nothing in it: for callers that have no metadata store."""

    def meta(self, paper_id: str) -> PaperMeta | None:
        return None

    def mismatch(self, paper_id: str) -> LinkMismatch | None:
        return None


_ET_AL = frozenset({"et al.", "et al", "others", "and others"})


def paper_authors(paper: Paper, meta: PaperMeta | None) -> tuple[str, ...]:
    """Authors to show and cite: the list's own, unless missing, cut short ("et al.")
    or replaced by a ``--refresh``; then the fetched ones."""
    listed = paper.authors
    if meta is None or not meta.authors:
        return listed
    if meta.replace_authors or not listed:
        return meta.authors
    if listed[-1].casefold() in _ET_AL and len(meta.authors) >= len(listed) - 1:
        return meta.authors
    return listed


def arxiv_id_from_url(url: str | None) -> str | None:
    """The versionless arXiv id an arXiv (or ar5iv) abs/pdf/html link names."""
    if not url:
        return None
    match = _ID_IN_URL.search(url)
    return match.group(1) if match else None


def paper_arxiv_id(paper: Paper, meta: PaperMeta | None, wrong_link: bool = False) -> str | None:
    """The paper's arXiv id: fetched, or read from its link (unless the link was found
    to name another paper)."""
    if meta is not None and meta.arxiv_id:
        return meta.arxiv_id
    return None if wrong_link else arxiv_id_from_url(paper.paper_url)
