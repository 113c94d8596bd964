"""The shape of a set of papers: counts per year, venue, section and category, and the
reader's progress through them, free of any UI.

The statistics screen and ``surveytui stats`` show the same figures, so both read
them from here. A view can hold 100k papers, and the screen recomputes on every
filter change: counting goes through ``map``/``Counter`` over the distinct
attribute values (thousands of papers share a section list or a year), and the
reader's marks are matched in one pass only when there are any.

The figures are then laid out as :class:`Chart` rows, each bar knowing how it
narrows the view (a filter token or a scope), so the screen and the command
agree on what a bar means and the screen needs no knowledge of the filter
language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from surveytui.model.catalog import CATEGORIES, Catalog, Paper
from surveytui.state.protocols import ReadingState

#: How many venues a chart names before folding the rest into "others".
TOP_VENUES = 15
#: A year chart fills the gaps between the first and last year up to this span,
#: so a missing year reads as an empty bar rather than as no year at all.
MAX_FILLED_YEARS = 40
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Progress:
    """A section's papers in the view and how many of them the reader starred or read."""

    total: int
    starred: int = 0
    read: int = 0


@dataclass(frozen=True)
class Figures:
    """Every count a chart or the JSON output needs, for one set of papers."""

    total: int
    by_year: Mapping[int | None, int]  # None: no year; ascending, None last
    by_venue: Mapping[str | None, int]  # None: no venue; most first, then by name
    by_section: Mapping[str, int]  # section id -> papers listed in it directly
    by_top_section: Mapping[str, int]  # top section id -> papers in it or below
    by_category: Mapping[str, int]  # every category id, in CATEGORIES order
    uncategorised: int
    with_code: int
    starred: int
    read: int
    progress: Mapping[str, Progress] = field(default_factory=dict)  # any section id


def _ancestors(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Section id -> itself and every section above it."""
    out: dict[str, tuple[str, ...]] = {}
    for sec in catalog.sections:
        chain: list[str] = []
        current: str | None = sec.id
        while current is not None and current in catalog.section_by_id:
            chain.append(current)
            current = catalog.section_by_id[current].parent
        out[sec.id] = tuple(chain)
    return out


def _year_key(year: int | None) -> tuple[int, int]:
    return (1, 0) if year is None else (0, year)


def compute_figures(
    catalog: Catalog, papers: Sequence[Paper], state: ReadingState | None = None
) -> Figures:
    """Count ``papers`` (a view: already filtered and scoped) against ``catalog``'s sections.

    A paper listed in two subsections counts in each of them, and once in a top
    section both belong to; ``total`` counts it once.
    """
    years = Counter(map(attrgetter("year"), papers))
    venues = Counter(map(attrgetter("venue"), papers))
    section_lists = Counter(map(attrgetter("sections"), papers))
    category_lists = Counter(map(attrgetter("categories"), papers))
    with_code = len(papers) - list(map(attrgetter("code_url"), papers)).count(None)

    ancestors = _ancestors(catalog)
    by_section: Counter[str] = Counter()
    below: Counter[str] = Counter()  # the section or any of its subsections, once per paper
    for sections, n in section_lists.items():
        for sid in dict.fromkeys(sections):
            by_section[sid] += n
        for sid in {a for s in sections for a in ancestors.get(s, (s,))}:
            below[sid] += n
    by_category = dict.fromkeys(CATEGORIES, 0)
    uncategorised = 0
    for cats, n in category_lists.items():
        if not cats:
            uncategorised += n
        for cat in dict.fromkeys(cats):
            by_category[cat] = by_category.get(cat, 0) + n

    starred_in: Counter[str] = Counter()
    read_in: Counter[str] = Counter()
    starred = read = 0
    favs = {pid for pid, _ in state.favourites()} if state is not None else set()
    read_ids = state.read_ids() if state is not None else frozenset()
    if favs or read_ids:
        marked = favs | read_ids
        for paper in papers:
            if paper.id not in marked:
                continue
            where = {a for s in paper.sections for a in ancestors.get(s, (s,))}
            if paper.id in favs:
                starred += 1
                starred_in.update(where)
            if paper.id in read_ids:
                read += 1
                read_in.update(where)

    tops = [s.id for s in catalog.sections if s.parent is None]
    return Figures(
        total=len(papers),
        by_year=dict(sorted(years.items(), key=lambda kv: _year_key(kv[0]))),
        by_venue=dict(sorted(venues.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))),
        by_section={s.id: by_section[s.id] for s in catalog.sections if by_section[s.id]},
        by_top_section={sid: below[sid] for sid in tops if below[sid]},
        by_category=by_category,
        uncategorised=uncategorised,
        with_code=with_code,
        starred=starred,
        read=read,
        progress={
            s.id: Progress(below[s.id], starred_in[s.id], read_in[s.id])
            for s in catalog.sections
            if below[s.id]
        },
    )


def figures_json(catalog: Catalog, figures: Figures) -> dict[str, Any]:
    """The documented JSON shape: full counts, string keys, "unknown" for missing values."""
    by_section: dict[str, int] = {}
    for sid, n in figures.by_section.items():
        path = catalog.section_path(sid)
        by_section[path] = by_section.get(path, 0) + n
    by_venue: dict[str, int] = {}
    for venue, n in figures.by_venue.items():
        key = venue if venue is not None else UNKNOWN
        by_venue[key] = by_venue.get(key, 0) + n
    return {
        "total": figures.total,
        "by_year": {(str(y) if y is not None else UNKNOWN): n for y, n in figures.by_year.items()},
        "by_venue": by_venue,
        "by_section": by_section,
        "by_category": {CATEGORIES.get(c, c): n for c, n in figures.by_category.items()},
        "with_code": figures.with_code,
        "starred": figures.starred,
        "read": figures.read,
    }
