"""The paper view at 100k rows behaves exactly like at 400: cursor, sort, filter, star."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveytui.model.catalog import Catalog
from surveytui.state.store import Store
from surveytui.ui.app import SurveyApp
from tests.big_catalog import big_catalog
from tests.ui_helpers import LOCAL_ENV, RecordingOpener

N = 100_000


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return big_catalog(N)


def build(catalog: Catalog, tmp_path: Path) -> SurveyApp:
    return SurveyApp(
        catalog,
        Store(tmp_path / "state.json"),
        env=LOCAL_ENV,
        platform="linux",
        opener=RecordingOpener(),
    )


async def settle(app: SurveyApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until no worker runs (cancelled ones included: superseded searches)."""
    for _ in range(500):
        await pilot.pause(0.01)
        if all(w.is_finished for w in app.workers):
            break
    await pilot.pause()


async def test_cursor_to_the_end_and_back(catalog: Catalog, tmp_path: Path) -> None:
    app = build(catalog, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.main.table
        assert len(table.rows) == N
        assert app.sub_title.startswith(f"All papers · {N} of {N} papers")
        assert app.main.section_tree.counts["all"] == N
        await pilot.press("G")
        assert table.cursor == N - 1
        last_line = table.render_line(table.size.height - 1).text
        assert f"P{N - 1:06d}" in last_line  # the last paper is on screen
        assert app.main.detail.paper is catalog.papers[-1]
        await pilot.press("g")
        assert table.cursor == 0
        assert "P000000" in table.render_line(1).text


async def test_sort_and_filter_at_scale(catalog: Catalog, tmp_path: Path) -> None:
    app = build(catalog, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "s", "s")  # title, venue, year
        years = [p.year or 0 for p in app.main.table.rows[:2000]]
        assert years == sorted(years)
        await pilot.press("slash", *"osdi")
        await settle(app, pilot)
        await pilot.press("space", *"year:2024")
        await settle(app, pilot)
        rows = app.main.table.rows
        assert rows and all(p.venue == "OSDI" and p.year == 2024 for p in rows)
        assert app.main.section_tree.counts["all"] == len(rows)
        assert app.main.filter_bar.value == "osdi year:2024"


async def test_newest_keystroke_wins(catalog: Catalog, tmp_path: Path) -> None:
    app = build(catalog, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.main.set_query("sparse")
        app.main.set_query("sparse kernel")
        app.main.set_query("venue:mlsys")
        await settle(app, pilot)
        rows = app.main.table.rows
        assert rows and all(p.venue == "MLSys" for p in rows)


async def test_star_at_scale(catalog: Catalog, tmp_path: Path) -> None:
    app = build(catalog, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "f")
        await settle(app, pilot)
        assert app.store.is_favourite(catalog.papers[-1].id)
        assert app.main.section_tree.counts["fav"] == 1
