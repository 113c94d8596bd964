"""The title line and the key line, one widget each.

Textual's Header mounts four widgets and its Footer one per key (eleven on the
main screen). Styling and laying those out took about a tenth of the
browser's start-up, for two lines of text that these draw directly. They keep
what the stock widgets offer here: the title and sub-title follow the app's,
the key line follows the focused widget's bindings, a click on a key presses
it, and a click on the icon opens the command palette.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class TitleBar(Widget):
    """``⭘  title — sub-title``, centred; the title is catalogue data, so it stays Text."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """
    ICON = "⭘"

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._changed, init=False)
        self.watch(self.app, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        room = max(width - 8, 1)  # the icon and a margin each side
        title = Text(self.app.title, no_wrap=True, overflow="ellipsis")
        sub_title = self.app.sub_title
        if sub_title:
            # The sub-title carries the counts: on a narrow terminal the title gives way.
            keep = min(len(sub_title) + 3, room - min(title.cell_len, 12))
            title.truncate(max(room - keep, 1), overflow="ellipsis")
            title.append(" — ")
            title.append(sub_title, Style(dim=True))
        title.truncate(room, overflow="ellipsis")
        line = Text(f" {self.ICON} ", no_wrap=True)
        left = max((width - title.cell_len) // 2 - line.cell_len, 1)
        line.append(" " * left)
        line.append_text(title)
        return line

    def on_click(self, event: events.Click) -> None:
        if event.x < 3:
            self.app.action_command_palette()


class KeyBar(Widget):
    """The active keys and what they do, on one line; the palette key sits on the right."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # (first cell, end cell, key to press, enabled)
        self._spans: list[tuple[int, int, str, bool]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def _part(self, text: Text, key: str, shown: str, description: str, enabled: bool) -> None:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        if not enabled:
            key_style += Style(dim=True)
            description_style += Style(dim=True)
        start = text.cell_len
        text.append(f" {shown} ", key_style)
        if description:
            text.append(f"{description} ", description_style)
        self._spans.append((start, text.cell_len, key, enabled))

    #: Always on screen, on the right with the palette: how to get help and how to leave.
    PINNED = ("help", "app.quit")

    def render(self) -> Text:
        """Keys from the left while whole ones fit; help, quit and the palette on the right."""
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        seen: set[str] = set()
        parts: list[tuple[str, str, str, bool]] = []
        pinned: list[tuple[str, str, str, bool]] = []
        for key, (_, binding, enabled, _tooltip) in active.items():
            if not binding.show or binding.action in seen or key == palette:
                continue
            seen.add(binding.action)
            part = (binding.key, self.app.get_key_display(binding), binding.description, enabled)
            (pinned if binding.action in self.PINNED else parts).append(part)
        if palette in active:
            _, binding, enabled, _tooltip = active[palette]
            pinned.append((binding.key, self.app.get_key_display(binding), "palette", enabled))
        self._spans = []
        tail = Text(no_wrap=True)
        for part in pinned:
            self._part(tail, *part)
        tail_spans, self._spans = self._spans, []
        text = Text(no_wrap=True, overflow="ellipsis")
        room = self.size.width - tail.cell_len
        for part in parts:
            trial = Text()
            self._part(trial, *part)
            self._spans.pop()
            if text.cell_len + trial.cell_len > room:
                break
            self._part(text, *part)
        gap = max(self.size.width - text.cell_len - tail.cell_len, 1)
        offset = text.cell_len + gap
        self._spans += [(offset + a, offset + b, k, on) for a, b, k, on in tail_spans]
        text.append(" " * gap)
        text.append_text(tail)
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
