"""The Markdown importer: every entry format, the real list's quirks, hostile input."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from surveytui.importer.document import (
    ImportResult,
    import_file,
    import_markdown,
    regenerate_command,
    render_toml,
)
from surveytui.model.catalog import (
    CATEGORIES,
    Catalog,
    CatalogError,
    catalog_from_dict,
    load_catalog,
)
from surveytui.model.categories import categorise
from surveytui.model.identity import assign_ids, paper_id, title_key
from surveytui.model.text import normalise_title, slugify
from surveytui.model.venues import normalise_venue
from surveytui.system.links import is_safe_url

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _import(name: str, **overrides: str) -> ImportResult:
    return import_file(FIXTURES / name, **overrides)


def _fields(catalog: Catalog) -> tuple[object, ...]:
    return (catalog.title, catalog.sections, catalog.papers, catalog.arxiv, catalog.source)


def _by_title(result: ImportResult) -> dict[str, tuple[object, ...]]:
    return {p.title: (p.venue, p.year, p.paper_url, p.code_url) for p in result.catalog.papers}


# --------------------------------------------------------------------------- entry formats


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Fast Attention Kernels",  # - Title. *[Venue'YY]* [[Paper]](url) [[Code]](url)
            (
                "NeurIPS",
                2022,
                "https://arxiv.org/abs/2205.14135",
                "https://github.com/example/flash",
            ),
        ),
        ("Tiny Links Only", (None, None, "https://example.org/tiny.pdf", None)),  # [[URL]](url)
        (
            "Template Style Paper",  # <ins>Venue'YY</ins>, [[Paper](url)] [[Code](url)]
            (
                "ICLR",
                2023,
                "https://openreview.net/forum?id=abc",
                "https://github.com/example/template",
            ),
        ),
        (
            "Draft List Paper",  # <ins>*Venue'YY*</ins>, [[Paper]](url) [[Code]](url)
            (
                "arXiv",
                2019,
                "https://arxiv.org/pdf/1910.01108.pdf",
                "https://github.com/example/draft",
            ),
        ),
        (
            "Bracket Venue Paper",  # [CHI 2023], lower-case labels
            ("CHI", 2023, "https://dl.acm.org/doi/10.1145/1", "https://github.com/example/chi"),
        ),
        (
            "Lowercase Venue Paper",  # ". arxiv 2023" and an [[arxiv]] label
            ("arXiv", 2023, "https://arxiv.org/abs/2301.00001", None),
        ),
        ("Author Year Paper", (None, 2021, "https://example.org/smith.pdf", None)),
        ("Autolink Paper", (None, None, "https://example.org/autolink", None)),
        (
            "Bare Url Paper",  # first bare link is the paper, a later repo link the code
            (None, None, "https://example.org/bare", "https://github.com/example/bare"),
        ),
        ("Linked Title Paper", ("NeurIPS", 2021, "https://example.org/linked", None)),
        ("Venue Only Paper", ("ACL", 2020, None, None)),  # no link at all
        (
            "Project Label Paper",  # [[Project]] -> paper, [[Repo]] -> code, [[Slides]] ignored
            ("ECCV", 2022, "https://example.org/project", "https://gitlab.com/example/repo"),
        ),
    ],
)
def test_entry_formats_import(title: str, expected: tuple[object, ...]) -> None:
    assert _by_title(_import("import_formats.md"))[title] == expected


def test_prose_toc_and_abstract_are_not_papers_or_sections() -> None:
    result = _import("import_formats.md")
    catalog = result.catalog
    assert [s.id for s in catalog.sections] == [
        "upstream-format",
        "upstream-format/nested",
        "draft-formats",
        "loose-lists",
    ]
    assert catalog.section_by_id["upstream-format/nested"].parent == "upstream-format"
    assert result.entries == len(catalog.papers) == 13
    titles = " ".join(p.title for p in catalog.papers)
    for prose in ("We survey", "hand-picked", "prose", "Upstream Format", "Draft Formats"):
        assert prose not in titles


def test_title_and_arxiv_come_from_the_document_unless_overridden() -> None:
    plain = _import("import_formats.md").catalog
    assert (plain.title, plain.arxiv, plain.source) == (
        "Tiny Survey of Efficient Models",
        "2401.99999",
        None,
    )
    custom = _import(
        "import_formats.md", title="Other", arxiv="2401.08092", source="https://x.org/r"
    ).catalog
    assert (custom.title, custom.arxiv, custom.source) == ("Other", "2401.08092", "https://x.org/r")


def test_empty_headings_are_dropped_and_sibling_slugs_stay_unique() -> None:
    text = (
        "# T\n\n## Empty\n\n### Also empty\n\n## Real\n\n### Misc\n\n- A. *[ICML'22]*\n\n"
        "### Misc\n\n- B. *[ICML'22]*\n"
    )
    catalog = import_markdown(text).catalog
    assert [(s.id, s.parent) for s in catalog.sections] == [
        ("real", None),
        ("real/misc", "real"),
        ("real/misc-2", "real"),
    ]


def test_bullets_before_any_section_are_ignored_with_a_warning() -> None:
    result = import_markdown("# T\n\n- Early. *[ICML'22]*\n\n## S\n\n- Late. *[ICML'22]*\n")
    assert [p.title for p in result.catalog.papers] == ["Late"]
    assert result.warnings == ("<markdown>:3: ignored 'Early': no section heading above it",)


def test_headings_without_h1_title_are_all_sections() -> None:
    catalog = import_markdown("## Only\n\n- Paper. *[ICML'22]*\n").catalog
    assert catalog.title == "Papers"
    assert [s.id for s in catalog.sections] == ["only"]


# --------------------------------------------------------------------------- quirks


def test_quirks_of_the_real_list() -> None:
    result = _import("import_quirks.md")
    papers = _by_title(result)
    assert papers["Big Bird Style"][:2] == ("NeurIPS", None)
    assert papers["Typo Venue Paper"][:2] == ("NeurIPS", 2021)
    assert papers["Are We There Yet?"][0] == "arXiv"
    assert papers["Wrapped Link Paper"][3] == "https://github.com/example/wrapped"
    assert papers["Broken Link Paper"][2] == "https://example.org/broken.pdf"
    assert papers["Junk Arxiv Paper"][2] == "https://arxiv.org/pdf/1810.04805.pdf"
    assert papers["Html Junk Paper"][2:] == (
        "https://example.org/distil.pdf",
        "https://example.org/roberta.pdf",
    )
    assert papers["Tracking Paper"][2:] == (
        "https://example.org/fed.pdf?id=7",
        "https://github.com/example/lvm",
    )
    assert papers["Placeholder Code Paper"][3] is None
    assert any(
        "import_quirks.md:9: dropped placeholder link 'https://github.com/'" in w
        for w in result.warnings
    )
    assert any("import_quirks.md:7: ambiguous year" in w for w in result.warnings)


def test_duplicates_merge_first_values_win_and_gaps_fill() -> None:
    result = _import("import_quirks.md")
    assert result.entries == 13
    assert len(result.catalog.papers) == 11
    repeated = next(p for p in result.catalog.papers if p.title == "Repeated Paper")
    assert repeated.paper_url == "https://example.org/repeated.html"
    assert repeated.code_url == "https://github.com/example/repeated"  # filled from 2nd listing
    assert repeated.sections == ("architectures/attention",)
    shared = next(p for p in result.catalog.papers if p.title == "Shared Paper")
    assert shared.sections == ("architectures/second", "algorithms")
    assert shared.code_url == "https://github.com/example/shared"
    assert len(result.duplicates) == 2
    assert "import_quirks.md:19: 'repeated paper' is listed again" in result.duplicates[0]
    assert "also listed in 'Algorithms'" in result.duplicates[1]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NeruIPS'21", ("NeurIPS", 2021)),
        ("NeurIPS'2", ("NeurIPS", None)),
        ("arXiv'23", ("arXiv", 2023)),
        ("CHI 2023", ("CHI", 2023)),
        ("arxiv 2023", ("arXiv", 2023)),
        ("[NIPS'17]", ("NeurIPS", 2017)),
        ("ICML'99", ("ICML", 1999)),
        ("ICML'69", ("ICML", 2069)),
        ("Arxiv", ("arXiv", None)),
        ("Smith et al., 2021", (None, 2021)),
        ("2020", (None, 2020)),
        ("Some Workshop'22", ("Some Workshop", 2022)),
        ("IEEE/ACM Transactions on Audio,  Speech, and Language Processing'21", ("TASLP", 2021)),
        ("", (None, None)),
    ],
)
def test_normalise_venue(raw: str, expected: tuple[str | None, int | None]) -> None:
    assert normalise_venue(raw) == expected


# --------------------------------------------------------------------------- hostile input


def test_unsafe_links_are_refused_with_a_warning_naming_file_line_and_link() -> None:
    result = _import("import_hostile.md")
    refused = [w for w in result.warnings if "refused unsafe link" in w]
    assert len(refused) == 6
    assert refused[0] == (
        f"{FIXTURES / 'import_hostile.md'}:5: refused unsafe link 'javascript:alert(1)' "
        "for 'Script Link Paper'"
    )
    assert f"{FIXTURES / 'import_hostile.md'}:6: refused unsafe link '-https" in refused[1]
    script = next(p for p in result.catalog.papers if p.title == "Script Link Paper")
    assert (script.paper_url, script.code_url) == (None, "https://github.com/example/script")
    for paper in result.catalog.papers:
        for url in (paper.paper_url, paper.code_url):
            assert url is None or is_safe_url(url)


def test_control_and_bidi_characters_are_stripped_but_brackets_survive() -> None:
    titles = [p.title for p in _import("import_hostile.md").catalog.papers]
    assert "Markup [b]Bold[/b] Paper" in titles
    assert "Bidi Reversed Paper" in titles
    for title in titles:
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in title), title


# --------------------------------------------------------------------------- errors


def test_markdown_without_papers_gives_an_empty_catalogue_but_the_file_is_an_error() -> None:
    text = (FIXTURES / "import_prose_only.md").read_text(encoding="utf-8")
    assert import_markdown(text).catalog.papers == ()
    with pytest.raises(CatalogError, match=r"import_prose_only\.md: no paper entries found"):
        _import("import_prose_only.md")


def test_unreadable_files_are_one_line_errors_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"missing\.md: no such file"):
        import_file(tmp_path / "missing.md")
    with pytest.raises(CatalogError, match="is a directory"):
        import_file(tmp_path)
    latin = tmp_path / "latin.md"
    latin.write_bytes("## S\n\n- Caf\xe9. *[ICML'22]*\n".encode("latin-1"))
    with pytest.raises(CatalogError, match=r"latin\.md: not UTF-8 text \(byte 11\)"):
        import_file(latin)


_MARKDOWNISH = st.lists(
    st.sampled_from(
        [*"#-*[]()<>`'!:./ \n\tabcHTPS12\u202e\x1b\x00", "http://", "\n- ", "[[Paper]](", "\n## "]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=200), _MARKDOWNISH))
def test_import_markdown_never_raises_and_never_stores_unsafe_data(text: str) -> None:
    catalog = import_markdown(text).catalog
    for paper in catalog.papers:
        assert paper.sections and paper.id and paper.title
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in paper.title)
        for url in (paper.paper_url, paper.code_url):
            assert url is None or is_safe_url(url)


# --------------------------------------------------------------------------- ids, categories


def test_paper_ids_are_stable_slugs_and_identical_titles_merge() -> None:
    assert paper_id("GPTQ: Accurate Post-Training Quantization!") == (
        "gptq-accurate-post-training-quantization"
    )
    result = import_markdown("## S\n\n- Deja Vu. *[ICML'23]*\n- DEJA VU!. *[ICML'23]*\n")
    assert [p.id for p in result.catalog.papers] == ["deja-vu"]


def test_colliding_slugs_get_order_independent_hash_suffixes() -> None:
    stem = "Efficient Scaling of Language Models with Many Experts and Tricks"
    a, b, other = stem + " Part One", stem + " Part Two", "Unrelated Paper"
    forward = assign_ids([a, b, other])
    backward = assign_ids([other, b, a])
    assert forward[0] != forward[1]
    assert forward[0].startswith(paper_id(a) + "-") and len(forward[0]) == len(paper_id(a)) + 7
    assert (forward[0], forward[1], forward[2]) == (backward[2], backward[1], backward[0])
    assert forward[2] == "unrelated-paper"


def test_non_latin_titles_merge_only_when_they_are_the_same_title() -> None:
    text = (
        "## S\n\n- 大模型推理. *[ICML'23]*\n- 高效训练. *[ICML'23]*\n"
        "- μ-Transfer for LLMs. *[ICML'22]*\n- α-Transfer for LLMs. *[ICML'22]*\n"
        "## T\n\n- 大模型推理！ *[ICML'23]*\n"
    )
    result = import_markdown(text)
    titles = [p.title for p in result.catalog.papers]
    assert titles == ["大模型推理", "高效训练", "μ-Transfer for LLMs", "α-Transfer for LLMs"]
    assert result.catalog.papers[0].sections == ("s", "t")
    assert len({p.id for p in result.catalog.papers}) == 4


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gödel Machines", "GODEL machines"),
        ("Ｆｕｌｌ-width ﬁne-tuning", "full width fine tuning"),
        ("Straße", "STRASSE"),
        ("大模型：推理", "大模型 推理"),
    ],
)
def test_titles_fold_case_accents_width_and_punctuation(a: str, b: str) -> None:
    assert title_key(a) == title_key(b)


def test_scripts_keep_their_letters_and_marks() -> None:
    assert normalise_title("か と が") == "か と が"  # the mark tells the words apart
    assert normalise_title("Sørensen–Dice") == "sørensen dice"
    assert title_key("🚀🚀") != title_key("🚀") != ""


def test_slugs_stay_ascii() -> None:
    assert slugify("Gödel, Escher: Bach!") == "godel-escher-bach"
    assert slugify("大模型推理") == ""
    assert slugify("μ-Transfer") == "transfer"


def test_titles_without_ascii_letters_still_get_distinct_ids() -> None:
    result = import_markdown("## S\n\n- 大模型推理. *[ICML'23]*\n- 高效训练. *[ICML'23]*\n")
    ids = [p.id for p in result.catalog.papers]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(i.startswith("paper-") for i in ids)


@pytest.mark.parametrize(
    ("title", "sections", "expected"),
    [
        ("Qlora: Efficient finetuning of quantized llms", [], ("llm",)),
        ("EfficientViT: Memory Efficient Vision Transformer", [], ("multimodal",)),
        ("SnapFusion: Text-to-Image Diffusion Model on Mobile", [], ("multimodal", "diffusion")),
        ("Consistency models", ["Multimodal Large FMs"], ("multimodal", "diffusion")),
        ("Attention is all you need", ["Language Foundation Models"], ("llm",)),
        ("Zero: Memory optimizations toward training", ["Distributed Training"], ()),
        ("HuBERT: Self-Supervised Speech Representation Learning", [], ("multimodal",)),
        ("Minigpt-4: Enhancing vision-language understanding", [], ("llm", "multimodal")),
    ],
)
def test_categories_rule(title: str, sections: list[str], expected: tuple[str, ...]) -> None:
    assert categorise(title, sections) == expected
    assert set(expected) <= set(CATEGORIES)


# --------------------------------------------------------------------------- output


def test_toml_is_deterministic_loadable_and_round_trips(tmp_path: Path) -> None:
    first = render_toml(_import("import_quirks.md").catalog, "in.md", "out.toml")
    second = render_toml(_import("import_quirks.md").catalog, "in.md", "out.toml")
    assert first == second
    out = tmp_path / "out.toml"
    out.write_text(first, encoding="utf-8")
    assert _fields(load_catalog(out)) == _fields(_import("import_quirks.md").catalog)
    assert "#   surveytui import in.md -o out.toml --title 'Quirky List'\n" in first


def test_regenerate_command_comes_from_the_catalogue_not_the_typed_flags() -> None:
    typed = _import("import_formats.md", title="Tiny Survey of Efficient Models").catalog
    detected = _import("import_formats.md").catalog
    expected = (
        "surveytui import list.md --title 'Tiny Survey of Efficient Models' --arxiv 2401.99999"
    )
    assert regenerate_command(typed, "list.md") == regenerate_command(detected, "list.md")
    assert regenerate_command(detected, "list.md") == expected


def test_header_stays_comments_whatever_the_paths_contain() -> None:
    catalog = _import("import_formats.md").catalog
    text = render_toml(catalog, "a\nb = 1\n[evil]\n", "out\n[worse]")
    parsed = tomli.loads(text)
    assert "evil" not in parsed and "worse" not in parsed
    assert _fields(catalog_from_dict(parsed)) == _fields(catalog)


def _gen_catalog_module() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "gen_catalog.py"
    spec = importlib.util.spec_from_file_location("gen_catalog", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_catalogue_imports_every_paper_deterministically(tmp_path: Path) -> None:
    gen = _gen_catalog_module()
    out = tmp_path / "p500.md"
    assert gen.main(["500", "-o", str(out)]) == 0
    assert gen.generate(500) == out.read_text(encoding="utf-8")
    assert gen.generate(500, seed=1) != gen.generate(500)
    result = import_file(out)
    catalog = result.catalog
    assert len(catalog.papers) == result.entries == 500
    assert len(catalog.children[None]) == 4 and len(catalog.sections) == 19
    assert result.warnings == () and result.duplicates == ()
    assert sum(1 for p in catalog.papers if p.code_url) > 200
