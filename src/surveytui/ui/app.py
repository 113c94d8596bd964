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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.screen import Screen

from surveytui.metadata.store import MetaStore
from surveytui.model.catalog import Catalog
from surveytui.service import LinkPolicy
from surveytui.state.store import Store
from surveytui.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from surveytui.system.config import Config


def _browser_commands() -> type[Provider]:
    from surveytui.ui.commands import BrowserCommands

    return BrowserCommands


class SurveyApp(App[None]):
    CSS_PATH: ClassVar[str] = "app.tcss"
    TITLE = "surveytui"
    # Textual's own commands (theme, keys, quit) and every browser action with its key.
    # (Imported when the palette first opens, not at start-up.)
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        *App.COMMANDS,
        _browser_commands,
    }

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
        config: Config | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.meta = meta
        self.config = config
        #: Binding id -> keys, as the reader's config file set them (settings.apply_config).
        self.keymap: dict[str, str] = {}
        self.links = LinkPolicy(
            dict(os.environ if env is None else env),
            platform or sys.platform,
            opener,
            config.open_links if config else None,
        )
        self.notices = list(notices)
        self.title = catalog.title

    def get_default_screen(self) -> Screen[Any]:
        # The browser is the app's first screen itself: pushing it over Textual's
        # empty default would build, style and resume a screen nobody sees.
        sort = (self.config.sort, self.config.sort_reverse) if self.config else (None, False)
        return MainScreen(self.catalog, self.store, self.links, self.meta, sort=sort)

    def on_mount(self) -> None:
        if self.config is not None:
            from surveytui.ui.settings import apply_config, remember_theme

            self.notices += apply_config(self, self.config)
            remember_theme(self, self.config)
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("main screen not mounted")
