"""The left pane: the survey's sections plus the views a reader builds (favourites, tags, filters).

Every node carries a scope key (``all``, ``sec:ID``, ``cat:ID``, ``fav``,
``tag:NAME``, ``filter:NAME``); the screen turns a chosen key into a
narrowing of the table and feeds counts back for the current filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from surveytui.model.catalog import CATEGORIES, Catalog
from surveytui.ui.keys import TREE_BINDINGS


class SectionTree(Tree[str]):
    """Section hierarchy with a live paper count on every node."""

    BINDINGS: ClassVar[list[BindingType]] = list[BindingType](TREE_BINDINGS)

    @dataclass
    class ScopeChosen(Message):
        key: str

    @dataclass
    class FilterEdit(Message):
        """Delete or rename the saved filter under the cursor (the screen asks first)."""

        action: str  # "delete" or "rename"
        name: str

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__("All papers", data="all", id=id)
        self._catalog = catalog
        self._names: dict[str, str] = {"all": "All papers"}
        self._by_key: dict[str, TreeNode[str]] = {"all": self.root}
        self.counts: dict[str, int] = {}
        self._tags_node: TreeNode[str] | None = None
        self._filters_node: TreeNode[str] | None = None
        self.guide_depth = 2
        self.show_root = True
        self.auto_expand = False  # Enter chooses a section; arrows and space fold it
        self.populated = False
        self._dynamic: tuple[Sequence[str], Sequence[str]] = ((), ())
        self._filter_numbers: dict[str, int] = {}

    def populate(self) -> None:
        """Add every branch below the root: the screen calls this right after its first
        paint, so the papers appear before the tree's ~30 nodes are built and drawn.
        Anything that needs a branch sooner (a key, a test) builds them on the spot."""
        if self.populated:
            return
        self.populated = True
        self._populate()
        self.set_dynamic(*self._dynamic)
        self.update_counts(self.counts)

    def _add(self, parent: TreeNode[str], key: str, name: str, *, leaf: bool) -> TreeNode[str]:
        self._names[key] = name
        node = parent.add_leaf(Text(name), data=key) if leaf else parent.add(Text(name), data=key)
        self._by_key[key] = node
        return node

    def _populate(self) -> None:
        cat = self._catalog

        def walk(parent_node: TreeNode[str], parent_id: str | None) -> None:
            for sec in cat.children.get(parent_id, ()):
                has_children = bool(cat.children.get(sec.id))
                node = self._add(parent_node, f"sec:{sec.id}", sec.title, leaf=not has_children)
                if has_children:
                    walk(node, sec.id)
                    node.expand()

        walk(self.root, None)
        cats = self._add(self.root, "cats", "Categories", leaf=False)
        for cid, name in CATEGORIES.items():
            self._add(cats, f"cat:{cid}", name, leaf=True)
        cats.expand()
        self._add(self.root, "fav", "★ Favourites", leaf=True)
        self._tags_node = self._add(self.root, "tags", "Tags", leaf=False)
        self._filters_node = self._add(self.root, "filters", "Saved filters", leaf=False)
        self.root.expand()

    def set_dynamic(self, tags: Sequence[str], filters: Sequence[str]) -> None:
        """Rebuild the Tags and Saved filters branches (they change as the user works)."""
        self._dynamic = (tuple(tags), tuple(filters))
        self._filter_numbers = {f"filter:{name}": n for n, name in enumerate(filters, start=1)}
        if not self.populated:
            return  # populate() adds them
        rebuilt = False
        for branch, prefix, names in (
            (self._tags_node, "tag:", tags),
            (self._filters_node, "filter:", filters),
        ):
            if branch is None:
                continue
            current = [str(child.data) for child in branch.children]
            wanted = [prefix + n for n in names]
            if current == wanted:
                continue
            for key in current:
                self._by_key.pop(key, None)
            branch.remove_children()
            for name in names:
                self._add(
                    branch, prefix + name, ("#" if prefix == "tag:" else "") + name, leaf=True
                )
            branch.expand()
            rebuilt = True
        if rebuilt:
            self.update_counts(self.counts)

    def node_key(self, key: str) -> TreeNode[str] | None:
        self.populate()
        return self._by_key.get(key)

    def update_counts(self, counts: Mapping[str, int]) -> None:
        """Relabel nodes as ``N Name``: the count leads so a narrow pane never cuts it off.

        Only labels that change are set: each change makes Textual redraw the lines
        below that node, and the root would otherwise change on every keystroke.
        """
        self.counts = dict(counts)
        width = len(str(max(len(self._catalog.papers), 1)))
        for key, node in self._by_key.items():
            name = self._names.get(key, key)
            if key in ("all", "cats", "tags", "filters"):
                label = Text(name, style="bold")  # the header shows the total
            elif key.startswith("filter:"):  # a saved query, not a subset of this view
                number = self._filter_numbers.get(key, 0)  # its recall key, 1 to 9
                mark = f"⌕{number}" if 1 <= number <= 9 else "⌕"
                label = Text(f"{mark:>{width}} ", style="dim")
                label.append(name)
            else:
                count = counts.get(key, 0)
                label = Text(f"{count:>{width}} ", style="" if count else "dim")
                label.append(name)
            if node.label != label:
                node.set_label(label)

    def select_key(self, key: str) -> None:
        """Put the cursor on a scope's node, unfolding its branch first if it was folded."""
        self.populate()
        node = self._by_key.get(key)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self.move_cursor, node)  # once the unfolded lines exist

    def has_scope(self, key: str) -> bool:
        self.populate()
        return key in self._by_key

    def action_cursor_top(self) -> None:
        self.cursor_line = 0

    def action_cursor_bottom(self) -> None:
        self.cursor_line = self.last_line

    def _filter_under_cursor(self) -> str | None:
        node = self.cursor_node
        key = str(node.data) if node is not None and node.data else ""
        return key[len("filter:") :] if key.startswith("filter:") else None

    def action_delete_filter(self) -> None:
        if (name := self._filter_under_cursor()) is None:
            self.app.bell()
            return
        self.post_message(self.FilterEdit("delete", name))

    def action_rename_filter(self) -> None:
        if (name := self._filter_under_cursor()) is None:
            self.app.bell()
            return
        self.post_message(self.FilterEdit("rename", name))

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        key = event.node.data
        if key and key not in ("cats", "tags", "filters"):
            self.post_message(self.ScopeChosen(key))
