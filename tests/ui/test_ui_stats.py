"""The statistics screen: it charts the browser's view, follows the filter as it is typed,
and a chosen bar (Enter or a click) narrows the browser to exactly that bar's papers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from surveytui.model.catalog import Catalog, Paper, Section
from surveytui.search.stats import Figures, compute_figures
from surveytui.state.store import Store
from surveytui.ui.app import SurveyApp
from surveytui.ui.screens import stats as stats_module
from surveytui.ui.screens.stats import StatsScreen
from surveytui.ui.widgets.bar_chart import BarChart
from surveytui.ui.widgets.filter_bar import FilterBar
from tests.big_catalog import big_catalog
from tests.ui_helpers import LOCAL_ENV, RecordingOpener, build_app, fixture_catalog, wait_until

SIZE = (120, 36)


def stats(app: SurveyApp) -> StatsScreen:
    screen = app.screen
    assert isinstance(screen, StatsScreen), screen
    return screen


def chart_lines(chart: BarChart) -> list[str]:
    return [chart.render_line(y).text for y in range(chart.size.height)]


def bar_row(chart: BarChart, label: str) -> int:
    assert chart.chart is not None
    return [b.label for b in chart.chart.bars].index(label)


async def open_stats(app: SurveyApp, pilot) -> StatsScreen:  # type: ignore[no-untyped-def]
    await pilot.press("percent_sign")
    await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), "the statistics screen")
    screen = stats(app)
    await wait_until(pilot, lambda: screen.figures is not None, "the figures")
    chart = screen.chart_widget(screen.active_chart)
    total = screen.figures.total if screen.figures is not None else 0
    await wait_until(pilot, lambda: chart.row_count > 0 or not total, "the bars")
    await pilot.pause()
    return screen


async def test_the_key_opens_the_years_of_the_whole_view(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        catalog = fixture_catalog()
        chart = screen.chart_widget("years")
        lines = chart_lines(chart)
        for year in range(2020, 2025):
            expected = sum(1 for p in catalog.papers if p.year == year)
            line = next(line for line in lines if line.strip().startswith(str(year)))
            assert f" {expected} " in line, line
        unknown = next(line for line in lines if line.strip().startswith("unknown"))
        assert " 1 " in unknown and "8%" in unknown
        assert "12 of 12 papers" in screen.head_text
        assert "8 with code (67%)" in screen.summary_text


async def test_palette_has_statistics(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"statistics")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen), "the screen")


async def test_it_charts_the_browsers_filter_and_scope(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.main.apply_saved_filter("has:code", "sec:algorithms")
        await pilot.pause()
        screen = await open_stats(app, pilot)
        catalog = fixture_catalog()
        expected = [
            p
            for p in catalog.papers
            if p.code_url and any(s.startswith("algorithms") for s in p.sections)
        ]
        assert screen.figures is not None and screen.figures.total == len(expected) == 5
        assert "in Algorithms" in screen.head_text
        assert screen.query_one(Input).value == "has:code"


async def test_a_filter_with_an_error_charts_what_the_browser_still_shows(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.main.filter_bar.set_value("'quantiz")
        await wait_until(pilot, lambda: len(app.main.table.rows) == 3)
        app.main.filter_bar.set_value("'quantiz yaer:2023")
        await wait_until(pilot, lambda: app.main.filter_bar.has_error, "the error")
        shown = len(app.main.table.rows)
        assert shown == 3  # the last good result: 'quantiz
        screen = await open_stats(app, pilot)
        assert screen.figures is not None and screen.figures.total == shown
        assert screen.query_one(FilterBar).has_error


async def test_charts_follow_the_filter_as_it_is_typed(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"'quantiz")
        await wait_until(pilot, lambda: screen.figures is not None and screen.figures.total == 3)
        lines = chart_lines(screen.chart_widget("years"))
        assert any(line.strip().startswith("2023") and " 2 " in line for line in lines)
        assert "3 of 12 papers" in screen.head_text
        await pilot.press("enter")  # back to the chart, the filter kept
        assert isinstance(app.focused, BarChart)
        await pilot.press("ctrl+p")  # a screen on top and back: what is shown stays
        await wait_until(pilot, lambda: app.screen is not screen, "the palette")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.query_one(Input).value == "'quantiz" and screen.figures.total == 3
        await pilot.press("escape")  # the browser takes the filter along
        await wait_until(pilot, lambda: app.screen is app.main)
        assert app.main.filter_bar.value == "'quantiz"
        assert len(app.main.table.rows) == 3


async def test_enter_on_a_year_bar_narrows_the_browser_to_that_year(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        chart = screen.chart_widget("years")
        for _ in range(bar_row(chart, "2023")):
            await pilot.press("j")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is app.main, "the browser")
        assert app.main.filter_bar.value == "year:2023"
        rows = app.main.table.rows
        assert len(rows) == 5 and all(p.year == 2023 for p in rows)


async def test_a_click_on_a_venue_bar_narrows_to_exactly_that_venue(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        await pilot.click("#charts Tab#--content-tab-tab-venues")
        await wait_until(pilot, lambda: screen.active_chart == "venues")
        chart = screen.chart_widget("venues")
        await wait_until(pilot, lambda: chart.chart is not None and chart.row_count > 0)
        row = bar_row(chart, "ICLR")
        await pilot.click(chart, offset=(3, row))
        await wait_until(pilot, lambda: app.screen is app.main, "the browser")
        assert app.main.filter_bar.value == "venue:=ICLR"
        assert sorted(p.venue or "" for p in app.main.table.rows) == ["ICLR", "ICLR"]


async def test_a_section_bar_switches_the_scope(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        await pilot.press("3")
        chart = screen.chart_widget("sections")
        await wait_until(pilot, lambda: chart.chart is not None and app.focused is chart)
        for _ in range(bar_row(chart, "Serving on Edge")):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is app.main, "the browser")
        assert app.main.scope == "sec:systems/edge"
        assert app.main.filter_bar.value == ""
        assert len(app.main.table.rows) == 3


async def test_the_screen_is_kept_and_recounts_when_shown_again(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        first = await open_stats(app, pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        await pilot.press("slash", *"year:2024", "enter")
        await pilot.pause()
        again = await open_stats(app, pilot)
        assert again is first
        await wait_until(pilot, lambda: again.figures is not None and again.figures.total == 2)


async def test_progress_counts_the_readers_marks(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    store = Store(state)
    store.load()
    store.set_favourite("edgemoe", True)
    store.set_read("edgemoe", True)
    app = build_app(tmp_path, state=state)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        await pilot.press("5")
        chart = screen.chart_widget("progress")
        await wait_until(pilot, lambda: chart.chart is not None and chart.row_count > 0)
        lines = chart_lines(chart)
        edge = next(line for line in lines if "Serving on Edge" in line)
        assert "1/3" in edge and "33%" in edge and "1 starred" in edge
        assert "1 starred · 1 read" in screen.summary_text


async def test_choosing_others_lists_every_venue_and_stays(tmp_path: Path) -> None:
    papers = tuple(
        Paper(id=f"p{v}-{i}", title=f"Paper {v} {i}", venue=f"Venue {v:02d}", sections=("s",))
        for v in range(20)
        for i in range(v + 1)
    )
    catalog = Catalog("Twenty venues", (Section("s", "S"),), papers)
    app = SurveyApp(
        catalog,
        Store(tmp_path / "s.json"),
        env=LOCAL_ENV,
        platform="linux",
        opener=RecordingOpener(),
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        await pilot.press("2")
        chart = screen.chart_widget("venues")
        await wait_until(pilot, lambda: chart.chart is not None and app.focused is chart)
        others = bar_row(chart, "others (5 venues)")
        assert chart.row_count == 16
        for _ in range(others):
            await pilot.press("j")
        await pilot.press("enter")
        await wait_until(pilot, lambda: chart.row_count == 20, "every venue")
        assert app.screen is screen  # still charting, nothing narrowed
        assert chart.chart is not None
        labels = [bar.label for bar in chart.chart.bars]
        assert labels[0] == "Venue 19" and labels[-1] == "Venue 00"
        assert not any(label.startswith("others") for label in labels)


@pytest.fixture(scope="module")
def big() -> Catalog:
    return big_catalog(100_000)


async def test_100k_papers_are_counted_off_the_event_loop(
    big: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []

    def counting(*args: Any, **kwargs: Any) -> Figures:
        threads.append(threading.current_thread())
        return compute_figures(*args, **kwargs)

    monkeypatch.setattr(stats_module, "compute_figures", counting)
    app = SurveyApp(
        big, Store(tmp_path / "s.json"), env=LOCAL_ENV, platform="linux", opener=RecordingOpener()
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(app.main.table.rows) == 100_000)
        await pilot.press("percent_sign")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = stats(app)
        await wait_until(pilot, lambda: screen.figures is not None, "the figures")
        assert screen.figures is not None
        assert screen.figures.total == 100_000
        assert screen.figures.with_code == sum(1 for p in big.papers if p.code_url)
        assert threads and threading.main_thread() not in threads


LAZY = (
    "surveytui.ui.screens.stats",
    "surveytui.ui.widgets.bar_chart",
    "surveytui.search.stats",
    "surveytui.search.charts",
    "textual.widgets._tabbed_content",
    "rich.bar",
)
PROBE = """
import asyncio, json, sys
from pathlib import Path
from tests.ui_helpers import build_app

async def main() -> None:
    app = build_app(Path(sys.argv[1]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = [m for m in LAZY if m in sys.modules]
        await pilot.press("percent_sign")
        await pilot.pause()
        after = [m for m in LAZY if m in sys.modules]
    print(json.dumps([before, after]))

LAZY = json.loads(sys.argv[2])
asyncio.run(main())
"""


def test_the_screen_and_its_charts_are_imported_only_when_it_opens(tmp_path: Path) -> None:
    """Start-up never pays for statistics: checked in a fresh interpreter."""
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), json.dumps(LAZY)],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    before, after = json.loads(out.stdout.splitlines()[-1])
    assert before == []
    assert after == list(LAZY)


def bar_colour(chart: BarChart) -> object:
    for y in range(chart.size.height):
        for segment in chart.render_line(y):
            if "█" in segment.text and segment.style is not None:
                return segment.style.color
    raise AssertionError("no bar drawn")


async def test_bars_take_the_new_themes_colour(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        screen = await open_stats(app, pilot)
        chart = screen.chart_widget("years")
        before = bar_colour(chart)
        app.theme = "gruvbox"
        await wait_until(pilot, lambda: bar_colour(chart) != before, "the bars to restyle")


async def test_the_cursor_stays_on_its_bar_when_the_filter_changes(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        chart = screen.chart_widget("years")
        for _ in range(bar_row(chart, "2023")):
            await pilot.press("j")
        await pilot.press("slash", *"year:>=2022", "enter")
        await wait_until(pilot, lambda: screen.figures is not None and screen.figures.total == 9)
        assert chart.chart is not None
        assert chart.chart.bars[chart.cursor_row].label == "2023" and chart.cursor_row == 1


async def test_under_no_color_every_bar_still_reads_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(tmp_path)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(app, pilot)
        chart = screen.chart_widget("years")
        assert chart.chart is not None
        lines = chart_lines(chart)
        for bar in chart.chart.bars:  # label, bar, count and share, all characters
            line = next(line for line in lines if line.strip().startswith(bar.label))
            assert line.rstrip().endswith("%") and f" {bar.count} " in line
            assert any(block in line for block in "█▉▊▋▌▍▎▏") == (bar.count > 0), line
