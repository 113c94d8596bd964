"""The metadata file: versioned, atomic, lazily read, and never lost to a bad run."""

from __future__ import annotations

import json
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveytui.metadata.store import FORMAT, MetaStore, MetaStoreError, metadata_path
from surveytui.model.catalog import Paper
from surveytui.model.meta import LinkMismatch, PaperMeta, paper_authors

GPTQ = PaperMeta(
    source="arxiv",
    title="GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers",
    authors=("Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh"),
    abstract="Generative Pre-trained Transformer models ...",
    arxiv_id="2210.17323",
    published="2022-10-31",
    primary_class="cs.LG",
)
DETR = LinkMismatch("arxiv", "2005.12872", "End-to-End Object Detection with Transformers")


def test_records_survive_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "meta" / "survey.json"
    MetaStore(path).update({"gptq": GPTQ}, {"dinov2": DETR})
    again = MetaStore(path)
    assert again.meta("gptq") == GPTQ
    assert again.mismatch("dinov2") == DETR
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert (header["format"], header["version"]) == (FORMAT, 1)


def test_nothing_is_read_until_a_record_is_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    MetaStore(path).update({"gptq": GPTQ})
    store = MetaStore(path)
    assert not store.loaded
    store.meta("gptq")
    assert store.loaded


def test_two_writers_keep_each_others_records(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    first, second = MetaStore(path), MetaStore(path)
    first.load()
    second.load()
    first.update({"gptq": GPTQ})
    second.update({"other": GPTQ})
    assert set(MetaStore(path).records()) == {"gptq", "other"}


def test_a_corrupt_file_is_moved_aside_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    path.write_text('{"format": "surveytui-metadata", "version": 1, "records": {', "utf-8")
    store = MetaStore(path)
    notices = store.load()
    assert len(notices) == 1 and "moved aside" in notices[0] and str(path) in notices[0]
    aside = list(tmp_path.glob("survey.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text("utf-8").endswith("{")
    assert store.meta("gptq") is None
    store.update({"gptq": GPTQ})  # a fresh file is written; the damaged one stays aside
    assert MetaStore(path).meta("gptq") == GPTQ


def test_a_newer_version_is_not_overwritten_in_place(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    path.write_text(json.dumps({"format": FORMAT, "version": 99, "records": {}}), "utf-8")
    notices = MetaStore(path).load()
    assert "newer than this surveytui reads" in notices[0]
    assert list(tmp_path.glob("survey.json.corrupt-*"))


def test_a_bad_record_names_its_paper(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    header = {"format": FORMAT, "version": 1}
    bad = {"id": "gptq", "record": {"source": "arxiv"}}
    path.write_text(json.dumps(header) + "\n" + json.dumps(bad) + "\n", "utf-8")
    assert "line 2 (paper 'gptq')" in MetaStore(path).load()[0]


def test_an_unwritable_directory_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    with pytest.raises(MetaStoreError, match="cannot write"):
        MetaStore(blocker / "survey.json").update({"gptq": GPTQ})


def test_export_and_import_move_records_between_machines(tmp_path: Path) -> None:
    here = MetaStore(tmp_path / "a.json")
    here.update({"gptq": GPTQ}, {"dinov2": DETR})
    assert here.export_to(tmp_path / "moved.json") == 1
    there = MetaStore(tmp_path / "b.json")
    assert there.import_from(tmp_path / "moved.json") == 1
    assert there.meta("gptq") == GPTQ and there.mismatch("dinov2") == DETR


def test_import_of_something_else_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "state.json"
    other.write_text('{"favourites": []}', "utf-8")
    with pytest.raises(MetaStoreError, match="not a surveytui metadata file"):
        MetaStore(tmp_path / "b.json").import_from(other)


def test_metadata_lives_apart_from_state(tmp_path: Path) -> None:
    from surveytui.system.paths import state_path

    catalog = tmp_path / "papers.toml"
    assert metadata_path(catalog).parent != state_path(catalog).parent
    assert metadata_path(catalog).stem == state_path(catalog).stem


def _paper(authors: tuple[str, ...] = ()) -> Paper:
    return Paper(id="gptq", title=GPTQ.title, authors=authors)


def test_authors_from_the_list_are_kept_and_fetched_ones_fill_gaps() -> None:
    assert paper_authors(_paper(("E. Frantar", "S. Ashkboos")), GPTQ) == (
        "E. Frantar",
        "S. Ashkboos",
    )
    assert paper_authors(_paper(), GPTQ) == GPTQ.authors
    assert paper_authors(_paper(("Elias Frantar", "et al.")), GPTQ) == GPTQ.authors
    assert paper_authors(_paper(("E. Frantar",)), None) == ("E. Frantar",)


def test_a_refresh_replaces_the_lists_authors() -> None:
    from dataclasses import replace

    refreshed = replace(GPTQ, replace_authors=True)
    assert paper_authors(_paper(("E. Frantar",)), refreshed) == GPTQ.authors


_GARBAGE = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\n{"), min_size=1
).filter(lambda line: bool(line.encode("utf-8").strip()))


@given(
    good=st.lists(st.sampled_from(["gptq", "awq", "lora", "dinov2"]), min_size=1, unique=True),
    bad=st.lists(_GARBAGE | st.just('{"id": "x", "record": {"source": 1}}'), min_size=1),
    data=st.data(),
)
def test_bad_lines_are_skipped_and_counted_and_every_good_record_is_kept(
    good: list[str], bad: list[str], data: st.DataObject
) -> None:
    lines = [json.dumps({"id": pid, "record": GPTQ.to_json()}) for pid in good]
    for line in bad:  # anywhere among the good ones
        lines.insert(data.draw(st.integers(0, len(lines))), line)
    header = json.dumps({"format": FORMAT, "version": 1})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.json"
        raw = (header + "\n" + "\n".join(lines) + "\n").encode("utf-8")
        path.write_bytes(raw)
        store = MetaStore(path)
        [notice] = store.load()
        word = "line" if len(bad) == 1 else "lines"
        assert f"skipped {len(bad)} bad {word}" in notice and str(path) in notice
        assert set(store.records()) == set(good)
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["survey.json"]
        assert path.read_bytes() == raw  # reading never rewrites


def test_import_skips_bad_lines_and_keeps_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "moved.json"
    header = json.dumps({"format": FORMAT, "version": 1})
    good = json.dumps({"id": "gptq", "record": GPTQ.to_json()})
    source.write_text(f"{header}\nnot json\n{good}\n", "utf-8")
    decoded = MetaStore(tmp_path / "b.json").read_import(source)
    assert set(decoded.records) == {"gptq"} and decoded.skipped == 1
    assert "line 2" in decoded.skipped_text()


def test_import_of_a_state_file_says_it_is_not_metadata(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text('{\n "catalog": "survey",\n "papers": {},\n "version": 2\n}\n', "utf-8")
    with pytest.raises(MetaStoreError, match=r"state\.json: not a surveytui metadata file"):
        MetaStore(tmp_path / "b.json").import_from(state)


def test_the_metadata_lock_is_private(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    MetaStore(path).update({"gptq": GPTQ})
    lock = path.with_name("survey.json.lock")  # filelock leaves it in place on Unix
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
