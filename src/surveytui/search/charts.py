"""Figures laid out as bar charts: labelled rows that know how they narrow the view.

Both the statistics screen and ``surveytui stats`` draw these rows, so a bar
means the same in both, and the screen turns a chosen bar into a filter token
or a scope without knowing the filter language itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveytui.model.catalog import CATEGORIES, Catalog
from surveytui.search.stats import MAX_FILLED_YEARS, TOP_VENUES, UNKNOWN, Figures


@dataclass(frozen=True, slots=True)
class Narrowing:
    """What choosing a bar does: add a filter ``token``, switch to a ``scope``, or
    (``expand``) show the venues folded into "others"."""

    token: str = ""
    scope: str = ""
    expand: bool = False


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    of: int  # the whole the bar is a share of
    narrowing: Narrowing | None = None
    note: str = ""  # more words after the count ("3 starred")
    depth: int = 0  # 1 for a subsection under its section


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    bars: tuple[Bar, ...]
    #: True: each bar is drawn as a share of its own whole (progress); False: against
    #: the chart's longest bar, so the biggest group fills the width.
    shares: bool = False


def share_text(count: int, of: int) -> str:
    """``"17%"``; a share that rounds to 0% or 100% but is neither reads ``"<1%"`` or
    ``">99%"``, so a bar never claims none or all when that is not so."""
    if not of:
        return "-"
    pct = 100 * count / of
    if 0 < pct < 1:
        return "<1%"
    if 99 < pct < 100:
        return ">99%"
    return f"{round(pct)}%"


def count_text(chart: Chart, bar: Bar) -> str:
    """The count, and for a share chart the whole it is a share of (``"12/80"``)."""
    return f"{bar.count}/{bar.of}" if chart.shares else str(bar.count)


def summary_text(figures: Figures) -> str:
    """One line for the top of the screen and of the command's output."""
    total = figures.total
    return (
        f"{total} papers · {figures.with_code} with code ({share_text(figures.with_code, total)})"
        f" · {figures.starred} starred · {figures.read} read ({share_text(figures.read, total)})"
    )


def venue_token(venue: str) -> str | None:
    """``venue:=NAME``: exactly that venue, case aside; quoted when it holds a space or a
    ``|``. None for a venue with a double quote in it, which no token can spell."""
    if '"' in venue:
        return None
    if any(ch.isspace() or ch == "|" for ch in venue):
        return f'venue:="{venue}"'
    return f"venue:={venue}"


def _narrowing(token: str | None) -> Narrowing | None:
    return Narrowing(token=token) if token else None


def year_chart(figures: Figures) -> Chart:
    known = [y for y in figures.by_year if y is not None]
    years: list[int] = known
    if known and max(known) - min(known) <= MAX_FILLED_YEARS:
        years = list(range(min(known), max(known) + 1))
    total = figures.total
    bars = [
        Bar(str(y), figures.by_year.get(y, 0), total, Narrowing(token=f"year:{y}")) for y in years
    ]
    if figures.by_year.get(None):
        bars.append(Bar(UNKNOWN, figures.by_year[None], total, Narrowing(token="!has:year")))
    return Chart("years", "Papers per year", tuple(bars))


def venue_chart(figures: Figures, *, everything: bool = False) -> Chart:
    """The top venues and "others"; ``everything`` lists every venue instead."""
    total = figures.total
    named = [(v, n) for v, n in figures.by_venue.items() if v is not None]
    shown = named if everything else named[:TOP_VENUES]
    bars = [Bar(v, n, total, _narrowing(venue_token(v))) for v, n in shown]
    rest = named[len(shown) :]
    if rest:
        n = sum(c for _, c in rest)
        label = f"others ({len(rest)} venues)"
        bars.append(Bar(label, n, total, Narrowing(expand=True)))
    if figures.by_venue.get(None):
        bars.append(Bar("no venue", figures.by_venue[None], total, Narrowing(token="!has:venue")))
    title = "Venues" if everything or not rest else f"Top {TOP_VENUES} venues"
    return Chart("venues", title, tuple(bars))


def section_chart(catalog: Catalog, figures: Figures) -> Chart:
    """Each top section (papers in it or below), then its subsections, in survey order."""
    total = figures.total
    bars: list[Bar] = []
    for sec in catalog.sections:
        progress = figures.progress.get(sec.id)
        if progress is None:
            continue
        depth = 0 if sec.parent is None else 1
        narrowing = Narrowing(scope=f"sec:{sec.id}")
        bars.append(Bar(sec.title, progress.total, total, narrowing, depth=depth))
    return Chart("sections", "Sections", tuple(bars))


def category_chart(figures: Figures) -> Chart:
    total = figures.total
    bars = [
        Bar(CATEGORIES.get(cid, cid), n, total, Narrowing(token=f"cat:{cid}"))
        for cid, n in figures.by_category.items()
    ]
    if figures.uncategorised:
        none = " ".join(f"!cat:{cid}" for cid in CATEGORIES)
        bars.append(Bar("none of these", figures.uncategorised, total, Narrowing(token=none)))
    return Chart("categories", "Categories", tuple(bars))


def progress_chart(catalog: Catalog, figures: Figures) -> Chart:
    """Code, stars and reading overall, then how far the reading got in each section."""
    total = figures.total
    bars = [
        Bar("with code", figures.with_code, total, Narrowing(token="has:code")),
        Bar("starred", figures.starred, total, Narrowing(token="is:fav")),
        Bar("read", figures.read, total, Narrowing(token="is:read")),
    ]
    for sec in catalog.sections:
        p = figures.progress.get(sec.id)
        if p is None:
            continue
        note = f"read · {p.starred} starred"
        depth = 0 if sec.parent is None else 1
        bars.append(Bar(sec.title, p.read, p.total, Narrowing(scope=f"sec:{sec.id}"), note, depth))
    return Chart("progress", "Code and your progress", tuple(bars), shares=True)


def all_charts(
    catalog: Catalog, figures: Figures, *, every_venue: bool = False
) -> tuple[Chart, ...]:
    """Years, venues, sections, categories, then code and progress: the screen's tabs."""
    return (
        year_chart(figures),
        venue_chart(figures, everything=every_venue),
        section_chart(catalog, figures),
        category_chart(figures),
        progress_chart(catalog, figures),
    )
