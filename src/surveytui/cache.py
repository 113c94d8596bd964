"""A parse cache for catalogues: TOML parsing dominates start-up for big lists.

tomli needs over a second for a 100k-paper file, while ``marshal`` reads the
same already-validated records back in a small fraction of that. The cache is
an optimisation only: it is keyed by path, size, mtime and schema, silently
rebuilt when stale or corrupt, and never required to exist or be writable.
A cache hit skips validation, and ``marshal`` has no integrity check of its
own (a flipped byte can still decode, into a wrong title or a control
character), so the payload carries a CRC-32 that must match before it is used:
it catches accidental damage at a few milliseconds per 100k papers.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import zlib
from pathlib import Path
from typing import Any

from surveytui import __version__
from surveytui.atomic import write_bytes_atomic
from surveytui.catalog import SCHEMA_VERSION, Catalog, Paper, Section, load_catalog
from surveytui.paths import cache_dir

CACHE_FORMAT = 2
_CHECK_SIZE = 4


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


def _pack(catalog: Catalog, key: tuple[Any, ...]) -> bytes:
    sections = [(s.id, s.title, s.parent) for s in catalog.sections]
    papers = [
        (p.id, p.title, p.venue, p.year, p.sections, p.paper_url, p.code_url, p.categories)
        for p in catalog.papers
    ]
    payload = marshal.dumps((key, catalog.title, catalog.arxiv, catalog.source, sections, papers))
    return _check(payload) + payload


def _check(payload: bytes) -> bytes:
    return zlib.crc32(payload).to_bytes(_CHECK_SIZE, "big")


def _unpack(data: bytes, key: tuple[Any, ...], path: Path) -> Catalog | None:
    stored_check, payload = data[:_CHECK_SIZE], data[_CHECK_SIZE:]
    if stored_check != _check(payload):
        return None
    stored_key, title, arxiv, source, sections, papers = marshal.loads(payload)
    if stored_key != key:
        return None
    catalog = Catalog(
        title=title,
        sections=tuple(Section(*s) for s in sections),
        papers=tuple(Paper(*p) for p in papers),
        arxiv=arxiv,
        source=source,
    )
    object.__setattr__(catalog, "path", path)
    return catalog


def load_cached(path: Path | str, *, use_cache: bool | None = None) -> Catalog:
    """Load a catalogue, through the cache unless ``SURVEYTUI_NO_CACHE`` is set (not to 0)."""
    path = Path(path)
    if use_cache is None:
        flag = os.environ.get("SURVEYTUI_NO_CACHE", "").strip().casefold()
        use_cache = flag in ("", "0", "false", "no")
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
    with contextlib.suppress(OSError):
        write_bytes_atomic(cache_file, _pack(catalog, key))
    return catalog
