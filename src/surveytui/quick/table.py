"""The headless commands' plain-text paper table, sized to the terminal in screen cells.

Titles come in every script: widths are counted in terminal cells (wide CJK
and emoji take two, combining marks none), so columns stay aligned.

This module is on the quick search path (``surveytui.quick.run``), which
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

    from surveytui.model.catalog import Paper


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


def _fit_column(texts: Sequence[str], width: int) -> list[str]:
    """:func:`_fit` for a whole column; ASCII text (nearly all) skips the cell count."""
    cut = width - 1
    return [
        (t.ljust(width) if len(t) <= width else t[:cut] + "…") if t.isascii() else _fit(t, width)
        for t in texts
    ]


def print_columns(
    titles: Sequence[str],
    venues: Sequence[str],
    tails: Sequence[str],
    stars: Sequence[bool],
    stream: TextIO | None = None,
    width: int | None = None,
) -> None:
    """A plain-text table sized to the terminal: title takes what the fixed columns leave.

    Column by column, so the quick search path hands over what it decoded
    without building a tuple per row: ``venues`` hold "" for a missing venue,
    ``tails`` are :func:`row_tail`.
    """
    stream = stream or sys.stdout
    width = width or terminal_columns()
    venue_w = min(14, max(map(_cells, venues), default=5))
    venue_w = max(venue_w, 5)
    fixed = 2 + venue_w + 1 + 4 + 1 + 4 + 2  # star, venue, year, code, gaps
    title_w = max(width - fixed - 1, 20)
    head = f"  {'TITLE':<{title_w}} {'VENUE':<{venue_w}} {'YEAR':>4} CODE".rstrip()
    shown = _fit_column(titles, title_w)
    where = _fit_column([v or "—" for v in venues], venue_w)
    lines = [
        f"{'★ ' if starred else '  '}{title} {venue} {tail}"
        for title, venue, tail, starred in zip(shown, where, tails, stars, strict=True)
    ]
    stream.write("\n".join([head, *lines, ""]))


def print_table(
    papers: Sequence[Paper],
    favourite: Callable[[str], bool] | None = None,
    stream: TextIO | None = None,
    *,
    ids: bool = False,
) -> None:
    """:func:`print_columns` for papers; ``favourite`` says which get a star; ``ids``: a
    first column with each paper's id in full (what the state commands take), never cut."""
    columns = (
        [p.title for p in papers],
        [p.venue or "" for p in papers],
        [row_tail(p.year, bool(p.code_url)) for p in papers],
        [bool(favourite and favourite(p.id)) for p in papers],
    )
    if not ids:
        print_columns(*columns, stream)
        return
    import io

    id_w = max((len(p.id) for p in papers), default=2)
    table = io.StringIO()
    print_columns(*columns, table, width=max(terminal_columns() - id_w - 2, 40))
    lines = table.getvalue().splitlines()
    keys = ["ID", *(p.id for p in papers)]
    out = sys.stdout if stream is None else stream
    out.write("".join(f"{key:<{id_w}}  {line}\n" for key, line in zip(keys, lines, strict=True)))
