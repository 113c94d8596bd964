"""The Textual application: builds the browser screen and routes side effects.

Side effects that can block (writing the state file, starting a browser) run
in worker threads; their outcome comes back as a notification or a repaint.
The factory ``make_app`` is what both the CLI and the tests call.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from textual.app import App, SystemCommand
from textual.markup import escape
from textual.screen import Screen

from surveytui.catalog import Catalog, Paper
from surveytui.links import LaunchMode, LaunchResult, is_safe_url, launch_browser, launch_mode
from surveytui.store import StateError, Store
from surveytui.ui.main_screen import MainScreen

LinkKind = Literal["paper", "code"]


class SurveyApp(App[None]):
    CSS_PATH: ClassVar[str] = "app.tcss"
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
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.env = dict(os.environ if env is None else env)
        self.platform = platform or sys.platform
        self.opener = opener
        self.notices = list(notices)
        self.title = catalog.title

    def get_default_screen(self) -> Screen[Any]:
        # The browser is the app's first screen itself: pushing it over Textual's
        # empty default would build, style and resume a screen nobody sees.
        return MainScreen(self.catalog)

    def on_mount(self) -> None:
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("main screen not mounted")

    # ------------------------------------------------------------------ links

    @staticmethod
    def _url(paper: Paper, kind: LinkKind) -> str | None:
        return paper.paper_url if kind == "paper" else paper.code_url

    def open_link(self, paper: Paper, kind: LinkKind) -> None:
        """Browser when there is a display, else show + copy the URL (never a console browser)."""
        url = self._url(paper, kind)
        if not url:
            self.notify(f"This paper has no {kind} link.", severity="warning")
            return
        if not is_safe_url(url):
            self.notify(
                f"Refusing to open an unsafe {kind} link: {url}", severity="error", markup=False
            )
            return
        if launch_mode(self.env, self.platform) is LaunchMode.SHOW:
            self.copy_to_clipboard(url)
            self.main.link_bar.show(f"{kind.capitalize()} link copied to clipboard:", url)
            return
        opener = self.opener

        def work() -> LaunchResult:
            return launch_browser(url, opener=opener, env=self.env, platform=self.platform)

        def done(result: LaunchResult) -> None:
            if result.ok:
                self.notify(result.message, markup=False)
            else:
                self.copy_to_clipboard(url)
                self.main.link_bar.show(f"{result.message} Copied instead:", url)

        self.run_worker(lambda: self.call_from_thread(done, work()), thread=True, group="launch")

    def copy_link(self, paper: Paper, kind: LinkKind) -> None:
        url = self._url(paper, kind)
        if not url:
            self.notify(f"This paper has no {kind} link to copy.", severity="warning")
            return
        if not is_safe_url(url):
            self.notify(f"Not copying an unsafe {kind} link: {url}", severity="error", markup=False)
            return
        self.copy_to_clipboard(url)
        self.notify(f"Copied {kind} link: {url}", markup=False)

    # ------------------------------------------------------------------ state

    def mutate(
        self, change: Callable[[Store], Any], *, then: Callable[[], None] | None = None
    ) -> None:
        """Apply a store change off the event loop; the star shows as soon as it is recorded."""

        def work() -> None:
            error: str | None = None
            try:  # the store serialises changes itself (its own lock and the file lock)
                change(self.store)
            except StateError as exc:
                error = str(exc)
            self.call_from_thread(self._after_mutation, error, then)

        self.run_worker(work, thread=True, group="store")

    def _after_mutation(self, error: str | None, then: Callable[[], None] | None) -> None:
        if error:
            self.notify(
                f"Not saved: {error}. Kept for this session; retried with your next change.",
                severity="error",
                timeout=10,
                markup=False,
            )
        self.main.paper_state_changed()
        if then is not None:
            then()

    def export_papers(self, papers: Sequence[Paper], fmt: str, target: Path) -> None:
        """Write an export off the event loop and say where it went (or why it did not)."""
        from surveytui.atomic import write_text_atomic
        from surveytui.export import export_papers

        catalog, store = self.catalog, self.store

        def work() -> None:
            try:
                write_text_atomic(target, export_papers(catalog, papers, fmt, store), private=False)
            except OSError as exc:
                message = f"Export failed: {target}: {exc.strerror or exc}"
                self.call_from_thread(self.notify, message, severity="error", markup=False)
                return
            message = f"Exported {len(papers)} papers ({fmt}) to {target.resolve()}"
            self.call_from_thread(self.notify, message, timeout=8, markup=False)

        self.run_worker(work, thread=True, group="export")

    def recall_filter_by_name(self, name: str) -> None:
        for saved in self.store.saved_filters():
            if saved.name == name:
                self.main.apply_saved_filter(saved.query, saved.section)
                self.notify(f"Filter '{name}' recalled.", markup=False)
                return
        self.notify(f"No saved filter named '{name}'.", severity="warning", markup=False)

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
        yield SystemCommand("Help", "Show every key binding", screen.action_help)
        # The palette parses command titles and help as markup: escape whatever came from data.
        for section in self.catalog.sections:
            path = escape(self.catalog.section_path(section.id))
            key = f"sec:{section.id}"
            yield SystemCommand(
                f"Jump to section: {path}",
                "Narrow the table to this section",
                lambda key=key: screen.jump_to(key),
            )
        for saved in self.store.saved_filters():
            name = saved.name
            yield SystemCommand(
                f"Saved filter: {escape(name)}",
                escape(saved.query) or "(no filter text)",
                lambda name=name: self.recall_filter_by_name(name),
            )


#: The one way to build the browser, shared by the CLI and the tests:
#: ``make_app(catalog, store, env=, platform=, opener=, notices=)``.
make_app = SurveyApp
