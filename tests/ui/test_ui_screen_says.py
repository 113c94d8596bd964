"""What the screen says: read marks and tags in the table, the detail pane's order and
data problems, the key line, links on the link line, and keys documented in one place."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from surveytui.ui.app import SurveyApp
from surveytui.ui.screens.help import HelpScreen, key_rows, markdown_key_table
from surveytui.ui.widgets.bars import KeyBar
from tests.ui_helpers import SSH_ENV, build_app, notices, wait_until

README = Path(__file__).parents[2] / "README.md"


def table_lines(app: SurveyApp) -> list[str]:
    table = app.main.table
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


async def test_read_papers_carry_a_glyph_and_tags_follow_the_title(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await wait_until(pilot, lambda: app.store.is_read(app.main.table.rows[0].id), "read")
        row = table_lines(app)[1]
        assert row[2] == "✓"  # a glyph, not only dimming: it survives NO_COLOR
        assert table_lines(app)[2][2] == " "
        app.main.service.set_tags(app.main.table.rows[1], "to-read, quantization, later")
        await wait_until(pilot, lambda: app.store.tags(app.main.table.rows[1].id), "tags")
        await pilot.pause()
        row = table_lines(app)[2]
        title = app.main.table.rows[1].title
        assert row[4:].startswith(title[:15])  # the title leads; tags do not push it away
        assert "#" in row and row.index("#") > 4 + 15


async def test_detail_pane_puts_links_and_id_first_and_key_line_keeps_help(
    tmp_path: Path,
) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.main.complete, "the whole screen")
        lines = app.main.detail.text.splitlines()
        assert lines[1].startswith("Paper: https://")
        assert lines[2].startswith("Code: https://")
        assert lines[3].startswith("id: ")
        for width in (80, 50):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            said = app.main.query_one(KeyBar).render().plain
            assert "? Help" in said and "q Quit" in said, (width, said)
            assert len(said) <= width


async def test_links_are_said_on_the_link_line_not_in_toasts(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: app.main.link_bar.text, "the link line")
        assert "https://arxiv.org/abs/2210.17323" in app.main.link_bar.text
        assert app.main.has_class("-link-shown")  # toasts move above it
        await pilot.press("Y")
        await pilot.pause()
        assert "Copied code link: https://github.com/IST-DASLab/gptq" in app.main.link_bar.text
        assert not any("https://" in n for n in notices(app))
        await pilot.press("escape")
        assert not app.main.has_class("-link-shown")
    app = build_app(tmp_path, env=SSH_ENV)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: app.main.link_bar.text, "the link line over SSH")
        assert "copied" in app.main.link_bar.text and app.clipboard.startswith("https://")


async def test_data_problems_from_check_show_on_the_paper(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.main.detail.problems, "the catalogue check")
        app.main.set_query("'Unsafe Link")
        await pilot.pause()
        text = app.main.detail.text
        assert "⚠ error:" in text and "javascript:" in text


def test_readme_lists_the_help_screens_keys() -> None:
    readme = README.read_text(encoding="utf-8")
    table = markdown_key_table()
    assert table in readme, "README key table is stale; expected:\n" + table


async def test_help_screen_lists_the_same_rows(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        shown = str(app.screen.query_one("#help-keys", Static).render())
        for keys, text in key_rows({}):
            assert text in shown and keys in shown, (keys, text)


async def test_no_toast_carries_a_url_even_for_unsafe_links(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.main.set_query("'Unsafe Link")
        await pilot.pause()
        await pilot.press("o")
        await wait_until(pilot, lambda: app.main.link_bar.text, "the link line")
        assert (
            "javascript:alert(1)" in app.main.link_bar.text
            and "not opened" in app.main.link_bar.text
        )
        await pilot.press("y")
        await pilot.pause()
        assert "not copied" in app.main.link_bar.text and app.clipboard == ""
        assert notices(app) and not any(
            ":" in n.split(".")[0][-12:] and "//" in n for n in notices(app)
        )
        assert not any("javascript:" in n for n in notices(app))
