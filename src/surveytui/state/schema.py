"""The user-state file format: records, validation, encoding and merging.

Kept apart from ``store.py`` (which owns locking and files) so the rules that
decide what survives a merge can be read, and tested, without touching disk.

Every field carries its own timestamp and "off" is stored, never deleted (a
tombstone), because merging two copies of the state is then a plain per-field
"newer wins" and can never resurrect an unstar or drop a later change.
Timestamps are canonical fixed-width UTC strings, so comparing two of them as
strings compares the instants.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from surveytui.model.text import clean_text
from surveytui.state.timestamps import canonical_ts

VERSION = 2
MAX_TAG_LEN = 64

_NOTE_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Anything that would need quoting in the filter language (``tag:NAME``) is dropped.
_TAG_DROP_RE = re.compile(r"[^\w.+#-]")
_DASH_RUN_RE = re.compile(r"-{2,}")
# Anything clean_multiline could change; most stored notes have none of it.
_NOTE_SUSPECT_RE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
    r"|\s\n|\s\Z|\A\n"
)


class StateError(Exception):
    """A state file that cannot be used; the message is one line naming the file."""


class StateWriteError(StateError):
    """The change is kept in memory but could not be saved (yet)."""


class CorruptState(Exception):
    """The content cannot be read as a state file at all (reason in ``args[0]``)."""


class FutureVersion(Exception):
    """Written by a newer surveytui: must be left exactly as it is."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


# ---------------------------------------------------------------- text rules


def clean_line(value: str) -> str:
    """``clean_text`` that also drops lone surrogates, so the text can always be saved."""
    return clean_text(_SURROGATE_RE.sub("", value))


@lru_cache(maxsize=4096)  # a user has few distinct tags; loading 10k papers repeats them
def normalise_tag(tag: str) -> str:
    """One tag as stored: lowercase, spaces as '-', only ``[\\w.+#-]``; '' if nothing is left."""
    text = clean_line(tag).lower().replace(" ", "-")
    text = _DASH_RUN_RE.sub("-", _TAG_DROP_RE.sub("", text)).strip("-")
    return text[:MAX_TAG_LEN].rstrip("-")


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({t for t in (normalise_tag(tag) for tag in tags) if t}))


def parse_tag_input(text: str) -> tuple[str, ...]:
    """What a user typed in a tag box: comma separated, spaces inside a tag become '-'."""
    return normalise_tags(text.split(","))


def clean_multiline(value: str) -> str:
    """Like ``clean_text`` but keeps line breaks and indentation (for notes)."""
    if _NOTE_SUSPECT_RE.search(value) is None:
        return value
    lines = [_NOTE_CONTROL_RE.sub("", line).expandtabs(4).rstrip() for line in value.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def is_valid_id(value: str) -> bool:
    """Already clean (no controls, no stray spaces): ids are shown and matched verbatim."""
    if value.isprintable():  # the common case, without running the regexes
        return bool(value) and value == value.strip() and "  " not in value
    return bool(value) and clean_line(value) == value


def show(path: Path | str) -> str:
    """A path fit for a one-line message (control characters escaped)."""
    text = str(path)
    return text if text.isprintable() else json.dumps(text)


def plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Flag:
    on: bool
    at: str


def is_on(flag: Flag | None) -> bool:
    return flag is not None and flag.on


@dataclass(frozen=True, slots=True)
class TagSet:
    value: tuple[str, ...]
    at: str


@dataclass(frozen=True, slots=True)
class Note:
    value: str
    at: str


@dataclass(frozen=True, slots=True)
class PaperState:
    fav: Flag | None = None
    read: Flag | None = None
    tags: TagSet | None = None
    note: Note | None = None


@dataclass(frozen=True, slots=True)
class FilterRecord:
    """``created`` orders the list and survives re-saving; ``deleted`` is the tombstone."""

    query: str
    section: str | None
    at: str
    created: str
    deleted: bool = False


@dataclass(frozen=True)
class StateData:
    """A whole state (or a patch of one). Never mutated once built."""

    papers: dict[str, PaperState] = field(default_factory=dict)
    filters: dict[str, FilterRecord] = field(default_factory=dict)
    catalog: str = ""

    def __bool__(self) -> bool:
        return bool(self.papers or self.filters)


EMPTY = StateData()

# ---------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Decoded:
    state: StateData
    version: int
    problems: tuple[str, ...]


def _where(paper_id: str) -> str:
    # json.dumps escapes control and non-ASCII characters: safe inside a message.
    return json.dumps(paper_id[:60])


_FLAG_KEYS = frozenset(("on", "at"))
_VALUE_KEYS = frozenset(("value", "at"))
_FILTER_KEYS = frozenset(("query", "section", "at", "created", "deleted"))


def _flag(raw: object) -> Flag | None:
    if isinstance(raw, dict) and raw.keys() == _FLAG_KEYS and isinstance(raw["on"], bool):
        at = canonical_ts(raw["at"])
        if at is not None:
            return Flag(raw["on"], at)
    return None


@lru_cache(maxsize=1024)  # few distinct tag sets recur across thousands of papers
def _stored_tags(value: tuple[object, ...]) -> tuple[str, ...] | None:
    if all(isinstance(t, str) for t in value):
        return normalise_tags(t for t in value if isinstance(t, str))
    return None


def _tagset(raw: object) -> TagSet | None:
    if isinstance(raw, dict) and raw.keys() == _VALUE_KEYS:
        value, at = raw["value"], canonical_ts(raw["at"])
        if at is not None and isinstance(value, list):
            try:
                tags = _stored_tags(tuple(value))
            except TypeError:  # an unhashable item: a list or object inside the list
                return None
            if tags is not None:
                return TagSet(tags, at)
    return None


def _note(raw: object) -> Note | None:
    if isinstance(raw, dict) and raw.keys() == _VALUE_KEYS and isinstance(raw["value"], str):
        at = canonical_ts(raw["at"])
        if at is not None:
            return Note(clean_multiline(raw["value"]), at)
    return None


_FIELD_PARSERS = {"fav": _flag, "read": _flag, "tags": _tagset, "note": _note}
_FIELD_SHAPES = {
    "fav": '{"on": true|false, "at": time}',
    "read": '{"on": true|false, "at": time}',
    "tags": '{"value": [text, ...], "at": time}',
    "note": '{"value": text, "at": time}',
}


def _paper(pid: str, raw: object, problems: list[str]) -> PaperState | None:
    if not isinstance(raw, dict):
        problems.append(f"paper {_where(pid)} is not an object")
        return None
    values: dict[str, Any] = {}
    for key, item in raw.items():
        parser = _FIELD_PARSERS.get(key)
        if parser is None:
            problems.append(f"paper {_where(pid)} has unknown field {_where(key)}")
            continue
        parsed = parser(item)
        if parsed is None:
            problems.append(f"paper {_where(pid)} field {key!r} is not {_FIELD_SHAPES[key]}")
        else:
            values[key] = parsed
    return PaperState(**values) if values else None


def _filter(name: str, raw: object, problems: list[str]) -> FilterRecord | None:
    if isinstance(raw, dict) and raw.keys() <= _FILTER_KEYS:
        query, section, deleted = raw.get("query"), raw.get("section"), raw.get("deleted", False)
        at = canonical_ts(raw.get("at"))
        created = canonical_ts(raw.get("created", raw.get("at")))
        if (
            isinstance(query, str)
            and (section is None or isinstance(section, str))
            and isinstance(deleted, bool)
            and at is not None
            and created is not None
        ):
            if section is not None:
                section = clean_line(section) or None
            return FilterRecord(clean_line(query), section, at, created, deleted)
    problems.append(
        f"saved filter {_where(name)} is not "
        '{"query": text, "section": text|null, "at": time, "deleted": bool}'
    )
    return None


def _decode_v2(obj: dict[str, Any], problems: list[str]) -> StateData:
    for key in obj.keys() - {"version", "catalog", "papers", "filters"}:
        problems.append(f"unknown top-level field {_where(key)}")
    catalog = obj.get("catalog", "")
    if not isinstance(catalog, str):
        problems.append('"catalog" is not text')
        catalog = ""
    papers: dict[str, PaperState] = {}
    raw_papers = obj.get("papers", {})
    if not isinstance(raw_papers, dict):
        problems.append('"papers" is not an object')
        raw_papers = {}
    for pid, raw in raw_papers.items():
        if not is_valid_id(pid):
            problems.append(f"paper id {_where(pid)} is empty or has control characters")
        elif (paper := _paper(pid, raw, problems)) is not None:
            papers[pid] = paper
    filters: dict[str, FilterRecord] = {}
    raw_filters = obj.get("filters", {})
    if not isinstance(raw_filters, dict):
        problems.append('"filters" is not an object')
        raw_filters = {}
    for name, raw in raw_filters.items():
        if not is_valid_id(name):
            problems.append(f"saved filter name {_where(name)} is empty or has control characters")
        elif (record := _filter(name, raw, problems)) is not None:
            filters[name] = record
    return StateData(papers, filters, clean_line(catalog))


def _decode_v1(obj: dict[str, Any], starred_at: str, problems: list[str]) -> StateData:
    for key in obj.keys() - {"version", "favourites", "updated"}:
        problems.append(f"unknown top-level field {_where(key)}")
    raw = obj.get("favourites")
    if not isinstance(raw, list):
        problems.append('"favourites" is not a list')
        raw = []
    papers: dict[str, PaperState] = {}
    for pid in raw:
        if isinstance(pid, str) and is_valid_id(pid):
            papers[pid] = PaperState(fav=Flag(True, starred_at))
        else:
            problems.append(f"favourite {json.dumps(pid)[:60]} is not a paper id")
    return StateData(papers=papers)


def decode_state(raw: bytes, *, v1_starred_at: str) -> Decoded:
    """Parse a state file's bytes, keeping every valid field and listing the rest.

    Raises ``CorruptState`` when nothing can be trusted (not JSON, no version)
    and ``FutureVersion`` for a format newer than this code knows.
    """
    try:
        obj = json.loads(raw.decode("utf-8-sig"))  # tolerate the BOM some editors add
    except UnicodeDecodeError as exc:
        raise CorruptState(f"not UTF-8 text at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise CorruptState(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # e.g. a 5000-digit number, [[[[...]]]]
        raise CorruptState(f"unreadable JSON: {type(exc).__name__}") from None
    if not isinstance(obj, dict):
        raise CorruptState(f"top level is {type(obj).__name__}, not an object")
    version = obj.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CorruptState('no integer "version" field')
    if version > VERSION:
        raise FutureVersion(version)
    if version not in (1, VERSION):
        raise CorruptState(f"unknown version {version}")
    problems: list[str] = []
    if version == 1:
        return Decoded(_decode_v1(obj, v1_starred_at, problems), 1, tuple(problems))
    state = _decode_v2(obj, problems)
    return Decoded(state, version, tuple(problems))
