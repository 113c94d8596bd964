"""Keys arriving in one burst keep their order (a paste without bracketed paste,
a slow SSH link, a fast typist).

``/`` is a priority binding, handled as the app reads the key, while the keys
before it may still wait in the filter's queue: inserting ``/`` right away put
it in front of them (``abc/def`` became ``/abcdef``). And the keys after Enter
in the filter were already queued to the filter when Enter moved the focus.
Here every key is posted into the app's queue at once, as a terminal delivers
a burst, before the app handles any of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events

from surveytui.ui.app import SurveyApp
from tests.ui_helpers import build_app, wait_until

SIZE = (120, 36)
NAMES = {"/": "slash", " ": "space", "\r": "enter", "-": "minus", "'": "apostrophe"}


def _burst(app: SurveyApp, text: str) -> None:
    for ch in text:
        app.post_message(events.Key(NAMES.get(ch, ch), None if ch == "\r" else ch))


async def _typed(tmp_path: Path, burst: str) -> tuple[str, str]:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.complete, "the browser")
        await pilot.press("slash")
        _burst(app, burst)
        await pilot.pause()
        await wait_until(
            pilot, lambda: app.main.filter_bar.value.count("/") == burst.count("/"), "the burst"
        )
        for _ in range(5):
            await pilot.pause()
        return app.main.filter_bar.value, type(app.focused).__name__


async def test_a_slash_in_a_burst_stays_where_it_was_typed(tmp_path: Path) -> None:
    for burst in ("abc/def", "w/o x", "a/b/c//"):
        assert (await _typed(tmp_path, burst))[0] == burst


# Each example runs the app: a few here, a hundred or more with --hypothesis-profile=long.
@settings(max_examples=max(5, settings().max_examples // 15), deadline=None)
@given(st.text(alphabet="ab/ -", min_size=1, max_size=12))
async def test_any_burst_of_text_and_slashes_arrives_in_order(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    assert (await _typed(tmp_path_factory.mktemp("burst"), text))[0] == text


async def test_keys_after_enter_in_the_filter_go_to_the_table(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.complete, "the browser")
        await pilot.press("slash", "l")
        await wait_until(pilot, lambda: app.main.query_text == "l", "the filter applied")
        assert len(app.main.table.rows) > 3
        _burst(app, "\rjj")
        await wait_until(pilot, lambda: type(app.focused).__name__ == "PaperTable", "focus")
        for _ in range(5):
            await pilot.pause()
        assert app.main.filter_bar.value == "l"
        assert app.main.table.cursor == 2
