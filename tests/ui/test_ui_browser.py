"""Pilot tests for the browser: press keys, assert what a reader sees and what the app did."""

from __future__ import annotations

import json
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from surveytui.ui.commands import entries
from surveytui.ui.keys import HELP_TEXT, MAIN_BINDINGS, TABLE_BINDINGS
from surveytui.ui.screens.help import HelpScreen
from surveytui.ui.widgets.paper_table import PREFIX
from tests.ui_helpers import SSH_ENV, RecordingOpener, build_app, notices, row_titles, wait_until

SIZE = (120, 36)


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = app.main.table
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_launch_shows_every_paper_and_header_counts(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(app.main.table.rows) == 12
        assert app.sub_title.startswith("All papers · 12 of 12 papers")
        assert app.title == "Test Survey of Efficient Models"
        assert "GPTQ: Accurate" in screen_lines(app)[1]
        assert "Title" in screen_lines(app)[0]


async def test_typing_filters_rows_and_tree_counts(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"quantization")
        await pilot.pause()
        titles = row_titles(app)
        assert titles and all("Quantiz" in t for t in titles)
        assert app.main.section_tree.counts["all"] == len(titles)
        assert app.main.section_tree.counts["sec:algorithms"] == len(titles)
        assert "sec:systems" not in app.main.section_tree.counts
        assert app.sub_title.startswith(f"All papers · {len(titles)} of 12 papers")


async def test_typo_still_finds_paper_and_match_is_highlighted(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"gptq")
        await pilot.pause()
        assert row_titles(app)[0].startswith("GPTQ")
        assert "gptq" in app.main.table._terms
        await pilot.press("ctrl+a", "ctrl+k", *"quantizaton")  # typo
        await pilot.pause()
        assert any("Quantization" in t for t in row_titles(app))


async def test_bad_token_is_shown_inline_and_last_result_stays(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"serving")
        await pilot.pause()
        before = row_titles(app)
        app.main.filter_bar.set_value("serving year:abc")  # as if pasted
        await pilot.pause()
        status = app.main.query_one("#filter-status")
        assert "year:abc" in str(status.render())
        assert row_titles(app) == before
        assert app.is_running


async def test_enter_moves_to_results_and_escape_clears(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"lora")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.main.table
        assert app.main.table.cursor == 0
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert app.main.filter_bar.value == ""
        assert len(app.main.table.rows) == 12
        assert app.focused is app.main.table


async def test_down_from_filter_moves_to_first_result(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"serving", "down")
        await pilot.pause()
        assert app.focused is app.main.table


async def test_choosing_a_section_narrows_and_includes_subsections(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.main.section_tree.focus()
        app.main.section_tree.select_key("sec:systems")
        await pilot.pause()  # the cursor moves after the next refresh
        await pilot.press("enter")
        await pilot.pause()
        titles = row_titles(app)
        assert len(titles) == 6  # serving (3) + edge (3)
        app.main.section_tree.select_key("sec:algorithms/compression")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert len(row_titles(app)) == 4  # QLoRA is in two sections and counts here too


async def test_section_click_with_mouse(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the tree's lines exist once it has been drawn
        node = app.main.section_tree.node_key("sec:systems/edge")
        assert node is not None
        line = node.line
        await pilot.click("#sections", offset=(4, line))
        await pilot.pause()
        await pilot.click("#sections", offset=(4, line))  # second click selects
        await pilot.pause()
        assert len(row_titles(app)) == 3


async def test_filter_and_section_combine(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.main.set_scope("sec:algorithms/finetuning")
        await pilot.press("slash", *"lora")
        await pilot.pause()
        assert sorted(row_titles(app)) == sorted(
            [
                "LoRA: Low-Rank Adaptation of Large Language Models",
                "QLoRA: Efficient Finetuning of Quantized LLMs",
            ]
        )


async def test_sort_cycles_and_header_click(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        titles = row_titles(app)
        assert titles == sorted(titles, key=str.casefold)
        assert "sort: title" in app.sub_title
        await pilot.press("s")
        venues = [p.venue or "\uffff" for p in app.main.table.rows]  # no venue: last
        assert venues == sorted(venues, key=str.casefold)
        await pilot.press("s")
        # undated papers last in either direction
        years = [p.year or 9999 for p in app.main.table.rows]
        assert years == sorted(years)
        # a click on the Year header reverses the year order
        table = app.main.table
        lay = table._layout(table.scrollable_content_region.width)
        await pilot.click("#papers", offset=(PREFIX + lay.title + 1 + lay.venue + 1, 0))
        await pilot.pause()
        years = [p.year or 0 for p in app.main.table.rows]
        assert years == sorted(years, reverse=True)
        # the sort is kept while filtering
        await pilot.press("slash", *"llm")
        await pilot.pause()
        years = [p.year or 0 for p in app.main.table.rows]
        assert years == sorted(years, reverse=True)


async def test_j_k_g_G_move_the_cursor_and_detail_follows(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = app.main.table
        await pilot.press("j", "j")
        assert table.cursor == 2
        assert app.main.detail.paper is table.rows[2]
        await pilot.press("k")
        assert table.cursor == 1
        await pilot.press("G")
        assert table.cursor == 11
        await pilot.press("g")
        assert table.cursor == 0


async def test_row_click_moves_cursor(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#papers", offset=(10, 4))
        await pilot.pause()
        assert app.main.table.cursor == 3


async def test_detail_pane_shows_everything(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"qlora", "enter")
        await pilot.pause()
        text = app.main.detail.text
        assert "QLoRA: Efficient Finetuning of Quantized LLMs" in text
        assert "NeurIPS, 2023" in text
        assert "Algorithms / Finetuning Algorithms" in text
        assert "Algorithms / Model Compression" in text
        assert "https://arxiv.org/abs/2305.14314" in text
        assert "https://github.com/artidoro/qlora" in text
        assert "Categories: LLMs" in text
        await pilot.press("escape", "slash", *"sparsegpt", "enter")
        await pilot.pause()
        assert "no code link" in app.main.detail.text


async def test_detail_can_be_hidden(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        width = app.main.table.size.width
        await pilot.press("d")
        await pilot.pause()
        assert not app.main.detail.display
        assert app.main.table.size.width > width + 20  # the table takes the pane's room
        await pilot.press("d")
        await pilot.pause()
        assert app.main.detail.display
        assert app.main.table.size.width == width


async def test_star_shows_at_once_and_is_saved(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pid = app.main.table.rows[0].id
        assert screen_lines(app)[1][1] == "★"
        assert app.main.section_tree.counts["fav"] == 1
        assert "★ yes" in app.main.detail.text
        saved = json.loads((tmp_path / "state.json").read_text())
        assert saved["papers"][pid]["fav"]["on"] is True
        await pilot.press("space")  # space toggles too
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen_lines(app)[1][1] != "★"
        saved = json.loads((tmp_path / "state.json").read_text())
        assert saved["papers"][pid]["fav"]["on"] is False


async def test_star_survives_restart(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "f")
        await app.workers.wait_for_complete()
    again = build_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_lines(again)[2][1] == "★"
        again.main.set_scope("fav")
        await pilot.pause()
        assert len(row_titles(again)) == 1


async def test_open_paper_launches_browser_with_a_display(tmp_path: Path) -> None:
    opener = RecordingOpener()
    app = build_app(tmp_path, opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        assert opener.urls == [
            "https://arxiv.org/abs/2210.17323",
            "https://github.com/IST-DASLab/gptq",
        ]


async def test_enter_on_table_opens_paper(tmp_path: Path) -> None:
    opener = RecordingOpener()
    app = build_app(tmp_path, opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert opener.urls == ["https://arxiv.org/abs/2210.17323"]


async def test_over_ssh_nothing_is_launched_link_is_shown_and_copied(tmp_path: Path) -> None:
    opener = RecordingOpener()
    app = build_app(tmp_path, opener=opener, env=SSH_ENV)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert opener.urls == []
        assert app.clipboard == "https://arxiv.org/abs/2210.17323"
        bar = app.main.query_one("#link-bar")
        assert bar.display
        assert "https://arxiv.org/abs/2210.17323" in str(bar.render())
        await pilot.press("escape")
        assert not bar.display


async def test_copy_keys_copy_and_say_what(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("y")
        assert app.clipboard == "https://arxiv.org/abs/2210.17323"
        await pilot.press("Y")
        assert app.clipboard == "https://github.com/IST-DASLab/gptq"
        # said on the link line, in full, not in a toast that could cover it
        assert "Copied code link: https://github.com/IST-DASLab/gptq" in app.main.link_bar.text
        assert not any("Copied" in m for m in notices(app))


async def test_unsafe_links_are_never_launched(tmp_path: Path) -> None:
    opener = RecordingOpener()
    app = build_app(tmp_path, opener=opener)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"unsafe link", "enter")
        await pilot.press("o", "c")
        await app.workers.wait_for_complete()
        assert opener.urls == []
        messages = " ".join(notices(app))
        assert "unsafe" in messages


async def test_help_lists_every_binding(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rendered = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        for binding in [*MAIN_BINDINGS, *TABLE_BINDINGS]:
            if "recall_filter" in binding.action:
                continue
            assert HELP_TEXT.get(binding.id or "", binding.description) in rendered
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_sections_favourites_and_theme(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        titles = [e.title for e in entries(app.main)]
        titles += [c.title for c in app.get_system_commands(app.main)]
        assert "Jump to section: Systems / Serving on Edge" in titles
        for wanted in ("Show favourites", "Open the paper link", "Copy the paper link", "Theme"):
            assert any(t.startswith(wanted) for t in titles), wanted
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"serving on edge")

        def first_hit() -> str:
            options = app.screen.query_one(OptionList)
            return str(options.get_option_at_index(0).prompt) if options.option_count else ""

        await wait_until(pilot, lambda: "Serving on Edge" in first_hit(), "the palette's hit")
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.scope == "sec:systems/edge"
        assert len(row_titles(app)) == 3


async def test_markup_and_escape_codes_are_shown_literally(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.press("slash", *"bold claim", "enter")
        await pilot.pause()
        line = screen_lines(app)[1]
        assert "What [is] a [b]bold[/b] claim [/] about [@click=app.quit]quitting[/]" in line
        assert "[red]Venue[" in line
        assert "[@click=app.quit]" in app.main.detail.text
        await pilot.press("escape", "slash", *"escape codes", "enter")
        await pilot.pause()
        line = screen_lines(app)[1]
        assert "\x1b" not in line and "\u202e" not in line
        assert "Escape [31mcodes[0m and bidi in titles" in line
        await pilot.click("#detail")
        await pilot.pause()
        assert app.is_running


async def test_usable_at_small_and_large_sizes(tmp_path: Path) -> None:
    for size in ((40, 12), (80, 24), (200, 60)):
        app = build_app(tmp_path)
        async with app.run_test(size=size) as pilot:
            await pilot.press("slash", *"lora", "enter", "j", "f", "s", "d", "d")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.is_running
            assert app.main.table.rows
            assert app.main.table.size.height >= 3


async def test_corrupt_state_is_moved_aside_and_user_told(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{ this is not json")
    app = build_app(tmp_path, state=state)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        messages = " ".join(notices(app))
        assert "corrupt" in messages
        assert any(p.name.startswith("state.json.corrupt") for p in tmp_path.iterdir())
        await pilot.press("f")
        await app.workers.wait_for_complete()
        assert json.loads(state.read_text())["version"] >= 2


async def test_unwritable_state_shows_error_and_app_keeps_working(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    app = build_app(tmp_path, state=blocker / "state.json")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = " ".join(notices(app))
        assert "Not saved" in messages
        assert screen_lines(app)[1][1] == "★"  # the session still shows the star
        await pilot.press("j")
        assert app.is_running


async def test_q_quits(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "q")
        await pilot.pause()
        assert not app.is_running


async def test_slash_inside_the_filter_is_text(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "a", "slash", "b")
        assert app.main.filter_bar.value == "a/b"


async def test_palette_with_markup_in_section_titles(tmp_path: Path) -> None:
    from dataclasses import replace

    from surveytui.model.catalog import Catalog
    from tests.ui_helpers import fixture_catalog

    base = fixture_catalog()
    hostile = "[b]Bold[/b] [@click=app.quit]quit[/] [/]"
    sections = tuple(
        replace(s, title=hostile) if s.id == "systems/edge" else s for s in base.sections
    )
    catalog = Catalog(title=base.title, sections=sections, papers=base.papers)
    app = build_app(tmp_path, catalog=catalog)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.complete, "the section tree")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"quit")
        await pilot.pause()
        assert app.is_running
        assert hostile in app.main.section_tree._names.values()


async def test_tab_cycles_the_panes(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        seen = [type(app.focused).__name__]
        for _ in range(4):
            await pilot.press("tab")
            seen.append(type(app.focused).__name__)
        assert seen == ["PaperTable", "PaperDetail", "FilterInput", "SectionTree", "PaperTable"]
        await pilot.press("shift+tab")
        assert type(app.focused).__name__ == "SectionTree"


async def test_cursor_row_is_always_visible(tmp_path: Path) -> None:
    for size, keys in (((80, 24), ["G"]), ((40, 12), ["j"] * 6), ((120, 36), ["G", "k"])):
        app = build_app(tmp_path)
        async with app.run_test(size=size) as pilot:
            await pilot.press(*keys)
            table = app.main.table
            visible = [
                table.render_line(y).text for y in range(table.scrollable_content_region.height)
            ]
            current = table.rows[table.cursor].title[:12]
            assert any(current in line for line in visible[1:]), (size, keys)


async def test_open_paper_works_from_the_tree_and_enter_chooses(tmp_path: Path) -> None:
    opener = RecordingOpener()
    app = build_app(tmp_path, opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        app.main.section_tree.focus()
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opener.urls == ["https://arxiv.org/abs/2210.17323"]
        app.main.section_tree.select_key("sec:algorithms")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.scope == "sec:algorithms"
        node = app.main.section_tree.node_key("sec:algorithms")
        assert node is not None and node.is_expanded  # choosing does not fold it
        assert opener.urls == ["https://arxiv.org/abs/2210.17323"]


async def test_jump_into_a_folded_branch_selects_that_node(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.main.section_tree
        node = tree.node_key("sec:algorithms")
        assert node is not None
        node.collapse()
        await pilot.pause()
        app.main.jump_to("sec:algorithms/finetuning")
        await pilot.pause()
        await pilot.pause()
        assert tree.cursor_node is tree.node_key("sec:algorithms/finetuning")


async def test_unsafe_links_are_not_copied(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"unsafe link", "enter", "y", "Y")
        assert app.clipboard == ""
        assert sum("Not copying an unsafe" in n for n in notices(app)) == 2
