"""The paper table: a line-rendered virtual view whose cost does not grow with the matches.

Textual's DataTable measures and stores every row it is given (tens of
microseconds each), which is seconds for a 30k-row refill. This view keeps a
plain list of papers and renders only the lines on screen, so a refill is a
list assignment and a keystroke costs the same at 400 or 100,000 matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from surveytui.model.catalog import Paper
from surveytui.search.ordering import (
    SORT_CYCLE,
    SORT_LABELS,
    SortColumn,
    Sorter,
    make_sorter,
    sort_keys,
)
from surveytui.state.protocols import ReadingState
from surveytui.ui.keys import TABLE_BINDINGS

__all__ = ["PREFIX", "SORT_LABELS", "PaperTable", "SortColumn", "first_author", "highlight_title"]


#: Cells before the title: mark, star, read, a space.
PREFIX = 4


@dataclass(frozen=True)
class _Layout:
    title: int
    venue: int
    year: int
    code: int
    author: int = 0


#: A table at least this wide shows a first-author column (the detail pane hidden,
#: or a wide terminal): below it, titles need the room more.
AUTHOR_COLUMN_FROM = 110
AUTHOR_WIDTH = 18


def _surname(name: str) -> str:
    if "," in name:
        return name.split(",")[0].strip()
    words = name.split()
    return words[-1] if words else name


def first_author(authors: Sequence[str]) -> str:
    """``Frantar et al.``, ``Dao & Fu``, ``Dao``: how papers are named aloud."""
    if not authors:
        return ""
    if len(authors) == 2:
        return f"{_surname(authors[0])} & {_surname(authors[1])}"
    return _surname(authors[0]) + (" et al." if len(authors) > 2 else "")


def _find_all(haystack: str, needle: str) -> list[int]:
    out, start = [], haystack.find(needle)
    while start != -1 and needle:
        out.append(start)
        start = haystack.find(needle, start + len(needle))
    return out


def highlight_title(title: str, terms: Sequence[str], style: Style | str) -> Text:
    """Plain Text (never markup) with every case-insensitive occurrence of a term styled."""
    text = Text(title, no_wrap=True, end="")
    lowered = title.casefold()
    if len(lowered) == len(title):  # casefold can change lengths (ß -> ss); skip then
        for term in terms:
            for start in _find_all(lowered, term):
                text.stylize(style, start, start + len(term))
    return text


class PaperTable(ScrollView, can_focus=True):
    """Shows papers one per line with a fixed header; sorting is stable and per session."""

    BINDINGS: ClassVar[list[BindingType]] = list[BindingType](TABLE_BINDINGS)
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-table--header",
        "paper-table--cursor",
        "paper-table--match",
        "paper-table--read",
        "paper-table--star",
        "paper-table--tag",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to ``paper`` (None when the view is empty)."""

        paper: Paper | None

    @dataclass
    class Activated(Message):
        """A row was double-clicked: the screen opens the paper."""

        paper: Paper

    @dataclass
    class SortRequested(Message):
        """A header was clicked: the screen decides the new order."""

        column: SortColumn

    def __init__(self, state: ReadingState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state = state
        self._source: Sequence[Paper] = ()  # as given (ranked); sorting works from this
        self._rows: Sequence[Paper] = ()
        self._terms: tuple[str, ...] = ()
        self.sort_column: SortColumn = "rank"
        self.sort_reverse = False
        self._sort_keys = sort_keys(state)
        self.marked: frozenset[str] = frozenset()  # ids the reader marked (set by the screen)
        self._first_author: Callable[[Paper], str] = lambda _paper: ""
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._style_cache: dict[str, Style] = {}

    # ------------------------------------------------------------------ data

    @property
    def rows(self) -> Sequence[Paper]:
        return self._rows

    @property
    def current(self) -> Paper | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_first_author(self, author: Callable[[Paper], str]) -> None:
        """How a row's first-author cell is found (the screen knows the metadata)."""
        self._first_author = author
        self.metadata_changed()

    def metadata_changed(self) -> None:
        """Authors arrived or changed: redraw the rows, cached lines included."""
        self._line_cache.clear()
        self.refresh()

    def set_rows(
        self,
        papers: Sequence[Paper],
        terms: Sequence[str] = (),
        *,
        keep: bool = True,
        presorted: Sequence[Paper] | None = None,
    ) -> None:
        """Replace the rows, apply the session's sort, and keep the cursor on the same paper.

        ``presorted`` is ``papers`` already put in the session's order (by
        :meth:`sorted_rows`, in a worker for big catalogues).
        """
        previous = self.current if keep else None
        old_index = self.cursor
        self._source = papers  # kept as given: copying 100k lazily built papers costs 0.5 s
        self._rows = presorted if presorted is not None else self._sorted(self._source)
        self._terms = tuple(t for t in terms if t)
        self._update_virtual_size()
        index = 0
        if previous is not None:
            found = next((i for i, p in enumerate(self._rows) if p.id == previous.id), None)
            # A paper that left the view (marked read under !is:read, unstarred in the
            # reading list): stay at the same place in the list, not back at the top.
            index = found if found is not None else old_index
        self.move_cursor(index, force=True)
        self.refresh()

    def _sorted(self, rows: Sequence[Paper]) -> Sequence[Paper]:
        return self.sorter()(rows)

    def sorter(self) -> Sorter:
        """The session's current order as a plain function, safe to run in a worker."""
        return make_sorter(self.sort_column, self.sort_reverse, self._sort_keys)

    def set_sort(self, column: SortColumn, reverse: bool | None = None) -> None:
        """Choose the order without re-sorting (the caller supplies sorted rows)."""
        if reverse is None:
            reverse = (not self.sort_reverse) if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self.refresh()  # the header arrow

    def sort_by(self, column: SortColumn, reverse: bool | None = None) -> None:
        self.set_sort(column, reverse)
        self.set_rows(self._source, self._terms)

    def next_sort(self, after: SortColumn | None = None) -> SortColumn:
        order, current = SORT_CYCLE, after or self.sort_column
        if current not in order:
            return order[0]
        return order[(order.index(current) + 1) % len(order)]

    def move_cursor(self, index: int, *, force: bool = False) -> None:
        index = max(0, min(index, len(self._rows) - 1)) if self._rows else 0
        changed = force or index != self.cursor
        self.cursor = index
        self._scroll_cursor_into_view()
        self.refresh()
        if changed:
            self.post_message(self.Highlighted(self.current))

    def _page(self) -> int:
        return max(self._visible_rows() - 1, 1)

    def _scroll_cursor_into_view(self) -> None:
        # ``force``: right after a refill the scrollbars still reflect the old row
        # count, and an unforced scroll would be dropped, leaving the cursor off screen.
        visible = self._visible_rows()
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True, force=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True, force=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_top(self) -> None:
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self._page())

    # ------------------------------------------------------------------ mouse

    def _column_at(self, x: int) -> SortColumn | None:
        lay = self._layout(self.scrollable_content_region.width)
        title_end = PREFIX + lay.title
        if lay.author and title_end <= x < title_end + 1 + lay.author:
            return None  # the first-author column does not sort
        venue_start = title_end + (lay.author + 1 if lay.author else 0)
        edges: list[tuple[int, SortColumn]] = [
            (title_end, "title"),
            (venue_start + 1 + lay.venue, "venue"),
            (venue_start + 1 + lay.venue + 1 + lay.year, "year"),
        ]
        for edge, column in edges:
            if x < edge:
                return column
        return None

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                self.post_message(self.SortRequested(column))
            return
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self.move_cursor(index)
            if event.chain >= 2 and self.current is not None:
                self.post_message(self.Activated(self.current))

    # ------------------------------------------------------------------ rendering

    def _update_virtual_size(self) -> None:
        # As wide as the content region (never wider: a horizontal scrollbar would
        # hide the last visible row), one line per paper plus the header.
        size = Size(self.scrollable_content_region.width, len(self._rows) + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def _visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    @staticmethod
    def _layout(width: int) -> _Layout:
        venue = 12 if width >= 70 else 8
        year, code = (4, 5) if width >= 50 else (4, 0)
        author = AUTHOR_WIDTH if width >= AUTHOR_COLUMN_FROM else 0
        fixed = PREFIX + (venue + 1) + (year + 1) + code + (author + 1 if author else 0)
        title = max(width - fixed, 8)
        return _Layout(title=title, venue=venue, year=year, code=code, author=author)

    def _header(self, width: int) -> Text:
        lay = self._layout(width)
        arrow = " ▼" if self.sort_reverse else " ▲"

        def label(name: str, column: SortColumn, size: int) -> str:
            marked = name + (arrow if self.sort_column == column else "")
            return marked[:size].ljust(size)

        text = Text(" " * PREFIX, end="")
        text.append(label("Title", "title", lay.title) + " ")
        if lay.author:
            text.append("First author"[: lay.author].ljust(lay.author) + " ")
        text.append(label("Venue", "venue", lay.venue) + " ")
        text.append(label("Year", "year", lay.year + 1)[: lay.year].ljust(lay.year))
        if lay.code:
            text.append(" Code"[: lay.code])
        return text

    def _row_text(self, paper: Paper, width: int, is_cursor: bool = False) -> Text:
        """``+★✓ Title #tags  Venue Year Code``: marked, starred and read are glyphs, so
        they survive NO_COLOR; tags follow the title and keep at most a third of it."""
        lay = self._layout(width)
        state = self._state
        match_style = self._style("paper-table--match", partial=True)
        read = state.is_read(paper.id)
        text = Text("+" if paper.id in self.marked else " ", end="")
        text.append(
            "★" if state.is_favourite(paper.id) else " ",
            self._style("paper-table--star", partial=True),
        )
        text.append("✓ " if read else "  ")
        title = highlight_title(paper.title, self._terms, match_style)
        tags = state.tags(paper.id)
        if tags:
            # The cursor row keeps its own colours: a coloured tag on the cursor's
            # background can be unreadable in some themes, so it is italic there.
            tag_style = (
                Style(italic=True) if is_cursor else self._style("paper-table--tag", partial=True)
            )
            label = Text(" ".join(f"#{t}" for t in tags), tag_style, end="")
            room = max(min(label.cell_len, lay.title // 3), 1)
            label.truncate(room, overflow="ellipsis")
            title.truncate(max(lay.title - label.cell_len - 1, 1), overflow="ellipsis")
            title.append(" ")
            title.append_text(label)
        title.truncate(lay.title, overflow="ellipsis", pad=True)
        text.append_text(title)
        if lay.author:
            author = Text(self._first_author(paper) or "—", end="")
            author.truncate(lay.author, overflow="ellipsis", pad=True)
            text.append(" ")
            text.append_text(author)
        venue = Text(paper.venue or "—", end="")
        venue.truncate(lay.venue, overflow="ellipsis", pad=True)
        text.append(" ")
        text.append_text(venue)
        text.append(" " + (str(paper.year) if paper.year is not None else "—").rjust(lay.year))
        if lay.code:
            text.append(("  </>" if paper.code_url else "").ljust(lay.code))
        if read:
            text.stylize(self._style("paper-table--read", partial=True))
        return text

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._style_cache.clear()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self._line_cache.clear()  # the cursor row is drawn differently with focus

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self._line_cache.clear()

    def _style(self, name: str, partial: bool = False) -> Style:
        key = f"{name}:{partial}"
        style = self._style_cache.get(key)
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.get_component_rich_style(name, partial=partial)
            self._style_cache[key] = style
        return style

    def _line_key(self, paper: Paper, width: int, is_cursor: bool) -> tuple[object, ...]:
        state = self._state
        return (
            paper.id,
            width,
            is_cursor,
            self.has_focus,
            self._terms,
            state.is_favourite(paper.id),
            state.is_read(paper.id),
            state.tags(paper.id),
            paper.id in self.marked,
        )

    def render_line(self, y: int) -> Strip:
        """One screen line; rows are cached by everything that changes how they look."""
        width = self.scrollable_content_region.width
        base = self._style("base")
        if y == 0:
            text = self._header(width)
            return self._to_strip(text, width, base + self._style("paper-table--header"))
        index = int(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        paper = self._rows[index]
        key = self._line_key(paper, width, index == self.cursor)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        style = base
        if index == self.cursor:
            cursor_style = self._style("paper-table--cursor")
            if not self.has_focus:
                cursor_style = cursor_style + Style(dim=False, bold=False)
            style = base + cursor_style
        strip = self._to_strip(self._row_text(paper, width, index == self.cursor), width, style)
        self._line_cache[key] = strip
        return strip

    def _to_strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, None).apply_style(style).simplify()
