"""A parse cache for catalogues: TOML parsing dominates start-up for big lists.

tomli needs over a second for a 100k-paper file, while ``marshal`` reads the
same already-validated records back in a small fraction of that. The cache is
an optimisation only: it is keyed by path, size, mtime and schema, silently
rebuilt when stale or corrupt, and never required to exist or be writable.
A cache hit skips validation, and ``marshal`` has no integrity check of its
own (a flipped byte can still decode, into a wrong title or a control
character), so the payload carries a CRC-32 that must match before it is used:
it catches accidental damage at a few milliseconds per 100k papers.

The cache also keeps the search index's prepared haystacks, and a hit builds
Paper objects only when one is looked at: ``surveytui search`` on a 100k list
then touches just the papers it prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import weakref
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from surveytui import __version__
from surveytui.atomic import write_bytes_atomic
from surveytui.catalog import SCHEMA_VERSION, Catalog, Paper, Section, load_catalog
from surveytui.paths import cache_dir
from surveytui.quickpack import caches_off
from surveytui.search import SearchIndex

CACHE_FORMAT = 3
_CHECK_SIZE = 4
_LEN_SIZE = 8

#: Per loaded catalogue: its search index, or the marshalled arrays to build it from.
_INDEXES: weakref.WeakKeyDictionary[Catalog, SearchIndex | bytes] = weakref.WeakKeyDictionary()

RawPaper = tuple[
    str,
    str,
    "str | None",
    "int | None",
    tuple[str, ...],
    "str | None",
    "str | None",
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


def search_index(catalog: Catalog) -> SearchIndex:
    """The catalogue's search index: from the cache when it was loaded through it."""
    entry = _INDEXES.get(catalog)
    if isinstance(entry, SearchIndex):
        return entry
    index: SearchIndex | None = None
    if entry is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            index = SearchIndex.from_arrays(catalog, marshal.loads(entry))
    if index is None:
        index = SearchIndex(catalog)
    _INDEXES[catalog] = index
    return index


def _cache_file(path: Path) -> Path:
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "catalogs" / f"{digest}.marshal"


def _key(path: Path) -> tuple[Any, ...]:
    st = path.stat()
    return (
        CACHE_FORMAT,
        SCHEMA_VERSION,
        __version__,
        str(path.resolve()),
        st.st_size,
        st.st_mtime_ns,
    )


def _pack(catalog: Catalog, key: tuple[Any, ...], index: SearchIndex) -> bytes:
    sections = [(s.id, s.title, s.parent) for s in catalog.sections]
    papers = [
        (p.id, p.title, p.venue, p.year, p.sections, p.paper_url, p.code_url, p.categories)
        for p in catalog.papers
    ]
    head = marshal.dumps((key, catalog.title, catalog.arxiv, catalog.source, sections, papers))
    payload = len(head).to_bytes(_LEN_SIZE, "big") + head + marshal.dumps(index.to_arrays())
    return _check(payload) + payload


def _check(payload: bytes | memoryview) -> bytes:
    return zlib.crc32(payload).to_bytes(_CHECK_SIZE, "big")


def _unpack(data: bytes, key: tuple[Any, ...], path: Path) -> Catalog | None:
    view = memoryview(data)  # slices below share the buffer instead of copying 40 MB
    stored_check, payload = view[:_CHECK_SIZE], view[_CHECK_SIZE:]
    if stored_check != _check(payload):
        return None
    head_len = int.from_bytes(payload[:_LEN_SIZE], "big")
    head = payload[_LEN_SIZE : _LEN_SIZE + head_len]
    stored_key, title, arxiv, source, sections, papers = marshal.loads(head)
    if stored_key != key:
        return None
    catalog = Catalog(
        title=title,
        sections=tuple(Section(*s) for s in sections),
        papers=LazyPapers(papers),
        arxiv=arxiv,
        source=source,
    )
    object.__setattr__(catalog, "path", path)
    _INDEXES[catalog] = bytes(payload[_LEN_SIZE + head_len :])  # unmarshalled only if searched
    return catalog


def load_cached(path: Path | str, *, use_cache: bool | None = None) -> Catalog:
    """Load a catalogue, through the cache unless ``SURVEYTUI_NO_CACHE`` is set (not to 0)."""
    path = Path(path)
    if use_cache is None:
        use_cache = not caches_off()
    if not use_cache:
        return load_catalog(path)
    try:
        key = _key(path)
    except OSError:
        return load_catalog(path)  # reports the missing/unreadable file properly
    cache_file = _cache_file(path)
    try:
        hit = _unpack(cache_file.read_bytes(), key, path)
    except (OSError, EOFError, ValueError, TypeError):
        hit = None  # absent, unreadable or corrupt: rebuild below
    if hit is not None:
        return hit
    catalog = load_catalog(path)
    index = search_index(catalog)
    with contextlib.suppress(OSError):
        write_bytes_atomic(cache_file, _pack(catalog, key, index))
    return catalog
