"""The reading-list commands: ``fav``, ``tag``, ``read``, ``note`` and ``filter``.

Each one that changes state says on stderr what it changed (``starred 2 papers``),
including what it did not do and why (a tag the paper did not have, a tag that
normalisation rewrote), so a script's log reads like what happened. A mistyped
paper id is answered with the ids that look like it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from surveytui.model.catalog import Catalog, Paper
from surveytui.state.schema import normalise_tag, plural

if TYPE_CHECKING:
    from surveytui.state.store import Store

Command = Callable[[argparse.Namespace], int]
Adder = Callable[[str, Command, str], argparse.ArgumentParser]
#: Supplied by cli.main (which owns loading, the store and the output format), so this
#: module never imports it back.
Loader = Callable[[argparse.Namespace], Catalog]
Opener = Callable[[argparse.Namespace], "tuple[Store, list[str]]"]
Emitter = Callable[[argparse.Namespace, Catalog, Sequence[Paper], "Store"], None]


class ReadingError(Exception):
    """One line for the user; cli.main prints it and exits 2."""


def say(message: str) -> None:
    print(f"surveytui: {message}", file=sys.stderr)


def suggest_ids(catalog: Catalog, wanted: str, limit: int = 3) -> list[str]:
    """Ids a mistyped one probably meant: ids starting with it, containing it, then
    papers whose title contains it (``awq`` -> ``awq-activation-aware-...``)."""
    needle = wanted.casefold().strip()
    if not needle:
        return []
    starts = [p.id for p in catalog.papers if p.id.startswith(needle)]
    contains = [p.id for p in catalog.papers if needle in p.id and p.id not in starts]
    titled = [
        p.id
        for p in catalog.papers
        if needle in p.title.casefold() and p.id not in starts and p.id not in contains
    ]
    return (starts + contains + titled)[:limit]


def resolve_ids(catalog: Catalog, ids: Sequence[str]) -> list[str]:
    for pid in ids:
        if pid not in catalog.by_id:
            src = catalog.path or "catalogue"
            hint = suggest_ids(catalog, pid)
            more = f"; did you mean {' or '.join(hint)}?" if hint else ""
            raise ReadingError(f"{src}: unknown paper id {pid!r}{more}")
    return [catalog.by_id[pid].id for pid in ids]  # an alias names its joined paper


def split_tags(items: Sequence[str]) -> tuple[list[str], list[str]]:
    """Tags as the browser reads them (comma separated), and notes on any rewritten."""
    tags: list[str] = []
    notes: list[str] = []
    for item in items:
        for raw in item.split(","):
            if not raw.strip():
                continue
            tag = normalise_tag(raw)
            if not tag:
                notes.append(f"ignored tag {raw.strip()!r}: nothing left after normalising")
                continue
            if tag != raw.strip():
                notes.append(f"tag {raw.strip()!r} → {tag}")
            if tag not in tags:
                tags.append(tag)
    return tags, notes


class ReadingCommands:
    """The commands, bound to cli.main's loaders."""

    def __init__(self, load: Loader, open_store: Opener, emit: Emitter) -> None:
        self.load, self.open_store, self.emit = load, open_store, emit

    def _open(self, args: argparse.Namespace) -> tuple[Catalog, Store]:
        """The catalogue and the reader's state, with state kept under a joined
        listing's old id moved to its paper (state/aliases.py)."""
        from surveytui.state.aliases import adopt_aliases

        catalog = self.load(args)
        store, _ = self.open_store(args)
        adopt_aliases(store, catalog)
        return catalog, store

    def fav(self, args: argparse.Namespace) -> int:
        catalog, store = self._open(args)
        if args.action == "list":
            found = (catalog.by_id[i] for i, _ in store.favourites() if i in catalog.by_id)
            favs = list({p.id: p for p in found}.values())  # a paper and its alias: once
            self.emit(args, catalog, favs, store)
            return 0
        on = args.action == "add"
        ids = resolve_ids(catalog, args.ids)
        changed = [pid for pid in dict.fromkeys(ids) if store.is_favourite(pid) != on]
        for pid in changed:
            store.set_favourite(pid, on)
        verb = "starred" if on else "unstarred"
        say(f"{verb} {plural(len(changed), 'paper')}" + self._unchanged(ids, changed, verb))
        return 0

    @staticmethod
    def _unchanged(ids: Sequence[str], changed: Sequence[str], verb: str) -> str:
        same = len(set(ids)) - len(changed)
        return f" ({plural(same, 'paper')} already {verb})" if same else ""

    def read(self, args: argparse.Namespace) -> int:
        catalog, store = self._open(args)
        if args.action == "list":
            read = store.read_ids()
            self.emit(args, catalog, [p for p in catalog.papers if p.id in read], store)
            return 0
        if not args.ids:
            raise ReadingError(f"read {args.action}: give at least one paper id")
        on = args.action == "add"
        ids = resolve_ids(catalog, args.ids)
        changed = [pid for pid in dict.fromkeys(ids) if store.is_read(pid) != on]
        for pid in changed:
            store.set_read(pid, on)
        verb = "marked read" if on else "marked unread"
        say(f"{verb}: {plural(len(changed), 'paper')}" + self._unchanged(ids, changed, "so"))
        return 0

    def tag(self, args: argparse.Namespace) -> int:
        catalog, store = self._open(args)
        if args.action == "list":
            for tag, count in store.all_tags().items():
                print(f"{tag}\t{count}")
            return 0
        if len(args.items) < 2:
            raise ReadingError(f"tag {args.action}: give a paper id and at least one tag")
        (pid,) = resolve_ids(catalog, args.items[:1])
        tags, notes = split_tags(args.items[1:])
        for note in notes:
            say(note)
        before = set(store.tags(pid))
        if args.action == "add":
            store.add_tags(pid, tags)
            added = [t for t in tags if t not in before]
            say(f"{pid}: added {' '.join('#' + t for t in added) or 'nothing new'}")
            return 0
        missing = [t for t in tags if t not in before]
        for tag in missing:
            say(f"{pid} has no tag {tag!r}")
        gone = [t for t in tags if t in before]
        store.remove_tags(pid, gone)
        if gone:
            say(f"{pid}: removed {' '.join('#' + t for t in gone)}")
        return 1 if missing and not gone else 0

    def note(self, args: argparse.Namespace) -> int:
        catalog, store = self._open(args)
        (pid,) = resolve_ids(catalog, [args.id])
        if args.text is None:
            text = store.note(pid)
            if text:
                print(text)
            return 0
        store.set_note(pid, args.text)
        say(f"{pid}: note cleared" if not args.text.strip() else f"{pid}: note saved")
        return 0

    def filter(self, args: argparse.Namespace) -> int:
        store, _ = self.open_store(args)
        saved = store.saved_filters()
        names = [f.name for f in saved]
        if args.action == "list":
            for number, f in enumerate(saved, start=1):
                key = str(number) if number <= 9 else "-"
                print(f"{key}\t{f.name}\t{f.query}\t{f.section or 'all'}")
            return 0
        expected = 1 if args.action == "rm" else 2
        if len(args.names) != expected:
            usage = "NAME" if args.action == "rm" else "OLD NEW"
            raise ReadingError(f"filter {args.action}: give {usage}")
        name = args.names[0]
        if name not in names:
            known = ", ".join(repr(n) for n in names) or "none saved"
            raise ReadingError(f"no saved filter named {name!r} (saved: {known})")
        if args.action == "rm":
            store.delete_filter(name)
            say(f"deleted saved filter {name!r}")
            return 0
        new = args.names[1].strip()
        if not new:
            raise ReadingError("filter rename: the new name is empty")
        if new in names and new != name:
            raise ReadingError(f"a saved filter named {new!r} already exists")
        store.rename_filter(name, new)
        say(f"renamed saved filter {name!r} to {new!r}")
        return 0


def add_reading_commands(add: Adder, commands: ReadingCommands, fmt: dict[str, Any]) -> None:
    """Register the commands on cli.main's subparsers (``add`` wires the common options)."""
    p = add("fav", commands.fav, "star or unstar papers, or list the starred ones")
    p.add_argument("action", choices=("add", "rm", "list"))
    p.add_argument("ids", nargs="*", metavar="ID", help="paper ids (see --ids or --format json)")
    p.add_argument("--format", **fmt)
    p.add_argument(
        "--ids", dest="show_ids", action="store_true", help="table: show each paper's id"
    )
    p = add("tag", commands.tag, "add or remove a paper's tags, or list every tag with its count")
    p.add_argument("action", choices=("add", "rm", "list"))
    p.add_argument(
        "items",
        nargs="*",
        metavar="ID TAG",
        help="a paper id, then tags (separate arguments or comma separated: 'a, b')",
    )
    p = add("read", commands.read, "mark papers read or unread, or list the read ones")
    p.add_argument("action", choices=("add", "rm", "list"))
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--format", **fmt)
    p.add_argument(
        "--ids", dest="show_ids", action="store_true", help="table: show each paper's id"
    )
    p = add("note", commands.note, "show a paper's note, or set it (an empty TEXT clears it)")
    p.add_argument("id", metavar="ID")
    p.add_argument("text", nargs="?", metavar="TEXT")
    p = add("filter", commands.filter, "list, delete or rename the browser's saved filters")
    p.add_argument("action", choices=("list", "rm", "rename"))
    p.add_argument("names", nargs="*", metavar="NAME", help="rm NAME | rename OLD NEW")
