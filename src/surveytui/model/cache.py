"""A parse cache for catalogues: TOML parsing dominates start-up for big lists.

tomli needs over a second for a 100k-paper file, while ``marshal`` reads the
same already-validated records back in a small fraction of that. The cache is
an optimisation only: it is keyed by path, size, mtime and schema, silently
rebuilt when stale or corrupt, and never required to exist or be writable.
A cache hit skips validation, and ``marshal`` has no integrity check of its
own (a flipped byte can still decode, into a wrong title or a control
character), so the payload carries a CRC-32 that must match before it is used:
it catches accidental damage at a few milliseconds per 100k papers.

The file also carries the search index's prepared haystacks as an opaque tail
(``surveytui.search.registry`` puts them there and reads them back), and a hit
builds Paper objects only when one is looked at: ``surveytui search`` on a 100k
list then touches just the papers it prints.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from surveytui import __version__
from surveytui.model.catalog import SCHEMA_VERSION, Catalog, Paper, Section
from surveytui.system.files import CATALOG_LIMIT, content_hash
from surveytui.system.paths import cache_dir

CACHE_FORMAT = 5
_CHECK_SIZE = 4
_LEN_SIZE = 8

RawPaper = tuple[
    str,
    str,
    "str | None",
    "int | None",
    tuple[str, ...],
    "str | None",
    "str | None",
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
]


class LazyPapers(Sequence[Paper]):
    """The papers of a cached catalogue, each built on first access.

    A built Paper replaces its raw tuple in place, so a fully built list costs
    no more memory than a tuple of papers would.
    """

    def __init__(self, raw: list[RawPaper]) -> None:
        self._items: list[Paper | RawPaper] = list(raw)
        self._unbuilt = len(raw)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | Sequence[Paper]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._items)))]
        item = self._items[index]
        if type(item) is tuple:
            paper = self._items[index] = Paper(*item)
            self._unbuilt -= 1
            return paper
        return item  # type: ignore[return-value]

    def take(self, indices: Iterable[int]) -> list[Paper]:
        """``[self[i] for i in indices]``, at list speed once every paper is built
        (the browser's first background pass builds them all)."""
        if self._unbuilt == 0:
            items = self._items
            return [items[i] for i in indices]  # type: ignore[misc]
        return [self[i] for i in indices]

    def __iter__(self) -> Iterator[Paper]:
        for i in range(len(self._items)):
            yield self[i]


def cache_file(path: Path) -> Path:
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "catalogs" / f"{digest}.marshal"


#: A file whose status changed this shortly before we hashed it may change again within
#: the same timestamp tick, invisibly to its stat; later its content is hashed again.
SETTLE_NS = 2_000_000_000


def _identity(path: Path) -> tuple[Any, ...]:
    return (CACHE_FORMAT, SCHEMA_VERSION, __version__, str(path.resolve()))


def _stat_sig(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def cache_key(path: Path, st: os.stat_result, read_started_ns: int) -> tuple[Any, ...]:
    """The key stored with a parse: the catalogue's content (size and CRC-32 of its
    bytes), its stat, and whether that stat had settled when the hashing began.

    Content, not times, says whether a cache is current: an edit that keeps the
    size and restores the mtime (``touch -r``, ``cp -p``) is never answered from
    the old parse. Hashing costs ~10 ms at 35 MB, so :func:`key_matches` skips it
    when the stat proves the content unchanged.
    """
    size, crc = content_hash(path, limit=CATALOG_LIMIT)
    settled = read_started_ns - st.st_ctime_ns > SETTLE_NS
    return (*_identity(path), size, crc, _stat_sig(st), settled)


def key_matches(stored: tuple[Any, ...], path: Path, st: os.stat_result) -> bool:
    """The stored key still describes the file.

    By its stat alone when the file had settled before it was hashed: any later
    write changes the ctime (which ``touch -r`` cannot restore) beyond the one
    recorded. Otherwise by hashing the content again.
    """
    if len(stored) != 8 or tuple(stored[:4]) != _identity(path):
        return False
    if stored[7] is True and tuple(stored[6]) == _stat_sig(st):
        return True
    return tuple(stored[4:6]) == content_hash(path, limit=CATALOG_LIMIT)


def pack_catalog(catalog: Catalog, key: tuple[Any, ...], tail: bytes) -> bytes:
    """The cache file's bytes: a checksum, the catalogue, then ``tail`` (the search
    index's arrays, which this layer stores without knowing)."""
    sections = [(s.id, s.title, s.parent) for s in catalog.sections]
    papers = [
        (
            p.id,
            p.title,
            p.venue,
            p.year,
            p.sections,
            p.paper_url,
            p.code_url,
            p.categories,
            p.authors,
            p.aliases,
        )
        for p in catalog.papers
    ]
    head = marshal.dumps((key, catalog.title, catalog.arxiv, catalog.source, sections, papers))
    payload = len(head).to_bytes(_LEN_SIZE, "big") + head + tail
    return _check(payload) + payload


def _check(payload: bytes | memoryview) -> bytes:
    return zlib.crc32(payload).to_bytes(_CHECK_SIZE, "big")


def unpack_catalog(
    data: bytes, path: Path, current: Callable[[tuple[Any, ...]], bool]
) -> tuple[Catalog, bytes] | None:
    """The catalogue and the stored tail, or None when the checksum differs or
    ``current`` says the stored key no longer describes the file."""
    view = memoryview(data)  # slices below share the buffer instead of copying 40 MB
    stored_check, payload = view[:_CHECK_SIZE], view[_CHECK_SIZE:]
    if stored_check != _check(payload):
        return None
    head_len = int.from_bytes(payload[:_LEN_SIZE], "big")
    head = payload[_LEN_SIZE : _LEN_SIZE + head_len]
    stored_key, title, arxiv, source, sections, papers = marshal.loads(head)
    if not isinstance(stored_key, tuple) or not current(stored_key):
        return None
    catalog = Catalog(
        title=title,
        sections=tuple(Section(*s) for s in sections),
        papers=LazyPapers(papers),
        arxiv=arxiv,
        source=source,
    )
    object.__setattr__(catalog, "path", path)
    return catalog, bytes(payload[_LEN_SIZE + head_len :])
