"""Catalogue and state edges: deep TOML, ids that clean to nothing, a BOM, odd years,
temp files of killed writers, the lock file's mode.

Each is a class of input a hostile or careless file can hold; the loader answers
with one CatalogError line (the CLI prints it and exits 2) or handles it, never
a traceback.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveytui.cli.main import main
from surveytui.model.catalog import Catalog, CatalogError, Paper, catalog_from_dict, load_catalog
from surveytui.search.engine import SearchIndex
from surveytui.search.query import parse_query
from surveytui.state.schema import is_valid_id
from surveytui.state.store import Store
from surveytui.system.atomic import STALE_TMP_SECONDS, write_bytes_atomic

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL = FIXTURES / "cli_catalog.toml"


@pytest.mark.parametrize("depth", [400, 5000])
@pytest.mark.parametrize("shape", ["[", "{a="])
def test_deeply_nested_toml_is_one_line_and_exit_2(
    depth: int, shape: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closing = "]" if shape == "[" else "}"
    path = tmp_path / "deep.toml"
    # A real catalogue around the deep value: how deep tomli gets before Python's
    # recursion limit depends on the stack, so either the nesting is refused or the
    # unknown key is ignored; never a traceback.
    path.write_text(SMALL.read_text() + f"\n[extra]\nx = {shape * depth}1{closing * depth}\n")
    for argv in (["list"], ["search", "x"], ["check", str(path)]):
        code = main(["--data", str(path), *argv])
        err = capsys.readouterr().err
        if depth == 5000:
            assert code == 2 and "nested too deeply" in err
        assert code in (0, 2) and "Traceback" not in err
        if code == 2:
            assert err.count("\n") == 1 and str(path) in err


def _catalog(paper_id: str, section_id: str = "s") -> dict[str, object]:
    return {
        "sections": [{"id": section_id, "title": "Section"}],
        "papers": [{"id": paper_id, "title": "A paper", "sections": [section_id]}],
    }


@given(st.text(max_size=12), st.text(max_size=8))
def test_every_id_the_loader_accepts_is_clean_and_usable(paper_id: str, section_id: str) -> None:
    try:
        catalog = catalog_from_dict(_catalog(paper_id, section_id), "c.toml")
    except CatalogError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("c.toml")
        return
    (paper,) = catalog.papers
    assert is_valid_id(paper.id)  # what the state layer keys on: fav add never refuses it
    assert catalog.sections[0].id and paper.sections == (catalog.sections[0].id,)


def test_an_id_of_only_a_bidi_override_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bidi.toml"
    path.write_text('[[papers]]\nid = "\\u202e"\ntitle = "T"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="field 'id'"):
        load_catalog(path)
    assert main(["--data", str(path), "fav", "add", "x"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["--data", str(SMALL), "fav", "add", ""]) == 2  # never a ValueError
    assert "unknown paper id ''" in capsys.readouterr().err


def test_a_catalogue_with_a_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.read_bytes())
    assert len(load_catalog(path).papers) == len(load_catalog(SMALL).papers)


@pytest.mark.parametrize("year", [10**9 + 1, 10**15, -(10**12)])
def test_open_year_bounds_have_no_hidden_limit(year: int) -> None:
    papers = (Paper("odd", "Odd year", year=year), Paper("usual", "Usual", year=2021))
    index = SearchIndex(Catalog("c", (), papers))
    later = {p.id for p in index.search(parse_query("year:>=2000"))}
    earlier = {p.id for p in index.search(parse_query("year:<=2022"))}
    assert ("odd" in later) == (year >= 2000) and "usual" in later
    assert ("odd" in earlier) == (year <= 2022) and "usual" in earlier


def test_temp_files_of_killed_writers_are_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    dead = tmp_path / ".state.json.999999999-abc.tmp"  # no such process
    old = tmp_path / ".state.json.k2j3h4.tmp"  # an older surveytui's name, long stale
    alive = tmp_path / f".state.json.{os.getpid()}-xyz.tmp"  # a writer still at work
    unrelated = tmp_path / ".other.json.999999999-abc.tmp"
    for path in (dead, old, alive, unrelated):
        path.write_bytes(b"partial")
    past = time.time() - STALE_TMP_SECONDS - 60
    os.utime(old, (past, past))
    write_bytes_atomic(target, b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, alive.name, unrelated.name]
    )


def test_the_lock_file_is_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "state.json")
        store.load()
        store.set_favourite("p", True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.lock_path.stat().st_mode) == 0o600
