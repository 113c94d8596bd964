"""The line that shows a link in full when it cannot be opened here (over SSH, no display).

The URL is catalogue data: it is written as plain Text, and made a terminal
hyperlink only when ``terminal_hyperlink_safe`` allows it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from surveytui.system.links import terminal_hyperlink_safe


class LinkBar(Static):
    """Hidden until :meth:`show`; Esc (through the screen) hides it again."""

    text = ""  # what it says, as plain text

    def show(self, message: str, url: str | None) -> None:
        text = Text(message + " ", style="bold")
        if url:
            safe = terminal_hyperlink_safe(url)
            text.append(url, style=Style(link=safe, underline=True) if safe else Style())
        text.append("   (Esc to dismiss)", style="dim")
        self.update(text)
        self.text = text.plain
        self.add_class("-shown")

    def hide(self) -> bool:
        """Hide the bar; True if it was showing (so Esc did something)."""
        shown = self.has_class("-shown")
        self.remove_class("-shown")
        return shown
