"""Scopes (what the section tree narrows to) and their counts, free of any UI.

The browser's tree shows, for the current filter, how many matches fall in
every section, category, tag and in the favourites. Computing that is a
single pass over the matches with precomputed ancestor sets, kept here so it
is unit-tested without a terminal and reused by anything that lists papers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from surveytui.model.catalog import CATEGORIES, Catalog, Paper, take
from surveytui.state.protocols import ReadingState

if TYPE_CHECKING:
    from surveytui.search.engine import SearchIndex
    from surveytui.search.query import Query


@lru_cache(maxsize=8)
def _scope_keys(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Per paper: the scope keys it counts toward (sections, their ancestors, categories)."""
    ancestors: dict[str, tuple[str, ...]] = {}
    for sec in catalog.sections:
        chain: list[str] = []
        current: str | None = sec.id
        while current is not None:
            chain.append(f"sec:{current}")
            current = catalog.section_by_id[current].parent
        ancestors[sec.id] = tuple(chain)
    out: dict[str, tuple[str, ...]] = {}
    for paper in catalog.papers:
        keys = {k for sid in paper.sections for k in ancestors.get(sid, ())}
        keys.update(f"cat:{c}" for c in paper.categories)
        out[paper.id] = tuple(sorted(keys))
    return out


@lru_cache(maxsize=8)
def _scope_table(
    catalog: Catalog,
) -> tuple[list[int], list[tuple[str, ...]], dict[str, int]]:
    """Per catalogue index: the id of its distinct key tuple; the tuples; id -> index."""
    keys = _scope_keys(catalog)
    distinct: dict[tuple[str, ...], int] = {}
    per_index = [distinct.setdefault(keys[p.id], len(distinct)) for p in catalog.papers]
    index_of = {p.id: i for i, p in enumerate(catalog.papers)}
    return per_index, list(distinct), index_of


def count_scope_indices(
    catalog: Catalog, indices: Sequence[int], state: ReadingState
) -> dict[str, int]:
    """How many matches fall in each scope key (``all`` is the total).

    Matches come as catalogue indices (what the search returns) and papers share
    few distinct key tuples (section path plus categories), so counting runs in C
    over small ints, which matters at 100k matches; favourites and tags are
    counted from the reader's own marks, which are few.
    """
    per_index, tuples, index_of = _scope_table(catalog)
    per_tuple = Counter(map(per_index.__getitem__, indices))
    counts: Counter[str] = Counter()
    for tuple_id, n in per_tuple.items():
        for key in tuples[tuple_id]:
            counts[key] += n
    favs = state.favourites()
    tagged = state.tagged()
    if favs or tagged:
        chosen = set(indices)
        counts["fav"] = sum(1 for pid, _ in favs if index_of.get(pid, -1) in chosen)
        for pid, tags in tagged.items():
            if index_of.get(pid, -1) in chosen:
                for tag in tags:
                    counts[f"tag:{tag}"] += 1
    counts["all"] = len(indices)
    return dict(counts)


def count_read(papers: Sequence[Paper], state: ReadingState) -> int:
    read = state.read_ids()
    return sum(1 for p in papers if p.id in read) if read else 0


def in_scope(
    catalog: Catalog, papers: Sequence[Paper], scope: str, state: ReadingState
) -> list[Paper]:
    """Narrow ``papers`` (already filtered and ranked) to a tree scope, keeping their order.

    The favourites scope is a reading list: newest star first, as readers expect.
    """
    if scope == "all" or not scope:
        return list(papers)
    if scope == "fav":
        favs = [p for p in papers if state.is_favourite(p.id)]
        favs.sort(key=lambda p: state.favourite_at(p.id) or "", reverse=True)
        return favs
    if scope.startswith("tag:"):
        tag = scope[4:]
        return [p for p in papers if tag in state.tags(p.id)]
    keys = _scope_keys(catalog)
    return [p for p in papers if scope in keys.get(p.id, ())]


@dataclass(frozen=True)
class ViewResult:
    """One computed view: what the table, tree and header show for a query and scope."""

    query: Query
    scope: str
    rows: Sequence[Paper]
    counts: Mapping[str, int]
    read: int
    order: tuple[str, bool]  # the sort the rows were put in
    sorted_rows: Sequence[Paper]


def compute_view(
    catalog: Catalog,
    index: SearchIndex,
    state: ReadingState,
    query: Query,
    scope: str,
    order: tuple[str, bool] = ("rank", False),
    sorter: Callable[[Sequence[Paper]], Sequence[Paper]] | None = None,
    with_counts: bool = True,
) -> ViewResult:
    """Everything a keystroke needs, free of widgets so the browser can run it in a
    worker thread. Without ``with_counts`` (the first paint) the counts are left empty."""
    indices = index.search_indices(query, state)
    matches = take(catalog.papers, indices)
    rows = in_scope(catalog, matches, scope, state)
    counts = count_scope_indices(catalog, indices, state) if with_counts else {}
    read = count_read(rows, state)
    sorted_rows = sorter(rows) if sorter is not None else rows
    return ViewResult(query, scope, rows, counts, read, order, sorted_rows)


def scope_label(catalog: Catalog, scope: str, saved_filter: str | None = None) -> str:
    """What a scope is called in the header: the reader must always know what they see,
    even when the tree is hidden on a small terminal."""
    if saved_filter is not None:
        return f"saved filter '{saved_filter}'"
    kind, _, value = scope.partition(":")
    if scope in ("all", ""):
        return "All papers"
    if scope == "fav":
        return "Favourites"
    if kind == "tag":
        return f"#{value}"
    if kind == "cat":
        return CATEGORIES.get(value, value)
    if kind == "sec" and value in catalog.section_by_id:
        return catalog.section_by_id[value].title
    return scope


def header_text(
    scope: str, shown: int, total: int, read: int, order: tuple[str, bool, bool]
) -> str:
    """``Favourites · 3 of 421 papers · 1/3 read · sort: year ↓``; ``order`` is the sort's
    label, whether it is the search's own ranking (no arrow unless reversed), reversed."""
    label, is_rank, reverse = order
    arrow = " ↓" if reverse else "" if is_rank else " ↑"
    return f"{scope} · {shown} of {total} papers · {read}/{shown} read · sort: {label}{arrow}"
