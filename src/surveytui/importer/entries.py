"""Fields as read -> a vetted entry: links cleaned, unsafe ones refused with a remark.

Links
    Line breaks inside a URL are removed and copy-paste junk is cut
    (:func:`surveytui.importer.url_cleanup.clean_url`). Only links that
    :func:`surveytui.links.is_safe_url` accepts are stored; others are refused
    with a remark naming file, line and link. A bare host such as
    ``https://github.com/`` is a placeholder, not a link: dropped with a remark.
    Of the links :mod:`surveytui.importer.fields` found, the first paper link
    and the first code link win; a ``repo`` link (an unnamed button) is the
    code link only when it points at a GitHub/GitLab repository; a bare link is
    the paper link if there is none yet, else the code link when it points at
    a repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from surveytui.importer.fields import Fields
from surveytui.importer.linknorm import normalize_link
from surveytui.importer.url_cleanup import clean_url, is_placeholder_url, is_repo_url
from surveytui.model.text import clean_text
from surveytui.system.links import is_safe_url

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


@dataclass
class Entry:
    """One listing as read; the document merges repeats."""

    title: str
    venue: str | None
    year: int | None
    line: int
    paper_url: str | None = None
    code_url: str | None = None
    section: int = -1
    authors: tuple[str, ...] = ()


_SPACE_NL = re.compile(r"\s*\n\s*")


@dataclass
class EntryReader:
    """Turns fields into entries, collecting remarks with their lines."""

    source_name: str
    issues: list[ImportIssue] = field(default_factory=list)

    def warn(self, line: int, message: str, kind: IssueKind = "warning") -> None:
        self.issues.append(ImportIssue(f"{self.source_name}:{line}", message, kind, line))

    def entry(self, found: Fields, section: int) -> Entry:
        title = clean_text(found.title)
        entry = Entry(title, found.venue, found.year, found.line, section=section)
        entry.authors = tuple(clean_text(a) for a in found.authors if clean_text(a))
        if found.ambiguous_year:
            self.warn(
                found.line,
                f"ambiguous year in venue {clean_text(found.ambiguous_year)!r} for {title!r}",
            )
        for kind, link in found.links:
            if not link.href.strip():
                continue
            url = self.accept(link.href, link.line or found.line, title, bare=link.bare)
            if url is None:
                continue
            if kind == "repo":
                if is_repo_url(url) and entry.code_url is None:
                    entry.code_url = url
                continue
            if kind == "bare":
                kind = "code" if entry.paper_url and is_repo_url(url) else "paper"
            if kind == "paper" and entry.paper_url is None:
                entry.paper_url = url
            elif kind == "code" and entry.code_url is None:
                entry.code_url = url
        return entry

    def accept(self, href: str, line: int, title: str, *, bare: bool = False) -> str | None:
        """The cleaned URL, or ``None`` (with a remark) when unsafe or a placeholder."""
        raw = _SPACE_NL.sub("", href).strip()
        raw = normalize_link(raw)
        url = clean_url(raw)
        if not is_safe_url(url):
            shown = clean_text(raw)
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            self.warn(line, f"refused unsafe link {shown!r} for {title!r}", "unsafe")
            return None
        if is_placeholder_url(url):
            self.warn(line, f"dropped placeholder link {url!r} for {title!r}")
            return None
        return url
