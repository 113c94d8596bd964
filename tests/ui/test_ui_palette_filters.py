"""The palette offers every action with its key; saved filters are renamed and deleted
from the tree and the palette, and the tree shows each one's number key."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import OptionList

from surveytui.ui.commands import entries
from surveytui.ui.keys import MAIN_BINDINGS
from surveytui.ui.screens.editors import LinePrompt
from tests.ui_helpers import RecordingOpener, build_app, row_titles, wait_until

SIZE = (120, 36)


async def test_palette_offers_every_action_with_its_key(tmp_path: Path) -> None:
    opener = RecordingOpener()
    app = build_app(tmp_path, opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        app.store.save_filter("quant", "quantization", None)
        found = {e.title: e.help for e in entries(app.main)}
        actions = {
            b.action
            for b in MAIN_BINDINGS
            if not b.action.startswith(("focus_filter", "escape", "recall_filter", "app."))
        }
        assert len(
            [t for t in found if not t.startswith(("Jump", "Saved", "Rename", "Delete"))]
        ) >= len(actions)
        assert found["Star / unstar (the marked papers, if any); saved at once"] == "key: f, Space"
        assert found["Reverse the sort (newest first, Z to A)"] == "key: R"
        assert found["Export the view (or the marked papers): .md .bib .csv .json"] == "key: e"
        assert found["Saved filter: quant"] == "key: 1"
        for wanted in (
            "Sort by year",
            "Rename saved filter: quant",
            "Delete saved filter: quant",
            "Open the survey's arXiv page (0000.00000)",
            "Save the filter and section under a name",
            "Hide / show the detail pane",
        ):
            assert wanted in found, wanted
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"arxiv page")

        def first_hit() -> str:
            options = app.screen.query_one(OptionList)
            return str(options.get_option_at_index(0).prompt) if options.option_count else ""

        await wait_until(pilot, lambda: "arXiv page" in first_hit(), "the arXiv entry")
        await pilot.press("enter")
        await wait_until(pilot, lambda: opener.urls, "the survey's page opened")
        assert opener.urls == ["https://arxiv.org/abs/0000.00000"]


async def test_saved_filters_renamed_and_deleted_from_the_tree(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.store.save_filter("quant", "quantization", None)
        app.store.save_filter("serving", "serving", None)
        app.main.paper_state_changed()
        await wait_until(pilot, lambda: app.main.complete, "the tree")
        tree = app.main.section_tree
        node = tree.node_key("filter:serving")
        assert node is not None and str(node.label).split()[0] == "⌕2"
        tree.focus()
        tree.move_cursor(node)
        await pilot.pause()
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, LinePrompt), "the rename prompt")
        await pilot.press("ctrl+a", "ctrl+k", *"cloud", "enter")
        await wait_until(
            pilot, lambda: [f.name for f in app.store.saved_filters()] == ["quant", "cloud"]
        )
        await wait_until(pilot, lambda: tree.node_key("filter:cloud") is not None, "relabel")
        quant = tree.node_key("filter:quant")
        assert quant is not None
        tree.move_cursor(quant)
        await pilot.pause()
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, LinePrompt), "the confirmation")
        await pilot.press("enter")
        await wait_until(pilot, lambda: [f.name for f in app.store.saved_filters()] == ["cloud"])
        await wait_until(pilot, lambda: tree.node_key("filter:quant") is None, "gone from tree")
        cloud = tree.node_key("filter:cloud")
        assert cloud is not None and str(cloud.label).split()[0] == "⌕1"
        await pilot.press("1")
        await pilot.pause()
        assert app.main.filter_bar.value == "serving"
        assert app.sub_title.startswith("saved filter 'cloud'")
        assert row_titles(app)
