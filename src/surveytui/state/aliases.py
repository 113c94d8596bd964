"""Stars, read marks, tags and notes kept under a paper's old id follow it to the new one.

When the importer joins two listings of one paper (near-duplicate titles), the
id that disappears stays on the paper as an alias (:attr:`Paper.aliases`). A
reader may have starred, tagged or annotated either listing before; this
copies what the state holds under an alias onto the paper's id, once, through
the store's ordinary (locked, atomic) changes. Nothing is removed from the
alias, so an older catalogue still shows it; what the paper's own id already
has wins (a note is never overwritten, tags are added).
"""

from __future__ import annotations

from surveytui.model.catalog import Catalog
from surveytui.state.store import Store


def adopt_aliases(store: Store, catalog: Catalog) -> int:
    """Copy alias state onto the papers' ids; the number of papers that gained any."""
    held = store.paper_ids()
    if not held or store.left_as_is:  # a read-only command never repairs a damaged file
        return 0  # the usual case: nothing to look up, the catalogue is not even indexed
    by_id = catalog.by_id
    moved = 0
    for old in sorted(held):
        paper = by_id.get(old)
        if paper is None or paper.id == old:
            continue
        new = paper.id
        changed = False
        if store.is_favourite(old) and not store.is_favourite(new):
            store.set_favourite(new, True)
            changed = True
        if store.is_read(old) and not store.is_read(new):
            store.set_read(new, True)
            changed = True
        missing = [t for t in store.tags(old) if t not in store.tags(new)]
        if missing:
            store.add_tags(new, missing)
            changed = True
        if store.note(old) and not store.note(new):
            store.set_note(new, store.note(old))
            changed = True
        moved += changed
    return moved
