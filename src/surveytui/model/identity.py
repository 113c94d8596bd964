"""Which listings are one paper, and the stable id each paper gets.

User state (stars, tags, notes) is keyed by paper id, so ids depend on the
title alone: re-importing an edited or reordered list keeps every id, and
the same title always gets the same id on every machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from surveytui.model.text import clean_text, normalise_title, slugify


def title_key(title: str) -> str:
    """Merge key: listings whose keys are equal are one paper.

    A title with no letter or digit at all (``"🚀🚀"``) keys on its cleaned
    text, so such titles do not all share the key ``""``.
    """
    return normalise_title(title) or clean_text(title).casefold()


def paper_id(title: str) -> str:
    """The id a title gets when nothing collides with it (see :func:`assign_ids`).

    Ids are ASCII slugs; a title with nothing ASCII to slug (Chinese,
    Japanese...) gets ``paper-`` and a short hash of its cleaned text instead.
    """
    slug = slugify(title, max_len=60)
    if slug:
        return slug
    return "paper-" + hashlib.sha1(clean_text(title).casefold().encode("utf-8")).hexdigest()[:6]


def assign_ids(titles: Sequence[str]) -> list[str]:
    """Ids for distinct titles; a shared slug gets a hash suffix on every holder.

    The suffix depends only on each title, so ids are the same whatever the
    order of the list and whichever paper came first.
    """
    keys = [title_key(t) for t in titles]
    digests = [hashlib.sha1(k.encode("utf-8")).hexdigest() for k in keys]
    bases = ids = [paper_id(t) for t in titles]
    width = 6
    while True:
        holders: dict[str, set[str]] = {}
        for pid, key in zip(ids, keys, strict=True):
            holders.setdefault(pid, set()).add(key)
        clashing = {pid for pid, owners in holders.items() if len(owners) > 1}
        if not clashing or width > 40:
            return _distinct(ids, keys)
        ids = [
            f"{base}-{d[:width]}" if pid in clashing else pid
            for base, d, pid in zip(bases, digests, ids, strict=True)
        ]
        width += 2


def _distinct(ids: list[str], keys: list[str]) -> list[str]:
    """Ids that crafted titles still share after the widest suffix (``foo`` beside
    ``foo <its sha1>``) are numbered ``-2``, ``-3``... in title-key order, so the
    result is unique and still does not depend on the order of the list."""
    counts: dict[str, int] = {}
    for pid in ids:
        counts[pid] = counts.get(pid, 0) + 1
    if len(counts) == len(ids):
        return ids
    taken = set(counts)
    out = list(ids)
    first_seen: set[str] = set()
    next_n: dict[str, int] = {}
    for i in sorted(range(len(ids)), key=lambda i: (keys[i], i)):
        pid = ids[i]
        if counts[pid] == 1 or pid not in first_seen:
            first_seen.add(pid)
            continue
        n = next_n.get(pid, 2)
        while f"{pid}-{n}" in taken:
            n += 1
        out[i] = f"{pid}-{n}"
        taken.add(out[i])
        next_n[pid] = n + 1
    return out
