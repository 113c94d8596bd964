"""The headless commands' plain-text paper table, sized to the terminal in screen cells.

Titles come in every script: widths are counted in terminal cells (wide CJK
and emoji take two, combining marks none), so columns stay aligned.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import TextIO

from surveytui.catalog import Paper


def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _cells(text: str) -> int:
    """Terminal columns, not code points: a CJK title or an emoji takes two per character."""
    return len(text) if text.isascii() else sum(map(_char_cells, text))


def _fit(text: str, width: int) -> str:
    """Exactly ``width`` columns: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    used = _cells(text)
    if used <= width:
        return text + " " * (width - used)
    kept: list[str] = []
    used = 0
    for ch in text:
        cells = _char_cells(ch)
        if used + cells > width - 1:
            break
        kept.append(ch)
        used += cells
    return "".join(kept) + "…" + " " * (width - 1 - used)


def print_table(
    papers: Sequence[Paper],
    favourite: Callable[[str], bool] | None = None,
    stream: TextIO | None = None,
) -> None:
    """A plain-text table sized to the terminal: title takes what the fixed columns leave."""
    stream = stream or sys.stdout
    width = shutil.get_terminal_size((100, 24)).columns
    venue_w = min(14, max((_cells(p.venue or "") for p in papers), default=5))
    venue_w = max(venue_w, 5)
    fixed = 2 + venue_w + 1 + 4 + 1 + 4 + 2  # star, venue, year, code, gaps
    title_w = max(width - fixed - 1, 20)
    head = f"  {'TITLE':<{title_w}} {'VENUE':<{venue_w}} {'YEAR':>4} CODE"
    stream.write(head.rstrip() + "\n")
    for p in papers:
        star = "★ " if favourite and favourite(p.id) else "  "
        year = str(p.year) if p.year is not None else "—"
        code = "yes" if p.code_url else ""
        row = f"{star}{_fit(p.title, title_w)} {_fit(p.venue or '—', venue_w)} {year:>4} {code}"
        stream.write(row.rstrip() + "\n")
