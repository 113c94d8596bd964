"""The ``?`` screen: every binding, read from the same table the footer uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from surveytui.ui.keys import (
    HELP_TEXT,
    MAIN_BINDINGS,
    SYSTEM_KEYS,
    TABLE_BINDINGS,
    TREE_BINDINGS,
)
from surveytui.ui.widgets.key_scroll import KeyScroll

FILTER_HELP = (
    ("words", "all must match title, venue or section (typos tolerated)"),
    ("'exact  ^prefix  suffix$", "exact substring, title prefix, title suffix"),
    ("!token", "negate any token, e.g. !arxiv or !is:read"),
    ("a | b", "either a or b"),
    ("venue:osdi  year:2023", "field tokens; year:>=2022, year:2020..2022"),
    ("venue:=ACL", "exactly this venue (not NAACL)"),
    ("author:NAME  abs:WORD", "authors, abstract (after enrich; accents ignored)"),
    ("has:code  is:fav  is:read", "papers with code, starred, read"),
    ("has:year  has:venue", "papers whose year or venue is known"),
    ("tag:NAME  note:WORD", "your tags and notes"),
    ("cat:llm  sec:compression", "category, section"),
)


def binding_rows(keymap: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(keys, description, id) for every binding, read from ``keys.py``, with the
    user's keymap (config ``[keys]``) applied."""
    keymap = keymap or {}
    rows: list[tuple[str, str, str]] = []
    seen_recall = False
    listed = {b.id for b in [*MAIN_BINDINGS, *TABLE_BINDINGS]}
    tree_only = [b for b in TREE_BINDINGS if b.id not in listed]
    for binding in [*MAIN_BINDINGS, *TABLE_BINDINGS, *tree_only]:
        bid = binding.id or ""
        if bid.startswith("surveytui.recall_filter_"):
            if seen_recall:
                continue
            seen_recall = True
            rows.append(("1 … 9", "Recall saved filter 1 to 9", "surveytui.recall_filter_N"))
            continue
        keys = keymap.get(bid, binding.key)
        rows.append((pretty_keys(keys), HELP_TEXT.get(bid, binding.description), bid))
    return rows


def key_rows(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """What the help screen lists (and the README's key table, checked by a test)."""
    return [(keys, text) for keys, text, _bid in binding_rows(keymap)] + list(SYSTEM_KEYS)


def markdown_key_table() -> str:
    """The README's key table, from the same rows as the help screen."""
    lines = ["| Key | Action |", "| --- | --- |"]
    for keys, text in key_rows({}):
        shown = " ".join(f"`{k.strip()}`" for k in keys.replace(" / ", ", ").split(", "))
        lines.append(f"| {shown} | {text} |")
    return "\n".join(lines) + "\n"


def pretty_keys(keys: str) -> str:
    """``enter,o`` as a reader writes it: ``Enter, o``."""
    return ", ".join(_pretty(k) for k in str(keys).split(","))


def _pretty(key: str) -> str:
    names = {
        "slash": "/",
        "question_mark": "?",
        "space": "Space",
        "escape": "Esc",
        "enter": "Enter",
        "down": "↓",
        "up": "↑",
        "home": "Home",
        "end": "End",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "delete": "Delete",
        "f2": "F2",
        "percent_sign": "%",
    }
    key = key.strip()
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:].upper()
    return names.get(key, key)


def _two_columns(head: tuple[str, str], rows: Sequence[tuple[str, str]]) -> Text:
    """Plain aligned columns: readable at any width and greppable in tests."""
    width = max(len(a) for a, _ in [head, *rows]) + 2
    out = Text(end="")
    out.append(head[0].ljust(width) + head[1] + "\n", style="bold")
    for a, b in rows:
        out.append(a.ljust(width), style="bold")
        out.append(b + "\n")
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="surveytui.close_help"),
    ]

    def compose(self) -> ComposeResult:
        keymap = dict(getattr(self.app, "keymap", {}))
        keys = key_rows(keymap)
        with KeyScroll(id="help-body"):
            yield Static(Text("surveytui keys (Esc to close)", style="bold"), id="help-title")
            yield Static(_two_columns(("Key", "Action"), keys), id="help-keys")
            yield Static(_two_columns(("Filter", "Meaning"), FILTER_HELP), id="help-filters")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
