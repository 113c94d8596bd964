"""j/k/g/G wherever something moves, and sorts a reader can read and reverse."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Tree

from surveytui.ui.screens.help import HelpScreen
from tests.ui_helpers import build_app, row_titles, wait_until

SIZE = (80, 24)


async def test_j_k_g_G_move_the_tree(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+tab")
        tree = app.main.section_tree
        assert app.focused is tree
        start = tree.cursor_line
        await pilot.press("j", "j")
        assert tree.cursor_line == start + 2
        await pilot.press("k")
        assert tree.cursor_line == start + 1
        await pilot.press("G")
        assert tree.cursor_line == tree.last_line > start + 1
        await pilot.press("g")
        assert tree.cursor_line == 0
        assert isinstance(tree, Tree)


async def test_j_k_g_G_scroll_the_help_screen_and_the_detail_pane(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        body = app.screen.query_one("#help-body")
        assert app.focused is body
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: body.scroll_y == 2, "two lines down")
        await pilot.press("G")
        await wait_until(pilot, lambda: body.scroll_y == body.max_scroll_y > 2, "the end")
        await pilot.press("g")
        await wait_until(pilot, lambda: body.scroll_y == 0, "the top")
        await pilot.press("escape")
        detail = app.main.detail
        detail.focus()
        await pilot.pause()
        assert detail.max_scroll_y > 0
        await pilot.press("j")
        await wait_until(pilot, lambda: detail.scroll_y == 1, "the detail pane scrolled")
        await pilot.press("G")
        await wait_until(pilot, lambda: detail.scroll_y == detail.max_scroll_y, "its end")
        await pilot.press("k")
        await wait_until(pilot, lambda: detail.scroll_y == detail.max_scroll_y - 1, "up one")


async def test_reverse_sort_keeps_undated_papers_last_and_header_says_so(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "s")
        assert "sort: year ↑" in app.sub_title
        years = [p.year for p in app.main.table.rows]
        assert years[-1] is None and years[0] == 2020
        await pilot.press("R")
        assert "sort: year ↓" in app.sub_title
        years = [p.year for p in app.main.table.rows]
        assert years[0] == 2024 and years[-1] is None
        assert [y for y in years if y is not None] == sorted(
            (y for y in years if y is not None), reverse=True
        )


async def test_favourites_are_newest_starred_first_until_the_reader_sorts(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = app.main.table
        starred: list[str] = []
        for title in ("LoRA", "AWQ"):  # LoRA first, AWQ a moment later
            index = next(i for i, p in enumerate(table.rows) if p.title.startswith(title))
            table.move_cursor(index)
            pid = table.rows[index].id
            await pilot.press("f")
            await wait_until(pilot, lambda: app.store.is_favourite(pid), "the star")  # noqa: B023
            starred.append(title)
        await pilot.press("s")  # the session sorts by title
        assert "sort: title ↑" in app.sub_title
        app.main.jump_to("fav")
        await wait_until(pilot, lambda: len(table.rows) == 2, "the two favourites")
        assert [t.split(":")[0] for t in row_titles(app)] == ["AWQ", "LoRA"]
        assert "Favourites" in app.sub_title and "sort: date starred ↓" in app.sub_title
        app.main.jump_to("all")
        await pilot.pause()
        assert "sort: title ↑" in app.sub_title  # the session's sort is back
        assert row_titles(app) == sorted(row_titles(app), key=str.casefold)


async def test_the_detail_pane_starts_at_the_title_for_each_paper(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.main.complete, "the detail pane")
        detail = app.main.detail
        detail.focus()
        await pilot.press("j", "j", "j")
        await wait_until(pilot, lambda: detail.scroll_y > 0, "the pane scrolled")
        app.main.table.focus()
        await pilot.press("j")
        await wait_until(pilot, lambda: detail.scroll_y == 0, "the next paper from its title")
