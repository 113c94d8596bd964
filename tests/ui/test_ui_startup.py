"""The browser's start-up: title and key lines, what waits for the first paint, the collector."""

from __future__ import annotations

import gc
from pathlib import Path

from surveytui import entry
from surveytui.cli.parser import build_parser
from surveytui.ui.widgets.bars import KeyBar, TitleBar
from tests.ui_helpers import build_app

SIZE = (120, 36)


async def test_title_line_keeps_the_counts_when_the_terminal_is_narrow(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        line = app.query_one(TitleBar).render().plain
        assert "12 of 12 papers" in line
        assert "Test Survey" in line
        assert len(line) <= 60


async def test_key_line_lists_the_keys_and_a_click_presses_one(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        text = bar.render().plain
        for label in ("/ Filter", "f Star", "s Sort", "? Help", "q Quit", "^p palette"):
            assert label in text, label
        assert "Copy link" not in text  # bindings with show=False stay off the line
        sort_at = text.index(" s Sort")
        await pilot.click(KeyBar, offset=(sort_at + 1, 0))
        await pilot.pause()
        assert "sort: title" in app.sub_title


async def test_tree_branches_and_detail_follow_the_first_paint(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.main.section_tree
        assert tree.populated
        assert tree.counts.get("sec:systems") == 6  # counts arrived with the branches
        assert "GPTQ" in app.main.detail.text


async def test_the_collector_held_for_start_up_is_released_after_the_first_paint(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    gc.disable()  # as `surveytui` does before the browser's imports
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_only_the_browser_holds_the_collector() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == entry.COMMANDS  # type: ignore[arg-type]
    assert entry.main(["sections"]) == 0
    assert gc.isenabled()
