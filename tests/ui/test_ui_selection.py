"""The paper the keys act on is the one the reader sees: selection after filters, scopes, Esc."""

from __future__ import annotations

import json
from pathlib import Path

from textual import events
from textual.geometry import Region

from surveytui.ui.app import SurveyApp
from surveytui.ui.widgets.bars import TitleBar
from tests.ui_helpers import build_app, row_titles, wait_until

SMALL = (80, 16)


def on_screen(app: SurveyApp) -> list[str]:
    """The table's lines as drawn: the header, then the visible rows."""
    table = app.main.table
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def cursor_visible(app: SurveyApp) -> bool:
    table = app.main.table
    current = table.current
    return current is not None and any(current.title[:20] in line for line in on_screen(app)[1:])


async def test_each_filter_change_puts_the_cursor_on_the_best_match(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("G")  # the last paper, the table scrolled down
        assert app.main.table.cursor == 11
        await pilot.press("slash", *"lora")
        await wait_until(pilot, lambda: len(row_titles(app)) == 2, "the lora matches")
        table = app.main.table
        assert table.cursor == 0
        assert table.current is not None and table.current.title.startswith("LoRA")
        assert app.main.detail.paper is table.current
        assert cursor_visible(app)
        await pilot.press("backspace", "backspace")  # "lo": more matches, still the best first
        await pilot.pause()
        assert table.cursor == 0 and cursor_visible(app)


async def test_scope_change_and_saved_filter_recall_go_to_the_top(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("G")
        app.main.jump_to("sec:systems")
        await pilot.pause()
        assert app.main.table.cursor == 0 and cursor_visible(app)
        await pilot.press("j")
        app.main.apply_saved_filter("quantization", None)
        await pilot.pause()
        assert app.main.table.cursor == 0
        assert row_titles(app)[0].startswith(("GPTQ", "AWQ", "QLoRA"))
        assert cursor_visible(app)


async def test_after_esc_the_paper_keys_act_on_is_on_screen(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    app = build_app(tmp_path, state=state)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("slash", *"'EdgeMoE", "enter")
        await wait_until(pilot, lambda: len(row_titles(app)) == 1, "one match")
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(row_titles(app)) == 12, "the full list")
        table = app.main.table
        assert table.current is not None and table.current.title.startswith("EdgeMoE")
        assert app.focused is table
        assert cursor_visible(app)
        await pilot.press("f")
        await wait_until(pilot, state.exists, "the state file")
        saved = json.loads(state.read_text())
        assert [pid for pid, p in saved["papers"].items() if p.get("fav", {}).get("on")] == [
            table.current.id
        ]


async def test_down_and_enter_from_the_filter_both_land_on_result_one(tmp_path: Path) -> None:
    for key in ("down", "enter"):
        app = build_app(tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("slash", *"serving", key)
            await pilot.pause()
            assert app.focused is app.main.table, key
            assert app.main.table.cursor == 0, key
            assert app.main.detail.paper is app.main.table.rows[0]


async def test_keys_typed_right_after_enter_go_to_the_results(tmp_path: Path) -> None:
    """A fast typist's burst: the filter text, Enter and j arrive before any is handled."""
    app = build_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        for key, char in [("slash", "/"), *((c, c) for c in "serving"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        app.post_message(events.Key("j", "j"))
        await wait_until(pilot, lambda: app.focused is app.main.table, "the results")
        await wait_until(pilot, lambda: app.main.table.cursor == 1, "j moving to result 2")
        assert app.main.filter_bar.value == "serving"
        assert all("Serving" in t or "serving" in t.casefold() for t in row_titles(app)[:1])


async def test_malformed_token_keeps_result_count_and_shows_the_whole_error(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"serving")
        await pilot.pause()
        good = row_titles(app)
        assert "6 of 12 papers" in app.sub_title
        for bad in (" year:abc", " is:foo", " foo:bar"):
            # Typed as one edit (typing a token key by key is tested above and in
            # test_ui_browser); the filter handles it as it would the last keystroke.
            app.main.filter_bar.input.value = "serving" + bad
            await wait_until(pilot, lambda: app.main.filter_bar.error, "the error")
            await pilot.pause()
            assert row_titles(app) == good, bad
            assert f"{len(good)} of 12 papers" in app.sub_title, bad
            error = app.main.filter_bar.error or ""
            assert bad.strip() in error
            status = app.main.query_one("#filter-status")
            assert status.region.height >= 1
            width, height = status.size
            shown = "".join(s.text for s in status.render_lines(Region(0, 0, width, height)))
            assert " ".join(error.split()) in " ".join(shown.split()), (error, shown)
            assert "No paper matches" not in app.main.detail.text
            assert app.main.detail.paper is app.main.table.current is not None


async def test_header_names_the_scope_even_when_the_tree_is_hidden(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(50, 14)) as pilot:
        await pilot.pause()
        assert app.sub_title.startswith("All papers · 12 of 12 papers")
        app.main.jump_to("sec:systems")
        await pilot.pause()
        assert app.sub_title.startswith("Systems · ")
        bar = app.screen.query_one("#title-bar", TitleBar)
        assert "Systems" in bar.render().plain
        await pilot.press("f")
        app.main.jump_to("fav")
        await wait_until(pilot, lambda: app.sub_title.startswith("Favourites · 1 of 12"))
        app.main.apply_saved_filter("quantization", None, "quant")
        await pilot.pause()
        assert app.sub_title.startswith("saved filter 'quant' · ")
        await pilot.press("slash", "x")
        await pilot.pause()
        assert app.sub_title.startswith("All papers · ")
