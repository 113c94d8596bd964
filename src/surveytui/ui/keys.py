"""Every key binding in one table, so the key line, the help screen, the README and
user keymaps agree.

Ids are stable (``surveytui.<action>``): they are what a user keymap names (config
``[keys]``), so renaming one breaks somebody's configuration.
"""

from __future__ import annotations

from textual.binding import Binding


def _b(
    key: str,
    action: str,
    description: str,
    *,
    show: bool = True,
    key_display: str | None = None,
    priority: bool = False,
    id: str | None = None,
) -> Binding:
    return Binding(
        key,
        action,
        description,
        show=show,
        key_display=key_display,
        priority=priority,
        id=f"surveytui.{id or action}",
    )


MAIN_BINDINGS: list[Binding] = [
    # Priority: handled before the key is queued to the focused widget, so the keys a fast
    # typist sends right after "/" already land in the filter.
    _b("slash", "focus_filter", "Filter", key_display="/", priority=True),
    # Priority, like "/": Enter in the filter moves to the results before the next keys
    # are handed to the filter (elsewhere the action steps aside and Enter opens the paper).
    _b("enter", "submit_filter", "Filter: go to the results", show=False, priority=True),
    _b("escape", "escape", "Clear / back", show=False),
    _b("enter,o", "open_paper", "Open paper", key_display="o"),
    _b("c", "open_code", "Open code"),
    _b("f,space", "toggle_favourite", "Star", key_display="f"),
    _b("t", "edit_tags", "Tags"),
    _b("r", "toggle_read", "Read"),
    _b("n", "edit_note", "Note", show=False),
    _b("a", "fetch_metadata", "Fetch authors & abstract", show=False),
    _b("y", "copy_paper", "Copy link", show=False),
    _b("Y", "copy_code", "Copy code link", show=False),
    _b("s", "cycle_sort", "Sort"),
    _b("R", "reverse_sort", "Reverse sort", show=False),
    _b("v", "toggle_mark", "Mark", show=False),
    _b("V", "mark_all", "Mark all", show=False),
    _b("d", "toggle_detail", "Detail", show=False),
    _b("e", "export_view", "Export", show=False),
    _b("S", "save_filter", "Save filter", show=False),
    *[
        _b(str(n), f"recall_filter({n})", f"Saved filter {n}", show=False, id=f"recall_filter_{n}")
        for n in range(1, 10)
    ],
    _b("percent_sign", "statistics", "Statistics", show=False, key_display="%"),
    _b("question_mark", "help", "Help", key_display="?"),
    _b("q", "app.quit", "Quit", id="quit"),
]

#: Movement keys live on the table and tree; listed here so the help screen can show them.
TABLE_BINDINGS: list[Binding] = [
    _b("j,down", "cursor_down", "Down", show=False),
    _b("k,up", "cursor_up", "Up", show=False),
    _b("g,home", "cursor_top", "First paper", show=False),
    _b("G,end", "cursor_bottom", "Last paper", show=False),
    _b("pagedown,ctrl+f", "page_down", "Page down", show=False),
    _b("pageup,ctrl+b", "page_up", "Page up", show=False),
]

#: Keys Textual provides that users should still find in the help screen.
SYSTEM_KEYS: list[tuple[str, str]] = [
    ("Tab / Shift+Tab", "Next / previous pane"),
    ("Ctrl+P", "Command palette"),
    ("Ctrl+Q", "Quit"),
]

#: The same moves in the tree (the ids are the table's, so one keymap entry moves both).
TREE_BINDINGS: list[Binding] = [
    _b("j", "cursor_down", "Down", show=False),
    _b("k", "cursor_up", "Up", show=False),
    _b("g", "cursor_top", "First", show=False),
    _b("G", "cursor_bottom", "Last", show=False),
    _b("delete", "delete_filter", "Delete saved filter", show=False),
    _b("f2", "rename_filter", "Rename saved filter", show=False),
]

#: Panes that scroll rather than select (the detail pane, the help screen).
SCROLL_BINDINGS: list[Binding] = [
    _b("j", "scroll_down", "Scroll down", show=False, id="cursor_down"),
    _b("k", "scroll_up", "Scroll up", show=False, id="cursor_up"),
    _b("g", "scroll_home", "Scroll to the top", show=False, id="cursor_top"),
    _b("G", "scroll_end", "Scroll to the end", show=False, id="cursor_bottom"),
]

#: What the help screen and the README say each binding does (the key line keeps the
#: short description). A test checks that the README lists exactly these rows.
HELP_TEXT: dict[str, str] = {
    "surveytui.focus_filter": "Focus the filter (type to narrow; Enter or ↓ goes to result 1)",
    "surveytui.submit_filter": "In the filter: go to result 1 (keys typed next go there too)",
    "surveytui.escape": "Close the link line, clear the marks, the filter, then the section",
    "surveytui.open_paper": "Open the paper link",
    "surveytui.open_code": "Open the code link",
    "surveytui.toggle_favourite": "Star / unstar (the marked papers, if any); saved at once",
    "surveytui.edit_tags": "Edit tags, comma separated (adds to the marked papers, if any)",
    "surveytui.toggle_read": "Mark read / unread, shown as ✓ (the marked papers, if any)",
    "surveytui.edit_note": "Edit the paper's note (Ctrl+S saves)",
    "surveytui.fetch_metadata": "Fetch the paper's authors and abstract (arXiv or OpenAlex)",
    "surveytui.statistics": "Statistics: chart the view by year, venue, section, progress",
    "surveytui.copy_paper": "Copy the paper link (OSC 52)",
    "surveytui.copy_code": "Copy the code link (OSC 52)",
    "surveytui.cycle_sort": "Sort by best match, title, venue, year, date starred",
    "surveytui.reverse_sort": "Reverse the sort (newest first, Z to A)",
    "surveytui.toggle_detail": "Hide / show the detail pane",
    "surveytui.export_view": "Export the view (or the marked papers): .md .bib .csv .json",
    "surveytui.save_filter": "Save the filter and section under a name",
    "surveytui.help": "Help: every key",
    "surveytui.quit": "Quit",
    "surveytui.cursor_down": "Down (table, tree, detail pane, help)",
    "surveytui.cursor_up": "Up (table, tree, detail pane, help)",
    "surveytui.cursor_top": "First line",
    "surveytui.cursor_bottom": "Last line",
    "surveytui.page_down": "Page down",
    "surveytui.page_up": "Page up",
    "surveytui.toggle_mark": "Mark / unmark the paper (+) and move down; f r t e act on marks",
    "surveytui.mark_all": "Mark every paper in the view (again: clear the marks)",
    "surveytui.delete_filter": "In the tree: delete the saved filter under the cursor",
    "surveytui.rename_filter": "In the tree: rename the saved filter under the cursor",
}
