"""Fetch metadata for a set of papers and store it as it arrives.

arXiv-linked papers go to arXiv in batches; the rest to OpenAlex, by the DOI
their link carries or else by title. Records are written to the store after
every arXiv batch and every few OpenAlex papers, so an interrupted or failed
run keeps what it fetched and a rerun starts where it stopped (it selects the
papers that still have no record).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from surveytui.metadata.arxiv import BATCH, ArxivClient
from surveytui.metadata.openalex import OpenAlexClient, doi_from_url
from surveytui.metadata.store import MetaStore
from surveytui.metadata.titles import titles_agree, titles_contradict
from surveytui.model.catalog import Paper
from surveytui.model.meta import LinkMismatch, PaperMeta, arxiv_id_from_url

#: OpenAlex records are written at least this often (papers), so Ctrl+C loses little.
FLUSH_EVERY = 10


@dataclass
class Progress:
    """What the progress bar shows; ``done`` counts papers looked up so far."""

    total: int
    done: int = 0
    found: int = 0
    started: float = field(default_factory=time.monotonic)
    service: str = ""

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None


@dataclass
class EnrichReport:
    found: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    mismatched: dict[str, LinkMismatch] = field(default_factory=dict)


def needs_fetch(papers: Sequence[Paper], store: MetaStore, refresh: bool) -> list[Paper]:
    """The papers a run should look up: all of them with ``refresh``, else those without
    a record (a paper whose link was found wrong is looked up again: the list may be fixed)."""
    if refresh:
        return list(papers)
    return [p for p in papers if store.meta(p.id) is None]


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Enricher:
    def __init__(
        self,
        store: MetaStore,
        arxiv: ArxivClient,
        openalex: OpenAlexClient,
        on_progress: Callable[[Progress], None] = lambda _: None,
        refresh: bool = False,
    ) -> None:
        self.store = store
        self.arxiv = arxiv
        self.openalex = openalex
        self.on_progress = on_progress
        self.refresh = refresh
        self.report = EnrichReport()  # what the run found so far, even if it fails
        self._pending: dict[str, PaperMeta] = {}
        self._pending_mismatch: dict[str, LinkMismatch] = {}
        self._pending_cleared: set[str] = set()

    def run(self, papers: Sequence[Paper]) -> EnrichReport:
        """Look every paper up; stores what was fetched even when interrupted or failing."""
        report = self.report = EnrichReport()
        progress = Progress(total=len(papers))
        by_arxiv: dict[str, list[Paper]] = {}
        by_title_only: list[Paper] = []  # arXiv did not know them or the link is wrong
        others: list[Paper] = []
        for paper in papers:
            aid = arxiv_id_from_url(paper.paper_url)
            if aid:
                by_arxiv.setdefault(aid, []).append(paper)
            else:
                others.append(paper)
        try:
            self.on_progress(progress)
            ids = list(by_arxiv)
            progress.service = "arXiv"
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                found = self.arxiv.fetch(batch, _now())
                for aid in batch:
                    for paper in by_arxiv[aid]:
                        if self._settle(paper, found.get(aid), aid, report):
                            progress.done += 1
                        else:  # not on arXiv, or the link is wrong: try its title
                            by_title_only.append(paper)
                self.flush()
                progress.found = len(report.found)
                self.on_progress(progress)
            progress.service = "OpenAlex"
            retry_ids = {p.id for p in by_title_only}
            for paper in [*others, *by_title_only]:
                self._one_openalex(paper, report, use_link=paper.id not in retry_ids)
                progress.done += 1
                progress.found = len(report.found)
                if len(self._pending) + len(self._pending_mismatch) >= FLUSH_EVERY:
                    self.flush()
                self.on_progress(progress)
        finally:
            self.flush()
        found_ids = set(report.found)
        report.not_found = [p for p in dict.fromkeys(report.not_found) if p not in found_ids]
        return report

    def _one_openalex(self, paper: Paper, report: EnrichReport, use_link: bool) -> None:
        doi = doi_from_url(paper.paper_url) if use_link else None
        if doi:
            meta = self.openalex.by_doi(doi, _now())
            if self._settle(paper, meta, doi, report):
                return
        candidates = self.openalex.by_title(paper.title, _now())
        match = next((m for m in candidates if titles_agree(paper.title, m.title)), None)
        if match is None:
            report.not_found.append(paper.id)
        else:
            self._attach(paper, match, report)

    def _settle(
        self, paper: Paper, meta: PaperMeta | None, identifier: str, report: EnrichReport
    ) -> bool:
        """Attach a record fetched through the paper's own link unless its title
        contradicts the list's (then the link is wrong: record that instead)."""
        if meta is None:
            return False
        if titles_contradict(paper.title, meta.title):
            mismatch = LinkMismatch(meta.source, identifier, meta.title, meta.fetched)
            report.mismatched[paper.id] = mismatch
            self._pending_mismatch[paper.id] = mismatch
            return False
        self._pending_cleared.add(paper.id)
        self._attach(paper, meta, report)
        return True

    def _attach(self, paper: Paper, meta: PaperMeta, report: EnrichReport) -> None:
        if self.refresh:
            meta = replace(meta, replace_authors=True)
        self._pending[paper.id] = meta
        report.found.append(paper.id)

    def flush(self) -> None:
        if not (self._pending or self._pending_mismatch or self._pending_cleared):
            return
        records, mismatches = self._pending, self._pending_mismatch
        self._pending, self._pending_mismatch = {}, {}
        cleared, self._pending_cleared = self._pending_cleared, set()
        self.store.update(records, mismatches, cleared)
