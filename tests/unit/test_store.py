"""The user-state store as a user meets it: what is on disk after each action,
and what happens when the file is corrupt, old, too new, or cannot be written."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import filelock
import pytest

from surveytui.state.store import ImportSummary, SavedFilter, StateError, StateWriteError, Store

FIXTURES = Path(__file__).parents[1] / "fixtures"
START = datetime(2026, 11, 28, 15, 12, 0, tzinfo=timezone.utc)


def _permissions_bypassed() -> bool:
    """True as root (or with CAP_DAC_OVERRIDE), as in CI: chmod then protects nothing."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        locked = Path(scratch) / "locked"
        locked.mkdir(mode=0o500)
        try:
            (locked / "probe").touch()
        except PermissionError:
            return False
        finally:
            locked.chmod(0o700)
    return True


BYPASS = _permissions_bypassed()


class Clock:
    """A clock the test moves by hand: one second per reading unless frozen."""

    def __init__(self, start: datetime = START, step: timedelta = timedelta(seconds=1)) -> None:
        self.now, self.step = start, step

    def __call__(self) -> datetime:
        current = self.now
        self.now += self.step
        return current


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def on_disk(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def one_line(message: str) -> str:
    assert "\n" not in message and "\x1b" not in message
    return message


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "survey.json"


@pytest.fixture
def store(path: Path) -> Store:
    s = Store(path, catalog_key="survey", clock=Clock())
    assert s.load() == []
    return s


def test_construction_and_load_of_a_missing_file_create_nothing(tmp_path: Path) -> None:
    s = Store(tmp_path / "a" / "b" / "state.json")
    assert s.load() == []
    assert not (tmp_path / "a").exists()
    assert (s.favourites(), s.all_tags(), s.saved_filters()) == ([], {}, [])
    assert (
        not s.is_favourite("x") and not s.is_read("x") and s.tags("x") == () and s.note("x") == ""
    )


def test_everything_survives_a_restart(path: Path, store: Store) -> None:
    store.set_favourite("lora", True)
    store.toggle_favourite("vllm")
    store.toggle_read("lora")
    store.set_tags("lora", ["PEFT", "fine tuning"])
    store.set_note("lora", "Rank 8 is enough.\nSee table 2.")
    store.save_filter("serving", "sec:serving has:code", "serving")

    again = Store(path)
    assert again.load() == []
    assert again.favourites() == store.favourites()
    assert [pid for pid, _ in again.favourites()] == ["vllm", "lora"]
    assert again.is_read("lora") and not again.is_read("vllm")
    assert again.tags("lora") == ("fine-tuning", "peft")
    assert again.note("lora") == "Rank 8 is enough.\nSee table 2."
    assert again.saved_filters() == store.saved_filters()
    assert again.saved_filters()[0].section == "serving"


def test_each_change_is_on_disk_with_its_time(path: Path) -> None:
    clock = Clock()
    s = Store(path, catalog_key="survey", clock=clock)
    s.set_favourite("p", True)
    assert on_disk(path)["papers"]["p"]["fav"] == {"on": True, "at": iso(START)}
    assert s.toggle_favourite("p") is False
    assert on_disk(path)["papers"]["p"]["fav"] == {"on": False, "at": iso(START + clock.step)}
    assert s.toggle_read("p") is True
    assert on_disk(path)["papers"]["p"]["read"]["on"] is True
    s.set_read("p", False)
    assert on_disk(path)["papers"]["p"]["read"]["on"] is False
    s.set_tags("p", ["b", "a"])
    assert on_disk(path)["papers"]["p"]["tags"]["value"] == ["a", "b"]
    s.add_tags("p", ["c"])
    s.remove_tags("p", ["a"])
    assert on_disk(path)["papers"]["p"]["tags"]["value"] == ["b", "c"]
    s.set_note("p", "hello")
    assert on_disk(path)["papers"]["p"]["note"]["value"] == "hello"
    s.set_note("p", "")
    assert on_disk(path)["papers"]["p"]["note"]["value"] == ""
    s.save_filter("mine", "is:fav", None)
    assert on_disk(path)["filters"]["mine"]["query"] == "is:fav"
    s.delete_filter("mine")
    assert on_disk(path)["filters"]["mine"]["deleted"] is True
    assert on_disk(path)["version"] == 2 and on_disk(path)["catalog"] == "survey"


def test_file_is_sorted_utf8_json_ending_in_a_newline(path: Path, store: Store) -> None:
    store.set_note("zeta", "Müller's “attention” 注意")
    store.set_favourite("alpha", True)
    store.save_filter("f", "q", None)
    raw = path.read_bytes()
    assert raw.endswith(b"}\n")
    assert "Müller's “attention” 注意".encode() in raw

    def check_sorted(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys)
        return dict(pairs)

    json.loads(raw, object_pairs_hook=check_sorted)
    assert raw.startswith(b'{\n "catalog"')


def test_restarring_keeps_the_first_star_time(store: Store) -> None:
    store.set_favourite("p", True)
    first = store.favourite_at("p")
    store.set_favourite("p", True)
    assert store.favourite_at("p") == first
    store.set_favourite("p", False)
    assert store.favourite_at("p") is None


def test_a_stopped_clock_still_orders_changes(path: Path) -> None:
    s = Store(path, clock=Clock(step=timedelta(0)))
    for on in (True, False, True, False):
        s.set_favourite("p", on)
    reloaded = Store(path)
    reloaded.load()
    assert not reloaded.is_favourite("p")
    assert on_disk(path)["papers"]["p"]["fav"]["at"] == "2026-11-28T15:12:00.000003Z"


def test_favourites_are_newest_first(store: Store) -> None:
    for pid in ("a", "b", "c"):
        store.set_favourite(pid, True)
    store.set_favourite("a", False)
    store.set_favourite("a", True)
    assert [pid for pid, _ in store.favourites()] == ["a", "c", "b"]
    assert store.favourites()[0][1] == store.favourite_at("a")


def test_tags_are_normalised_and_counted(store: Store) -> None:
    store.set_tags("p", ["  Machine  Learning ", "LLM", "llm", "", "a|b!", "c++", "x\x1by"])
    assert store.tags("p") == ("ab", "c++", "llm", "machine-learning", "xy")
    store.add_tags("q", ["llm", "Vision"])
    store.add_tags("q", ["vision"])
    assert store.all_tags() == {
        "ab": 1,
        "c++": 1,
        "llm": 2,
        "machine-learning": 1,
        "vision": 1,
        "xy": 1,
    }
    store.remove_tags("p", ["LLM", "nope"])
    assert store.all_tags()["llm"] == 1


def test_notes_keep_lines_but_lose_control_codes(store: Store) -> None:
    store.set_note("p", "\n\nfirst\x1b[31m line\r\nsecond\u202e\tline  \n\n")
    assert store.note("p") == "first[31m line\nsecond  line"


def test_text_that_cannot_be_utf8_is_dropped_not_fatal(path: Path, store: Store) -> None:
    # what a non-UTF-8 byte on the command line becomes in Python
    store.set_note("p", "caf\udce9 notes")
    store.save_filter("mine\udce9", "venue:\udce9osdi", "sec\udce9")
    store.set_tags("p", ["\udce9ml"])
    reloaded = Store(path)
    assert reloaded.load() == []
    assert reloaded.note("p") == "caf notes" and reloaded.tags("p") == ("ml",)
    [saved] = reloaded.saved_filters()
    assert (saved.name, saved.query, saved.section) == ("mine", "venue:osdi", "sec")


def test_saved_filters_keep_creation_order(store: Store) -> None:
    store.save_filter("b", "venue:osdi", None)
    store.save_filter("a", "year:2023", "compression")
    store.save_filter("b", "venue:sosp", None)
    assert [(f.name, f.query) for f in store.saved_filters()] == [
        ("b", "venue:sosp"),
        ("a", "year:2023"),
    ]
    store.delete_filter("b")
    store.delete_filter("never-saved")
    store.save_filter("b", "venue:osdi", None)
    names = [f.name for f in store.saved_filters()]
    assert names == ["a", "b"]
    assert isinstance(store.saved_filters()[0], SavedFilter)


def test_bad_ids_and_names_are_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.set_favourite("", True)
    with pytest.raises(ValueError):
        store.set_favourite("evil\x1b[2J", True)
    with pytest.raises(ValueError):
        store.save_filter("  ", "q", None)


# ------------------------------------------------------------------ damaged files

CORRUPT = {
    "invalid JSON": (b'{"version": 2,\n"papers": {\n', "invalid JSON at line 3"),
    "empty file": (b"", "invalid JSON at line 1"),
    "no version": (b'{"papers": {}}', 'no integer "version"'),
    "not UTF-8": (b'{"version": 2, "catalog": "\xff\xfe"}', "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_file_is_moved_aside_with_its_bytes(path: Path, case: str) -> None:
    raw, reason = CORRUPT[case]
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    s = Store(path, clock=Clock())
    [notice] = s.load()
    aside = path.with_name("survey.json.corrupt-20261128T151200Z")
    assert one_line(notice).startswith(f"state file {path} was corrupt ({reason}")
    assert notice.endswith(f"); moved aside to {aside}; starting empty")
    assert aside.read_bytes() == raw
    assert s.favourites() == []
    s.set_favourite("p", True)
    assert aside.read_bytes() == raw and on_disk(path)["papers"]["p"]["fav"]["on"]


def test_a_second_corruption_never_overwrites_the_first(path: Path) -> None:
    path.parent.mkdir(parents=True)
    for garbage in (b"{first", b"{second"):
        path.write_bytes(garbage)
        Store(path, clock=Clock(step=timedelta(0))).load()
    kept = sorted(p.read_bytes() for p in path.parent.glob("survey.json.corrupt-*"))
    assert kept == [b"{first", b"{second"]


def test_wrong_field_types_drop_only_those_fields(path: Path) -> None:
    path.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "state_v2_damaged.json", path)
    s = Store(path, clock=Clock())
    [notice] = s.load()
    assert one_line(notice).startswith(f"state file {path} had 3 invalid entries; first: paper ")
    assert "original moved aside to" in notice
    aside = path.with_name("survey.json.corrupt-20261128T151200Z")
    assert aside.read_bytes() == (FIXTURES / "state_v2_damaged.json").read_bytes()
    assert s.is_favourite("good-paper") and s.is_read("bad-tags")
    assert not s.is_favourite("bad-fav") and s.note("bad-time") == ""
    assert set(on_disk(path)["papers"]) == {"good-paper", "bad-tags"}
    assert Store(path).load() == []


def test_a_file_corrupted_while_running_loses_nothing_known(path: Path, store: Store) -> None:
    store.set_favourite("before", True)
    path.write_text("{oops")
    store.set_favourite("after", True)
    [notice] = store.drain_notices()
    assert "was corrupt" in notice and "kept the state already in memory" in notice
    assert set(on_disk(path)["papers"]) == {"before", "after"}
    assert store.drain_notices() == []


def test_hand_edited_file_is_read_leniently(path: Path) -> None:
    path.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "state_v2_handwritten.json", path)
    s = Store(path)
    assert s.load() == []
    lora = "lora-low-rank-adaptation-of-large-language-models"
    assert s.favourites() == [(lora, "2025-03-14T09:26:53.000000Z")]
    assert s.tags(lora) == ("fine-tuning", "peft")
    assert s.note(lora) == "Rank 8 is enough.\nSee table 2."
    assert s.is_read("flashattention-fast-and-memory-efficient-exact-attention")
    assert s.saved_filters() == [
        SavedFilter("serving", "sec:serving has:code", None, "2025-03-17T10:00:00.000000Z")
    ]


# ------------------------------------------------------------------ versions


def _v1_at(path: Path, when: datetime) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "state_v1.json", path)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path.read_bytes()


def test_v1_file_is_migrated_with_a_backup(path: Path) -> None:
    when = datetime(2025, 3, 14, 9, 26, 53, tzinfo=timezone.utc)
    original = _v1_at(path, when)
    s = Store(path, catalog_key="survey", clock=Clock())
    [notice] = s.load()
    backup = path.with_name("survey.json.v1.bak")
    assert one_line(notice) == f"migrated state file {path} from version 1 (backup: {backup})"
    assert backup.read_bytes() == original
    data = on_disk(path)
    assert data["version"] == 2 and len(data["papers"]) == 3
    assert {p["fav"]["at"] for p in data["papers"].values()} == {iso(when)}
    assert len(s.favourites()) == 3 and s.is_favourite(next(iter(data["papers"])))
    assert Store(path).load() == []


def test_v1_migration_never_overwrites_an_existing_backup(path: Path) -> None:
    original = _v1_at(path, START)
    backup = path.with_name("survey.json.v1.bak")
    backup.write_bytes(b"an older backup")
    [notice] = Store(path, clock=Clock()).load()
    stamped = path.with_name("survey.json.v1-20261128T151200Z.bak")
    assert backup.read_bytes() == b"an older backup"
    assert stamped.read_bytes() == original and str(stamped) in notice


def test_too_new_file_is_refused_and_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    raw = b'{"version": 3, "papers": {"lora": {"starred": 1}}}'
    path.write_bytes(raw)
    s = Store(path)
    with pytest.raises(StateError) as err:
        s.load()
    assert one_line(str(err.value)).startswith(f"state file {path} is version 3, newer than")
    with pytest.raises(StateWriteError):
        s.set_favourite("lora", True)
    assert s.is_favourite("lora")
    assert path.read_bytes() == raw
    assert sorted(p.name for p in path.parent.iterdir()) == ["survey.json", "survey.json.lock"]


def test_unreadable_file_is_an_error_naming_it(path: Path) -> None:
    path.mkdir(parents=True)  # a directory where the file should be: unreadable even as root
    with pytest.raises(StateError) as err:
        Store(path).load()
    assert one_line(str(err.value)).startswith(f"cannot read state file {path}: ")


@pytest.mark.skipif(BYPASS, reason="this user reads files whatever their mode (root)")
def test_file_without_read_permission_is_an_error(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 2}')
    path.chmod(0)
    with pytest.raises(StateError, match="Permission denied"):
        Store(path).load()


# ------------------------------------------------------------------ failed writes


def test_unwritable_location_keeps_changes_and_saves_them_later(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the state directory should be")
    path = blocker / "state" / "survey.json"
    s = Store(path, clock=Clock())
    assert s.load() == []
    with pytest.raises(StateWriteError) as err:
        s.set_favourite("p1", True)
    assert one_line(str(err.value)).startswith(f"could not save state file {path}: ")
    assert "Not a directory" in str(err.value) or "File exists" in str(err.value)
    with pytest.raises(StateWriteError):
        s.set_tags("p2", ["x"])
    assert s.is_favourite("p1") and s.tags("p2") == ("x",) and s.has_unsaved_changes

    blocker.unlink()
    s.set_read("p3", True)
    assert not s.has_unsaved_changes
    papers = on_disk(path)["papers"]
    assert papers["p1"]["fav"]["on"] and papers["p2"]["tags"]["value"] == ["x"]
    assert papers["p3"]["read"]["on"]


@pytest.mark.skipif(BYPASS, reason="this user writes into read-only directories (root)")
def test_read_only_directory_keeps_changes(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.parent.chmod(0o500)
    s = Store(path)
    try:
        with pytest.raises(StateWriteError, match="Permission denied"):
            s.set_favourite("p", True)
        assert s.is_favourite("p")
    finally:
        path.parent.chmod(0o700)
    s.set_favourite("q", True)
    assert set(on_disk(path)["papers"]) == {"p", "q"}


def test_lock_held_too_long_is_reported_and_retried(path: Path) -> None:
    s = Store(path, lock_timeout=0.1)
    path.parent.mkdir(parents=True)
    other = filelock.FileLock(str(s.lock_path))
    with other, pytest.raises(StateWriteError) as err:
        s.set_favourite("p", True)
    assert f"lock {s.lock_path} still held by another process" in one_line(str(err.value))
    assert s.is_favourite("p") and not path.exists()
    s.set_favourite("q", True)
    assert set(on_disk(path)["papers"]) == {"p", "q"}


def test_v1_migration_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    _v1_at(path, START)
    s = Store(path, lock_timeout=0.1)
    with filelock.FileLock(str(s.lock_path)):
        [notice] = s.load()
    assert one_line(notice).startswith(f"state file {path} needs repair (version 1 format) but ")
    assert len(s.favourites()) == 3 and on_disk(path)["version"] == 1
    s.set_favourite("new", True)
    assert len(on_disk(path)["papers"]) == 4


# ------------------------------------------------------------------ sharing


def test_two_stores_on_one_file_merge_instead_of_overwriting(path: Path) -> None:
    a, b = Store(path, clock=Clock()), Store(path, clock=Clock(START + timedelta(hours=1)))
    a.load()
    b.load()
    a.set_favourite("from-a", True)
    b.set_favourite("from-b", True)  # b never loaded a's change, yet keeps it
    b.add_tags("from-a", ["seen-by-b"])
    assert set(on_disk(path)["papers"]) == {"from-a", "from-b"}
    assert b.is_favourite("from-a")
    a.load()
    assert a.tags("from-a") == ("seen-by-b",) and a.is_favourite("from-b")


def _pair(tmp_path: Path) -> tuple[Store, Store]:
    """Two machines' stores sharing one clock, so the test decides which change is newer."""
    clock = Clock()
    return Store(tmp_path / "a.json", clock=clock), Store(tmp_path / "b.json", clock=clock)


def test_import_takes_only_newer_values_both_ways(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    a.set_favourite("p1", True)
    b.set_note("p2", "older note from b")
    a.set_note("p2", "newer note from a")
    b.set_favourite("p1", True)
    b.set_favourite("p1", False)  # b's unstar is newer than a's star
    b.save_filter("f", "q", None)
    a.save_filter("g", "r", None)

    a.export_state(tmp_path / "out" / "a-export.json")
    b.export_state(tmp_path / "b-export.json")
    into_a = a.import_state(tmp_path / "b-export.json")
    into_b = b.import_state(tmp_path / "out" / "a-export.json")

    for s in (a, b):
        assert not s.is_favourite("p1")
        assert s.note("p2") == "newer note from a"
        assert [f.name for f in s.saved_filters()] == ["f", "g"]
    assert isinstance(into_a, ImportSummary)
    assert str(into_a) == (
        f"imported {tmp_path / 'b-export.json'}: 1 favourite removed, 1 saved filter changed"
    )
    assert (into_b.notes_changed, into_b.favourites_added, into_b.filters_changed) == (1, 0, 1)
    again = a.import_state(tmp_path / "b-export.json")
    assert str(again).endswith(": nothing newer than the current state")
    assert on_disk(tmp_path / "a.json") == on_disk(tmp_path / "b.json")


def test_import_respects_deleted_filters_and_imports_v1(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    b.save_filter("f", "q", None)
    b.export_state(tmp_path / "b1.json")
    a.import_state(tmp_path / "b1.json")
    a.delete_filter("f")
    b.import_state(tmp_path / "b1.json")
    a.export_state(tmp_path / "a1.json")
    b.import_state(tmp_path / "a1.json")
    assert b.saved_filters() == []
    a.import_state(tmp_path / "b1.json")  # the older copy cannot resurrect it
    assert a.saved_filters() == []

    v1 = tmp_path / "old.json"
    _v1_at(v1, START - timedelta(days=1))
    a.set_favourite("lora-low-rank-adaptation-of-large-language-models", True)
    a.set_favourite("lora-low-rank-adaptation-of-large-language-models", False)
    summary = a.import_state(v1)
    assert summary.favourites_added == 2  # the newer unstar of lora wins
    assert v1.read_bytes() == (FIXTURES / "state_v1.json").read_bytes()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not json", "is not a surveytui state file (invalid JSON at line 1"),
        (b'{"version": 9}', "is version 9, newer than this surveytui"),
        (b'{"version": 2, "papers": {"p": {"fav": true}}}', "has 1 invalid entry"),
    ],
)
def test_bad_import_changes_nothing(path: Path, store: Store, content: bytes, problem: str) -> None:
    store.set_favourite("kept", True)
    before = path.read_bytes()
    src = path.parent / "incoming.json"
    src.write_bytes(content)
    with pytest.raises(StateError) as err:
        store.import_state(src)
    assert one_line(str(err.value)).startswith(f"{src} ") and problem in str(err.value)
    assert path.read_bytes() == before


def test_import_of_a_missing_file_names_it(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StateError, match=f"cannot read {tmp_path / 'nope.json'}"):
        store.import_state(tmp_path / "nope.json")


def test_export_to_an_unwritable_place_is_reported(store: Store, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateWriteError, match="could not export state to"):
        store.export_state(tmp_path / "file" / "out.json")


def test_rename_filter_keeps_its_place_and_the_old_name_stays_gone(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.json")
    store.save_filter("a", "quant", None)
    store.save_filter("b", "lora", "sec:x")
    store.rename_filter("a", "first")
    names = [(f.name, f.query) for f in store.saved_filters()]
    assert names == [("first", "quant"), ("b", "lora")]
    again = Store(tmp_path / "s.json")
    again.load()
    assert [f.name for f in again.saved_filters()] == ["first", "b"]
    store.delete_filter("b")
    again.load()
    assert [f.name for f in again.saved_filters()] == ["first"]
