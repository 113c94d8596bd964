"""The filter input and its error line.

A malformed token never raises into the app: the screen reports it here and
keeps showing the last good result until the query parses again. The error is
written in full on its own wrapped line (and as the input's tooltip), never cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static


class FilterInput(Input):
    """An Input that leaves on Enter or Down, in order with the keys typed before them.

    Keys reach the input through its own queue, so handling Enter here (not as a
    binding, which runs only when the key has bubbled up to the app) sees every
    character typed before it. Keys that arrive after it, still addressed to the
    input because the screen has not moved the focus yet, are handed back in
    order rather than typed into the filter.
    """

    @dataclass
    class Leave(Message):
        """Enter or Down: the reader is done typing."""

    @dataclass
    class KeyAfterLeave(Message):
        """A key typed after Enter that belongs to the results, not to the filter."""

        key: str
        character: str | None

    _leaving = False

    async def _on_key(self, event: events.Key) -> None:
        if self._leaving:
            event.stop()
            event.prevent_default()
            self.post_message(self.KeyAfterLeave(event.key, event.character))
            return
        if event.key in ("enter", "down"):
            event.stop()
            event.prevent_default()
            self._leaving = True
            self.post_message(self.Leave())
            return
        await super()._on_key(event)

    def _on_focus(self, event: events.Focus) -> None:
        self._leaving = False
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._leaving = False
        super()._on_blur(event)


class FilterBar(Vertical):
    """``/`` focuses the input; the screen listens for ``Changed`` and ``Submitted``."""

    @dataclass
    class Changed(Message):
        text: str

    @dataclass
    class Submitted(Message):
        text: str

    @dataclass
    class KeyForResults(Message):
        """A key typed right after Enter: the screen sends it to the results."""

        key: str
        character: str | None

    _shown_error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-line"):
            yield Static("/", id="filter-prompt")
            yield FilterInput(
                placeholder=(
                    "filter: words, 'exact ^prefix !not venue:osdi year:>=2023 has:code is:fav"
                ),
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
    def error(self) -> str | None:
        return self._shown_error

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
            self.input.tooltip = Text(message)
            self.input.add_class("-invalid")
            self.add_class("-error")
        else:
            status.update("")
            self.input.tooltip = None
            self.input.remove_class("-invalid")
            self.remove_class("-error")

    # The input's messages are re-posted from here, in the order they arrive, so the
    # screen sees the text typed before Enter before it sees Enter.
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def on_filter_input_leave(self, event: FilterInput.Leave) -> None:
        event.stop()
        self.post_message(self.Submitted(self.value))

    def on_filter_input_key_after_leave(self, event: FilterInput.KeyAfterLeave) -> None:
        event.stop()
        self.post_message(self.KeyForResults(event.key, event.character))
