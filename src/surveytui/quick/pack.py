"""The quick-search pack: a catalogue laid out so that a search parses nothing.

``surveytui search`` on a 100k-paper list spent nearly all its time before the
search: unmarshalling 100k records, building objects, importing modules. The
pack holds what a plain-word search and the printed table need as sorted
vocabularies with posting lists (uint32 arrays), read in place through
``mmap``. Finding the papers for a word is then a scan of a vocabulary a
fraction of the titles' size plus a few C-level list and set operations,
however many papers match; only the printed rows are ever decoded.

Layout (native byte order, recorded in the header; sections 8-byte aligned)::

    MAGIC, u32 CRC-32 of the header and table, u32 header length, header
    ("\\0"-joined fields, see _header)
    u64 offset, u64 length and u64 CRC-32 of each section, in SECTIONS order
    sections

A *list* is a blob of newline-terminated entries plus the u32 offset of each
entry and of the end. A *posting* vocabulary is a list of sorted distinct keys
plus, per key, a run of ascending paper numbers (``*_starts`` indexes
``*_postings``). ``tokens`` are the lowercased titles' space-separated tokens:
a query word has no whitespace, so it is inside a title exactly when it is
inside one of the title's tokens. ``words`` are the words of the search
index's word forms (punctuation turned into spaces), for the whole-word and
word-start ranks; ``lines`` are the word forms themselves, for the rare word
whose word form has a space inside. ``rests`` are the venue-and-section texts.

Like the parse cache beside it, the pack is an optimisation only: written
atomically by the full path (``surveytui.quick.writer``), keyed by the
catalogue's resolved path, size, mtime, inode and ctime and by surveytui's
version, and ignored when anything about it does not match. One flipped bit must not change
what is printed, so the header and table carry a CRC-32 and so does each
section, checked when the section is first used: a search reads the
vocabularies in full anyway, while the word forms, rows and ids (60% of the
pack) are checked only when a query needs them.

Imported by the quick path, so it uses only modules Python has loaded at
start-up, plus ``mmap`` and ``zlib`` (both C).
"""

from __future__ import annotations

import mmap
import os
import sys
import zlib
from array import array
from bisect import bisect_right

from surveytui import __version__
from surveytui.system.files import STATE_LIMIT, open_regular, read_regular

TYPE_CHECKING = False  # typing itself costs the quick path ~10 ms (it imports re)

PACK_FORMAT = "3"
MAGIC = b"surveytui-quick\n"
SECTIONS = (
    "tokens", "token_offsets", "token_starts", "token_postings",
    "words", "word_offsets", "word_starts", "word_postings",
    "lines", "line_offsets",
    "rests", "rest_offsets", "rest_starts", "rest_postings",
    "rows", "row_offsets", "ids", "id_offsets",
)  # fmt: skip
U32 = 4
U64 = 8
SLOT = 3 * U64  # a section's offset, length and CRC-32 in the table
#: Sections checked only when first read (most searches never read ``lines``).
LAZY = frozenset(("lines", "rows", "ids"))
FAVS_MAGIC = "surveytui-favourites 1"


def short_name(real_path: str) -> str:
    """A short stable file name for a path; files hold the full path, so a collision
    only costs a rebuild."""
    raw = real_path.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(raw):08x}{len(raw) & 0xFFFF:04x}"


def pack_file(cache: str, real_catalog: str) -> str:
    return os.path.join(cache, "catalogs", f"{short_name(real_catalog)}.quick")


def header_fields(real_catalog: str, st: os.stat_result) -> list[str]:
    # Inode and ctime as well as size and mtime: an edit that keeps the size and
    # restores the mtime (cp -p, rsync -a, tar) still changes the ctime.
    return [
        PACK_FORMAT,
        __version__,
        sys.byteorder,
        real_catalog,
        f"{st.st_size} {st.st_mtime_ns} {st.st_ino} {st.st_ctime_ns}",
    ]


class Vocabulary:
    """Sorted distinct keys, each with its ascending run of paper numbers."""

    def __init__(self, pack: Pack, name: str, singular: str) -> None:
        self._mm = pack.mm
        self.at = pack.starts[name]
        self.end = self.at + len(pack.sections[name])
        self.offsets = pack.sections[f"{singular}_offsets"].cast("I")
        self._starts = pack.sections[f"{singular}_starts"].cast("I")
        self._postings = pack.sections[f"{singular}_postings"].cast("I")
        if len(self._starts) != len(self.offsets) or self.offsets[-1] != self.end - self.at:
            raise ValueError(f"pack vocabulary {name} does not match its offsets")
        if self._starts[-1] != len(self._postings):
            raise ValueError(f"pack vocabulary {name} does not match its postings")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def key(self, k: int) -> bytes:
        return self._mm[self.at + self.offsets[k] : self.at + self.offsets[k + 1] - 1]

    def papers(self, first: int, stop: int) -> list[int]:
        """The papers of keys ``first`` up to ``stop``: one slice, runs are adjacent."""
        return self._postings[self._starts[first] : self._starts[stop]].tolist()

    def containing(self, value: bytes) -> list[int]:
        """Numbers of the keys that contain ``value``: one ``find`` per key found."""
        find, offsets, at, end = self._mm.find, self.offsets, self.at, self.end
        found: list[int] = []
        lo = 0
        pos = find(value, at, end)
        while pos != -1:
            lo = bisect_right(offsets, pos - at, lo)
            found.append(lo - 1)
            pos = find(value, at + offsets[lo], end)
        return found

    def lower_bound(self, value: bytes) -> int:
        """The first key not below ``value`` (keys compare as UTF-8 bytes)."""
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.key(mid) < value:
                lo = mid + 1
            else:
                hi = mid
        return lo


class Pack:
    """An open pack: sections are zero-copy views of the mapped file."""

    def __init__(self, mm: mmap.mmap, catalog_key: str, count: int, table_at: int) -> None:
        self.mm = mm
        self.catalog_key = catalog_key
        self.count = count
        view = memoryview(mm)
        self.sections: dict[str, memoryview] = {}
        self.starts: dict[str, int] = {}
        self._crcs: dict[str, int] = {}
        self._checked: set[str] = set()
        for k, name in enumerate(SECTIONS):
            slot = table_at + SLOT * k
            at, length, crc = (
                int.from_bytes(mm[field : field + U64], sys.byteorder)
                for field in range(slot, slot + SLOT, U64)
            )
            if at % U64 or at + length > len(mm):
                raise ValueError(f"pack section {name} out of bounds")
            self.sections[name] = view[at : at + length]
            self.starts[name] = at
            self._crcs[name] = crc
        for name in SECTIONS:
            if name not in LAZY:
                self.check(name)
        self.tokens = Vocabulary(self, "tokens", "token")
        self.words = Vocabulary(self, "words", "word")
        self.rests = Vocabulary(self, "rests", "rest")
        self.lines = self.sections["line_offsets"].cast("I")
        # Copied out of the map: indexing an array is faster than a memoryview.
        self._rows, self._ids = array("I"), array("I")
        self._rows.frombytes(self.sections["row_offsets"])
        self._ids.frombytes(self.sections["id_offsets"])
        if not (len(self.lines) == len(self._rows) == len(self._ids) == count + 1):
            raise ValueError("pack offsets do not match its paper count")
        for name, offsets in (("lines", self.lines), ("rows", self._rows), ("ids", self._ids)):
            if offsets[-1] != len(self.sections[name]):
                raise ValueError(f"pack {name} do not match their offsets")

    def check(self, name: str) -> None:
        """``ValueError`` unless the section's bytes match their CRC-32 (once per pack)."""
        if name not in self._checked:
            if zlib.crc32(self.sections[name]) != self._crcs[name]:
                raise ValueError(f"pack section {name} is damaged")
            self._checked.add(name)

    def line(self, i: int) -> bytes:
        """Paper ``i``'s word form, ``" words between spaces "``."""
        self.check("lines")
        at = self.starts["lines"]
        return self.mm[at + self.lines[i] : at + self.lines[i + 1] - 1]

    def _entries(self, name: str, offsets: array[int], papers: list[int]) -> bytes:
        self.check(name)
        mm, at = self.mm, self.starts[name]
        return b"\n".join([mm[at + offsets[i] : at + offsets[i + 1] - 1] for i in papers])

    def rows_text(self, papers: list[int]) -> bytes:
        """These papers' rows as one newline-separated run of fields, three per paper:
        title, venue ("" if none) and ``plain_table.row_tail``."""
        return self._entries("rows", self._rows, papers)

    def ids_text(self, papers: list[int]) -> bytes:
        """These papers' ids, one per line."""
        return self._entries("ids", self._ids, papers)


def checksum(data: mmap.mmap | bytearray, start: int, stop: int) -> int:
    """CRC-32 of ``data[start:stop]`` without copying it."""
    with memoryview(data) as view:
        return zlib.crc32(view[start:stop])


def open_pack(cache: str, real_catalog: str, st: os.stat_result) -> Pack | None:
    """The catalogue's pack if it is there and current; None otherwise (never raises)."""
    try:  # a FIFO or a link to /dev/zero in its place is refused, never waited on
        fd = open_regular(pack_file(cache, real_catalog), follow_symlinks=False)
    except OSError:
        return None
    try:
        mm = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # empty or unmappable
        return None
    finally:
        os.close(fd)
    try:
        if mm[: len(MAGIC)] != MAGIC:
            return None
        at = len(MAGIC) + U32
        head_len = int.from_bytes(mm[at : at + U32], sys.byteorder)
        fields = mm[at + U32 : at + U32 + head_len].decode("utf-8", "surrogateescape").split("\0")
        if len(fields) != 7 or fields[:5] != header_fields(real_catalog, st):
            return None
        table_at = at + U32 + head_len
        stop = table_at + SLOT * len(SECTIONS)
        if int.from_bytes(mm[at - U32 : at], sys.byteorder) != checksum(mm, at, stop):
            return None  # damaged: a flipped bit must not turn "Large" into "Darge"
        return Pack(mm, fields[5], int(fields[6]), table_at)
    except (ValueError, TypeError, IndexError):
        return None


# ------------------------------------------------------------------ favourites


def favourites_file(cache: str, real_state: str) -> str:
    return os.path.join(cache, "state", f"{short_name(real_state)}.favs")


def content_key(raw: bytes) -> str:
    """Identifies one version of a state file by its bytes: a new file that happens to
    reuse the old one's inode, size and times within a clock tick still differs here."""
    return f"{len(raw)} {zlib.crc32(raw):08x}"


def read_favourites(cache: str, real_state: str) -> frozenset[str] | None:
    """The starred ids recorded for exactly this content of the state file, else None."""
    try:
        record, _ = read_regular(
            favourites_file(cache, real_state), limit=STATE_LIMIT, follow_symlinks=False
        )
        lines = record.decode("utf-8", "surrogateescape").split("\n")
        current = content_key(read_regular(real_state, limit=STATE_LIMIT)[0])
    except (OSError, UnicodeDecodeError):
        return None
    if lines[:3] != [FAVS_MAGIC, real_state, current] or lines[-1] != "":
        return None
    return frozenset(lines[3:-1])
