"""The headless commands' plain-text paper table, sized to the terminal in screen cells.

Titles come in every script: widths are counted in terminal cells (wide CJK
and emoji take two, combining marks none), so columns stay aligned.

This module is on the quick search path (``surveytui.quicksearch``), which
prints tens of thousands of rows in a budget of milliseconds: it imports only
what Python has already loaded at start-up, and ASCII text (nearly every
title) never goes through the per-character cell count.
"""

from __future__ import annotations

import os
import sys
import unicodedata

TYPE_CHECKING = False  # typing itself costs the quick path ~10 ms (it imports re)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from surveytui.catalog import Paper

    #: (title, venue or "", :func:`row_tail`, starred): what one printed row shows.
    Row = tuple[str, str, str, bool]


def terminal_columns(fallback: int = 100) -> int:
    """``shutil.get_terminal_size((fallback, 24)).columns``, without importing shutil.

    ``COLUMNS`` wins, then the size of the terminal on stdout, then the fallback.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else fallback


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
    if text.isascii():
        if len(text) <= width:
            return text + " " * (width - len(text))
        return text[: width - 1] + "…"
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


def row_tail(year: int | None, has_code: bool) -> str:
    """The year and code columns, which never change width: ``"2024 yes"``, ``"   —"``."""
    return f"{year if year is not None else '—':>4} {'yes' if has_code else ''}".rstrip()


def print_rows(rows: Sequence[Row], stream: TextIO | None = None) -> None:
    """A plain-text table sized to the terminal: title takes what the fixed columns leave."""
    stream = stream or sys.stdout
    width = terminal_columns()
    venue_w = min(14, max((_cells(venue) for _, venue, _, _ in rows), default=5))
    venue_w = max(venue_w, 5)
    fixed = 2 + venue_w + 1 + 4 + 1 + 4 + 2  # star, venue, year, code, gaps
    title_w = max(width - fixed - 1, 20)
    lines = [f"  {'TITLE':<{title_w}} {'VENUE':<{venue_w}} {'YEAR':>4} CODE".rstrip()]
    append = lines.append
    for title, venue, tail, starred in rows:
        # ASCII text is as wide as it is long: no per-character cell count.
        if title.isascii():
            shown = title.ljust(title_w) if len(title) <= title_w else title[: title_w - 1] + "…"
        else:
            shown = _fit(title, title_w)
        venue = venue or "—"
        if venue.isascii() and len(venue) <= venue_w:
            where = venue.ljust(venue_w)
        else:
            where = _fit(venue, venue_w)
        append(f"{'★ ' if starred else '  '}{shown} {where} {tail}")
    lines.append("")
    stream.write("\n".join(lines))


def print_table(
    papers: Sequence[Paper],
    favourite: Callable[[str], bool] | None = None,
    stream: TextIO | None = None,
) -> None:
    """:func:`print_rows` for papers; ``favourite`` says which get a star."""
    print_rows(
        [
            (
                p.title,
                p.venue or "",
                row_tail(p.year, bool(p.code_url)),
                bool(favourite and favourite(p.id)),
            )
            for p in papers
        ],
        stream,
    )
