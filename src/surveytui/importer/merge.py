"""Listings -> papers: repeats and near-duplicates of one paper become one record.

Same title
    Listings whose :func:`surveytui.model.identity.title_key` match are one
    paper: sections accumulate in list order, first-seen values win and later
    listings fill missing fields; each merge is reported.
Near-duplicates
    Two papers whose titles differ only in spaces, hyphens and punctuation
    (``mixture-ofexperts`` / ``mixture-of-experts``: equal once only letters
    and digits are kept) *and* that give the same venue and year are one paper
    listed in both places. Its title is the spelling with more word breaks
    (a dropped space or hyphen is the usual typo; ties go to the first seen),
    its id is that title's id, and the other listing's id is kept as an alias,
    so a star, tag or note on either survives. Each join is reported with both
    lines, for ``surveytui check``.

Ids are computed before near-duplicates are joined, so an alias is exactly the
id that listing had on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from surveytui.importer.entries import Entry, ImportIssue
from surveytui.model.identity import assign_ids, title_key

_FIELDS = ("venue", "year", "paper_url", "code_url", "authors")


@dataclass
class Record:
    """One paper: its first listing (values), every section, and ids it also answers to."""

    entry: Entry
    sections: list[int]
    id: str = ""
    aliases: list[str] = field(default_factory=list)


def _fill(first: Entry, other: Entry) -> list[str]:
    """Fill ``first``'s gaps from ``other``; the conflicts, worded for the report."""
    kept = []
    for name in _FIELDS:
        old, new = getattr(first, name), getattr(other, name)
        if not old:
            setattr(first, name, new)
        elif new and new != old:
            kept.append(f"kept {name} {old!r}, not {new!r}")
    return kept


def _compact(title: str) -> str:
    """Letters and digits only: ``title_key`` is words of those joined by spaces."""
    return title_key(title).replace(" ", "")


def _breaks(title: str) -> int:
    return sum(ch in " -\u2010\u2011" for ch in title)


def merge(
    entries: Sequence[Entry], where: Callable[[int], str], source_name: str
) -> tuple[list[Record], list[ImportIssue]]:
    """Records in list order plus one remark per merged listing.

    ``where(section)`` names a section for the remarks ("Top / Sub").
    """
    records: dict[str, Record] = {}
    issues: list[ImportIssue] = []
    for entry in entries:
        key = title_key(entry.title)
        if key not in records:
            records[key] = Record(entry, [entry.section])
            continue
        record = records[key]
        first = record.entry
        how = "listed again" if entry.section in record.sections else "also listed"
        message = (
            f"{entry.title!r} is {how} in {where(entry.section)!r} (first at line {first.line})"
        )
        if entry.section not in record.sections:
            record.sections.append(entry.section)
        message += "".join(f"; {k}" for k in _fill(first, entry))
        issues.append(ImportIssue(f"{source_name}:{entry.line}", message, "duplicate", entry.line))
    ordered = list(records.values())
    for record, pid in zip(ordered, assign_ids([r.entry.title for r in ordered]), strict=True):
        record.id = pid
    return _join_near(ordered, source_name, issues), issues


def _join_near(records: list[Record], source_name: str, issues: list[ImportIssue]) -> list[Record]:
    groups: dict[tuple[str, str | None, int | None], Record] = {}
    out: list[Record] = []
    for record in records:
        entry = record.entry
        key = (_compact(entry.title), entry.venue, entry.year)
        kept = groups.get(key) if key[0] else None
        if kept is None:
            groups[key] = record
            out.append(record)
            continue
        first = kept.entry
        old_title, old_id = first.title, kept.id
        if _breaks(entry.title) > _breaks(first.title):
            first.title, kept.id = entry.title, record.id
            kept.aliases.append(old_id)
        else:
            kept.aliases.append(record.id)
        kept.aliases += record.aliases
        for section in record.sections:
            if section not in kept.sections:
                kept.sections.append(section)
        conflicts = _fill(first, entry)
        message = (
            f"{entry.title!r} (line {entry.line}) and {old_title!r} (line {first.line}) differ "
            f"only in spacing or punctuation, with the same venue and year: merged as "
            f"{first.title!r}, id {kept.id!r}, also known as {', '.join(map(repr, kept.aliases))}"
        )
        message += "".join(f"; {k}" for k in conflicts)
        issues.append(ImportIssue(f"{source_name}:{entry.line}", message, "duplicate", entry.line))
    return out
