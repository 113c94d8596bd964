"""The committed data/papers.toml: the survey's structure, its papers, and reproducibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveytui.importer.check import check_catalog
from surveytui.importer.document import import_file, regenerate_command, render_toml
from surveytui.model.catalog import CATEGORIES, Catalog, load_catalog
from surveytui.model.identity import title_key
from surveytui.system.links import is_safe_url

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "data" / "papers.toml"
UPSTREAM_DIR = REPO.parent / "shared" / "upstream"
UPSTREAM = UPSTREAM_DIR / "efficient-foundation-model-survey.md"
DRAFT = UPSTREAM_DIR / "seed-readme-draft.md"
# The exact arguments the header's regenerate command records (paths relative to the repo).
OVERRIDES = {
    "title": "A Survey of Resource-efficient LLM and Multimodal Foundation Models",
    "arxiv": "2401.08092",
    "source": "https://github.com/UbiquitousLearning/Efficient_Foundation_Model_Survey",
}
UPSTREAM_ARG = "../shared/upstream/efficient-foundation-model-survey.md"
OUTPUT_ARG = "data/papers.toml"

needs_upstream = pytest.mark.skipif(
    not UPSTREAM.is_file(), reason="../shared/upstream is not available (only in the dev setup)"
)

TOP_SECTIONS = [
    "Foundation Model Overview",
    "Resource-efficient Architectures",
    "Resource-efficient Algorithms",
    "Resource-efficient Systems",
]
SUBSECTIONS = [
    "Language Foundation Models",
    "Vision Foundation Models",
    "Multimodal Large FMs",
    "Efficient Attention",
    "Dynamic Neural Network",
    "Diffusion-specific Optimization",
    "ViT-specific Optimizations",
    "Pre-training Algorithms",
    "Finetuning Algorithms",
    "Inference Algorithms",
    "Model Compression",
    "Distributed Training",
    "Federated Learning",
    "Serving on Cloud",
    "Serving on Edge",
]


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(SHIPPED)


def test_the_survey_tree_is_four_top_sections_and_fifteen_subsections(shipped: Catalog) -> None:
    assert shipped.title == OVERRIDES["title"]
    assert shipped.arxiv == "2401.08092"
    assert [s.title for s in shipped.children[None]] == TOP_SECTIONS
    subs = [s for s in shipped.sections if s.parent is not None]
    assert [s.title for s in subs] == SUBSECTIONS
    assert all(shipped.section_by_id[s.parent].parent is None for s in subs if s.parent)


def test_every_paper_is_placed_and_linked_safely(shipped: Catalog) -> None:
    assert len(shipped.papers) >= 415
    for paper in shipped.papers:
        assert paper.sections, paper.id
        assert paper.paper_url or paper.code_url, paper.id
        for url in (paper.paper_url, paper.code_url):
            assert url is None or is_safe_url(url), (paper.id, url)
        assert set(paper.categories) <= set(CATEGORIES)


def test_gptq_is_in_model_compression_with_its_code(shipped: Catalog) -> None:
    gptq = next(p for p in shipped.papers if p.title.startswith("GPTQ"))
    assert gptq.title.casefold() == (
        "gptq: accurate post-training quantization for generative pre-trained transformers"
    )
    assert (gptq.venue, gptq.year) == ("ICLR", 2023)
    assert gptq.code_url == "https://github.com/IST-DASLab/gptq"
    assert [shipped.section_path(s) for s in gptq.sections] == [
        "Resource-efficient Algorithms / Model Compression"
    ]
    assert "llm" in gptq.categories


def test_papers_listed_in_two_subsections_carry_both(shipped: Catalog) -> None:
    powerinfer = next(p for p in shipped.papers if p.title.startswith("PowerInfer:"))
    assert [shipped.section_path(s) for s in powerinfer.sections] == [
        "Resource-efficient Algorithms / Model Compression",
        "Resource-efficient Systems / Serving on Edge",
    ]


def test_shipped_data_has_warnings_but_no_errors(shipped: Catalog) -> None:
    findings = check_catalog(shipped)
    assert [str(f) for f in findings if f.level == "error"] == []
    messages = [f.message for f in findings]
    assert any("looks like a typo of 'ICPP'" in m for m in messages)  # Colossal-AI's ICPC'23
    no_year = {f.where.rpartition(": ")[2] for f in findings if f.message == "no year"}
    assert "big-bird-transformers-for-longer-sequences" in no_year  # its venue says NeurIPS'2


def test_header_names_the_survey_and_how_to_regenerate() -> None:
    head = SHIPPED.read_text(encoding="utf-8").split("\n\n[catalog]")[0]
    command = regenerate_command(load_catalog(SHIPPED), UPSTREAM_ARG, OUTPUT_ARG)
    assert command == (
        f"surveytui import {UPSTREAM_ARG} -o {OUTPUT_ARG} --title '{OVERRIDES['title']}' "
        f"--arxiv {OVERRIDES['arxiv']} --source {OVERRIDES['source']}"
    )
    assert head.startswith(f"# {OVERRIDES['title']}\n# arXiv: 2401.08092\n")
    assert f"# Source: {OVERRIDES['source']}\n" in head
    assert f"#   {command}\n" in head


@needs_upstream
def test_reimporting_upstream_reproduces_the_file_byte_for_byte() -> None:
    result = import_file(UPSTREAM, **OVERRIDES)
    rendered = render_toml(result.catalog, UPSTREAM_ARG, OUTPUT_ARG)
    assert rendered == SHIPPED.read_text(encoding="utf-8")
    assert result.entries == 433
    assert len(result.catalog.papers) == 421
    again = [d for d in result.duplicates if "is listed again" in d]
    also = [d for d in result.duplicates if "is also listed" in d]
    assert (len(again), len(also)) == (2, 10)


@needs_upstream
def test_the_draft_is_an_earlier_subset_of_the_same_list(shipped: Catalog) -> None:
    draft = import_file(DRAFT).catalog
    assert [s.title for s in draft.sections] == ["Foundation Model Overview"]
    shipped_titles = {title_key(p.title) for p in shipped.papers}
    extra = [p.title for p in draft.papers if title_key(p.title) not in shipped_titles]
    assert extra == ["Impact of Tokenization on Language Models: An Analysis for Turkish", "xxx"]
    assert len(draft.papers) == 23
