"""``surveytui stats`` output: bar charts on a terminal, plain numbers in a pipe, JSON.

The charts are the statistics screen's (``surveytui.search.charts``), drawn
with Rich's ``Bar`` so the terminal output and the screen look alike; Rich is
imported only for a terminal, so a script reading numbers never pays for it.
"""

from __future__ import annotations

import json
from typing import TextIO

from surveytui.model.catalog import Catalog
from surveytui.quick.table import terminal_columns
from surveytui.search.charts import all_charts, count_text, share_text, summary_text
from surveytui.search.stats import Figures, compute_figures, figures_json
from surveytui.state.protocols import ReadingState


def write_stats(catalog: Catalog, state: ReadingState, query: str, fmt: str, out: TextIO) -> None:
    """The figures of the papers matching ``query`` (all of them when empty).

    Raises ``QueryError`` for a malformed query, before anything is written.
    """
    from surveytui.search.query import parse_query
    from surveytui.search.registry import search_index

    parsed = parse_query(query)
    papers = search_index(catalog).search(parsed, state) if query.strip() else catalog.papers
    figures = compute_figures(catalog, papers, state)
    if fmt == "json":
        write_json(catalog, figures, out)
    elif out.isatty():
        write_charts(catalog, figures, out, terminal_columns())
    else:
        write_plain(catalog, figures, out)


def write_json(catalog: Catalog, figures: Figures, out: TextIO) -> None:
    out.write(json.dumps(figures_json(catalog, figures), indent=2, ensure_ascii=False) + "\n")


def write_plain(catalog: Catalog, figures: Figures, out: TextIO) -> None:
    """``label<TAB>count<TAB>share`` (and a note) per bar under a ``# title`` line per chart:
    easy to cut, grep and sort, with nothing a script has to strip."""
    out.write(f"total\t{figures.total}\n")
    for chart in all_charts(catalog, figures):
        out.write(f"\n# {chart.title}\n")
        for bar in chart.bars:
            label = "  " * bar.depth + bar.label
            note = f"\t{bar.note}" if bar.note else ""
            out.write(f"{label}\t{count_text(chart, bar)}\t{share_text(bar.count, bar.of)}{note}\n")


def write_charts(catalog: Catalog, figures: Figures, out: TextIO, width: int) -> None:
    from rich.bar import Bar as RichBar
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

    # Every cell is Text: a label is catalogue data and must never be read as markup.
    console = Console(file=out, width=width, highlight=False)
    console.print(Text(summary_text(figures), style="bold"))
    for chart in all_charts(catalog, figures):
        table = Table(title=chart.title, title_justify="left", box=None, show_header=False)
        table.add_column("label", no_wrap=True, overflow="ellipsis", max_width=max(width // 3, 8))
        table.add_column("bar", ratio=1)
        table.add_column("count", justify="right", no_wrap=True)
        table.add_column("share", justify="right", no_wrap=True)
        notes = any(bar.note for bar in chart.bars)
        if notes:
            table.add_column("note", no_wrap=True, style="dim")
        peak = max((b.count for b in chart.bars), default=0)
        for bar in chart.bars:
            scale = (bar.of if chart.shares else peak) or 1
            cells: list[RenderableType] = [
                Text("  " * bar.depth + bar.label),
                RichBar(scale, 0, bar.count, color="cyan"),
                Text(count_text(chart, bar)),
                Text(share_text(bar.count, bar.of)),
            ]
            table.add_row(*cells, *([Text(bar.note)] if notes else []))
        console.print()
        console.print(table)
