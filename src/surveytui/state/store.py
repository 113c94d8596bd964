"""User state: favourites, read marks, tags, notes and saved filters.

Two surveytui instances (two SSH sessions) may share one state file, so every
change takes the file lock, re-reads the file, applies only that change (per
field, newer wins: see ``state_merge``) and replaces the file atomically. A
failed write never loses the change: it stays in memory, is reported, and is
written with the next change that succeeds. Nothing touches the disk until
``load()`` or a change; directories are created on first write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from surveytui.state.files import (
    DiskRead,
    StateEncoder,
    StateFile,
    read_import,
)
from surveytui.state.merge import ImportSummary, MergeCounts, MergeResult, merge
from surveytui.state.reader import SavedFilter, StateReader
from surveytui.state.schema import (
    EMPTY,
    FilterRecord,
    Flag,
    Note,
    PaperState,
    StateData,
    StateError,
    StateWriteError,
    TagSet,
    clean_line,
    clean_multiline,
    is_on,
    is_valid_id,
    normalise_tags,
    parse_tag_input,
    show,
)
from surveytui.state.timestamps import format_ts, stamp_after
from surveytui.system.atomic import write_bytes_atomic

__all__ = [
    "ImportSummary",
    "SavedFilter",
    "StateError",
    "StateWriteError",
    "Store",
    "clean_multiline",
    "normalise_tags",
    "parse_tag_input",
]

LOCK_TIMEOUT = 5.0

PatchFn = Callable[[StateData, str], StateData]
_BLANK = PaperState()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Store(StateReader):
    """The user's state for one catalogue: the queries of :class:`StateReader`, plus
    loading and locked, merged, atomic changes."""

    def __init__(
        self,
        path: Path,
        *,
        catalog_key: str = "",
        clock: Callable[[], datetime] | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.path = Path(path)
        self._clock = clock or _utc_now
        self._file = StateFile(self.path, lock_timeout=lock_timeout)
        self._catalog_key = clean_line(catalog_key)
        self._mutex = threading.RLock()
        StateReader.__init__(self, StateData(catalog=self._catalog_key))
        self._pending = EMPTY  # stamped changes not yet on disk
        self._known: tuple[bytes | None, StateData] = (None, EMPTY)  # file as last seen
        self._encoder = StateEncoder()
        self._notices: list[str] = []
        self._left_as_is = False

    @property
    def lock_path(self) -> Path:
        return self._file.lock_path

    @property
    def has_unsaved_changes(self) -> bool:
        return bool(self._pending)

    @property
    def file_bytes(self) -> bytes | None:
        """The state file's content as this store last read or wrote it (None: no file)."""
        return self._known[0]

    @property
    def left_as_is(self) -> bool:
        """A read-only load found a file needing repair: nothing may write it now."""
        return self._left_as_is

    def drain_notices(self) -> list[str]:
        """Notices from changes since the last call (e.g. a corrupt file moved aside)."""
        with self._mutex:
            notices, self._notices = self._notices, []
        return notices

    # ------------------------------------------------------------ load and write

    def load(self, *, readonly: bool = False) -> list[str]:
        """Read the file (again); returns one-line notices about repairs made.

        ``readonly`` (``list``, ``search``, exports) never repairs, migrates or moves the
        file: it uses what it can read and says so, and the next change repairs it.
        """
        with self._mutex:
            disk = self._file.read(self._known)
            if disk.clean:
                if disk.raw is not None:
                    self._known = (disk.raw, disk.state)
                self._state = merge(disk.state, self._pending, incoming_wins_ties=True).state
                return []
            if readonly:
                self._left_as_is = True
                self._state = merge(disk.state, self._pending, incoming_wins_ties=True).state
                if disk.kind == "v1":
                    return []  # read as version 2; migrated by the next change
                where = show(self.path)
                if disk.kind == "corrupt":
                    return [
                        f"state file {where} is {disk.describe()}; using empty state, left as is"
                    ]
                return [f"state file {where} has {disk.describe()}; ignoring those, left as is"]
            notices: list[str] = []
            try:
                self._commit(None, notices)
            except StateWriteError as exc:
                salvage = merge(disk.state, self._state, incoming_wins_ties=False).state
                self._state = merge(salvage, self._pending, incoming_wins_ties=True).state
                if not notices:
                    notices.append(
                        f"state file {show(self.path)} needs repair ({disk.describe()}) but {exc}"
                    )
                else:
                    notices.append(str(exc))
            return notices

    def _repair(self, disk: DiskRead, notices: list[str], now: str) -> StateData:
        """Make a file that is not clean v2 safe to replace, keeping what memory knows.

        Such a file may have lost data (hand edits, an old surveytui), so this
        process's state is merged back in; the result joins the pending changes
        until it is written. Called with the lock held.
        """
        base = merge(disk.state, self._state, incoming_wins_ties=False).state
        where = show(self.path)
        if disk.kind == "v1":
            backup = self._file.backup_v1(disk.raw or b"", now)
            notice = f"migrated state file {where} from version 1 (backup: {show(backup)})"
            if disk.problems:
                notice += f"; dropped {disk.describe()}"
        else:
            aside = show(self._file.move_aside(now))
            if disk.kind == "corrupt":
                rest = "kept the state already in memory" if base else "starting empty"
                notice = f"state file {where} was corrupt ({disk.reason}); moved aside to {aside}; "
                notice += rest
            else:
                notice = (
                    f"state file {where} had {disk.describe()}; dropped those and kept the rest; "
                    f"original moved aside to {aside}"
                )
        notices.append(notice)
        self._pending = merge(base, self._pending, incoming_wins_ties=True).state
        return base

    def _commit(
        self, make_patch: PatchFn | None, notices: list[str], ties: bool = True
    ) -> MergeCounts:
        """Lock, re-read, apply pending changes and this one, write; or keep it in memory."""
        now = format_ts(self._clock())
        try:
            with self._file.locked():
                disk = self._file.read(self._known)
                base = disk.state if disk.clean else self._repair(disk, notices, now)
                base = merge(base, self._pending, incoming_wins_ties=True).state
                result = MergeResult(base, EMPTY, MergeCounts())
                if make_patch is not None:
                    result = merge(base, make_patch(base, now), incoming_wins_ties=ties)
                state = result.state
                if self._catalog_key and state.catalog != self._catalog_key:
                    state = replace(state, catalog=self._catalog_key)
                data = self._encoder.encode(state)
                if data != disk.raw:
                    self._file.write(data)
        except (OSError, StateError) as exc:
            if make_patch is not None:
                fallback = merge(self._state, make_patch(self._state, now), incoming_wins_ties=ties)
                self._pending = merge(
                    self._pending, fallback.applied, incoming_wins_ties=True
                ).state
                self._state = fallback.state
            # Callers say what happens next: the browser keeps the change for the session
            # and retries with the next one; a CLI command reports it and fails.
            if isinstance(exc, StateError):
                raise StateWriteError(str(exc)) from exc
            raise StateWriteError(
                f"could not save state file {show(self.path)}: {self._file.why(exc)}"
            ) from exc
        self._pending = EMPTY
        self._known = (data, state)
        self._state = state
        return result.counts

    def flush(self) -> None:
        """Write changes that an earlier failed write kept in memory (no-op when none)."""
        with self._mutex:
            if self._pending:
                self._commit(None, self._notices)

    def _change(self, make_patch: PatchFn) -> None:
        with self._mutex:
            self._commit(make_patch, self._notices)

    # ------------------------------------------------------------ mutations

    def _paper_change(
        self,
        paper_id: str,
        field: str,
        build: Callable[[PaperState], Callable[[str], PaperState] | None],
    ) -> None:
        """``build`` sees the freshly merged paper and returns stamp -> one-field patch,
        or ``None`` when nothing would change (so re-starring keeps the first star time).
        """
        if not isinstance(paper_id, str) or not is_valid_id(paper_id):
            raise ValueError(f"invalid paper id {paper_id!r}")

        def patch(base: StateData, now: str) -> StateData:
            paper = base.papers.get(paper_id, _BLANK)
            make = build(paper)
            if make is None:
                return EMPTY
            old: Flag | TagSet | Note | None = getattr(paper, field)
            return StateData({paper_id: make(stamp_after(now, old.at if old else None))})

        self._change(patch)

    def _set_flag(self, paper_id: str, field: Literal["fav", "read"], on: bool) -> None:
        def build(p: PaperState) -> Callable[[str], PaperState] | None:
            if is_on(getattr(p, field)) == on:
                return None
            if field == "fav":
                return lambda at: PaperState(fav=Flag(on, at))
            return lambda at: PaperState(read=Flag(on, at))

        self._paper_change(paper_id, field, build)

    def _toggle_flag(self, paper_id: str, field: Literal["fav", "read"]) -> bool:
        """Flips what the user sees (not what the file says), so one press = one visible flip."""
        with self._mutex:
            new = not is_on(getattr(self._paper(paper_id), field))
            self._set_flag(paper_id, field, new)
        return new

    def set_flags(self, paper_ids: Iterable[str], field: Literal["fav", "read"], on: bool) -> None:
        """Star or mark read several papers (the browser's marks), each under the lock."""
        for paper_id in paper_ids:
            self._set_flag(paper_id, field, on)

    def add_tags_to(self, paper_ids: Iterable[str], tags: Iterable[str]) -> None:
        wanted = tuple(tags)
        for paper_id in paper_ids:
            self.add_tags(paper_id, wanted)

    def set_favourite(self, paper_id: str, on: bool) -> None:
        self._set_flag(paper_id, "fav", on)

    def toggle_favourite(self, paper_id: str) -> bool:
        return self._toggle_flag(paper_id, "fav")

    def set_read(self, paper_id: str, on: bool) -> None:
        self._set_flag(paper_id, "read", on)

    def toggle_read(self, paper_id: str) -> bool:
        return self._toggle_flag(paper_id, "read")

    def _tags_change(
        self, paper_id: str, compute: Callable[[tuple[str, ...]], tuple[str, ...]]
    ) -> None:
        def build(paper: PaperState) -> Callable[[str], PaperState] | None:
            current = paper.tags.value if paper.tags is not None else ()
            new = compute(current)
            return None if new == current else lambda at: PaperState(tags=TagSet(new, at))

        self._paper_change(paper_id, "tags", build)

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        """Tags are normalised (see ``normalise_tag``) so ``tag:NAME`` always finds them."""
        new = normalise_tags(tags)
        self._tags_change(paper_id, lambda _current: new)

    def add_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        """Applied to the tags on disk at write time, so two processes' additions both stay."""
        extra = normalise_tags(tags)
        self._tags_change(paper_id, lambda current: tuple(sorted({*current, *extra})))

    def remove_tags(self, paper_id: str, tags: Iterable[str]) -> None:
        gone = set(normalise_tags(tags))
        self._tags_change(paper_id, lambda current: tuple(t for t in current if t not in gone))

    def set_note(self, paper_id: str, text: str) -> None:
        """An empty note is stored as an empty value, so clearing it merges like any edit."""
        value = clean_multiline(text)

        def build(paper: PaperState) -> Callable[[str], PaperState] | None:
            current = paper.note.value if paper.note is not None else ""
            return None if value == current else lambda at: PaperState(note=Note(value, at))

        self._paper_change(paper_id, "note", build)

    def save_filter(self, name: str, query: str, section: str | None) -> None:
        """Re-saving a name updates it in place (its position in the list is kept)."""
        name, query = clean_line(name), clean_line(query)
        if section is not None:
            section = clean_line(section) or None
        if not name:
            raise ValueError("a saved filter needs a name")

        def patch(base: StateData, now: str) -> StateData:
            current = base.filters.get(name)
            live = current if current is not None and not current.deleted else None
            if live is not None and (live.query, live.section) == (query, section):
                return EMPTY
            at = stamp_after(now, current.at if current is not None else None)
            record = FilterRecord(query, section, at, live.created if live else at)
            return StateData(filters={name: record})

        self._change(patch)

    def delete_filter(self, name: str) -> None:
        """Leaves a tombstone so another process's older copy cannot bring it back."""
        name = clean_line(name)

        def patch(base: StateData, now: str) -> StateData:
            current = base.filters.get(name)
            if current is None or current.deleted:
                return EMPTY
            tombstone = FilterRecord("", None, stamp_after(now, current.at), current.created, True)
            return StateData(filters={name: tombstone})

        self._change(patch)

    def rename_filter(self, old: str, new: str) -> None:
        """The new name takes over the query, section and place in the list (its number
        key); the old name is left as a tombstone so an older copy cannot bring it back."""
        old, new = clean_line(old), clean_line(new)
        if not new:
            raise ValueError("a saved filter needs a name")

        def patch(base: StateData, now: str) -> StateData:
            current = base.filters.get(old)
            if current is None or current.deleted or new == old:
                return EMPTY
            existing = base.filters.get(new)
            at = stamp_after(now, existing.at if existing is not None else current.at)
            gone = FilterRecord("", None, stamp_after(now, current.at), current.created, True)
            moved = FilterRecord(current.query, current.section, at, current.created)
            return StateData(filters={old: gone, new: moved})

        self._change(patch)

    # ------------------------------------------------------------ export / import

    def export_state(self, dest: Path) -> None:
        """The state as this process knows it, tombstones included, so imports merge exactly."""
        dest = Path(dest)
        with self._mutex:
            state = self._state
            if self._catalog_key:
                state = replace(state, catalog=self._catalog_key)
            data = StateEncoder().encode(state)
        try:
            write_bytes_atomic(dest, data)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StateWriteError(f"could not export state to {show(dest)}: {reason}") from None

    def import_state(self, src: Path) -> ImportSummary:
        """Merge another state file (v1 or v2): per field, only newer data is taken."""
        src = Path(src)
        incoming = read_import(src)
        with self._mutex:
            counts = self._commit(lambda _base, _now: incoming, self._notices, ties=False)
        return ImportSummary.of(src, counts)
