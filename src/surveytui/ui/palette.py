"""Command palette entries built from data: section jumps and saved filters.

Textual's system-command provider parses every title and help string as
markup, and ``escape()`` does not make arbitrary text safe (``[/`` raises,
``x[link=https://x]`` turns into a link). Section titles and saved-filter names
come from files and from the user, so they are shown through this provider as
``Content`` built from plain text; the help line, which Textual always parses
as markup, is a fixed string that never carries data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

Entry = tuple[str, Content, Callable[[], object], str]


class DataCommands(Provider):
    """``Jump to section: ...`` and ``Saved filter: ...``, shown as plain text."""

    def _entries(self) -> Iterator[Entry]:
        from surveytui.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return
        catalog, store = screen.catalog, screen.store
        for section in catalog.sections:
            text = f"Jump to section: {catalog.section_path(section.id)}"
            key = f"sec:{section.id}"
            yield (
                text,
                Content(text),
                lambda key=key: screen.jump_to(key),  # type: ignore[misc]
                "Narrow the table to this section",
            )
        for saved in store.saved_filters():
            text = f"Saved filter: {saved.name}"
            shown = Content(text) + Content(f"  {saved.query}" if saved.query else "").stylize(
                "dim"
            )
            name = saved.name
            yield (
                text,
                shown,
                lambda name=name: screen.service.recall_filter(name),  # type: ignore[misc]
                "Recall this saved filter (its query and section)",
            )

    async def discover(self) -> Hits:
        for text, shown, callback, help_text in self._entries():
            yield DiscoveryHit(shown, callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, shown, callback, help_text in self._entries():
            score, offsets = matcher.fuzzy_search.match(matcher.query, text)
            if score > 0:
                for offset in offsets:
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, callback, text=text, help=help_text)
