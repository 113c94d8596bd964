"""The state format's rules in isolation: cleaning, timestamps, round trips, merging."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from surveytui.state.files import StateEncoder
from surveytui.state.merge import merge
from surveytui.state.schema import (
    CorruptState,
    FilterRecord,
    Flag,
    FutureVersion,
    Note,
    PaperState,
    StateData,
    TagSet,
    clean_multiline,
    decode_state,
    normalise_tag,
    parse_tag_input,
)
from surveytui.state.timestamps import canonical_ts, stamp_after


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("  Machine   Learning ", "machine-learning"),
        ("C++", "c++"),
        ("tag:evil|x", "tagevilx"),
        ("'quoted' !neg ^pre suf$", "quoted-neg-pre-suf"),
        ("--a--b--", "a-b"),
        ("Über\u202eNet", "übernet"),
        ("\x1b[31m", "31m"),
        ("x" * 100, "x" * 64),
        (" - ", ""),
    ],
)
def test_normalise_tag(raw: str, tag: str) -> None:
    assert normalise_tag(raw) == tag


def test_tag_input_is_split_on_commas() -> None:
    assert parse_tag_input("Fine Tuning, PEFT,, peft ,LLM") == ("fine-tuning", "llm", "peft")


@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x1b\x00\u202e\u2028\xa0\u200b"), max_size=30))
def test_clean_multiline_is_idempotent_and_free_of_controls(value: str) -> None:
    cleaned = clean_multiline(value)
    assert clean_multiline(cleaned) == cleaned
    assert all(
        ch == "\n" or unicodedata.category(ch)[0] not in "CZ" or ch in " \xa0" for ch in cleaned
    )
    assert not cleaned.startswith("\n") and not cleaned.endswith(("\n", " "))


def test_canonical_timestamps() -> None:
    assert canonical_ts("2025-03-14T11:26:53+02:00") == "2025-03-14T09:26:53.000000Z"
    assert canonical_ts("2025-03-14T09:26:53.5Z") == "2025-03-14T09:26:53.500000Z"
    assert canonical_ts("2025-03-14T09:26:53.123456Z") == "2025-03-14T09:26:53.123456Z"
    assert canonical_ts("2025-03-14") == "2025-03-14T00:00:00.000000Z"
    for bad in ("yesterday", "2025-13-01T00:00:00Z", 1710408413, None, ""):
        assert canonical_ts(bad) is None


def test_stamp_after_is_strictly_newer() -> None:
    now = "2026-01-01T00:00:00.000000Z"
    assert stamp_after(now, None) == now
    assert stamp_after(now, "2025-12-31T23:59:59.999999Z") == now
    assert stamp_after(now, now) == "2026-01-01T00:00:00.000001Z"
    assert stamp_after(now, "2026-01-01T00:00:00.999999Z") == "2026-01-01T00:00:01.000000Z"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"[[[[" * 100_000, "unreadable JSON"),
        (b'{"version": 1' + b"0" * 5000 + b"}", "unreadable JSON"),
        (b'{"version": true}', 'no integer "version"'),
        (b'{"version": 0}', "unknown version 0"),
    ],
)
def test_hopeless_content_is_corrupt(raw: bytes, reason: str) -> None:
    with pytest.raises(CorruptState, match=reason):
        decode_state(raw, v1_starred_at="2025-01-01T00:00:00.000000Z")


def test_future_version_is_its_own_error() -> None:
    with pytest.raises(FutureVersion):
        decode_state(b'{"version": 3}', v1_starred_at="x")


def test_problems_are_listed_and_escaped() -> None:
    raw = json.dumps(
        {
            "version": 2,
            "papers": {"ok": {"read": {"on": True, "at": "2025-01-01"}}, "bad\x1b": {}},
            "extra": 1,
        }
    ).encode()
    decoded = decode_state(raw, v1_starred_at="x")
    assert list(decoded.state.papers) == ["ok"]
    assert sorted(decoded.problems) == [
        'paper id "bad\\u001b" is empty or has control characters',
        'unknown top-level field "extra"',
    ]


def test_bom_is_tolerated() -> None:
    decoded = decode_state(b'\xef\xbb\xbf{"version": 2}', v1_starred_at="x")
    assert decoded.problems == ()


# ------------------------------------------------------------------ property tests

BASE = datetime(2025, 1, 1, tzinfo=timezone.utc)
stamps = st.integers(0, 10**9).map(
    lambda us: (BASE + timedelta(microseconds=us)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")))
tags = st.lists(st.from_regex(r"[a-z0-9][a-z0-9.+#_]{0,8}", fullmatch=True), max_size=3)
papers = st.builds(
    PaperState,
    fav=st.none() | st.builds(Flag, st.booleans(), stamps),
    read=st.none() | st.builds(Flag, st.booleans(), stamps),
    tags=st.none() | st.builds(TagSet, tags.map(lambda t: tuple(sorted(set(t)))), stamps),
    note=st.none() | st.builds(Note, texts.map(clean_multiline), stamps),
)
ids = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
filters = st.builds(
    FilterRecord,
    st.from_regex(r"[a-z:0-9 ]{0,10}", fullmatch=True).map(lambda q: " ".join(q.split())),
    st.none() | st.just("sec"),
    stamps,
    stamps,
    st.booleans(),
)
states = st.builds(
    StateData,
    st.dictionaries(ids, papers.filter(lambda p: p != PaperState()), max_size=6),
    st.dictionaries(ids, filters, max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(states)
def test_encoding_round_trips(state: StateData) -> None:
    decoded = decode_state(StateEncoder().encode(state), v1_starred_at="x")
    assert decoded.problems == ()
    assert decoded.state == state


def _view(state: StateData) -> object:
    return (state.papers, state.filters)


@settings(max_examples=80, deadline=None)
@given(states, states, states)
def test_merge_order_does_not_matter(a: StateData, b: StateData, c: StateData) -> None:
    """With distinct timestamps, any order of merging gives the same state."""

    def m(x: StateData, y: StateData) -> StateData:
        return merge(x, y, incoming_wins_ties=False).state

    all_stamps = [
        r.at
        for s in (a, b, c)
        for p in s.papers.values()
        for r in (p.fav, p.read, p.tags, p.note)
        if r
    ] + [f.at for s in (a, b, c) for f in s.filters.values()]
    assume(len(set(all_stamps)) == len(all_stamps))
    assert _view(m(a, b)) == _view(m(b, a))
    assert _view(m(m(a, b), c)) == _view(m(a, m(b, c)))
    assert _view(m(m(a, b), b)) == _view(m(a, b))


def test_merge_never_replaces_newer_data() -> None:
    old, new = "2025-01-01T00:00:00.000000Z", "2025-01-02T00:00:00.000000Z"
    base = StateData({"p": PaperState(fav=Flag(False, new), note=Note("mine", old))})
    incoming = StateData({"p": PaperState(fav=Flag(True, old), note=Note("theirs", new))})
    result = merge(base, incoming, incoming_wins_ties=False)
    assert result.state.papers["p"] == PaperState(fav=Flag(False, new), note=Note("theirs", new))
    assert result.applied.papers == {"p": PaperState(note=Note("theirs", new))}
    assert (result.counts.favourites_added, result.counts.notes_changed) == (0, 1)
