"""Caches never answer with stale or damaged data.

The parse cache is keyed by the catalogue's content (size and CRC-32), so an
edit that keeps the size and restores the mtime (``touch -r``) is seen by
``list``, the full search and the quick path alike; the quick pack, keyed by
the file's stat including its ctime, is rebuilt from a checked parse. Both
caches carry a CRC-32: any single flipped bit makes them count as absent.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveytui import entry
from surveytui.cli.main import main as full_main
from surveytui.model import cache as model_cache
from surveytui.quick import run as quicksearch
from surveytui.search.registry import load_cached
from surveytui.system.files import content_hash

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert entry.main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("settled", [False, True])
def test_an_edit_that_keeps_size_and_mtime_is_seen_everywhere(
    settled: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # settled: the cache trusts the file's stat (as it does for a file not touched in the
    # last two seconds); otherwise it hashes the content on every load.
    monkeypatch.setattr(model_cache, "SETTLE_NS", -(10**20) if settled else 10**20)
    path = tmp_path / "papers.toml"
    shutil.copyfile(FIXTURES / "cli_catalog.toml", path)
    text = path.read_text(encoding="utf-8")
    old_title = str(tomli.loads(text)["papers"][0]["title"])
    word = old_title.split()[0].strip(":").lower()
    for argv in (["list"], ["search", word], ["search", word]):  # fills both caches
        _output(capsys, "--data", str(path), *argv)
    assert quicksearch.run(["--data", str(path), "search", word]) == 0  # the pack answers
    capsys.readouterr()

    new_title = old_title.upper() if old_title.upper() != old_title else old_title.lower()
    assert len(new_title.encode()) == len(old_title.encode())
    before = path.stat()
    path.write_text(text.replace(old_title, new_title, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as touch -r does
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    assert new_title[:14] in _output(capsys, "--data", str(path), "list")
    quick = _output(capsys, "--data", str(path), "search", word)
    monkeypatch.setenv("SURVEYTUI_NO_QUICK", "1")
    full = _output(capsys, "--data", str(path), "search", word)
    assert new_title[:14] in full and old_title[:14] not in full
    assert quick == full


QUERIES = ("efficient", "low-rank", "quant !llm")  # "low-rank" reads the word forms


def test_a_settled_catalogue_is_served_without_hashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "papers.toml"
    shutil.copyfile(FIXTURES / "cli_catalog.toml", path)
    monkeypatch.setattr(model_cache, "SETTLE_NS", -(10**20))
    load_cached(path)  # parsed, hashed, cached
    hashed: list[Path] = []

    def counting(target: Path, *, limit: int) -> tuple[int, int]:
        hashed.append(target)
        return content_hash(target, limit=limit)

    monkeypatch.setattr(model_cache, "content_hash", counting)
    assert load_cached(path).title and hashed == []  # the stat proved it unchanged
    os.utime(path)  # a new ctime: the content is hashed again (and found unchanged)
    assert load_cached(path).title and hashed == [path]


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose cache holds the shipped survey's pack, as after a first search."""
    home = tmp_path_factory.mktemp("pack")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SURVEYTUI_CACHE_DIR", str(home / "cache"))
        mp.setenv("SURVEYTUI_DATA_DIR", str(home / "data"))
        assert full_main(["search", "efficient"]) == 0
    return home


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.data())
def test_a_flipped_bit_in_the_pack_never_changes_what_is_printed(
    packed: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    monkeypatch.setenv("SURVEYTUI_CACHE_DIR", str(packed / "cache"))
    monkeypatch.setenv("SURVEYTUI_DATA_DIR", str(packed / "data"))
    (where,) = (packed / "cache" / "catalogs").glob("*.quick")
    raw = where.read_bytes()
    capsys.readouterr()
    expected = {}
    for query in QUERIES:
        assert quicksearch.run(["search", query]) == 0  # the intact pack answers
        expected[query] = capsys.readouterr().out
    position = data.draw(st.integers(0, len(raw) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    damaged = bytearray(raw)
    damaged[position] ^= 1 << bit
    where.write_bytes(bytes(damaged))
    try:
        for query in QUERIES:
            code = quicksearch.run(["search", query])
            out = capsys.readouterr().out
            # Stepping aside (None: the full path answers and rewrites the pack) is fine;
            # printing anything but the intact answer is not.
            assert (code, out) in ((None, ""), (0, expected[query])), (query, position, bit)
    finally:
        where.write_bytes(raw)
