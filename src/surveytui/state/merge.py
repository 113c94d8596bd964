"""Merging two states: per field, the newer timestamp wins.

This is the one rule that makes concurrent processes, failed writes replayed
later, and imports from another machine all safe: nothing newer is ever
replaced, and tombstones ("off", empty value, deleted filter) merge like any
other value, so an unstar cannot be undone by an older copy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TypeVar

from surveytui.state.schema import (
    EMPTY,
    FilterRecord,
    Flag,
    Note,
    PaperState,
    StateData,
    TagSet,
    is_on,
    plural,
    show,
)

_StampedT = TypeVar("_StampedT", Flag, TagSet, Note)
_FIELDS = ("fav", "read", "tags", "note")


@dataclass
class MergeCounts:
    """How many user-visible values a merge changed (timestamps alone do not count)."""

    favourites_added: int = 0
    favourites_removed: int = 0
    read_changed: int = 0
    tags_changed: int = 0
    notes_changed: int = 0
    filters_changed: int = 0


@dataclass(frozen=True)
class MergeResult:
    state: StateData
    applied: StateData  # the part of the incoming state that won
    counts: MergeCounts


def _wins(new: _StampedT | None, old: _StampedT | None, ties: bool) -> bool:
    if new is None or new == old:
        return False
    return old is None or new.at > old.at or (ties and new.at == old.at)


def _count_paper(old: PaperState | None, new: PaperState, counts: MergeCounts) -> None:
    old = old or PaperState()
    if is_on(old.fav) != is_on(new.fav):
        if is_on(new.fav):
            counts.favourites_added += 1
        else:
            counts.favourites_removed += 1
    counts.read_changed += is_on(old.read) != is_on(new.read)
    old_tags = old.tags.value if old.tags else ()
    counts.tags_changed += old_tags != (new.tags.value if new.tags else ())
    counts.notes_changed += (old.note.value if old.note else "") != (
        new.note.value if new.note else ""
    )


def _visible(record: FilterRecord | None) -> tuple[str, str | None] | None:
    return None if record is None or record.deleted else (record.query, record.section)


def merge(base: StateData, incoming: StateData, *, incoming_wins_ties: bool) -> MergeResult:
    """Per field, the newer timestamp wins; nothing newer in ``base`` is ever replaced."""
    if not incoming:
        return MergeResult(base, EMPTY, MergeCounts())
    counts = MergeCounts()
    papers, applied_papers = dict(base.papers), {}
    for pid, new in incoming.papers.items():
        old = papers.get(pid)
        was = old or PaperState()
        won = {
            name: value
            for name in _FIELDS
            if _wins(value := getattr(new, name), getattr(was, name), incoming_wins_ties)
        }
        if won:
            merged = replace(was, **won)
            _count_paper(old, merged, counts)
            papers[pid] = merged
            applied_papers[pid] = PaperState(**won)
    filters, applied_filters = dict(base.filters), {}
    for name, record in incoming.filters.items():
        current = filters.get(name)
        if current != record and (
            current is None
            or record.at > current.at
            or (incoming_wins_ties and record.at == current.at)
        ):
            counts.filters_changed += _visible(current) != _visible(record)
            filters[name] = applied_filters[name] = record
    state = StateData(papers, filters, base.catalog or incoming.catalog)
    return MergeResult(state, StateData(applied_papers, applied_filters), counts)


@dataclass
class ImportSummary(MergeCounts):
    """What an import changed, and from where; ``str()`` is the one line the CLI prints."""

    source: Path = Path()

    @classmethod
    def of(cls, source: Path, counts: MergeCounts) -> ImportSummary:
        return cls(**asdict(counts), source=source)

    def __str__(self) -> str:
        counts = (
            (self.favourites_added, "favourite", "added"),
            (self.favourites_removed, "favourite", "removed"),
            (self.read_changed, "read mark", "changed"),
            (self.tags_changed, "tag set", "changed"),
            (self.notes_changed, "note", "changed"),
            (self.filters_changed, "saved filter", "changed"),
        )
        parts = [f"{plural(n, what)} {verb}" for n, what, verb in counts if n]
        done = ", ".join(parts) or "nothing newer than the current state"
        return f"imported {show(self.source)}: {done}"
