"""Every export carries what ``enrich`` fetched: authors, abstract and identifiers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import pytest

from surveytui.export import export_papers
from surveytui.importer.document import import_markdown
from surveytui.metadata.store import MetaStore
from surveytui.model.catalog import Catalog, load_catalog
from surveytui.model.meta import LinkMismatch, PaperMeta

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metadata"
GPTQ = PaperMeta(
    source="arxiv",
    title="GPTQ",
    authors=("Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh"),
    abstract="Generative Pre-trained Transformer models, known as GPT or OPT, set them apart.",
    arxiv_id="2210.17323",
    published="2022-10-31",
)


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog(FIXTURES / "catalog.toml")


@pytest.fixture
def meta(tmp_path: Path) -> MetaStore:
    store = MetaStore(tmp_path / "meta.json")
    store.update(
        {"gptq": GPTQ},
        {"dinov2": LinkMismatch("arxiv", "2005.12872", "End-to-End Object Detection")},
    )
    return store


def test_csv_has_authors_abstract_and_ids(catalog: Catalog, meta: MetaStore) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(export_papers(
        catalog, catalog.papers, "csv", meta=meta)))}  # fmt: skip
    assert rows["gptq"]["authors"] == "Elias Frantar; Saleh Ashkboos; Torsten Hoefler; Dan Alistarh"
    assert rows["gptq"]["abstract"].startswith("Generative Pre-trained")
    assert (rows["gptq"]["arxiv_id"], rows["gptq"]["published"]) == ("2210.17323", "2022-10-31")
    assert rows["flexgen"]["authors"] == "" and rows["flexgen"]["abstract"] == ""


def test_json_reads_the_arxiv_id_from_the_link_but_not_from_a_wrong_one(
    catalog: Catalog, meta: MetaStore
) -> None:
    records = {r["id"]: r for r in json.loads(export_papers(catalog, catalog.papers, "json",
                                                            meta=meta))}  # fmt: skip
    assert records["llm-int8"]["arxiv_id"] == "2208.07339"  # from its link, no fetch needed
    assert records["dinov2"]["arxiv_id"] is None  # its link names DETR


def test_markdown_adds_authors_and_still_reads_back(catalog: Catalog, meta: MetaStore) -> None:
    text = export_papers(catalog, catalog.papers, "markdown", meta=meta)
    lines = text.splitlines()
    (at,) = [n for n, x in enumerate(lines) if x.startswith("- GPTQ")]
    assert lines[at].endswith("[[Paper]](https://arxiv.org/abs/2210.17323)")
    assert lines[at + 1] == (
        "  *Authors: Elias Frantar, Saleh Ashkboos, Torsten Hoefler, Dan Alistarh*"
    )
    back = import_markdown(text).catalog
    assert [(p.title, p.venue, p.year, p.paper_url) for p in back.papers] == [
        (p.title, p.venue, p.year, p.paper_url) for p in catalog.papers
    ]
    assert back.papers[0].authors == GPTQ.authors  # every author, none cut to "et al"


def test_bibtex_leaves_a_wrong_links_eprint_out(catalog: Catalog, meta: MetaStore) -> None:
    text = export_papers(catalog, catalog.papers, "bibtex", meta=meta)
    entries = bibtexparser.parse_string(text).entries  # type: ignore[attr-defined]
    (dinov2,) = [e for e in entries if "DINOv2" in e.fields_dict["title"].value]
    assert "eprint" not in dinov2.fields_dict  # the link's id names DETR, not DINOv2
    (llm,) = [e for e in entries if "LLM.int8" in e.fields_dict["title"].value]
    assert llm.fields_dict["eprint"].value == "2208.07339"
