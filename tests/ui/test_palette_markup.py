"""Markup-like names in the command palette: shown as typed, never parsed.

A section titled ``[/`` or a saved filter named ``[/`` once raised MarkupError at
Ctrl+P (and the app exited 0); ``escape()`` left ``a[/'c`` and
``x[link=https://x]`` raising or changed. Palette entries built from data now
carry plain ``Content``; these tests put such names in sections and saved
filters, open the palette, search it, and read back exactly what was written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.command import CommandPalette
from textual.widgets import OptionList

from surveytui.cli import commands as cli_commands
from surveytui.model.catalog import Catalog
from surveytui.state.store import Store
from surveytui.ui.app import SurveyApp
from tests.ui_helpers import build_app, fixture_catalog, wait_until

SIZE = (140, 40)
NASTY = [
    "[/",
    "a[/'c",
    "x[link=https://x]",
    "[@click=app.quit]quit[/]",
    "[b]Bold[/b]",
    "$title \\[x] [[/]]",
]
markup_like = st.text(alphabet="[]/@=:'\"$\\ab ", min_size=1, max_size=10).filter(
    lambda s: s.strip() == s and "  " not in s
)


def _catalog(titles: list[str]) -> Catalog:
    base = fixture_catalog()
    tops = [s for s in base.sections if s.parent is None]
    renamed = {s.id: t for s, t in zip(tops, titles, strict=False)}
    sections = tuple(replace(s, title=renamed.get(s.id, s.title)) for s in base.sections)
    return Catalog(title=base.title, sections=sections, papers=base.papers)


def _shown(app: SurveyApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def _showing(app: SurveyApp, text: str) -> Callable[[], bool]:
    """Some palette entry shows ``text`` exactly as written (plain, not parsed)."""
    return lambda: any(text in shown for shown in _shown(app))


async def _palette_shows(tmp_path: Path, titles: list[str], filters: list[str]) -> None:
    state = tmp_path / "state.json"
    store = Store(state)
    for name in filters:
        store.save_filter(name, "only", None)
    app = build_app(tmp_path, catalog=_catalog(titles), state=state)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.complete, "the section tree")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"Saved filter")
        for name in filters:
            await wait_until(pilot, _showing(app, f"Saved filter: {name}"), f"filter {name!r}")
        await pilot.press("ctrl+a", "ctrl+k", *"Jump to section")  # clear, then search
        for title in titles[: len([s for s in app.catalog.sections if s.parent is None])]:
            await wait_until(pilot, _showing(app, f"Jump to section: {title}"), f"{title!r}")
        assert app.is_running


async def test_markup_like_section_titles_and_filter_names_are_shown_as_typed(
    tmp_path: Path,
) -> None:
    await _palette_shows(tmp_path, NASTY[:3], NASTY)


# Each example runs the app: a few here, a hundred or more with --hypothesis-profile=long.
@settings(max_examples=max(4, settings().max_examples // 15), deadline=None)
@given(
    st.lists(markup_like, min_size=1, max_size=3, unique=True),
    st.lists(markup_like, max_size=2, unique=True),
)
async def test_random_markup_like_names_never_break_the_palette(
    tmp_path_factory: pytest.TempPathFactory, titles: list[str], filters: list[str]
) -> None:
    await _palette_shows(tmp_path_factory.mktemp("palette"), titles, filters)


def test_a_crash_in_the_browser_exits_non_zero(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def crash(self: SurveyApp, *args: Any, **kwargs: Any) -> None:
        self._return_code = 1  # what Textual sets when an exception ends the app

    monkeypatch.setattr(SurveyApp, "run", crash)
    args = argparse.Namespace(data=None, state=str(tmp_path / "s.json"), config=None)
    assert cli_commands.cmd_browse(args) == 1
