"""The Textual application: builds the browser screen and offers its commands.

It stays small on purpose. The screen owns the view and, through a Textual-free
``ReadingService``, every side effect (state, links, exports); the App only
hands it the catalogue, the store and the link policy, shows start-up notices and
lists the command palette's entries. ``SurveyApp(...)`` is what both the CLI and
the tests build.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.screen import Screen

from surveytui.metadata.store import MetaStore
from surveytui.model.catalog import Catalog
from surveytui.service import LinkPolicy
from surveytui.state.store import Store
from surveytui.ui.palette import DataCommands
from surveytui.ui.screens.main import MainScreen


class SurveyApp(App[None]):
    CSS_PATH: ClassVar[str] = "app.tcss"
    COMMANDS = App.COMMANDS | {DataCommands}
    TITLE = "surveytui"

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        *,
        env: Mapping[str, str] | None = None,
        platform: str | None = None,
        opener: Callable[[str], bool] | None = None,
        notices: Sequence[str] = (),
        meta: MetaStore | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.meta = meta
        self.links = LinkPolicy(
            dict(os.environ if env is None else env), platform or sys.platform, opener
        )
        self.notices = list(notices)
        self.title = catalog.title

    def get_default_screen(self) -> Screen[Any]:
        # The browser is the app's first screen itself: pushing it over Textual's
        # empty default would build, style and resume a screen nobody sees.
        return MainScreen(self.catalog, self.store, self.links, self.meta)

    def on_mount(self) -> None:
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("main screen not mounted")

    # ------------------------------------------------------------------ palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        yield SystemCommand(
            "Show all papers", "Clear the section, keep the filter", lambda: screen.set_scope("all")
        )
        yield SystemCommand(
            "Show favourites", "Your starred papers, newest first", lambda: screen.set_scope("fav")
        )
        yield SystemCommand(
            "Open paper", "Open the selected paper's link", screen.action_open_paper
        )
        yield SystemCommand(
            "Open code", "Open the selected paper's code link", screen.action_open_code
        )
        yield SystemCommand(
            "Copy paper link", "Copy the selected paper's link (OSC 52)", screen.action_copy_paper
        )
        yield SystemCommand(
            "Copy code link",
            "Copy the selected paper's code link (OSC 52)",
            screen.action_copy_code,
        )
        yield SystemCommand(
            "Fetch authors and abstract",
            "Look the selected paper up on arXiv or OpenAlex",
            screen.action_fetch_metadata,
        )
        yield SystemCommand(
            "Statistics",
            "Chart the current view: years, venues, sections, progress (%)",
            screen.action_statistics,
        )
        yield SystemCommand("Help", "Show every key binding", screen.action_help)
        # Section jumps and saved filters carry data: ui.palette.DataCommands shows them
        # as plain Content (this provider would parse them as markup).
