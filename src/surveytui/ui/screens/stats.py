"""The statistics screen: the shape of the current view, as bar charts you can filter by.

It charts the papers the browser shows (its filter plus its scope), has the
filter bar itself so the charts follow the filter as it is typed, and hands
the view back when it closes: a chosen bar adds its filter token (or switches
to its section), and the browser shows exactly the papers behind that bar.

Imported only when the screen first opens, so start-up never pays for it; the
screen is then kept installed, and opening it again only recounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from surveytui.model.catalog import Paper
from surveytui.search.charts import Chart, Narrowing, all_charts, summary_text
from surveytui.search.query import Query, QueryError, parse_query
from surveytui.search.scopes import compute_view
from surveytui.search.stats import Figures, compute_figures
from surveytui.ui.widgets.bar_chart import BarChart
from surveytui.ui.widgets.bars import KeyBar
from surveytui.ui.widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    from surveytui.ui.screens.browser import BrowserScreen

SCREEN_NAME = "statistics"
CHARTS = (
    ("years", "Years"),
    ("venues", "Venues"),
    ("sections", "Sections"),
    ("categories", "Categories"),
    ("progress", "Progress"),
)


@dataclass(frozen=True)
class View:
    """What the browser shows: filter text and scope; what the screen hands back."""

    text: str
    scope: str


@dataclass(frozen=True)
class _Counted:
    query: Query
    scope: str
    figures: Figures


def join_token(text: str, token: str) -> str:
    """The filter with ``token`` added (once): tokens are ANDed, so order does not matter."""
    if token in text.split():
        return text
    return f"{text.rstrip()} {token}".strip()


class StatsScreen(Screen[View]):
    DEFAULT_CSS = """
    StatsScreen { layout: vertical; }
    StatsScreen #stats-head { height: 1; padding: 0 1; background: $panel; }
    StatsScreen #stats-summary { height: auto; padding: 0 1; }
    StatsScreen #filter-bar { height: 1; background: $boost; }
    StatsScreen TabbedContent { height: 1fr; }
    StatsScreen TabPane { padding: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("percent_sign", "back", "Back", show=False, key_display="%"),
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("right,l", "next_chart(1)", "Next chart", key_display="→"),
        Binding("left,h", "next_chart(-1)", "Previous chart", show=False, key_display="←"),
        *[
            Binding(str(n), f"show_chart({n - 1})", name, show=False)
            for n, (_, name) in enumerate(CHARTS, start=1)
        ],
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, main: BrowserScreen) -> None:
        super().__init__()
        self.main = main
        self.view = View(main.query_text, main.scope)
        self._query = parse_query("")
        self._figures: Figures | None = None
        self._every_venue = False
        self._drawn: dict[str, Chart] = {}
        self._head = self._summary = Text()
        self._fresh = True

    @property
    def figures(self) -> Figures | None:
        """The figures on screen (None until the first count arrives)."""
        return self._figures

    @property
    def head_text(self) -> str:
        return self._head.plain

    @property
    def summary_text(self) -> str:
        return self._summary.plain

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="stats-head")
        yield FilterBar(id="filter-bar")
        yield Static(id="stats-summary")
        with TabbedContent(id="charts"):
            for key, name in CHARTS:
                with TabPane(name, id=f"tab-{key}"):
                    yield BarChart(id=f"chart-{key}")
        yield KeyBar(id="key-bar")

    def open_over_browser(self) -> None:
        """Called as the browser pushes the screen: the next resume charts its view afresh
        (a resume after the palette or another screen on top keeps what is shown)."""
        self._fresh = True

    def on_screen_resume(self) -> None:
        if self._fresh:
            self._fresh = False
            self._adopt_main_view()

    def _adopt_main_view(self) -> None:
        """Start from what the browser shows now; the filter bar echoes it."""
        self.view = View(self.main.query_text, self.main.scope)
        self._every_venue = False
        self.query_one(FilterBar).set_value(self.view.text)
        if not self._set_query(self.view.text, force=True):
            # The browser's filter does not parse yet: it still shows its last good
            # result, so chart exactly those papers.
            self.recount(self.main.visible_papers())
        self.chart_widget(self.active_chart).focus()

    # ------------------------------------------------------------------ counting

    def _set_query(self, text: str, *, force: bool = False) -> bool:
        """Recount for ``text``; False (the error shown, the charts kept) if it does not parse."""
        if text == self.view.text and not force:
            return True
        self.view = View(text, self.view.scope)
        bar = self.query_one(FilterBar)
        try:
            query = parse_query(text)
        except QueryError as exc:
            bar.show_error(str(exc))
            return False
        bar.show_error(None)
        self._query = query
        self.recount()
        return True

    def recount(self, papers: Sequence[Paper] | None = None) -> None:
        """Count the view's papers (or ``papers``): inline when small, in a worker (the
        newest wins) when big."""
        main = self.main
        catalog, index, store = main.catalog, main.index, main.store
        query, scope = self._query, self.view.scope

        def count() -> _Counted:
            rows = papers
            if rows is None:
                rows = compute_view(catalog, index, store, query, scope, with_counts=False).rows
            return _Counted(query, scope, compute_figures(catalog, rows, store))

        if self.main.is_big:
            self.run_worker(count, thread=True, exclusive=True, group="stats", exit_on_error=False)
        else:
            self._show(count())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "stats" or worker.state != WorkerState.SUCCESS:
            return
        result = worker.result
        if (
            isinstance(result, _Counted)
            and result.query is self._query
            and result.scope == self.view.scope
        ):
            self._show(result)

    def _show(self, counted: _Counted) -> None:
        self._figures = counted.figures
        self._drawn.clear()
        self._update_head()
        self._draw_active()

    def _draw_active(self) -> None:
        """Only the chart in view is drawn; the others when their tab is opened."""
        figures = self._figures
        if figures is None:
            return
        key = self.active_chart
        if key in self._drawn:
            return
        charts = {
            c.key: c for c in all_charts(self.main.catalog, figures, every_venue=self._every_venue)
        }
        self._drawn[key] = charts[key]
        self.chart_widget(key).show(charts[key])

    def _update_head(self) -> None:
        figures, catalog = self._figures, self.main.catalog
        if figures is None:
            return
        head = Text("Statistics", style="bold")
        head.append(f" — {figures.total} of {len(catalog.papers)} papers")
        if self.view.scope != "all":
            head.append(" · in ")
            head.append(self._scope_label(self.view.scope))
        self._head = head
        self.query_one("#stats-head", Static).update(head)
        summary = Text(summary_text(figures))
        self._summary = summary
        self.query_one("#stats-summary", Static).update(summary)

    def _scope_label(self, scope: str) -> str:
        catalog = self.main.catalog
        if scope.startswith("sec:") and scope[4:] in catalog.section_by_id:
            return catalog.section_path(scope[4:])
        if scope == "fav":
            return "favourites"
        return scope.split(":", 1)[-1]

    # ------------------------------------------------------------------ charts

    @property
    def active_chart(self) -> str:
        active = self.query_one(TabbedContent).active or f"tab-{CHARTS[0][0]}"
        return active.removeprefix("tab-")

    def chart_widget(self, key: str) -> BarChart:
        return self.query_one(f"#chart-{key}", BarChart)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        self._draw_active()
        self.chart_widget(self.active_chart).focus()

    def action_show_chart(self, number: int) -> None:
        if 0 <= number < len(CHARTS):
            self.query_one(TabbedContent).active = f"tab-{CHARTS[number][0]}"

    def action_next_chart(self, step: int) -> None:
        keys = [k for k, _ in CHARTS]
        self.action_show_chart((keys.index(self.active_chart) + step) % len(keys))

    # ------------------------------------------------------------------ narrowing

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self._set_query(event.text)

    @on(FilterBar.Submitted)
    def _filter_submitted(self) -> None:
        self.chart_widget(self.active_chart).focus()

    @on(BarChart.Chosen)
    def _bar_chosen(self, event: BarChart.Chosen) -> None:
        self.narrow(event.narrowing)

    def narrow(self, narrowing: Narrowing) -> None:
        """Show the papers behind a bar in the browser (or, for "others", every venue)."""
        if narrowing.expand:
            self._every_venue = True
            self._drawn.pop("venues", None)
            self._draw_active()
            return
        # With an error in the filter the charts show the last good query: build on that.
        base = self._query.text if self.query_one(FilterBar).has_error else self.view.text
        text = join_token(base, narrowing.token) if narrowing.token else base
        self.dismiss(View(text, narrowing.scope or self.view.scope))

    def action_focus_filter(self) -> None:
        self.query_one(FilterBar).input.focus()

    def action_back(self) -> None:
        """Esc in the filter returns to the chart; elsewhere it closes the screen."""
        if isinstance(self.focused, Input):
            self.chart_widget(self.active_chart).focus()
            return
        self.dismiss(self.view)


def show_statistics(main: BrowserScreen) -> None:
    """Open the screen over the browser; the view it hands back becomes the browser's."""
    app = main.app
    if not app.is_screen_installed(SCREEN_NAME):
        app.install_screen(StatsScreen(main), SCREEN_NAME)
    screen = app.get_screen(SCREEN_NAME)
    if isinstance(screen, StatsScreen):
        screen.open_over_browser()

    def done(view: View | None) -> None:
        if view is not None and (view.text, view.scope) != (main.query_text, main.scope):
            main.apply_saved_filter(view.text, view.scope)

    app.push_screen(SCREEN_NAME, done)
