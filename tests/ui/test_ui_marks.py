"""Several papers marked, then starred, tagged, marked read and exported together."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from surveytui.ui.screens.editors import LinePrompt, TagEditor
from tests.ui_helpers import build_app, wait_until


async def test_mark_two_papers_then_star_read_tag_and_export_them(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    app = build_app(tmp_path, state=state)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.main.table
        first, second, third = (p.id for p in table.rows[:3])
        await pilot.press("v", "v")
        assert table.marked == {first, second} and table.cursor == 2
        lines = [table.render_line(y).text for y in (1, 2, 3)]
        assert lines[0][0] == "+" and lines[1][0] == "+" and lines[2][0] == " "
        assert app.sub_title.endswith("· 2 marked")
        await pilot.press("f")
        await wait_until(pilot, lambda: app.store.is_favourite(second), "both starred")
        assert app.store.is_favourite(first) and not app.store.is_favourite(third)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.store.is_read(first) and app.store.is_read(second))
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagEditor), "the tag editor")
        await pilot.press(*"later", "enter")
        await wait_until(pilot, lambda: app.store.tags(second) == ("later",), "tags added")
        assert app.store.tags(first) == ("later",) and app.store.tags(third) == ()
        saved = json.loads(state.read_text())["papers"]
        assert saved[first]["fav"]["on"] and saved[second]["read"]["on"]
        target = tmp_path / "marked.json"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, LinePrompt), "the export prompt")
        app.screen.query_one(Input).value = str(target)  # typing a path: test_ui_reading
        await pilot.press("enter")
        await wait_until(pilot, target.exists, "the export")
        assert {r["id"] for r in json.loads(target.read_text())} == {first, second}
        await pilot.press("escape")  # the link line first, then the marks
        await pilot.press("escape")
        assert table.marked == frozenset() and "marked" not in app.sub_title


async def test_mark_all_marks_the_view_and_again_clears(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash", *"serving", "enter")
        await pilot.pause()
        shown = {p.id for p in app.main.table.rows}
        await pilot.press("V")
        assert app.main.table.marked == shown
        await pilot.press("V")
        assert app.main.table.marked == frozenset()
