"""Writes what the quick search path reads: the pack and the favourites record.

The full ``surveytui search`` calls :func:`ensure_pack` and
:func:`remember_favourites` after answering, so the next plain-word search of
the same catalogue can skip the full path (see ``surveytui.quick.run``).
Building a pack costs about a second at 100k papers, once per catalogue
change; a failure to build or write one is silent, because the pack is only
ever an optimisation.
"""

from __future__ import annotations

import contextlib
import os
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

from surveytui.model.catalog import Paper
from surveytui.quick.pack import (
    FAVS_MAGIC,
    MAGIC,
    SECTIONS,
    SLOT,
    U32,
    U64,
    checksum,
    content_key,
    favourites_file,
    header_fields,
    open_pack,
    pack_file,
    read_favourites,
)
from surveytui.quick.table import row_tail
from surveytui.system import paths
from surveytui.system.atomic import write_bytes_atomic
from surveytui.system.paths import catalog_key

_LIMIT = 2**32 - 1

#: The search index's lowercased titles, word forms, venue-and-section texts
#: ("rests") and each paper's rest number (``SearchIndex.pack_arrays``).
IndexArrays = tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[int]]


class _Unpackable(Exception):
    """This catalogue holds text the pack's format cannot carry (the full path copes)."""


def _entries(items: Iterable[bytes]) -> tuple[bytes, bytes]:
    """A list section: newline-terminated entries and their u32 offsets (plus the end)."""
    offsets = array("I", [0])
    blob = bytearray()
    for item in items:
        blob += item
        blob += b"\n"
        if len(blob) > _LIMIT:
            raise _Unpackable("too big for 32-bit offsets")
        offsets.append(len(blob))
    return bytes(blob), offsets.tobytes()


def _postings(runs: Sequence[Iterable[int]]) -> tuple[bytes, bytes]:
    starts, flat = array("I", [0]), array("I")
    for run in runs:
        flat.extend(run)
        starts.append(len(flat))
    return starts.tobytes(), flat.tobytes()


def _vocabulary(prefix: str, keyed: dict[bytes, list[int]]) -> dict[str, bytes]:
    keys = sorted(keyed)
    blob, offsets = _entries(keys)
    starts, postings = _postings([keyed[k] for k in keys])
    return {
        f"{prefix}s": blob,
        f"{prefix}_offsets": offsets,
        f"{prefix}_starts": starts,
        f"{prefix}_postings": postings,
    }


def _encode(text: str) -> bytes:
    try:
        raw = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        raise _Unpackable("text that is not UTF-8") from None
    if b"\n" in raw or b"\0" in raw:
        raise _Unpackable("a newline or NUL in a field")
    return raw


def build_pack(
    papers: Sequence[Paper], arrays: IndexArrays, real_catalog: str, st: os.stat_result, key: str
) -> bytes | None:
    """The pack's bytes, or None when this catalogue cannot be packed faithfully."""
    titles, words, rests, rest_of = arrays
    try:
        return _build(
            papers, titles, words, rests, rest_of, [*header_fields(real_catalog, st), key]
        )
    except _Unpackable:
        return None


def _build(
    papers: Sequence[Paper],
    titles: Sequence[str],
    words: Sequence[str],
    rests: Sequence[str],
    rest_of: Sequence[int],
    header: list[str],
) -> bytes:
    tokens: dict[bytes, list[int]] = {}
    vocab: dict[bytes, list[int]] = {}
    lines: list[bytes] = []
    for i, (title, form) in enumerate(zip(titles, words, strict=True)):
        for token in set(_encode(title).split(b" ")):
            if token:
                tokens.setdefault(token, []).append(i)
        line = _encode(form)
        lines.append(line)
        for word in set(line.split(b" ")):
            if word:
                vocab.setdefault(word, []).append(i)
    members: list[list[int]] = [[] for _ in rests]
    for i, r in enumerate(rest_of):
        members[r].append(i)
    rows = [
        b"\n".join(
            (_encode(p.title), _encode(p.venue or ""), row_tail(p.year, bool(p.code_url)).encode())
        )
        for p in papers
    ]
    rest_blob, rest_offsets = _entries(t.encode("utf-8", "surrogatepass") for t in rests)
    rest_starts, rest_postings = _postings(members)
    line_blob, line_offsets = _entries(lines)
    row_blob, row_offsets = _entries(rows)
    id_blob, id_offsets = _entries(_encode(p.id) for p in papers)
    parts = {
        **_vocabulary("token", tokens),
        **_vocabulary("word", vocab),
        "lines": line_blob,
        "line_offsets": line_offsets,
        "rests": rest_blob,
        "rest_offsets": rest_offsets,
        "rest_starts": rest_starts,
        "rest_postings": rest_postings,
        "rows": row_blob,
        "row_offsets": row_offsets,
        "ids": id_blob,
        "id_offsets": id_offsets,
    }
    head = "\0".join([*header, str(len(papers))]).encode("utf-8", "surrogateescape")
    out = bytearray(MAGIC + bytes(U32) + len(head).to_bytes(U32, sys.byteorder) + head)
    table_at = len(out)
    out += bytes(SLOT * len(SECTIONS))
    for k, name in enumerate(SECTIONS):
        out += bytes(-len(out) % U64)
        at, data = len(out), parts[name]
        out += data
        slot = table_at + SLOT * k
        for n, value in enumerate((at, len(data), zlib.crc32(data))):
            out[slot + n * U64 : slot + (n + 1) * U64] = value.to_bytes(U64, sys.byteorder)
    start, stop = len(MAGIC) + U32, table_at + SLOT * len(SECTIONS)
    out[len(MAGIC) : start] = checksum(out, start, stop).to_bytes(U32, sys.byteorder)
    return bytes(out)


def _write(target: str, data: bytes) -> None:
    # An unwritable cache only means the next search takes the full path too.
    with contextlib.suppress(OSError):
        write_bytes_atomic(Path(target), data, follow_symlinks=False)


def _locate(path: Path) -> tuple[str, str, os.stat_result] | None:
    """(cache directory, resolved path, its stat), or None when either is unknown or
    caches are off."""
    cache = paths.user_dir_text("cache", light=True)
    if cache is None or paths.caches_off():
        return None
    real = os.path.realpath(path)
    try:
        return cache, real, os.stat(real)
    except OSError:
        return None


def ensure_pack(
    catalog_path: Path, before: os.stat_result, papers: Sequence[Paper], arrays: IndexArrays
) -> None:
    """Write the catalogue's pack unless a current one is already there.

    ``before`` is the catalogue's stat taken before it was loaded: if the file
    changed since, these papers may not be its content, and nothing is written.
    """
    located = _locate(catalog_path)
    if located is None:
        return
    cache, real, st = located
    if header_fields(real, st) != header_fields(real, before):
        return
    if open_pack(cache, real, st) is not None:
        return
    data = build_pack(papers, arrays, real, st, catalog_key(Path(real)))
    if data is not None:
        _write(pack_file(cache, real), data)


def remember_favourites(state_path: Path, content: bytes | None, ids: Iterable[str]) -> None:
    """Record the starred ids of a state file the full path has just read cleanly.

    ``content`` is the file's bytes as that read saw them (``Store.file_bytes``);
    the quick path trusts the record only while the file still holds them.
    """
    located = _locate(state_path)
    if located is None or content is None:
        return
    cache, real, _ = located
    if read_favourites(cache, real) is not None:
        return  # already recorded for this content
    chosen = sorted(ids)
    if any(not i or "\n" in i for i in chosen):
        return
    text = "\n".join([FAVS_MAGIC, real, content_key(content), *chosen, ""])
    _write(favourites_file(cache, real), text.encode("utf-8", "surrogateescape"))
