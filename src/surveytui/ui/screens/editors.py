"""Modal editors for what a reader adds to a paper: tags, a note, a filter name, an export path.

Each returns its result through ``dismiss`` (None on Esc), so the screen that
opened it decides what to save; the editors never touch the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static, TextArea


class LastTokenSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from tags already in use."""

    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._choices = sorted(set(choices))

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        stem = last.lstrip().casefold()
        if not stem:
            return None
        present = {t.strip().casefold() for t in head.split(",")}
        for choice in self._choices:
            if choice.startswith(stem) and choice != stem and choice not in present:
                prefix = value[: len(value) - len(last)] + last[: len(last) - len(last.lstrip())]
                return prefix + choice
        return None


class _PromptBase(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="surveytui.editor_cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)


class LinePrompt(_PromptBase):
    """One line of input with a title and a hint; Enter accepts, Esc cancels."""

    def __init__(
        self,
        title: str,
        hint: str,
        value: str = "",
        *,
        suggestions: Sequence[str] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._title, self._hint, self._value = title, hint, value
        self._suggestions = suggestions

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Static(Text(self._title, style="bold"), classes="prompt-title")
            suggester = LastTokenSuggester(self._suggestions) if self._suggestions else None
            yield Input(value=self._value, suggester=suggester, id="prompt-input")
            yield Static(Text(self._hint, style="dim"), classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)


class TagEditor(LinePrompt):
    def __init__(self, paper_title: str, tags: Sequence[str], known: Sequence[str]) -> None:
        super().__init__(
            f"Tags for: {paper_title}",
            "Comma separated. → accepts a suggestion, Enter saves, Esc cancels.",
            ", ".join(tags),
            suggestions=known,
            id="tag-editor",
        )


class NoteEditor(_PromptBase):
    """A multi-line note; Ctrl+S saves, Esc cancels (the text is kept only on save)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="surveytui.editor_cancel"),
        Binding("ctrl+s", "save", "Save note", id="surveytui.note_save"),
    ]

    def __init__(self, paper_title: str, note: str) -> None:
        super().__init__(id="note-editor")
        self._paper_title, self._note = paper_title, note

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt note"):
            yield Static(
                Text(f"Note for: {self._paper_title}", style="bold"), classes="prompt-title"
            )
            yield TextArea(self._note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Text("Ctrl+S saves, Esc cancels.", style="dim"), classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
