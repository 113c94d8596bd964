"""State timestamps: one canonical, fixed-width UTC form that compares as text.

Merging two copies of the state is "newer wins" per field, decided by comparing
timestamps as strings; that is only right when every stamp has the same width
and zone. Stamps come from files people copy between machines, so the odd ones
(year 1 at +01:00, year 999, 9999-12-31 at -01:00, 0000-02-31) are data: each is
refused on its own, never allowed to overflow or to lose the entries beside it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_CANONICAL_TS = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z"
)
# Same set text.clean_text strips, minus the line breaks a note keeps, plus lone
# surrogates (from non-UTF-8 command-line bytes) that could never be written as UTF-8.

_LATEST = datetime.max.replace(tzinfo=timezone.utc)


def format_ts(moment: datetime) -> str:
    """Canonical form; naive datetimes are taken to be UTC already.

    Formatted by hand: ``strftime("%Y")`` writes year 999 as ``999``, which
    would not read back as a canonical timestamp. Raises ``OverflowError`` when
    the moment in UTC falls outside what ``datetime`` holds (year 1 at +01:00).
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
        f"{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )


def _real_date(value: str) -> bool:
    """The canonical pattern allows 0000-02-31; ``datetime`` does not."""
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
    if year == 0:
        return False
    if day <= 28:
        return True
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return True


def canonical_ts(value: object) -> str | None:
    """A stored timestamp in canonical form, or ``None`` if it is not one.

    Anything ``datetime`` cannot hold once in UTC is not a timestamp either:
    the entry carrying it is then reported and dropped on its own.
    """
    if not isinstance(value, str):
        return None
    if _CANONICAL_TS.fullmatch(value):
        return value if _real_date(value) else None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return format_ts(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        return None


def stamp_after(now: str, previous: str | None) -> str:
    """``now``, unless that would not be strictly newer than ``previous``.

    A user's action must win over what they saw, even if the clock stands
    still or another machine's clock ran ahead. At the very end of
    ``datetime``'s range there is nothing later: the stamp stays there.
    """
    if previous is None or now > previous:
        return now
    moment = datetime.strptime(previous, _TS_FORMAT).replace(tzinfo=timezone.utc)
    if moment >= _LATEST:
        return format_ts(_LATEST)
    return format_ts(moment + timedelta(microseconds=1))
