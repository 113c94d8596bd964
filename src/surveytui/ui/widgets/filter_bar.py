"""The filter input and its inline error line.

A malformed token never raises into the app: the screen reports it here and
keeps showing the last good result until the query parses again.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class FilterBar(Horizontal):
    """``/`` focuses the input; the screen listens for ``Changed`` and ``Submitted``."""

    @dataclass
    class Changed(Message):
        text: str

    @dataclass
    class Submitted(Message):
        text: str

    _shown_error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("/", id="filter-prompt")
        yield Input(
            placeholder="filter: words, 'exact ^prefix !not venue:osdi year:>=2023 has:code is:fav",
            id="filter-input",
            select_on_focus=False,
        )
        yield Static("", id="filter-status")

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    @property
    def has_error(self) -> bool:
        return bool(self._shown_error)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, text: str) -> None:
        self.input.value = text

    def show_error(self, message: str | None) -> None:
        """Message is data (it quotes the user's token): shown as plain Text, never markup."""
        if message == self._shown_error:
            return  # an unchanged Static update would still cost a layout pass per keystroke
        self._shown_error = message
        status = self.query_one("#filter-status", Static)
        if message:
            status.update(Text(message))
            self.input.add_class("-invalid")
            self.add_class("-error")
        else:
            status.update("")
            self.input.remove_class("-invalid")
            self.remove_class("-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))
