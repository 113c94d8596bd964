"""Pilot tests for reading lists: tags, read marks, notes, saved filters, browser export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList

from surveytui.importer.document import import_markdown
from surveytui.ui.screens.editors import NoteEditor, TagEditor
from tests.ui_helpers import build_app, notices, row_titles, wait_until

SIZE = (120, 36)


def state_of(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "state.json").read_text())
    return data


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_tag_editor_saves_tags_shown_in_table_tree_and_filter(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"to read, quant", "enter")
        await settle(app, pilot)
        pid = app.main.table.rows[0].id
        assert state_of(tmp_path)["papers"][pid]["tags"]["value"] == ["quant", "to-read"]
        line = app.main.table.render_line(1).text
        assert "#quant" in line  # after the title, cut to a third of its room
        assert "Tags: #quant #to-read" in app.main.detail.text
        assert app.main.section_tree.counts["tag:quant"] == 1
        await pilot.press("slash", *"tag:to-read", "enter")
        await pilot.pause()
        assert [p.id for p in app.main.table.rows] == [pid]


async def test_tag_editor_suggests_existing_tags_and_escape_cancels(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    app.store.load()
    app.store.set_tags("lora-low-rank-adaptation", ["reading-group"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"rea")
        field = app.screen.query_one(Input)
        for _ in range(500):  # → accepts the suggestion once the suggester has answered
            await pilot.press("right")
            if field.value != "rea":
                break
        assert field.value == "reading-group"
        await pilot.press("enter")
        await settle(app, pilot)
        pid = app.main.table.rows[0].id
        assert app.store.tags(pid) == ("reading-group",)
        await pilot.press("j", "t", *"nope", "escape")
        await settle(app, pilot)
        assert app.store.tags(app.main.table.rows[1].id) == ()


async def test_read_toggle_dims_filters_and_counts(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        pid = app.main.table.rows[0].id
        assert state_of(tmp_path)["papers"][pid]["read"]["on"] is True
        assert "1/12 read" in app.sub_title
        strip = app.main.table.render_line(1)
        assert any(seg.style and seg.style.dim for seg in strip if seg.text.strip())
        await pilot.press("slash", *"!is:read", "enter")
        await pilot.pause()
        assert pid not in [p.id for p in app.main.table.rows]
        assert len(app.main.table.rows) == 11
        await pilot.press("escape", "slash", *"is:read", "enter")
        await pilot.pause()
        assert [p.id for p in app.main.table.rows] == [pid]


async def test_note_editor_saves_and_note_filters(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Compare with GPTQ", "enter", *"second line [b]x[/b]", "ctrl+s")
        await settle(app, pilot)
        pid = app.main.table.rows[1].id
        note = state_of(tmp_path)["papers"][pid]["note"]["value"]
        assert note == "Compare with GPTQ\nsecond line [b]x[/b]"
        assert "second line [b]x[/b]" in app.main.detail.text
        await pilot.press("slash", *"note:compare", "enter")
        await pilot.pause()
        assert [p.id for p in app.main.table.rows] == [pid]


async def test_note_escape_keeps_old_note(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"draft", "escape")
        await settle(app, pilot)
        assert app.store.note(app.main.table.rows[0].id) == ""


async def test_favourites_view_lists_newest_star_first(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("j", "j", "f")
        await settle(app, pilot)
        first, third = app.main.table.rows[0], app.main.table.rows[2]
        app.main.jump_to("fav")
        await pilot.pause()
        assert [p.id for p in app.main.table.rows] == [third.id, first.id]
        assert "since 20" in app.main.detail.text
        await pilot.press("s")  # re-sortable like any view
        await pilot.pause()
        titles = row_titles(app)
        assert titles == sorted(titles, key=str.casefold)


async def test_saved_filters_save_recall_tree_and_palette(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.main.jump_to("sec:algorithms")
        await pilot.press("slash", *"lora", "enter")
        await pilot.pause()
        expected = row_titles(app)
        await pilot.press("S")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"lora papers", "enter")
        await settle(app, pilot)
        saved = state_of(tmp_path)["filters"]
        assert saved["lora papers"]["query"] == "lora"
        await pilot.press("escape", "escape")  # clear filter, then the section
        await pilot.pause()
        assert len(app.main.table.rows) == 12
        await pilot.press("1")
        await pilot.pause()
        assert app.main.filter_bar.value == "lora"
        assert row_titles(app) == expected
        assert app.main.section_tree.node_key("filter:lora papers") is not None
        await pilot.press("ctrl+p", *"lora papers")

        def palette_shows() -> bool:
            options = app.screen.query(OptionList)
            return bool(options) and any(
                "Saved filter: lora papers" in str(options.first().get_option_at_index(i).prompt)
                for i in range(options.first().option_count)
            )

        await wait_until(pilot, palette_shows, "the saved filter in the palette")


async def test_recall_unknown_slot_says_so(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert any("No saved filter 5" in n for n in notices(app))


@pytest.mark.parametrize("suffix", [".md", ".bib", ".csv", ".json"])
async def test_export_from_browser_writes_current_view(tmp_path: Path, suffix: str) -> None:
    app = build_app(tmp_path)
    target = tmp_path / f"out{suffix}"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"serving", "enter")
        await pilot.pause()
        shown = len(app.main.table.rows)
        await pilot.press("e")
        await wait_until(pilot, lambda: app.screen.query(Input), "the export prompt")
        app.screen.query_one(Input).value = str(target)  # typing it is tested once, below
        await pilot.press("enter")
        await settle(app, pilot)
        assert target.exists()
        await wait_until(pilot, lambda: "Exported" in app.main.link_bar.text, "the link line")
        said = app.main.link_bar.text
        assert f"Exported {shown} papers" in said and str(target.resolve()) in said
    text = target.read_text()
    if suffix == ".md":
        assert len(import_markdown(text).catalog.papers) == shown
    elif suffix == ".json":
        assert len(json.loads(text)) == shown
    elif suffix == ".csv":
        assert len(text.strip().splitlines()) == shown + 1
    else:
        assert sum(1 for line in text.splitlines() if line.startswith("@")) == shown


async def test_export_to_unwritable_place_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("e", "ctrl+a", "ctrl+k", *str(blocker / "out.md"), "enter")  # typed
        await settle(app, pilot)
        assert any(f"{blocker} is not a folder" in n for n in notices(app))
        assert app.is_running


async def test_marking_read_under_not_read_keeps_the_place(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"!is:read", "enter", "j", "j", "j")
        before = [p.id for p in app.main.table.rows]
        await pilot.press("r")
        await settle(app, pilot)
        assert before[3] not in [p.id for p in app.main.table.rows]
        assert app.main.table.cursor == 3
        assert app.main.table.current is not None
        assert app.main.table.current.id == before[4]


async def test_saving_a_broken_filter_is_refused(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.main.filter_bar.set_value("lora year:20x")
        await pilot.pause()
        await pilot.press("S")
        await pilot.pause()
        assert any("Fix the filter first" in n for n in notices(app))
        assert app.store.saved_filters() == []


async def test_removing_the_last_tag_of_the_viewed_tag_returns_to_all(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    app.store.load()
    app.store.set_tags("lora-low-rank-adaptation", ["zz"])
    async with app.run_test(size=SIZE) as pilot:
        app.main.jump_to("tag:zz")
        await pilot.pause()
        assert len(app.main.table.rows) == 1
        await pilot.press("t", "ctrl+a", "ctrl+k", "enter")
        await settle(app, pilot)
        assert app.main.scope == "all"
        assert len(app.main.table.rows) == 12


async def test_a_saved_filter_whose_section_is_gone_shows_all_papers_and_says_so(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    app.store.save_filter("old list", "", "sec:no-such-section/xyz")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: app.main.complete, "the tree")
        await pilot.press("1")
        await wait_until(pilot, lambda: notices(app), "the notice")
        assert app.main.scope == "all"
        assert len(row_titles(app)) == len(app.catalog.papers)
        assert any("old list" in n and "not in this catalogue" in n for n in notices(app))
