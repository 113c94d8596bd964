"""The command palette's browser commands: every action, with the key that does it.

Titles that carry data (section paths, saved filter names) are ``Content`` built
from plain text, and matches are highlighted on that Content: Textual's own
matcher would parse a title as markup, which a title like ``a[/b`` breaks.
Help lines name keys only, never data, because the palette parses them as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from surveytui.search.ordering import SORT_CYCLE, SORT_LABELS
from surveytui.ui.keys import HELP_TEXT, MAIN_BINDINGS

if TYPE_CHECKING:
    from surveytui.ui.screens.main import MainScreen

#: Bindings the palette leaves out: focus moves and per-number recalls (each saved
#: filter has its own entry instead).
_SKIP = ("focus_filter", "escape", "recall_filter")


@dataclass(frozen=True)
class Entry:
    title: str  # may hold data: shown as Content, never parsed
    help: str  # keys and fixed words only
    run: Callable[[], Any]


def _key_names(keys: str) -> str:
    from surveytui.ui.screens.help import pretty_keys

    return pretty_keys(keys)


def entries(screen: MainScreen) -> Iterator[Entry]:
    """Every browser action as a palette entry (the App adds Textual's own: theme, quit)."""
    keymap: dict[str, str] = dict(getattr(screen.app, "keymap", {}))
    for binding in MAIN_BINDINGS:
        if binding.action.startswith(_SKIP) or binding.action.startswith("app."):
            continue
        bid = binding.id or ""
        action = binding.action
        yield Entry(
            HELP_TEXT.get(bid, binding.description),
            f"key: {_key_names(keymap.get(bid, binding.key))}",
            partial(screen.run_action, action),
        )
    yield Entry("Show all papers", "key: Esc (twice)", lambda: screen.jump_to("all"))
    yield Entry("Show favourites", "newest star first", lambda: screen.jump_to("fav"))
    for column in SORT_CYCLE:
        yield Entry(
            f"Sort by {SORT_LABELS[column]}",
            "key: s cycles, R reverses",
            partial(screen.sort_by, column),
        )
    catalog = screen.catalog
    if catalog.arxiv:
        url = f"https://arxiv.org/abs/{catalog.arxiv}"
        yield Entry(
            f"Open the survey's arXiv page ({catalog.arxiv})",
            "the paper behind this list",
            partial(screen.service.open_url, url, "link"),
        )
    if catalog.source:
        source = catalog.source
        yield Entry(
            "Open the survey's repository",
            "the list this catalogue was imported from",
            partial(screen.service.open_url, source, "link"),
        )
    for number, saved in enumerate(screen.store.saved_filters(), start=1):
        name = saved.name
        key = f"key: {number}" if number <= 9 else "no key"
        yield Entry(f"Saved filter: {name}", key, partial(screen.service.recall_filter, name))
        yield Entry(
            f"Rename saved filter: {name}",
            "key: F2 in the tree",
            partial(screen.ask_rename_filter, name),
        )
        yield Entry(
            f"Delete saved filter: {name}",
            "key: Delete in the tree",
            partial(screen.ask_delete_filter, name),
        )
    for section in catalog.sections:
        path, scope = catalog.section_path(section.id), f"sec:{section.id}"
        yield Entry(
            f"Jump to section: {path}",
            "narrow the table to this section",
            partial(screen.jump_to, scope),
        )


class BrowserCommands(Provider):
    """Offers :func:`entries` for the main screen (other screens have none)."""

    def _entries(self) -> list[Entry]:
        from surveytui.ui.screens.main import MainScreen

        screen = self.screen
        return list(entries(screen)) if isinstance(screen, MainScreen) else []

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(Content(entry.title), entry.run, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        style = matcher.match_style
        for entry in self._entries():
            score, offsets = matcher.fuzzy_search.match(query, entry.title)
            if score <= 0:
                continue
            shown = Content(entry.title)
            for offset in offsets:
                shown = shown.stylize(style, offset, offset + 1)
            yield Hit(score, shown, entry.run, text=entry.title, help=entry.help)
