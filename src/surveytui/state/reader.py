"""Reading a reader's state: the in-memory queries the browser, search and CLI ask.

Kept apart from :mod:`surveytui.state.store`, which owns loading and writing; every
query here is O(1) per paper, and the bulk views are cached per state snapshot
(a change replaces the snapshot), because counting runs on every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveytui.state.schema import PaperState, StateData, is_on

_BLANK = PaperState()


@dataclass(frozen=True)
class SavedFilter:
    name: str
    query: str
    section: str | None
    at: str


class StateReader:
    """Queries over one immutable :class:`StateData` snapshot held in ``_state``."""

    def __init__(self, state: StateData) -> None:
        self._state = state
        self._cache: dict[str, tuple[StateData, object]] = {}

    def _cached(self, name: str) -> object | None:
        """The value computed for the current snapshot, or None when stale."""
        hit = self._cache.get(name)
        return hit[1] if hit is not None and hit[0] is self._state else None

    def _remember(self, name: str, value: object) -> None:
        self._cache[name] = (self._state, value)

    def _paper(self, paper_id: str) -> PaperState:
        return self._state.papers.get(paper_id, _BLANK)

    def paper_ids(self) -> frozenset[str]:
        """Every paper id the state says anything about (stars, marks, tags, notes)."""
        return frozenset(self._state.papers)

    def is_favourite(self, paper_id: str) -> bool:
        return is_on(self._paper(paper_id).fav)

    def is_read(self, paper_id: str) -> bool:
        return is_on(self._paper(paper_id).read)

    def tags(self, paper_id: str) -> tuple[str, ...]:
        tags = self._paper(paper_id).tags
        return tags.value if tags is not None else ()

    def note(self, paper_id: str) -> str:
        note = self._paper(paper_id).note
        return note.value if note is not None else ""

    def favourite_at(self, paper_id: str) -> str | None:
        fav = self._paper(paper_id).fav
        return fav.at if fav is not None and fav.on else None

    def favourites(self) -> list[tuple[str, str]]:
        """(paper id, starred-at), newest first; papers starred together by id."""
        favs = self._cached("favourites")
        if not isinstance(favs, list):
            papers = self._state.papers
            favs = [(pid, p.fav.at) for pid, p in papers.items() if p.fav and p.fav.on]
            favs.sort(key=lambda item: item[0])
            favs.sort(key=lambda item: item[1], reverse=True)
            self._remember("favourites", favs)
        return list(favs)

    def read_ids(self) -> frozenset[str]:
        """Ids of papers marked read (small: what a reader has marked, not the catalogue)."""
        ids = self._cached("read")
        if not isinstance(ids, frozenset):
            ids = frozenset(pid for pid, p in self._state.papers.items() if is_on(p.read))
            self._remember("read", ids)
        return ids

    def tagged(self) -> dict[str, tuple[str, ...]]:
        """Paper id -> tags, for papers that have any."""
        tagged = self._cached("tagged")
        if not isinstance(tagged, dict):
            papers = self._state.papers
            tagged = {pid: p.tags.value for pid, p in papers.items() if p.tags and p.tags.value}
            self._remember("tagged", tagged)
        return dict(tagged)

    def all_tags(self) -> dict[str, int]:
        """Tag -> number of papers carrying it, sorted by tag."""
        counts: dict[str, int] = {}
        for tags in self.tagged().values():
            for tag in tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))

    def saved_filters(self) -> list[SavedFilter]:
        """Live saved filters in the order they were first saved."""
        live = [(r.created, name, r) for name, r in self._state.filters.items() if not r.deleted]
        live.sort(key=lambda item: (item[0], item[1]))
        return [SavedFilter(name, r.query, r.section, r.at) for _, name, r in live]
