"""Reading-list actions of the browser screen: tags, notes, saved filters and export.

Kept apart from the screen's navigation logic; the screen mixes this in. Every
change goes through ``SurveyApp.mutate`` so it is written off the event loop
and under the state file's lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from surveytui.store import parse_tag_input

if TYPE_CHECKING:
    from surveytui.ui.main_screen import MainScreen

EXPORT_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".bib": "bibtex",
    ".csv": "csv",
    ".json": "json",
}


def export_format_for(path: Path) -> str | None:
    return EXPORT_FORMATS.get(path.suffix.lower())


class ReadingListActions:
    """Mixed into MainScreen; ``self`` is always the screen."""

    def _screen(self) -> MainScreen:
        return self  # type: ignore[return-value]

    def action_edit_tags(self) -> None:
        screen = self._screen()
        paper = screen._with_paper()
        if paper is None:
            return
        store = screen.surveyapp.store
        from surveytui.ui.editors import TagEditor  # imported on use: TextArea is heavy

        editor = TagEditor(paper.title, store.tags(paper.id), list(store.all_tags()))

        def save(value: str | None) -> None:
            if value is None:
                return
            tags = parse_tag_input(value)
            pid = paper.id
            screen.surveyapp.mutate(lambda s: s.set_tags(pid, tags))

        screen.app.push_screen(editor, save)

    def action_edit_note(self) -> None:
        screen = self._screen()
        paper = screen._with_paper()
        if paper is None:
            return
        store = screen.surveyapp.store

        def save(value: str | None) -> None:
            if value is None:
                return
            pid = paper.id
            screen.surveyapp.mutate(lambda s: s.set_note(pid, value))

        from surveytui.ui.editors import NoteEditor

        screen.app.push_screen(NoteEditor(paper.title, store.note(paper.id)), save)

    def action_save_filter(self) -> None:
        screen = self._screen()
        query, scope = screen.query_text.strip(), screen.scope
        if screen.filter_bar.has_error:
            screen.app.notify("Fix the filter first: it has an error.", severity="warning")
            return
        if not query and scope == "all":
            screen.app.notify(
                "Nothing to save: type a filter or choose a section first.", severity="warning"
            )
            return
        count = len(screen.surveyapp.store.saved_filters())
        from surveytui.ui.editors import LinePrompt

        prompt = LinePrompt(
            "Save this filter as:",
            f"Filter: {query or '(none)'} · section: {scope}. Enter saves, Esc cancels.",
            query or scope,
        )

        def save(name: str | None) -> None:
            if not name or not name.strip():
                return
            clean = name.strip()
            slot = f" (key {count + 1})" if count < 9 else ""
            screen.surveyapp.mutate(
                lambda s: s.save_filter(clean, query, scope),
                then=lambda: screen.app.notify(f"Saved filter '{clean}'{slot}.", markup=False),
            )

        screen.app.push_screen(prompt, save)

    def action_recall_filter(self, number: int) -> None:
        screen = self._screen()
        saved = screen.surveyapp.store.saved_filters()
        if not 1 <= number <= len(saved):
            screen.app.notify(
                f"No saved filter {number} (press S to save one).", severity="warning"
            )
            return
        screen.surveyapp.recall_filter_by_name(saved[number - 1].name)

    def action_export_view(self) -> None:
        screen = self._screen()
        papers = list(screen.visible_papers())
        if not papers:
            screen.app.notify("Nothing to export: the view is empty.", severity="warning")
            return
        default = Path.cwd() / "surveytui-export.md"
        from surveytui.ui.editors import LinePrompt

        prompt = LinePrompt(
            f"Export {len(papers)} papers to:",
            "The extension picks the format: .md, .bib, .csv or .json. Enter writes, Esc cancels.",
            str(default),
        )

        def write(value: str | None) -> None:
            if not value or not value.strip():
                return
            target = Path(value.strip()).expanduser()
            fmt = export_format_for(target)
            if fmt is None:
                screen.app.notify(
                    f"Unknown export format for {target.name}: use .md, .bib, .csv or .json.",
                    severity="error",
                    markup=False,
                )
                return
            screen.surveyapp.export_papers(papers, fmt, target)

        screen.app.push_screen(prompt, write)
