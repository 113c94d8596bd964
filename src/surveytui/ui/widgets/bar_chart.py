"""One bar chart: a row per bar, drawn with Rich's ``Bar`` in a ``DataTable``.

The table gives what a chart you can choose from needs for free: a cursor the
keyboard moves, rows the mouse clicks, scrolling for long charts. Every row
carries its label, count and share as text, so nothing depends on colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.bar import Bar as RichBar
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from surveytui.search.charts import Bar, Chart, Narrowing, count_text, share_text

_LABEL_MAX = 44
_MIN_BAR = 8
#: Past this, a wider terminal only parts the counts from their labels.
_MAX_BAR = 64


def _bar(size: int, count: int, width: int, style: Style) -> RichBar:
    """Rich's bar with a foreground only: its default background would paint a stripe
    over the table's own and hide the cursor row's highlight in the bar's cell."""
    bar = RichBar(size, 0, count, width=width)
    bar.style = style
    return bar


class BarChart(DataTable[object]):
    """Enter or a click on a bar posts :class:`Chosen` with what the bar narrows to."""

    DEFAULT_CSS = """
    BarChart {
        height: 1fr;
        scrollbar-size-vertical: 1;
        /* Not $primary: that is the cursor row's background, and a bar must stay a bar. */
        & > .bar-chart--bar { color: $accent; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"bar-chart--bar"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
        Binding("enter", "select_cursor", "Narrow to bar"),
    ]

    @dataclass
    class Chosen(Message):
        chart: str
        bar: Bar
        narrowing: Narrowing

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_header=False)
        self._chart: Chart | None = None
        self._pressed_row: int | None = None
        self._drawn_for: tuple[Chart | None, int] = (None, -1)
        self._chosen_label: str | None = None  # the bar the reader last moved to

    def _remember(self) -> None:
        """Only the reader's own moves count: a redraw through a chart without the bar
        (while a filter is half typed) must not make the cursor forget it."""
        chart, row = self._chart, self.cursor_row
        if chart is not None and 0 <= row < len(chart.bars):
            self._chosen_label = chart.bars[row].label

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        self._remember()

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self._remember()

    def action_page_up(self) -> None:
        super().action_page_up()
        self._remember()

    def action_page_down(self) -> None:
        super().action_page_down()
        self._remember()

    def action_scroll_top(self) -> None:
        super().action_scroll_top()
        self._remember()

    def action_scroll_bottom(self) -> None:
        super().action_scroll_bottom()
        self._remember()

    @property
    def chart(self) -> Chart | None:
        return self._chart

    def show(self, chart: Chart) -> None:
        """Draw ``chart``; the cursor goes back to the bar the reader last moved to if it
        is there (the filter changed, 2023 is still there), else stays on its row."""
        self._chart = chart
        self._draw()

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._restyle, init=False)

    def _restyle(self) -> None:
        """The bars take their colour from the theme when drawn: draw them again."""
        self._drawn_for = (None, -1)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        chart, width = self._chart, self.size.width
        if chart is None or width <= 0 or self._drawn_for == (chart, width):
            return
        keep = self.cursor_row
        self._drawn_for = (chart, width)
        labels = [("  " * b.depth) + b.label for b in chart.bars]
        counts = [count_text(chart, b) for b in chart.bars]
        shares = [share_text(b.count, b.of) for b in chart.bars]
        notes = [b.note for b in chart.bars]
        label_w = min(max(map(cell_len, labels), default=4), _LABEL_MAX, max(width // 3, 8))
        count_w = max(map(len, counts), default=1)
        share_w = max(map(len, shares), default=1)
        note_w = min(max(map(cell_len, notes), default=0), max(width // 4, 8))
        columns = 5 if note_w else 4
        # Each column has a cell of padding on both sides; the scrollbar takes one more.
        room = width - label_w - count_w - share_w - note_w - 2 * columns - 1
        bar_w = min(max(room, _MIN_BAR), _MAX_BAR)
        style = Style(color=self.get_component_rich_style("bar-chart--bar", partial=True).color)
        peak = max((b.count for b in chart.bars), default=0)
        self.clear(columns=True)
        self.add_column("label", width=label_w)
        self.add_column("bar", width=bar_w)
        self.add_column("count", width=count_w)
        self.add_column("share", width=share_w)
        if note_w:
            self.add_column("note", width=note_w)
        rows: list[list[object]] = []
        for bar, label, count, share, note in zip(
            chart.bars, labels, counts, shares, notes, strict=True
        ):
            scale = (bar.of if chart.shares else peak) or 1
            cells: list[object] = [
                Text(label, no_wrap=True, overflow="ellipsis"),
                _bar(scale, bar.count, bar_w, style),
                Text(count, justify="right"),
                Text(share, justify="right"),
            ]
            if note_w:
                cells.append(Text(note, style="dim", no_wrap=True, overflow="ellipsis"))
            rows.append(cells)
        self.add_rows(rows)
        if rows:
            same = [i for i, bar in enumerate(chart.bars) if bar.label == self._chosen_label]
            self.move_cursor(row=same[0] if same else min(max(keep, 0), len(rows) - 1))

    # ------------------------------------------------------------------ choosing

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._choose(event.cursor_row)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._pressed_row = self.cursor_row

    def on_click(self, event: events.Click) -> None:
        # DataTable selects on a click only when the row already had the cursor; a
        # chart is chosen from in one click, so a click that moved the cursor chooses too.
        row = event.style.meta.get("row")
        if isinstance(row, int) and row >= 0 and row != self._pressed_row:
            self._choose(row)
        if self._chart is not None and isinstance(row, int) and 0 <= row < len(self._chart.bars):
            self._chosen_label = self._chart.bars[row].label

    def _choose(self, row: int) -> None:
        if self._chart is None or not 0 <= row < len(self._chart.bars):
            return
        bar = self._chart.bars[row]
        if bar.narrowing is not None:
            self.post_message(self.Chosen(self._chart.key, bar, bar.narrowing))
