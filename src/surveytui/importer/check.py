"""Data-quality findings for a catalogue, or for a Markdown list before it becomes one.

The importer normalises only what is unambiguous; everything else is left as
the list's authors wrote it and reported here, so a maintainer can fix the
source rather than have the tool guess.

Levels, and why:

error
    The data is unsafe or self-contradictory: a link (paper, code, or the
    catalogue's source) that is not a plain ``http``/``https`` URL with a host
    (the app would refuse to open it, and a hostile one should never have been
    written), and two papers under
    different ids with the same normalised title (user state would split
    between them). ``surveytui check`` exits 1 when any error is found.
warning
    Facts of the source worth a look that do not break anything: missing or
    implausible years, venue spellings that are known aliases or look like
    typos of a known venue, placeholder links (``https://github.com/``), links
    with junk appended or pointing at a search engine, two papers sharing a
    paper link (one of them is usually wrong), near-identical titles,
    placeholder titles (``xxx``), unknown categories, papers without a section
    and sections without papers, plus every import remark (merged duplicate
    listings, dropped placeholder links, ambiguous years).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from surveytui.importer.document import ImportResult
from surveytui.importer.url_cleanup import arxiv_id, clean_url, is_placeholder_url
from surveytui.model.catalog import CATEGORIES, Catalog, Paper
from surveytui.model.identity import title_key
from surveytui.model.meta import SOURCE_NAMES, MetaView
from surveytui.model.venues import VENUE_ALIASES, VENUES, venue_key
from surveytui.system.links import is_safe_url

Level = Literal["error", "warning"]

#: Titles that are template leftovers rather than papers.
PLACEHOLDER_TITLES = frozenset(
    {"xxx", "xx", "x", "tbd", "todo", "title", "paper title", "untitled"}
)
_SEARCH_HOSTS = ("scholar.google.", "www.google.", "google.", "www.bing.com", "bing.com")
_NEAR_TITLE = 95.0  # fuzz.ratio on normalised titles: same words, a letter or two apart
_FREQUENT_VENUE = 3


@dataclass(frozen=True)
class Finding:
    level: Level
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


def _url_key(url: str) -> str:
    """Links that open the same page compare equal (arXiv abs/pdf/version, www, slash)."""
    ident = arxiv_id(url)
    if ident:
        return "arxiv:" + ident
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}".casefold()


def _is_search_page(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host.startswith(_SEARCH_HOSTS) and parts.path in ("/search", "/scholar")


def _link_findings(paper: Paper, emit: Callable[[Level, str], None]) -> None:
    for name, url in (("paper_url", paper.paper_url), ("code_url", paper.code_url)):
        if url is None:
            continue
        if not is_safe_url(url):
            emit("error", f"{name} {url!r} is not a safe http(s) link")
        elif is_placeholder_url(url):
            emit("warning", f"{name} {url!r} is a placeholder, not a link to this paper")
        elif _is_search_page(url):
            emit("warning", f"{name} {url!r} is a search-results page, not the paper or code")
        elif clean_url(url) != url:
            emit("warning", f"{name} {url!r} has junk appended; clean form: {clean_url(url)!r}")


def _venue_suggestions(papers: Iterable[Paper]) -> dict[str, str]:
    """Venue as written -> what it probably should be, with the reason."""
    counts = Counter(p.venue for p in papers if p.venue)
    known = set(VENUES) | {v for v, n in counts.items() if n >= _FREQUENT_VENUE}
    out: dict[str, str] = {}
    for venue in counts:
        canonical = VENUE_ALIASES.get(venue_key(venue))
        if canonical is not None:
            if canonical != venue:
                out[venue] = f"venue {venue!r} is a known spelling of {canonical!r}: write that"
            continue
        folded = venue.casefold()
        if len(folded) < 3 or venue in known:
            continue
        limit = 1 if len(folded) <= 6 else 2
        close = sorted(
            (Levenshtein.distance(folded, k.casefold(), score_cutoff=limit), k)
            for k in known
            if k != venue
        )
        if close and close[0][0] <= limit:
            out[venue] = f"venue {venue!r} looks like a typo of {close[0][1]!r}"
    return out


def _near_titles(papers: list[Paper]) -> dict[str, Paper]:
    """Paper id -> an earlier paper whose title is nearly the same.

    Compared only within blocks (same first three words, similar length) so
    a 100k-paper catalogue is checked in seconds, not hours.
    """
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    owner: dict[str, Paper] = {}
    out: dict[str, Paper] = {}
    for paper in papers:
        key = title_key(paper.title)
        head, size = " ".join(key.split()[:3]), len(key) // 8
        if key not in owner:
            for bucket in (size - 1, size, size + 1):
                match = process.extractOne(
                    key, blocks[head, bucket], scorer=fuzz.ratio, score_cutoff=_NEAR_TITLE
                )
                if match:
                    out[paper.id] = owner[match[0]]
                    break
            owner[key] = paper
            blocks[head, size].append(key)
    return out


def _catalog_findings(
    catalog: Catalog, where: Callable[[Paper], str]
) -> list[tuple[str | None, Finding]]:
    """Findings with the id of the paper they are about (``None`` for a section)."""
    findings: list[tuple[str | None, Finding]] = []
    papers = list(catalog.papers)
    by_title: dict[str, Paper] = {}
    by_url: dict[str, Paper] = {}
    venues = _venue_suggestions(papers)
    near = _near_titles(papers)
    this_year = datetime.date.today().year
    for paper in papers:

        def emit(level: Level, message: str, paper: Paper = paper) -> None:
            findings.append((paper.id, Finding(level, where(paper), message)))

        key = title_key(paper.title)
        if key in by_title:
            emit("error", f"same title as paper {by_title[key].id!r}: one paper, two ids")
        by_title.setdefault(key, paper)
        if paper.id in near:
            other = near[paper.id]
            emit("warning", f"title nearly matches {other.id!r} ({other.title!r}): same paper?")
        if paper.paper_url and is_safe_url(paper.paper_url):
            first = by_url.setdefault(_url_key(paper.paper_url), paper)
            if first is not paper:
                emit("warning", f"same paper link as {first.id!r}: one of the two links is wrong")
        _link_findings(paper, emit)
        if paper.year is None:
            emit("warning", "no year")
        elif not 1900 <= paper.year <= this_year + 1:
            emit("warning", f"implausible year {paper.year}")
        if paper.venue in venues:
            emit("warning", venues[paper.venue])
        if key in PLACEHOLDER_TITLES:
            emit("warning", f"title {paper.title!r} looks like a template placeholder")
        for cat in paper.categories:
            if cat not in CATEGORIES:
                emit("warning", f"unknown category {cat!r} (known: {', '.join(CATEGORIES)})")
        if not paper.sections:
            emit("warning", "listed in no section: only 'all papers' will show it")
    src = str(catalog.path) if catalog.path else "<catalogue>"
    if catalog.source and not is_safe_url(catalog.source):
        message = f"source {catalog.source!r} is not a safe http(s) link"
        findings.append((None, Finding("error", f"{src}: [catalog]", message)))
    used = {s for p in papers for s in p.sections}
    for section in catalog.sections:
        if not used.intersection(catalog.descendants(section.id)):
            findings.append((None, Finding("warning", f"{src}: section {section.id}", "no papers")))
    return findings


def _wrong_link_findings(catalog: Catalog, meta: MetaView, src: str) -> list[Finding]:
    """Papers whose link ``enrich`` found to name another paper, while the link is unchanged."""
    found: list[Finding] = []
    for paper in catalog.papers:
        wrong = meta.mismatch(paper.id)
        if wrong is None or wrong.identifier.casefold() not in (paper.paper_url or "").casefold():
            continue
        found.append(
            Finding(
                "warning",
                f"{src}: {paper.id}",
                f"links to a different paper: {wrong.identifier} is {wrong.found_title!r} "
                f"(found by {SOURCE_NAMES.get(wrong.source, wrong.source)})",
            )
        )
    return found


def check_catalog(catalog: Catalog, meta: MetaView | None = None) -> list[Finding]:
    """Findings in catalogue order; ``where`` is the file and the paper id. With ``meta``
    (what ``enrich`` stored), links found to point at another paper are reported too."""
    src = str(catalog.path) if catalog.path else "<catalogue>"
    found = [f for _, f in _catalog_findings(catalog, lambda paper: f"{src}: {paper.id}")]
    if meta is not None:
        found += _wrong_link_findings(catalog, meta, src)
    return found


def check_markdown(result: ImportResult) -> list[Finding]:
    """Import remarks plus catalogue findings, located at the paper's line in the Markdown."""
    src = result.source_name

    def where(paper: Paper) -> str:
        line = result.lines.get(paper.id)
        return f"{src}:{line}" if line is not None else f"{src}: {paper.id}"

    found = [
        (
            issue.line,
            Finding("error" if issue.kind == "unsafe" else "warning", issue.where, issue.message),
        )
        for issue in result.issues
    ]
    for pid, finding in _catalog_findings(result.catalog, where):
        found.append((result.lines.get(pid, 0) if pid else 0, finding))
    found.sort(key=lambda pair: pair[0])
    return [finding for _, finding in found]


def findings_by_paper(catalog: Catalog) -> dict[str, list[str]]:
    """Each paper's findings as ``level: message`` lines, for showing on the paper itself."""
    out: dict[str, list[str]] = {}
    for pid, finding in _catalog_findings(catalog, lambda paper: paper.id):
        if pid is not None:
            out.setdefault(pid, []).append(f"{finding.level}: {finding.message}")
    return out
