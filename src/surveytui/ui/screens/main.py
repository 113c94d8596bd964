"""The browser screen: the reader's keys on top of the view (``BrowserScreen``).

Actions ask the screen's ``ReadingService`` for side effects (state, links,
exports) and draw what it reports back; editors are imported when first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.binding import BindingType
from textual.widgets import Input

from surveytui.model.catalog import Paper
from surveytui.search.ordering import SortColumn
from surveytui.service import (
    CopyText,
    DataProblems,
    MetaChanged,
    Notice,
    RecallFilter,
    ShowLink,
    StateChanged,
)
from surveytui.ui.keys import MAIN_BINDINGS
from surveytui.ui.screens.browser import BrowserScreen
from surveytui.ui.widgets.section_tree import SectionTree


class MainScreen(BrowserScreen):
    BINDINGS: ClassVar[list[BindingType]] = list[BindingType](MAIN_BINDINGS)

    # ------------------------------------------------------------------ actions

    def action_focus_filter(self) -> None:
        field = self.filter_bar.input
        if self.focused is field:
            # "/" is text once in the filter. This priority binding runs as the app reads
            # the key, while keys typed before it may still wait in the field's queue:
            # queue the "/" behind them, so a burst ("abc/def") keeps its order.
            field.post_message(events.Key("slash", "/"))
            return
        self.set_focus(field)  # at once: keys typed after '/' land there

    def action_submit_filter(self) -> None:
        """Enter in the filter: to the results at once, as the app reads the key, so
        the keys typed after Enter go to the table and not into the filter."""
        if self.focused is not self.filter_bar.input:
            raise SkipAction()  # Enter elsewhere opens the paper, as before
        self.set_focus(self.table)
        self.table.move_cursor(0)

    def _show_link(self, message: str, url: str) -> None:
        """The link line replaces what it said before; toasts move up to stay clear of it."""
        self.link_bar.show(message, url)
        self.add_class("-link-shown")

    def action_escape(self) -> None:
        if self.link_bar.hide():
            self.remove_class("-link-shown")
            return
        typing = isinstance(self.focused, Input)
        if self.table.marked and not typing:  # in the filter, Esc is about the filter
            self._set_marks(frozenset())
            return
        if self.filter_bar.value or typing:
            # The paper the reader had found stays selected, in view, in the full list.
            self.filter_bar.set_value("")
            self.set_query("", keep_cursor=True)
            self.set_focus(self.table)
        elif self.scope != "all":
            self.set_scope("all")
            self.section_tree.select_key("all")

    def action_cycle_sort(self) -> None:
        # In Favourites' automatic order the cycle goes on from the reader's own sort.
        before = self._sort_before_fav
        column = self.table.next_sort(before[0] if before else None)
        self._sort(column, column == "starred")  # date starred: newest first

    def action_reverse_sort(self) -> None:
        self._sort(self.table.sort_column, not self.table.sort_reverse)

    def sort_by(self, column: SortColumn) -> None:
        """The palette's "Sort by ...": the column's usual direction (newest star first)."""
        self._sort(column, column == "starred")

    def action_toggle_detail(self) -> None:
        shown = not self.detail.display
        self.detail.display = self.query_one("#detail").display = shown  # pane and its slot

    # Enter on the tree never opens a paper (the tree's own binding chooses the section);
    # `o` and the palette open the paper under the table's cursor.
    def action_open_paper(self) -> None:
        self._with_current(lambda p: self.service.open_link(p, "paper"))

    def action_open_code(self) -> None:
        self._with_current(lambda p: self.service.open_link(p, "code"))

    def action_copy_paper(self) -> None:
        self._with_current(lambda p: self.service.copy_link(p, "paper"))

    def action_copy_code(self) -> None:
        self._with_current(lambda p: self.service.copy_link(p, "code"))

    # ------------------------------------------------------------------ marks

    def marked_papers(self) -> list[Paper]:
        """The marked papers in catalogue order (marks outlive a filter change)."""
        marked = self.table.marked
        return [p for p in self.catalog.papers if p.id in marked] if marked else []

    def _set_marks(self, marks: frozenset[str]) -> None:
        self.table.marked = marks
        self.table.refresh()
        self._update_header(len(self.table.rows))

    def action_toggle_mark(self) -> None:
        if (paper := self._with_paper()) is None:
            return
        self._set_marks(self.table.marked ^ {paper.id})
        self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        shown = frozenset(p.id for p in self.table.rows)
        self._set_marks(frozenset() if shown <= self.table.marked else self.table.marked | shown)

    def action_fetch_metadata(self) -> None:
        self._with_current(self.service.fetch_metadata)

    def action_toggle_favourite(self) -> None:
        if marked := self.marked_papers():
            on = not all(self.store.is_favourite(p.id) for p in marked)
            self.service.set_flags(marked, "fav", on)
            return
        self._with_current(self.service.toggle_favourite)

    def action_toggle_read(self) -> None:
        if marked := self.marked_papers():
            on = not all(self.store.is_read(p.id) for p in marked)
            self.service.set_flags(marked, "read", on)
            return
        self._with_current(self.service.toggle_read)

    def action_edit_tags(self) -> None:
        if marked := self.marked_papers():
            from surveytui.ui.screens.editors import TagEditor

            title = f"{len(marked)} marked papers (tags are added)"
            editor = TagEditor(title, (), list(self.store.all_tags()))
            self.app.push_screen(editor, lambda text: self.service.add_tags(marked, text or ""))
            return
        if (paper := self._with_paper()) is None:
            return
        from surveytui.ui.screens.editors import TagEditor  # on use: TextArea is heavy

        store = self.store
        editor = TagEditor(paper.title, store.tags(paper.id), list(store.all_tags()))
        self.app.push_screen(editor, lambda text: self._then(text, self.service.set_tags, paper))

    def action_edit_note(self) -> None:
        if (paper := self._with_paper()) is None:
            return
        from surveytui.ui.screens.editors import NoteEditor

        editor = NoteEditor(paper.title, self.store.note(paper.id))
        self.app.push_screen(editor, lambda text: self._then(text, self.service.set_note, paper))

    @staticmethod
    def _then(text: str | None, act: Callable[[Paper, str], None], paper: Paper) -> None:
        """An editor's answer: None when the reader cancelled."""
        if text is not None:
            act(paper, text)

    def action_save_filter(self) -> None:
        query, scope = self.query_text.strip(), self.scope
        if self.filter_bar.has_error:
            self.notify("Fix the filter first: it has an error.", severity="warning")
            return
        if not query and scope == "all":
            self.notify(
                "Nothing to save: type a filter or choose a section first.", severity="warning"
            )
            return
        from surveytui.ui.screens.editors import LinePrompt

        prompt = LinePrompt(
            "Save this filter as:",
            f"Filter: {query or '(none)'} · section: {scope}. Enter saves, Esc cancels.",
            query or scope,
        )
        self.app.push_screen(
            prompt, lambda name: self.service.save_filter(name or "", query, scope)
        )

    def action_recall_filter(self, number: int) -> None:
        self.service.recall_filter_number(number)

    @on(SectionTree.FilterEdit)
    def _filter_edit(self, event: SectionTree.FilterEdit) -> None:
        if event.action == "delete":
            self.ask_delete_filter(event.name)
        else:
            self.ask_rename_filter(event.name)

    def ask_delete_filter(self, name: str) -> None:
        from surveytui.ui.screens.editors import LinePrompt

        def answer(value: str | None) -> None:
            if value is not None:
                if self.saved_name == name:
                    self.saved_name = None
                self.service.delete_filter(name)

        prompt = LinePrompt(f"Delete saved filter '{name}'?", "Enter deletes, Esc keeps it.")
        self.app.push_screen(prompt, answer)

    def ask_rename_filter(self, name: str) -> None:
        from surveytui.ui.screens.editors import LinePrompt

        taken = {f.name for f in self.store.saved_filters()}

        def answer(value: str | None) -> None:
            new = (value or "").strip()
            if new and new not in taken and self.saved_name == name:
                self.saved_name = new  # the header follows the new name
            if value is not None:
                self.service.rename_filter(name, value)

        hint = "Enter renames, Esc cancels."
        prompt = LinePrompt(f"Rename saved filter '{name}' to:", hint, name)
        self.app.push_screen(prompt, answer)

    def action_export_view(self) -> None:
        papers = self.marked_papers() or list(self.visible_papers())
        if not papers:
            self.notify("Nothing to export: the view is empty.", severity="warning")
            return
        from surveytui.ui.screens.editors import LinePrompt

        prompt = LinePrompt(
            f"Export {len(papers)} papers to:",
            "The extension picks the format: .md, .bib, .csv or .json. Enter writes, Esc cancels.",
            str(self.service.default_export_path()),
        )

        def answer(text: str | None) -> None:
            plan = self.service.plan_export(text or "")
            if plan is None:
                return
            if plan.ask is None:
                self.service.export(papers, plan)
                return
            confirm = LinePrompt(plan.ask, "Enter: yes. Esc: no, nothing is written.")
            self.app.push_screen(
                confirm, lambda yes: None if yes is None else self.service.export(papers, plan)
            )

        self.app.push_screen(prompt, answer)

    # ------------------------------------------------------------------ service reports

    @on(BrowserScreen.ServiceReport)
    def _service_report(self, message: BrowserScreen.ServiceReport) -> None:
        event = message.event
        if isinstance(event, Notice):
            self.app.notify(
                event.text, severity=event.severity, timeout=event.timeout, markup=False
            )
        elif isinstance(event, ShowLink):
            if event.copy:
                self.app.copy_to_clipboard(event.url)
            self._show_link(event.message, event.url)
        elif isinstance(event, CopyText):
            self.app.copy_to_clipboard(event.text)
            said, _, _ = event.notice.partition(": ")
            self._show_link(said + ":", event.text)
        elif isinstance(event, StateChanged):
            if event.error:
                self.app.notify(event.error, severity="error", timeout=10, markup=False)
            self.paper_state_changed()
            if event.then is not None:
                self._service_report(self.ServiceReport(event.then))
        elif isinstance(event, DataProblems):
            self.detail.problems = event.by_paper
            self.detail.show(self.table.current)
        elif isinstance(event, RecallFilter):
            self.apply_saved_filter(event.query, event.section, event.name)
        elif isinstance(event, MetaChanged):
            for notice in event.notices:
                self.app.notify(notice, severity="warning", timeout=10, markup=False)
            self.table.metadata_changed()
            self.paper_state_changed()

    def action_statistics(self) -> None:
        from surveytui.ui.screens.stats import show_statistics  # on use: start-up never pays

        show_statistics(self)

    def action_help(self) -> None:
        from surveytui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
