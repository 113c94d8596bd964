"""The orders a view can be sorted in, free of the UI so a worker thread can sort.

Papers without the value a sort is by (no year, no venue, not starred) go last in
either direction: reversing a year sort should show the newest papers first, not
the undated ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from surveytui.model.catalog import Paper
from surveytui.state.protocols import ReadingState

SortColumn = Literal["rank", "title", "venue", "year", "starred"]
SORT_CYCLE: tuple[SortColumn, ...] = ("rank", "title", "venue", "year", "starred")
SORT_LABELS: dict[SortColumn, str] = {
    "rank": "best match",
    "title": "title",
    "venue": "venue",
    "year": "year",
    "starred": "date starred",
}

Sorter = Callable[[Sequence[Paper]], Sequence[Paper]]


@dataclass(frozen=True)
class SortKey:
    key: Callable[[Paper], object]
    missing: Callable[[Paper], bool] | None = None


def sort_keys(state: ReadingState) -> dict[SortColumn, SortKey]:
    """Every column's key; ties fall back to the title so the order is stable to read."""
    return {
        "title": SortKey(lambda p: p.title.casefold()),
        "venue": SortKey(
            lambda p: ((p.venue or "").casefold(), p.title.casefold()), lambda p: not p.venue
        ),
        "year": SortKey(lambda p: (p.year or 0, p.title.casefold()), lambda p: p.year is None),
        "starred": SortKey(
            lambda p: state.favourite_at(p.id) or "", lambda p: not state.is_favourite(p.id)
        ),
    }


def make_sorter(column: SortColumn, reverse: bool, keys: dict[SortColumn, SortKey]) -> Sorter:
    """The order as a plain function; ``rank`` keeps the search's order (or reverses it)."""
    chosen = keys.get(column)
    if chosen is None or column == "rank":
        return lambda rows: list(reversed(rows)) if reverse else rows
    key, missing = chosen.key, chosen.missing
    if missing is None:
        return lambda rows: sorted(rows, key=key, reverse=reverse)  # type: ignore[arg-type]
    lacking = missing

    def ordered(rows: Sequence[Paper]) -> Sequence[Paper]:
        present = [p for p in rows if not lacking(p)]
        present.sort(key=key, reverse=reverse)  # type: ignore[arg-type]
        return present + [p for p in rows if lacking(p)]

    return ordered
