"""The browser screen's layout and view state: it mediates between the widgets.

Widgets never talk to each other. The filter bar, tree and table post
messages here; this screen runs the query, narrows to the chosen scope, and
pushes rows, counts and the current paper back down. Side effects (state, links,
exports) go through the screen's ``ReadingService``, whose reports come back as
``ServiceReport`` messages and are drawn here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from surveytui.metadata.store import MetaStore
from surveytui.model.catalog import Catalog, Paper
from surveytui.model.meta import paper_authors
from surveytui.search.query import Query, parse_leniently, parse_query
from surveytui.search.registry import search_index
from surveytui.search.scopes import ViewResult, compute_view, header_text, scope_label
from surveytui.service import (
    Event,
    LinkPolicy,
    ReadingService,
)
from surveytui.startup import release_collector
from surveytui.state.store import Store
from surveytui.ui.widgets.bars import KeyBar, TitleBar
from surveytui.ui.widgets.filter_bar import FilterBar
from surveytui.ui.widgets.link_bar import LinkBar
from surveytui.ui.widgets.paper_detail import PaperDetail
from surveytui.ui.widgets.paper_table import SORT_LABELS, PaperTable, SortColumn, first_author
from surveytui.ui.widgets.section_tree import SectionTree

#: Above this many papers a query runs in a worker thread so typing never stalls.
THREADED_SEARCH_FROM = 5_000


class BrowserScreen(Screen[None]):
    """Layout and view state; ``MainScreen`` adds the reader's actions on top."""

    # The table, not Textual's default (the first focusable widget, the filter): focusing
    # the filter and then moving to the table would restyle both before the first paint.
    AUTO_FOCUS = "#papers"

    @dataclass
    class ServiceReport(Message):
        """An outcome from the reading service, possibly sent from a worker thread."""

        event: Event

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        links: LinkPolicy,
        meta: MetaStore | None = None,
        *,
        sort: tuple[str | None, bool] = (None, False),
    ) -> None:
        super().__init__()
        self._initial_sort = sort  # the config's default sort
        self.catalog = catalog
        self.store = store
        self.service = ReadingService(
            catalog,
            store,
            links,
            run_background=lambda work: self._run_background(work),
            report=self._report,
            meta=meta,
        )
        self.meta = self.service.meta.peeking()  # what drawing may ask: never reads the file
        self.index = search_index(catalog)
        self.index.attach_meta(self.service.meta)
        self.scope = "all"
        self.query_text = ""
        self.saved_name: str | None = None  # the saved filter on screen, if recalled
        self._sort_before_fav: tuple[SortColumn, bool] | None = None
        self._query: Query = parse_query("")
        self._read_count = 0
        self._keep_cursor = True
        self._started = time.perf_counter()
        self.last_latency_ms = 0.0
        self._painted = False  # until then the tree and detail pane wait (see on_mount)
        self._panes: tuple[SectionTree, PaperDetail] | None = None
        self._counts: Mapping[str, int] = {}

    def _report(self, event: Event) -> None:
        self.post_message(self.ServiceReport(event))  # thread-safe: workers report too

    def _run_background(self, work: Callable[[], None]) -> None:
        self.run_worker(work, thread=True, group="service", exit_on_error=False)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        store = self.store
        # Classes set before the children exist cost nothing; set after mount, each
        # one restyles every widget on the screen.
        self._apply_layout(self.app.size.width, self.app.size.height)
        yield TitleBar(id="title-bar")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="body"):
            # The tree and the detail pane are mounted into these slots after the first
            # paint (see _side_panes): the slots hold the layout, so nothing moves.
            yield Container(id="sections")
            with Container(id="main"):
                yield PaperTable(store, id="papers")
                yield Container(id="detail")
        yield LinkBar(id="link-bar")
        yield KeyBar(id="key-bar")

    @property
    def table(self) -> PaperTable:
        return self.query_one(PaperTable)

    @property
    def section_tree(self) -> SectionTree:
        return self._side_panes()[0]

    @property
    def detail(self) -> PaperDetail:
        return self._side_panes()[1]

    @property
    def complete(self) -> bool:
        """True once the first paint's follow-up is done: tree built, counts and detail in."""
        return self._painted and self._panes is not None and self._panes[0].populated

    def _side_panes(self) -> tuple[SectionTree, PaperDetail]:
        """The tree and the detail pane, mounted on first use.

        The screen mounts them right after its first paint, which then costs a
        third less; anything that needs them sooner (a test, a command) mounts
        them on the spot: Textual attaches a mounted widget at once.
        """
        if self._panes is None:
            tree = SectionTree(self.catalog, id="section-tree")
            detail = PaperDetail(self.catalog, self.store, self.meta, id="paper-detail")
            self._panes = (tree, detail)
            self.query_one("#sections").mount(tree)
            self.query_one("#detail").mount(detail)
            self._sync_tree_branches()
            tree.update_counts(self._counts)
            detail.show(self.table.current)
        return self._panes

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def on_mount(self) -> None:
        table = self.table
        column, reverse = self._initial_sort
        if column in SORT_LABELS:
            table.set_sort(column, reverse)
        meta = self.meta
        table.set_first_author(lambda p: first_author(paper_authors(p, meta.meta(p.id))))
        self._apply_layout(self.size.width, self.size.height)
        if self.is_big:
            # Paint the papers at once; counts and the rest arrive from the worker.
            table.set_rows(self.catalog.papers)
            self._update_header(len(self.catalog.papers))
        self.refresh_view()
        table.focus()
        self.call_after_refresh(self._after_first_paint)
        # The typo vocabulary costs ~0.5 s at 100k papers: build it now, off the event
        # loop, rather than on the reader's first misspelt word.
        self.run_worker(self.index.warm_up, thread=True, group="warm-up", exit_on_error=False)

    def _after_first_paint(self) -> None:
        """The rest of the screen, once the papers are on it: tree branches, detail pane."""
        self._painted = True
        self.section_tree.populate()
        if not self.is_big:  # a big catalogue's counts come from its worker
            self.refresh_view()
            # What `surveytui check` knows, shown on each paper; a big catalogue's check
            # would compete with typing for the interpreter, so it is left to the CLI.
            self.service.find_data_problems()
        self.detail.start()
        self.service.load_metadata()  # authors and abstracts arrive from a worker
        release_collector()

    def on_resize(self) -> None:
        self._apply_layout(self.size.width, self.size.height)

    def _apply_layout(self, width: int, height: int) -> None:
        self.set_class(width < 110, "-narrow")
        self.set_class(width < 64 or height < 16, "-tiny")

    # ------------------------------------------------------------------ view state

    @property
    def is_big(self) -> bool:
        return len(self.catalog.papers) >= THREADED_SEARCH_FROM

    def refresh_view(self, *, keep_cursor: bool = True) -> None:
        """Recompute the view: inline for small catalogues, in a worker for big ones.

        In the worker case the newest request wins: ``exclusive`` cancels the
        previous worker and a stale result is dropped on arrival.
        """
        self._started = time.perf_counter()
        catalog, index, store = self.catalog, self.index, self.store
        query, scope = self._query, self.scope
        order = (self.table.sort_column, self.table.sort_reverse)
        sorter = self.table.sorter()

        def compute(with_counts: bool = True) -> ViewResult:
            return compute_view(catalog, index, store, query, scope, order, sorter, with_counts)

        if self.is_big:
            self._keep_cursor = keep_cursor
            self.run_worker(
                compute, thread=True, exclusive=True, group="search", exit_on_error=False
            )
            return
        self._apply(compute(with_counts=self._painted), keep_cursor=keep_cursor)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "search" or worker.state != WorkerState.SUCCESS:
            return
        result = worker.result
        if (
            isinstance(result, ViewResult)
            and result.query is self._query
            and result.scope == self.scope
        ):
            self._apply(result, keep_cursor=self._keep_cursor)

    def _apply(self, result: ViewResult, *, keep_cursor: bool) -> None:
        self._read_count = result.read
        current_order = (self.table.sort_column, self.table.sort_reverse)
        presorted = result.sorted_rows if result.order == current_order else None
        self.table.set_rows(
            result.rows, result.query.highlight_terms(), keep=keep_cursor, presorted=presorted
        )
        self._counts = result.counts
        if self._panes is not None:  # else the tree takes the counts as it mounts
            self._panes[0].update_counts(result.counts)
        self._update_header(len(result.rows))
        self.last_latency_ms = (time.perf_counter() - self._started) * 1000
        if self.scope.startswith("tag:") and not self.section_tree.has_scope(self.scope):
            # The last paper with this tag lost it: the view no longer exists.
            self.jump_to("all")

    def _update_header(self, shown: int) -> None:
        """Scope first (with the tree hidden it is the only place it shows), then counts."""
        table = self.table
        scope = scope_label(self.catalog, self.scope, self.saved_name)
        order = (SORT_LABELS[table.sort_column], table.sort_column == "rank", table.sort_reverse)
        counts = (shown, len(self.catalog.papers), self._read_count)
        marked = f" · {len(table.marked)} marked" if table.marked else ""
        self.app.sub_title = header_text(scope, *counts, order) + marked

    def set_query(self, text: str, *, force: bool = False, keep_cursor: bool = False) -> None:
        """Parse; on error keep the last good result and say what is wrong in the bar.

        A new filter puts the cursor on its best match, at the top (``keep_cursor``:
        stay on the same paper, as Esc does). The same text twice (an Input.Changed
        echoing a value set in code) is one view.
        """
        if text == self.query_text and not force:
            return
        self.query_text = text
        self.saved_name = None
        query, error = parse_leniently(text)
        self.filter_bar.show_error(str(error) if error else None)
        if query is None:
            return  # nothing well formed to run: the last result stays, with its count
        self._query = query
        self.refresh_view(keep_cursor=keep_cursor)

    def set_scope(self, key: str) -> None:
        self._scope_sort(key)
        self.scope = key
        self.saved_name = None
        self.refresh_view(keep_cursor=False)

    def current_paper(self) -> Paper | None:
        return self.table.current

    def jump_to(self, key: str) -> None:
        """Palette and saved filters land here: select the tree node and narrow to it."""
        self.section_tree.select_key(key)
        self.set_scope(key)
        self.set_focus(self.table)

    def apply_saved_filter(self, query: str, section: str | None, name: str | None = None) -> None:
        """Scope and text together, computed once (the Input's echo is deduplicated).

        A scope the catalogue no longer has (its section was renamed by an update, a
        state file from another list) falls back to all papers, and the reader is told:
        an empty table with no reason would look like a broken filter."""
        scope = section or "all"
        if not self.section_tree.has_scope(scope):
            what = f"Saved filter '{name}'" if name else "This saved filter"
            self.notify(
                f"{what}: its section is not in this catalogue; showing all papers.",
                severity="warning",
                markup=False,
            )
            scope = "all"
        self._scope_sort(scope)
        self.scope = scope
        self.section_tree.select_key(self.scope)
        self.filter_bar.set_value(query)
        self.set_query(query, force=True)
        self.saved_name = name  # named in the header until the reader changes the view
        self._update_header(len(self.table.rows))
        self.set_focus(self.table)

    def _sync_tree_branches(self) -> None:
        """Tags and saved filters change only when the reader changes them, not per key."""
        store = self.store
        self.section_tree.set_dynamic(
            list(store.all_tags()), [f.name for f in store.saved_filters()]
        )

    def paper_state_changed(self) -> None:
        """A star, tag, note or read mark changed: repaint at once, then recompute counts
        and any state-dependent filter (inline when small, in the worker when big)."""
        self._sync_tree_branches()
        self.table.refresh()
        self.detail.show(self.table.current)
        self.refresh_view(keep_cursor=True)

    @property
    def link_bar(self) -> LinkBar:
        """The over-SSH path: the URL written in full, as a hyperlink, until Esc."""
        return self.query_one(LinkBar)

    # ------------------------------------------------------------------ messages

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self.set_query(event.text)

    @on(FilterBar.Submitted)
    def _filter_submitted(self, event: FilterBar.Submitted) -> None:
        """Enter or Down in the filter: the first result, whichever key it was."""
        self.set_focus(self.table)
        self.table.move_cursor(0)

    @on(FilterBar.KeyForResults)
    def _key_for_results(self, event: FilterBar.KeyForResults) -> None:
        # Typed right after Enter, before the focus moved: the key was meant for the
        # results. Sent again now that they have the focus, as the terminal sent it; built
        # on the app's turn, so it bubbles back up to the app's bindings (a key made here
        # would count this screen as its sender and stop at it).
        key, character = event.key, event.character
        self.app.call_later(lambda: self.app.post_message(events.Key(key, character)))

    @on(SectionTree.ScopeChosen)
    def _scope_chosen(self, event: SectionTree.ScopeChosen) -> None:
        if event.key.startswith("filter:"):
            self.service.recall_filter(event.key[len("filter:") :])
            return
        self.set_scope(event.key)

    @on(PaperTable.Highlighted)
    def _row_highlighted(self, event: PaperTable.Highlighted) -> None:
        if self._panes is not None:  # else the pane shows the current paper as it mounts
            self._panes[1].show(event.paper)

    @on(PaperTable.Activated)
    def _row_activated(self, event: PaperTable.Activated) -> None:
        self.service.open_link(event.paper, "paper")

    @on(PaperTable.SortRequested)
    def _sort_requested(self, event: PaperTable.SortRequested) -> None:
        self._sort(event.column, None)

    def _scope_sort(self, scope: str) -> None:
        """Favourites are a reading list: newest star first, whatever the session's sort,
        until the reader picks another; leaving them restores the sort from before."""
        table = self.table
        if scope == "fav" and self.scope != "fav":
            self._sort_before_fav = (table.sort_column, table.sort_reverse)
            table.set_sort("starred", True)
        elif scope != "fav" and self._sort_before_fav is not None:
            table.set_sort(*self._sort_before_fav)
            self._sort_before_fav = None

    def _sort(self, column: SortColumn, reverse: bool | None) -> None:
        """Small catalogues sort inline; big ones sort in the view worker (100k: ~0.3 s)."""
        self._sort_before_fav = None  # the reader's pick: it stays when leaving Favourites
        if self.is_big:
            self.table.set_sort(column, reverse)
            self.refresh_view(keep_cursor=True)
        else:
            self.table.sort_by(column, reverse)
        self._update_header(len(self.table.rows))

    def on_key(self, event: object) -> None:
        # A key typed ahead of the first paint (Tab to the tree) finds every pane there,
        # unless it arrives before the screen has even laid out the panes' slots.
        if self._panes is None:
            with suppress(NoMatches):
                self._side_panes()

    def visible_papers(self) -> Sequence[Paper]:
        return self.table.rows

    def _with_paper(self) -> Paper | None:
        paper = self.table.current
        if paper is None:
            self.app.notify("No paper selected.", severity="warning")
        return paper

    def _with_current(self, act: Callable[[Paper], object]) -> None:
        if (paper := self._with_paper()) is not None:
            act(paper)
