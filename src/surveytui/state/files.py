"""The state file's bytes on disk: layout, reading, locking, atomic writes, repairs.

Kept apart from ``Store`` so the promises about the user's file sit in one
short place: a write is all or nothing (temp file, fsync, rename, fsync the
directory), a corrupt file is moved aside and never overwritten, a backup is
never replaced, and a file from a newer surveytui is never touched.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveytui.state.schema import (
    EMPTY,
    VERSION,
    CorruptState,
    FilterRecord,
    FutureVersion,
    PaperState,
    StateData,
    StateError,
    decode_state,
    plural,
    show,
)
from surveytui.state.timestamps import format_ts
from surveytui.system.atomic import write_bytes_atomic, write_bytes_exclusive
from surveytui.system.files import STATE_LIMIT, describe_mode, read_regular

if TYPE_CHECKING:
    import filelock


#: The store's name for :func:`~surveytui.system.atomic.write_bytes_atomic`
#: (mode kept, new files 0600).


class LockTimeout(TimeoutError):
    """Another process held the state lock for longer than we wait."""


def _paper_json(paper: PaperState) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if paper.fav is not None:
        out["fav"] = {"on": paper.fav.on, "at": paper.fav.at}
    if paper.read is not None:
        out["read"] = {"on": paper.read.on, "at": paper.read.at}
    if paper.tags is not None:
        out["tags"] = {"value": list(paper.tags.value), "at": paper.tags.at}
    if paper.note is not None:
        out["note"] = {"value": paper.note.value, "at": paper.note.at}
    return out


def _filter_json(record: FilterRecord) -> dict[str, Any]:
    return {
        "query": record.query,
        "section": record.section,
        "at": record.at,
        "created": record.created,
        "deleted": record.deleted,
    }


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def _block(name: str, lines: list[str]) -> str:
    if not lines:
        return f' "{name}": {{}}'
    return f' "{name}": {{\n' + ",\n".join(lines) + "\n }"


class StateEncoder:
    """Writes the state with sorted keys, one paper per line.

    One line per paper keeps diffs readable and lets a mutation re-encode
    only the paper it touched: lines are cached per (unchanged) record.
    """

    def __init__(self) -> None:
        self._lines: dict[str, tuple[PaperState, str]] = {}

    def encode(self, state: StateData) -> bytes:
        encode = _ENCODER.encode
        cache, fresh = self._lines, {}
        paper_lines = []
        for pid in sorted(state.papers):
            paper = state.papers[pid]
            hit = cache.get(pid)
            if hit is not None and (hit[0] is paper or hit[0] == paper):
                line = hit[1]
            else:
                line = f"  {encode(pid)}: {encode(_paper_json(paper))}"
            fresh[pid] = (paper, line)
            paper_lines.append(line)
        self._lines = fresh
        filter_lines = [
            f"  {encode(name)}: {encode(_filter_json(state.filters[name]))}"
            for name in sorted(state.filters)
        ]
        text = (
            "{\n"
            f' "catalog": {encode(state.catalog)},\n'
            f"{_block('filters', filter_lines)},\n"
            f"{_block('papers', paper_lines)},\n"
            f' "version": {VERSION}\n'
            "}\n"
        )
        return text.encode("utf-8")


def _compact(timestamp: str) -> str:
    """``2026-11-28T15:12:00.000000Z`` -> ``20261128T151200Z``, for file names."""
    return timestamp[:19].replace("-", "").replace(":", "") + "Z"


def read_with_mtime(path: Path) -> tuple[bytes, str]:
    """The bytes and the modification time (the star time given to v1 favourites)."""
    raw, st = read_regular(path, limit=STATE_LIMIT)  # a FIFO or /dev/zero is refused
    try:
        moment = datetime.fromtimestamp(st.st_mtime, timezone.utc)
    except (OverflowError, OSError, ValueError):  # a file dated beyond what datetime holds
        moment = datetime.max if st.st_mtime > 0 else datetime.min
    return raw, format_ts(moment)


def _looks_like_object(raw: bytes) -> bool:
    """False for content that cannot be a damaged state file: after an optional BOM and
    whitespace it does not open a JSON object (an empty file could be a truncated one)."""
    text = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    text = text.lstrip()
    return not text or text.startswith(b"{")


@dataclass(frozen=True)
class DiskRead:
    """What one read found; ``kind`` is missing, ok, v1, damaged (salvaged) or corrupt."""

    kind: str
    raw: bytes | None
    state: StateData
    problems: tuple[str, ...] = ()
    reason: str = ""

    @property
    def clean(self) -> bool:
        return self.kind in ("ok", "missing")

    def describe(self) -> str:
        if self.kind == "corrupt":
            return f"corrupt, {self.reason}"
        if self.kind == "v1":
            return "version 1 format"
        count = plural(len(self.problems), "invalid entry", "invalid entries")
        return f"{count}; first: {self.problems[0]}"


class StateFile:
    def __init__(self, path: Path, *, lock_timeout: float) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self._lock_timeout = lock_timeout
        self._lock: filelock.FileLock | None = None

    def read(self, known: tuple[bytes | None, StateData]) -> DiskRead:
        """Raises ``StateError`` only for an unreadable file, one too new to touch, or one
        that is not JSON object text at all (someone else's file, never repaired).

        ``known`` is the content last read or written with its decoded state:
        when the bytes are unchanged the (slow) parse is skipped.
        """
        try:
            raw, mtime = read_with_mtime(self.path)
        except (FileNotFoundError, NotADirectoryError):
            return DiskRead("missing", None, EMPTY)
        except OSError as exc:
            raise StateError(f"cannot read state file {show(self.path)}: {self.why(exc)}") from None
        if raw == known[0]:
            return DiskRead("ok", raw, known[1])
        if not _looks_like_object(raw):
            # A mistyped --state (a catalogue, a README): not ours to move aside or replace.
            raise StateError(
                f"{show(self.path)} is not a surveytui state file (not a JSON object); "
                "left untouched"
            )
        try:
            decoded = decode_state(raw, v1_starred_at=mtime)
        except FutureVersion as exc:
            raise StateError(
                f"state file {show(self.path)} is version {exc.version}, newer than this "
                f"surveytui understands ({VERSION}); left untouched: upgrade surveytui"
            ) from None
        except CorruptState as exc:
            return DiskRead("corrupt", raw, EMPTY, reason=str(exc))
        if decoded.version == 1:
            return DiskRead("v1", raw, decoded.state, decoded.problems)
        kind = "damaged" if decoded.problems else "ok"
        return DiskRead(kind, raw, decoded.state, decoded.problems)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """The cross-process lock (``<path>.lock``); creates the directory if needed."""
        import filelock  # deferred: read-only commands never lock, and it is slow to import

        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._lock is None:
            self._lock = filelock.FileLock(
                str(self.lock_path), timeout=self._lock_timeout, mode=0o600
            )
        try:
            self._lock.acquire(timeout=self._lock_timeout, poll_interval=0.01)
        except filelock.Timeout:
            raise LockTimeout() from None
        try:
            yield
        finally:
            self._lock.release()

    def write(self, data: bytes) -> None:
        write_bytes_atomic(self.path, data)

    def why(self, exc: OSError) -> str:
        """The OS problem in a few words, naming a path only if it is not the state file."""
        if isinstance(exc, LockTimeout):
            return (
                f"lock {show(self.lock_path)} still held by another process "
                f"after {self._lock_timeout:g} s"
            )
        text = exc.strerror or str(exc) or type(exc).__name__
        if exc.filename is not None and os.fspath(exc.filename) != str(self.path):
            text += f" ({show(os.fspath(exc.filename))})"
        return text

    def move_aside(self, now: str) -> Path:
        """Rename the (corrupt) file to a free ``.corrupt-<time>`` name; bytes untouched.

        A symlinked state file has its target moved (the link stays, and the next
        write creates a fresh file behind it); anything but a regular file is
        never renamed.
        """
        real = Path(os.path.realpath(self.path))
        mode = os.lstat(real).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"is {describe_mode(mode)}, not moved aside", str(real))
        stem = f"{real.name}.corrupt-{_compact(now)}"
        target, n = real.with_name(stem), 1
        while os.path.lexists(target):
            n += 1
            target = real.with_name(f"{stem}-{n}")
        os.rename(real, target)
        return target

    def backup_v1(self, raw: bytes, now: str) -> Path:
        """Copy a version 1 file to ``.v1.bak`` (or a timestamped name if that exists)."""
        stamp = _compact(now)
        names = [f"{self.path.name}.v1.bak", f"{self.path.name}.v1-{stamp}.bak"]
        names += (f"{self.path.name}.v1-{stamp}-{n}.bak" for n in range(2, 100))
        for name in names:
            target = self.path.with_name(name)
            with suppress(OSError):
                if read_regular(target, limit=STATE_LIMIT)[0] == raw:
                    return target  # an earlier, interrupted migration saved these bytes
            try:  # an existing backup is never overwritten
                write_bytes_exclusive(target, raw)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"too many version 1 backups beside {show(self.path)}")


def read_import(src: Path) -> StateData:
    """Another state file to merge (v1 or v2); anything doubtful refuses the whole file."""
    where = show(src)
    try:
        raw, mtime = read_with_mtime(src)
    except OSError as exc:
        raise StateError(f"cannot read {where}: {exc.strerror or exc}") from None
    try:
        decoded = decode_state(raw, v1_starred_at=mtime)
    except CorruptState as exc:
        raise StateError(f"{where} is not a surveytui state file ({exc})") from None
    except FutureVersion as exc:
        raise StateError(
            f"{where} is version {exc.version}, newer than this surveytui "
            f"understands ({VERSION}); nothing imported"
        ) from None
    if decoded.problems:
        raise StateError(
            f"{where} has {plural(len(decoded.problems), 'invalid entry', 'invalid entries')} "
            f"(first: {decoded.problems[0]}); nothing imported"
        )
    return replace(decoded.state, catalog="")
