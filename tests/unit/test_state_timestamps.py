"""Timestamps at the edges of ``datetime``: one odd entry never costs the others.

State files are data: a hand edit, another tool or a file from a machine with a
broken clock can carry any time at all, and the year-1 / year-9999 edges
overflow when moved to UTC. Each such entry is refused on its own (and reported);
every time surveytui writes reads back unchanged.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from surveytui.state.files import StateEncoder
from surveytui.state.schema import (
    decode_state,
)
from surveytui.state.store import Store
from surveytui.state.timestamps import canonical_ts, format_ts, stamp_after

CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
GOOD_AT = "2026-01-02T03:04:05.000000Z"
EDGES = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0999-01-01T00:00:00Z",
    "0001-01-01T00:00:00.000000Z",
    "9999-12-31T23:59:59.999999Z",
    "0000-01-01T00:00:00.000000Z",
    "2023-02-31T00:00:00.000000Z",
]

offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.datetimes(timezones=st.none() | offsets | st.just(timezone.utc))
written = st.one_of(
    moments.map(lambda m: m.isoformat()),
    moments.map(lambda m: m.isoformat(timespec="seconds")),
    st.sampled_from(EDGES),
    st.text(max_size=40),
)


def _file(at: object) -> bytes:
    papers = {
        "good": {"fav": {"on": True, "at": GOOD_AT}},
        "odd": {"fav": {"on": True, "at": at}, "read": {"on": True, "at": GOOD_AT}},
    }
    return json.dumps({"version": 2, "catalog": "", "papers": papers}).encode()


@given(written)
def test_an_odd_time_costs_only_its_own_entry_and_what_is_kept_reads_back(at: str) -> None:
    decoded = decode_state(_file(at), v1_starred_at=GOOD_AT)
    state = decoded.state
    assert state.papers["good"].fav is not None and state.papers["good"].fav.at == GOOD_AT
    assert state.papers["odd"].read is not None  # the field beside the odd one survives
    kept = state.papers["odd"].fav
    if kept is None:
        assert any("odd" in problem for problem in decoded.problems)
    else:
        assert CANONICAL.fullmatch(kept.at)
        again = decode_state(StateEncoder().encode(state), v1_starred_at=GOOD_AT)
        assert again.problems == () and again.state.papers == state.papers


@given(moments)
def test_every_time_written_is_canonical_and_reads_back(moment: datetime) -> None:
    try:
        text = format_ts(moment)
    except OverflowError:  # outside datetime once in UTC: callers refuse such an entry
        assert canonical_ts(moment.isoformat()) is None
        return
    assert CANONICAL.fullmatch(text)
    assert canonical_ts(text) == text


@given(st.datetimes(), st.datetimes())
def test_a_new_stamp_is_always_later_or_the_last_possible(a: datetime, b: datetime) -> None:
    now, previous = format_ts(a), format_ts(b)
    stamp = stamp_after(now, previous)
    assert CANONICAL.fullmatch(stamp) and canonical_ts(stamp) == stamp
    assert stamp > previous or stamp == previous == format_ts(datetime.max)


def test_edge_times_in_a_state_file_leave_the_other_stars_and_the_file_usable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.json"
    papers = {f"p{n}": {"fav": {"on": True, "at": at}} for n, at in enumerate(EDGES)}
    papers["good"] = {"fav": {"on": True, "at": GOOD_AT}}
    path.write_text(json.dumps({"version": 2, "catalog": "", "papers": papers}))
    store = Store(path)
    notices = store.load()
    starred = {pid for pid, _ in store.favourites()}
    # Year 999 and the first and last microseconds are real, if odd, times; the rest
    # (overflowing in UTC, year 0, February 31st) are dropped one by one and reported.
    assert starred == {"good", "p2", "p3", "p4"}
    assert len(notices) == 1 and "moved aside" in notices[0]
    for pid in [*starred, "new"]:  # unstarring at the end of time works too
        store.toggle_favourite(pid)
    again = Store(path)
    assert again.load() == []
    assert {pid for pid, _ in again.favourites()} == {"new"}


def test_a_state_import_with_year_999_survives_the_next_run(tmp_path: Path) -> None:
    incoming = tmp_path / "old.json"
    stamp = "0999-01-01T00:00:00.000000Z"
    incoming.write_text(
        json.dumps({"version": 2, "papers": {"ancient": {"fav": {"on": True, "at": stamp}}}})
    )
    path = tmp_path / "state.json"
    Store(path).import_state(incoming)
    again = Store(path)
    assert again.load() == []
    assert again.favourites() == [("ancient", stamp)]
    again.toggle_favourite("ancient")
    assert again.favourites() == []
