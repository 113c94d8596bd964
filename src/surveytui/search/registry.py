"""One search index per loaded catalogue, and loading a catalogue through the parse cache.

The parse cache (``surveytui.model.cache``) stores a catalogue plus an opaque tail;
this module fills the tail with the search index's prepared arrays and keeps,
per loaded catalogue, either the built index or those arrays still marshalled, so a
command that never searches never pays for unmarshalling them.
"""

from __future__ import annotations

import contextlib
import marshal
import time
import weakref
from pathlib import Path
from typing import Any

from surveytui.model.cache import (
    cache_file,
    cache_key,
    key_matches,
    pack_catalog,
    unpack_catalog,
)
from surveytui.model.catalog import Catalog, load_catalog
from surveytui.search.engine import SearchIndex
from surveytui.system.atomic import write_bytes_atomic
from surveytui.system.files import CACHE_LIMIT, read_regular
from surveytui.system.paths import caches_off

#: Per loaded catalogue: its search index, or the marshalled arrays to build it from.
_INDEXES: weakref.WeakKeyDictionary[Catalog, SearchIndex | bytes] = weakref.WeakKeyDictionary()


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


def load_cached(path: Path | str, *, use_cache: bool | None = None) -> Catalog:
    """Load a catalogue, through the cache unless ``SURVEYTUI_NO_CACHE`` is set (not to 0)."""
    path = Path(path)
    if use_cache is None:
        use_cache = not caches_off()
    if not use_cache:
        return load_catalog(path)
    started = time.time_ns()
    try:
        st = path.stat()
    except OSError:
        return load_catalog(path)  # reports the missing/unreadable file properly
    file = cache_file(path)
    try:
        raw, _ = read_regular(file, limit=CACHE_LIMIT, follow_symlinks=False)
        hit = unpack_catalog(raw, path, lambda stored: key_matches(stored, path, st))
    except (OSError, EOFError, ValueError, TypeError):
        hit = None  # absent, unreadable or corrupt: rebuild below
    if hit is not None:
        catalog, tail = hit
        _INDEXES[catalog] = tail  # unmarshalled only if searched
        return catalog
    try:
        key: tuple[Any, ...] | None = cache_key(path, st, started)  # hashed before parsing
    except OSError:
        key = None
    catalog = load_catalog(path)  # reports an unreadable file in one line
    with contextlib.suppress(OSError):
        # Not edited while we parsed it (same content and stat): key and papers agree.
        if key is not None and cache_key(path, path.stat(), started)[4:7] == key[4:7]:
            index = search_index(catalog)
            data = pack_catalog(catalog, key, marshal.dumps(index.to_arrays()))
            write_bytes_atomic(file, data, follow_symlinks=False)
    return catalog
