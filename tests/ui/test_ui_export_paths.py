"""Export from the browser checks the path: it asks before creating a folder or
overwriting a file, and the next export starts in the last folder and format."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from surveytui.ui.app import SurveyApp
from surveytui.ui.screens.editors import LinePrompt
from tests.ui_helpers import build_app, notices, wait_until


async def prompt_for(app: SurveyApp, pilot: object) -> LinePrompt:
    await wait_until(pilot, lambda: isinstance(app.screen, LinePrompt), "a prompt")
    assert isinstance(app.screen, LinePrompt)
    return app.screen


async def answer(app: SurveyApp, pilot: Pilot[None], text: str) -> None:
    """Put ``text`` in the open prompt and press Enter (typing a path key by key is
    tested in test_ui_reading; here it would only cost seconds)."""
    (await prompt_for(app, pilot)).query_one(Input).value = text
    await pilot.press("enter")


async def test_missing_folder_is_created_only_when_the_reader_says_so(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    target = tmp_path / "new" / "deeper" / "papers.bib"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await answer(app, pilot, str(target))
        question = await prompt_for(app, pilot)
        assert "does not exist" in question._title and str(target.parent) in question._title
        await pilot.press("escape")  # no: nothing is created
        await pilot.pause()
        assert not (tmp_path / "new").exists()
        await pilot.press("e")
        await answer(app, pilot, str(target))
        await prompt_for(app, pilot)
        await pilot.press("enter")  # yes
        await wait_until(pilot, target.exists, "the export")
        assert target.read_text().startswith("@")
        # the next export starts in that folder, in that format
        await pilot.press("e")
        again = await prompt_for(app, pilot)
        assert again._value == str(target.parent / "surveytui-export.bib")


async def test_an_existing_file_is_overwritten_only_when_confirmed(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    target = tmp_path / "papers.json"
    target.write_text("keep me")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("e")
        await answer(app, pilot, str(target))
        question = await prompt_for(app, pilot)
        assert "exists. Overwrite it?" in question._title
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_text() == "keep me"
        await pilot.press("e")
        await answer(app, pilot, str(target))
        await prompt_for(app, pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: target.read_text() != "keep me", "the overwrite")
        assert len(json.loads(target.read_text())) == 12
        await pilot.press("e")
        await answer(app, pilot, str(tmp_path))
        await wait_until(pilot, lambda: notices(app), "the refusal")
        assert any("Unknown export format" in n or "is a folder" in n for n in notices(app))
