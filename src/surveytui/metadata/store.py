"""Fetched metadata on disk: one JSON Lines file per catalogue, beside (not in) the state file.

Kept apart from user state because it can always be fetched again while
stars cannot: a broken metadata file never puts favourites at risk, and the
state file stays small. The file is read only when something asks for a
record (the browser's detail pane, a JSON export, ``enrich``), so start-up
never pays for abstracts.

Writes lock, re-read, apply and replace atomically: two ``enrich`` runs, or
``enrich`` and the browser's on-demand fetch, never drop each other's
records, and a run that fails half-way leaves every record stored before.
A bad line is skipped and counted (the good records are kept); a file that
is not metadata at all is moved aside with a timestamp and reported, then
treated as empty.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from surveytui.model.meta import LinkMismatch, MetaView, PaperMeta
from surveytui.system.atomic import write_bytes_atomic
from surveytui.system.files import read_regular
from surveytui.system.paths import catalog_key, data_dir

FORMAT = "surveytui-metadata"
VERSION = 1
#: A metadata file beyond this is not ours (100k papers with abstracts is ~150 MB).
MAX_FILE_BYTES = 1_000_000_000
LOCK_TIMEOUT = 30.0


class MetaStoreError(Exception):
    """The metadata file cannot be written; one line naming the file."""


def metadata_path(catalog_path: Path, override: Path | str | None = None) -> Path:
    """``<data dir>/metadata/<catalogue key>.json``; ``SURVEYTUI_METADATA`` overrides."""
    if override is not None:
        return Path(override)
    env = os.environ.get("SURVEYTUI_METADATA")
    if env:
        return Path(env)
    return data_dir() / "metadata" / f"{catalog_key(catalog_path)}.json"


class Decoded(NamedTuple):
    """A metadata file's good records, and how many lines were skipped (first reason)."""

    records: dict[str, PaperMeta]
    mismatches: dict[str, LinkMismatch]
    skipped: int = 0
    first_problem: str = ""

    def skipped_text(self) -> str:
        lines = "1 bad line" if self.skipped == 1 else f"{self.skipped} bad lines"
        return f"{lines} (first: {self.first_problem})"


def _decode(data: bytes, where: Path) -> Decoded:
    """Raises ValueError (with a reason) for anything that is not a metadata file.

    The file is JSON Lines: a header, then one paper per line. A bad line (a
    hand edit, a disk error) is skipped and counted, never the whole file: one
    damaged entry must not cost the others. Parsing line by line also lets other
    threads run between lines (the browser reads a 100k-paper file in a worker
    while the reader types); one ``json.loads`` of 160 MB would hold the GIL.
    """
    lines = data.split(b"\n")
    try:
        header = _line(lines[0].decode("utf-8") if lines else "", 1)
    except (UnicodeDecodeError, ValueError):
        header = {}
    if header.get("format") != FORMAT:
        raise ValueError("not a surveytui metadata file")
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ValueError(f"metadata version {version!r} is newer than this surveytui reads")
    out = Decoded({}, {})
    problems: list[str] = []
    for number, raw_line in enumerate(lines[1:], start=2):
        if not raw_line.strip():
            continue
        try:
            _entry(raw_line, number, out)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        out = out._replace(skipped=len(problems), first_problem=problems[0])
    return out


def _entry(raw_line: bytes, number: int, out: Decoded) -> None:
    try:
        line = raw_line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"line {number}: not UTF-8 (byte {exc.start})") from None
    item = _line(line, number)
    pid = item.get("id")
    if not isinstance(pid, str) or not pid:
        raise ValueError(f"line {number}: no paper id")
    try:
        if isinstance(raw := item.get("record"), dict):
            out.records[pid] = PaperMeta.from_json(raw)
        elif isinstance(raw := item.get("wrong_link"), dict):
            out.mismatches[pid] = LinkMismatch.from_json(raw)
        else:
            raise ValueError("neither a record nor a wrong link")
    except ValueError as exc:
        raise ValueError(f"line {number} (paper {pid!r}): {exc}") from None


def _line(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except (ValueError, RecursionError):
        raise ValueError(f"invalid JSON on line {number}") from None
    if not isinstance(item, dict):
        raise ValueError(f"line {number} is not an object")
    return item


def _encode(records: Mapping[str, PaperMeta], mismatches: Mapping[str, LinkMismatch]) -> bytes:
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = [dump({"format": FORMAT, "version": VERSION})]
    lines += [dump({"id": pid, "record": records[pid].to_json()}) for pid in sorted(records)]
    lines += [
        dump({"id": pid, "wrong_link": mismatches[pid].to_json()}) for pid in sorted(mismatches)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


class MetaStore:
    """Records and link mismatches by paper id; implements ``MetaView``.

    Thread-safe: the browser reads it on the event loop while a worker fetches.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._records: dict[str, PaperMeta] = {}
        self._mismatches: dict[str, LinkMismatch] = {}
        self._loaded = False
        self._lock = threading.RLock()
        #: Bumped whenever the records change, so caches built from them (the search
        #: index's author and abstract texts) know to rebuild.
        self.generation = 0
        self.notices: list[str] = []

    # ------------------------------------------------------------------ reading

    def load(self) -> list[str]:
        """Read the file now (idempotent); returns notices such as a corrupt file moved aside."""
        with self._lock:
            if not self._loaded:
                self._records, self._mismatches = self._read()
                self._loaded = True
                self.generation += 1
            return list(self.notices)

    @property
    def loaded(self) -> bool:
        return self._loaded

    def meta(self, paper_id: str) -> PaperMeta | None:
        self.load()
        return self._records.get(paper_id)

    def mismatch(self, paper_id: str) -> LinkMismatch | None:
        self.load()
        return self._mismatches.get(paper_id)

    def peek(self, paper_id: str) -> PaperMeta | None:
        """The record if the file has been read, else None: never reads (the browser's
        event loop uses this; a worker reads the file after the first paint)."""
        return self._records.get(paper_id) if self._loaded else None

    def peek_mismatch(self, paper_id: str) -> LinkMismatch | None:
        return self._mismatches.get(paper_id) if self._loaded else None

    def peeking(self) -> MetaView:
        """A view that shows records once the file has been read and never reads it."""
        return _Peek(self)

    def records(self) -> dict[str, PaperMeta]:
        self.load()
        return dict(self._records)

    def mismatches(self) -> dict[str, LinkMismatch]:
        self.load()
        return dict(self._mismatches)

    def _read(self) -> tuple[dict[str, PaperMeta], dict[str, LinkMismatch]]:
        try:
            if not self.path.is_file():
                return {}, {}
            if self.path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("larger than any metadata file this tool writes")
            data, _ = read_regular(self.path, limit=MAX_FILE_BYTES)  # never blocks on a FIFO
            decoded = _decode(data, self.path)
            if decoded.skipped:
                self.notices.append(
                    f"{self.path}: skipped {decoded.skipped_text()}; kept "
                    f"{len(decoded.records)} good record{'' if len(decoded.records) == 1 else 's'}"
                )
            return decoded.records, decoded.mismatches
        except OSError as exc:
            self.notices.append(f"{self.path}: cannot read metadata ({exc.strerror or exc})")
            return {}, {}
        except ValueError as exc:
            self._move_aside(str(exc))
            return {}, {}

    def _move_aside(self, reason: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            self.notices.append(
                f"{self.path}: unreadable metadata ({reason}) and cannot move it aside "
                f"({exc.strerror or exc}); ignoring it"
            )
            return
        self.notices.append(
            f"{self.path}: unreadable metadata ({reason}); moved aside to {aside.name}, "
            "run 'surveytui enrich' to fetch it again"
        )

    # ------------------------------------------------------------------ writing

    def update(
        self,
        records: Mapping[str, PaperMeta] | None = None,
        mismatches: Mapping[str, LinkMismatch] | None = None,
        cleared: Iterable[str] = (),
    ) -> None:
        """Add or replace records and mismatches (and clear mismatches for ``cleared``
        ids) under the file lock, re-reading first so no other writer's work is lost."""
        from filelock import FileLock, Timeout

        records = records or {}
        mismatches = mismatches or {}
        cleared = set(cleared)
        if not records and not mismatches and not cleared:
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, FileLock(str(lock_path), timeout=LOCK_TIMEOUT, mode=0o600):
                self._loaded = False
                self.load()
                self._records.update(records)
                for pid in cleared:
                    self._mismatches.pop(pid, None)
                self._mismatches.update(mismatches)
                write_bytes_atomic(self.path, _encode(self._records, self._mismatches))
        except Timeout:
            raise MetaStoreError(f"{self.path}: another surveytui holds its lock") from None
        except OSError as exc:
            raise MetaStoreError(f"{self.path}: cannot write ({exc.strerror or exc})") from None

    def export_to(self, target: Path) -> int:
        """Write every record to ``target`` (a file another machine can import)."""
        self.load()
        write_bytes_atomic(target, _encode(self._records, self._mismatches), private=False)
        return len(self._records)

    def read_import(self, source: Path) -> Decoded:
        """Another machine's export, decoded: its good records and how many lines were bad."""
        try:
            data, _ = read_regular(source, limit=MAX_FILE_BYTES)  # a FIFO or /dev/zero: refused
            return _decode(data, source)
        except OSError as exc:
            raise MetaStoreError(f"{source}: cannot read ({exc.strerror or exc})") from None
        except ValueError as exc:
            raise MetaStoreError(f"{source}: {exc}") from None

    def import_from(self, source: Path) -> int:
        """Merge another machine's export: its records replace ours for the same ids."""
        decoded = self.read_import(source)
        self.update(decoded.records, decoded.mismatches)
        return len(decoded.records)


class _Peek:
    """``MetaStore.peeking()``: what a widget drawing on the event loop may ask."""

    def __init__(self, store: MetaStore) -> None:
        self._store = store

    def meta(self, paper_id: str) -> PaperMeta | None:
        return self._store.peek(paper_id)

    def mismatch(self, paper_id: str) -> LinkMismatch | None:
        return self._store.peek_mismatch(paper_id)
