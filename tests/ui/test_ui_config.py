"""The config file in the browser: theme, keymap by id, default sort, link command; a
bad config still opens the browser, with the defaults and one line saying why."""

from __future__ import annotations

from pathlib import Path

from surveytui.state.store import Store
from surveytui.system.config import load_config
from surveytui.ui.app import SurveyApp
from tests.ui_helpers import (
    LOCAL_ENV,
    RecordingOpener,
    fixture_catalog,
    notices,
    record_notices,
    wait_until,
)


def app_with(tmp_path: Path, text: str, *, system_opener: bool = False) -> SurveyApp:
    path = tmp_path / "config.toml"
    path.write_text(text)
    config, problems = load_config(path)
    store = Store(tmp_path / "state.json")
    app = SurveyApp(
        fixture_catalog(),
        store,
        env=LOCAL_ENV,
        platform="linux",
        opener=None if system_opener else RecordingOpener(),
        notices=problems,
        config=config,
    )
    record_notices(app)
    return app


async def test_theme_keymap_and_sort_from_the_config(tmp_path: Path) -> None:
    app = app_with(
        tmp_path,
        'theme = "nord"\nsort = "year"\nsort_reverse = true\n'
        '[keys]\nsurveytui.toggle_favourite = "x"\n',
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert "sort: year ↓" in app.sub_title
        assert app.main.table.rows[0].year == 2024
        pid = app.main.table.rows[0].id
        await pilot.press("x")
        await wait_until(pilot, lambda: app.store.is_favourite(pid), "x stars")
        app.theme = "gruvbox"  # as the palette's "Change theme" does
        config = tmp_path / "config.toml"
        await wait_until(pilot, lambda: 'theme = "gruvbox"' in config.read_text(), "persisted")
        assert 'sort = "year"' in config.read_text()


async def test_a_bad_config_opens_with_defaults_and_says_where(tmp_path: Path) -> None:
    app = app_with(
        tmp_path, 'theme = "no-such-theme"\nsort = "random"\n[keys]\nsurveytui.nope = "z"\n'
    )
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        said = notices(app)
        path = tmp_path / "config.toml"
        assert any(n.startswith(f"config {path} line 2: sort: unknown sort") for n in said)
        assert any(n.startswith(f"config {path} line 1: theme: no theme") for n in said)
        assert any(n.startswith(f"config {path} line 4: keys.surveytui.nope") for n in said)
        assert "sort: best match" in app.sub_title
        assert app.theme != "no-such-theme"


async def test_links_open_with_the_configured_command(tmp_path: Path) -> None:
    marker = tmp_path / "opened.txt"
    script = tmp_path / "opener.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {marker}\n')
    script.chmod(0o755)
    app = app_with(tmp_path, f'open_links = "{script} {{url}}"\n', system_opener=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, marker.exists, "the command to run")
        await wait_until(pilot, lambda: marker.read_text().startswith("https://"), "the url")
        assert marker.read_text() == "https://arxiv.org/abs/2210.17323"
