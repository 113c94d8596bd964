"""``state import`` and ``metadata import``: say how much of a file belongs here.

A state or metadata file made for another catalogue (another survey, or the
bundled one when ``--data`` was forgotten) decodes fine and merges to nothing,
which read as success. So both imports count the file's papers that this
catalogue knows, say it, and refuse (exit 1) a file of which none match.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from surveytui.model.catalog import Catalog

if TYPE_CHECKING:
    from surveytui.state.store import Store

EXIT_OK, EXIT_NO_MATCH = 0, 1


def _say(text: str) -> None:
    print(f"surveytui: {text}", file=sys.stderr)


def matching(ids: Iterable[str], catalog: Catalog) -> tuple[int, int]:
    """(entries whose paper is in ``catalog``, all entries); an alias counts as its paper."""
    ids = list(ids)
    return sum(1 for pid in ids if pid in catalog.by_id), len(ids)


def match_text(found: int, total: int) -> str:
    entries = "entry matches" if total == 1 else "entries match"
    return f"{found} of {total} {entries} papers of this catalogue"


def match_line(src: Path, found: int, total: int) -> str:
    line = f"{src}: {match_text(found, total)}"
    return line if found else line + "; nothing imported"


def import_state(store: Store, catalog: Catalog, src: Path) -> int:
    """Merge ``src`` into ``store`` unless it has papers and none of them are ours."""
    from surveytui.state.files import read_import

    incoming = read_import(src)  # a file that is not state: StateError, exit 2
    found, total = matching(incoming.papers, catalog)
    if total and not found:
        _say(match_line(src, found, total))
        return EXIT_NO_MATCH
    summary = store.import_state(src)
    _say(f"{summary} ({match_text(found, total)})" if total else str(summary))
    return EXIT_OK
