"""The catalogue parse cache: faster, never wrong, never required.

``conftest.py`` points ``SURVEYTUI_CACHE_DIR`` at a fresh directory per test.
Parsing is counted by wrapping ``surveytui.model.catalog.parse_toml``, the one place
TOML is read.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import surveytui.model.catalog
from surveytui.model.catalog import Catalog, CatalogError, load_catalog
from surveytui.search.registry import load_cached
from surveytui.system.paths import bundled_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures"


class ParseCounter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self._real = surveytui.model.catalog.parse_toml
        monkeypatch.setattr(surveytui.model.catalog, "parse_toml", self)

    def __call__(self, path: Path) -> dict[str, Any]:
        self.calls += 1
        return self._real(path)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> ParseCounter:
    monkeypatch.delenv("SURVEYTUI_NO_CACHE", raising=False)
    return ParseCounter(monkeypatch)


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "papers.toml"
    shutil.copyfile(FIXTURES / "cli_catalog.toml", path)
    return path


def cache_files() -> list[Path]:
    return sorted(Path(os.environ["SURVEYTUI_CACHE_DIR"]).rglob("*.marshal"))


def same_catalogue(a: Catalog, b: Catalog) -> None:
    """Catalog compares by identity, so compare what a user can see."""
    assert (a.title, a.arxiv, a.source, a.path) == (b.title, b.arxiv, b.source, b.path)
    assert a.sections == b.sections
    assert list(a.papers) == list(b.papers)
    assert [type(p.sections) for p in a.papers] == [tuple] * len(a.papers)
    assert a.by_id.keys() == b.by_id.keys()
    assert [a.section_path(s.id) for s in a.sections] == [b.section_path(s.id) for s in b.sections]


def bump_mtime(path: Path) -> None:
    """Like ``touch``: a later modification time than the file had."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_second_load_is_served_from_the_cache(parses: ParseCounter) -> None:
    first = load_cached(bundled_catalog())
    assert parses.calls == 1 and len(cache_files()) == 1
    second = load_cached(bundled_catalog())
    assert parses.calls == 1
    same_catalogue(second, first)


def test_cached_catalogue_equals_a_direct_load(parses: ParseCounter) -> None:
    direct = load_catalog(bundled_catalog())
    same_catalogue(load_cached(bundled_catalog()), direct)  # miss: parsed and stored
    same_catalogue(load_cached(bundled_catalog()), direct)  # hit: read back from marshal
    assert parses.calls == 2  # the direct load and the first cached one


def test_an_edited_catalogue_is_parsed_again(parses: ParseCounter, catalogue: Path) -> None:
    assert load_cached(catalogue).title == "CLI Test Catalogue"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("CLI Test Catalogue", "CLI Test Catalog!!"), "utf-8")
    bump_mtime(catalogue)
    assert catalogue.stat().st_size == len(text.encode())  # same size: only the time differs
    assert load_cached(catalogue).title == "CLI Test Catalog!!"
    assert parses.calls == 2
    assert load_cached(catalogue).title == "CLI Test Catalog!!"
    assert parses.calls == 2  # the new version is cached in turn


def test_a_catalogue_grown_within_the_same_second_is_parsed_again(
    parses: ParseCounter, catalogue: Path
) -> None:
    before = catalogue.stat()
    load_cached(catalogue)
    with catalogue.open("a", encoding="utf-8") as fh:
        fh.write('\n[[papers]]\nid = "late"\ntitle = "A Late Addition"\nsections = ["edge"]\n')
    os.utime(catalogue, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime, new size
    assert "late" in load_cached(catalogue).by_id
    assert parses.calls == 2


def test_an_edit_that_breaks_the_catalogue_is_reported_not_hidden_by_the_cache(
    parses: ParseCounter, catalogue: Path
) -> None:
    load_cached(catalogue)
    catalogue.write_text(
        catalogue.read_text("utf-8").replace("year = 2023", 'year = "2023"', 1), "utf-8"
    )
    bump_mtime(catalogue)
    with pytest.raises(CatalogError, match=r"paper 1 .*'year' must be an integer"):
        load_cached(catalogue)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"not a marshal file at all", id="garbage"),
        pytest.param(
            lambda data: data.replace(b"Model Compression", b"Model Compressioo"), id="flipped-byte"
        ),
        pytest.param(
            lambda data: data.replace(b"Model Compression", b"Model\x1b[2JCompress"),
            id="control-chars",
        ),
    ],
)
def test_a_damaged_cache_file_is_rebuilt_silently(
    parses: ParseCounter, catalogue: Path, damage: Any
) -> None:
    direct = load_catalog(catalogue)
    load_cached(catalogue)
    [cache_file] = cache_files()
    damaged = damage(cache_file.read_bytes())
    assert damaged != cache_file.read_bytes()
    cache_file.write_bytes(damaged)
    calls = parses.calls
    same_catalogue(load_cached(catalogue), direct)
    assert parses.calls == calls + 1
    assert cache_file.read_bytes() != damaged  # rewritten ...
    same_catalogue(load_cached(catalogue), direct)
    assert parses.calls == calls + 1  # ... and good again


def test_an_unwritable_cache_directory_still_loads(
    parses: ParseCounter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, catalogue: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("SURVEYTUI_CACHE_DIR", str(blocker / "cache"))
    direct = load_catalog(catalogue)
    same_catalogue(load_cached(catalogue), direct)
    same_catalogue(load_cached(catalogue), direct)
    assert parses.calls == 3  # no cache, every load parses
    assert blocker.read_text(encoding="utf-8").startswith("a file")


@pytest.mark.parametrize(("value", "cached"), [("1", False), ("yes", False), ("0", True)])
def test_surveytui_no_cache_bypasses_the_cache(
    parses: ParseCounter,
    monkeypatch: pytest.MonkeyPatch,
    catalogue: Path,
    value: str,
    cached: bool,
) -> None:
    monkeypatch.setenv("SURVEYTUI_NO_CACHE", value)
    load_cached(catalogue)
    load_cached(catalogue)
    assert parses.calls == (1 if cached else 2)
    assert len(cache_files()) == (1 if cached else 0)


def test_missing_catalogue_is_reported_not_cached(parses: ParseCounter, tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such file"):
        load_cached(tmp_path / "gone.toml")
    assert cache_files() == []


def test_two_catalogues_do_not_share_a_cache_entry(
    parses: ParseCounter, catalogue: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other" / "papers.toml"
    other.parent.mkdir()
    shutil.copyfile(FIXTURES / "cli_wide_catalog.toml", other)
    assert load_cached(catalogue).title == "CLI Test Catalogue"
    assert load_cached(other).title == "Wide Characters Catalogue"
    assert load_cached(catalogue).title == "CLI Test Catalogue"
    assert load_cached(other).path == other
    assert len(cache_files()) == 2 and parses.calls == 2


def test_cached_search_index_finds_what_a_fresh_one_finds(
    parses: ParseCounter, catalogue: Path
) -> None:
    from surveytui.search.engine import SearchIndex
    from surveytui.search.registry import search_index

    load_cached(catalogue)  # miss: writes papers and index arrays
    hit = load_cached(catalogue)
    assert parses.calls == 1
    fresh = SearchIndex(load_catalog(catalogue))
    for query in ("quant", "quantizaton", "has:code", "year:>=2023 !arxiv", "sec:serving"):
        cached_ids = [p.id for p in search_index(hit).search(query)]
        assert cached_ids == [p.id for p in fresh.search(query)], query


def test_damaged_index_part_falls_back_to_a_fresh_index(
    parses: ParseCounter, catalogue: Path
) -> None:
    from surveytui.search import registry as cache_module

    load_cached(catalogue)
    hit = load_cached(catalogue)
    cache_module._INDEXES[hit] = b"not marshal data"
    assert [p.title for p in cache_module.search_index(hit).search("quant")]


def test_lazy_papers_build_on_access_and_take_matches_indexing(
    parses: ParseCounter, catalogue: Path
) -> None:
    from surveytui.model.cache import LazyPapers

    load_cached(catalogue)
    hit = load_cached(catalogue)
    papers = hit.papers
    assert isinstance(papers, LazyPapers)
    fresh = load_catalog(catalogue).papers
    picks = [len(fresh) - 1, 0, 1]
    assert papers.take(picks) == [fresh[i] for i in picks]  # some built, some not
    assert list(papers) == list(fresh)  # now all built
    assert papers.take(picks) == [fresh[i] for i in picks]  # the fast path
    assert papers[0:2] == list(fresh[0:2])
