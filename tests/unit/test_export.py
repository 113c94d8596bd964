"""Export writers: golden files, and every format read back by a real parser.

Regenerate the golden files after an intended format change with
``UPDATE_GOLDEN=1 pytest tests/unit/test_export.py`` and review the diff by eye.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import bibtexparser
import pytest
from markdown_it import MarkdownIt

from surveytui.export import (
    CSV_COLUMNS,
    CSV_STATE_COLUMNS,
    FORMATS,
    bibtex_keys,
    export_papers,
    paper_record,
    to_bibtex,
    to_csv,
    to_json,
    to_markdown,
)
from surveytui.importer import document as importer
from surveytui.model.catalog import Catalog, Paper, load_catalog

HERE = Path(__file__).parents[1]
FIXTURE = HERE / "fixtures" / "export_catalog.toml"
GOLDEN = HERE / "golden"
SUFFIX = {"markdown": "md", "bibtex": "bib", "csv": "csv", "json": "json"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FIXTURE)


@dataclass
class FakeState:
    favourites: set[str] = field(default_factory=set)
    read: set[str] = field(default_factory=set)
    tag_map: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def is_favourite(self, paper_id: str) -> bool:
        return paper_id in self.favourites

    def is_read(self, paper_id: str) -> bool:
        return paper_id in self.read

    def tags(self, paper_id: str) -> tuple[str, ...]:
        return self.tag_map.get(paper_id, ())

    def note(self, paper_id: str) -> str:
        return self.notes.get(paper_id, "")


FLASH = "flashattention-fast-memory-efficient-exact-attention-with-io"
LLM_INT8 = "llm-int8-8-bit-matrix-multiplication-for-transformers-at"
SPECIALS = "scaling-up-100-of-alpha-models-1-on-c-4-2-10-tokens-via-a-b"
BARE = "1-notes-on-early-exit-without-venue-or-links"
YEAR_ONLY = "early-exit-everywhere-a-year-without-a-venue"


def _state() -> FakeState:
    return FakeState(
        favourites={FLASH},
        read={FLASH, LLM_INT8},
        tag_map={FLASH: ("to-cite", "kernels"), LLM_INT8: ("=cmd",)},
        notes={LLM_INT8: 'Read §3.\nCompare with GPTQ, "zero-shot".'},
    )


# --------------------------------------------------------------------------- golden files


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.is_file(), f"{path} missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(catalog: Catalog, fmt: str) -> None:
    check_golden(f"export.{SUFFIX[fmt]}", export_papers(catalog, catalog.papers, fmt))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_golden_with_user_state(catalog: Catalog, fmt: str) -> None:
    out = export_papers(catalog, catalog.papers, fmt, _state())
    check_golden(f"export-state.{SUFFIX[fmt]}", out)


def test_unknown_format_is_one_clear_error(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match=r"unknown export format 'yaml' \(choose markdown, bib"):
        export_papers(catalog, catalog.papers, "yaml")


def test_exports_are_deterministic(catalog: Catalog) -> None:
    for fmt in FORMATS:
        assert export_papers(catalog, catalog.papers, fmt) == export_papers(
            load_catalog(FIXTURE), load_catalog(FIXTURE).papers, fmt
        )


# --------------------------------------------------------------------------- JSON


def test_json_records(catalog: Catalog) -> None:
    records = json.loads(to_json(catalog, catalog.papers))
    assert [r["id"] for r in records] == [p.id for p in catalog.papers]
    assert set(records[0]) == {
        "id",
        "title",
        "venue",
        "year",
        "sections",
        "paper_url",
        "code_url",
        "categories",
        "authors",
        "abstract",
        "arxiv_id",
        "doi",
        "published",
    }
    by_id = {r["id"]: r for r in records}
    assert by_id[LLM_INT8]["sections"] == [
        "Resource-efficient Algorithms / Inference Algorithms",
        "Resource-efficient Algorithms / Model Compression",
    ]
    assert by_id[BARE] == {
        "id": BARE,
        "title": "1. Notes on Early Exit, without Venue or Links",
        "venue": None,
        "year": None,
        "sections": ["Resource-efficient Architectures / Dynamic Neural Network"],
        "paper_url": None,
        "code_url": None,
        "categories": [],
        "authors": [],
        "abstract": None,
        "arxiv_id": None,
        "doi": None,
        "published": None,
    }
    assert by_id[FLASH]["year"] == 2022
    assert "Señor Café" in to_json(catalog, catalog.papers)  # UTF-8, not \u escapes


def test_json_with_state(catalog: Catalog) -> None:
    records = {r["id"]: r for r in json.loads(to_json(catalog, catalog.papers, _state()))}
    assert records[FLASH]["favourite"] is True
    assert records[FLASH]["read"] is True
    assert records[FLASH]["tags"] == ["to-cite", "kernels"]
    assert records[BARE]["favourite"] is False
    assert records[BARE]["tags"] == []
    assert records[BARE]["note"] == ""
    assert records[LLM_INT8]["note"].startswith("Read §3.\n")
    assert paper_record(catalog, catalog.by_id[FLASH], _state()) == records[FLASH]


# --------------------------------------------------------------------------- CSV


def test_csv_reads_back(catalog: Catalog) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(catalog, catalog.papers))))
    assert len(rows) == len(catalog.papers)
    assert tuple(rows[0]) == CSV_COLUMNS
    for row, paper in zip(rows, catalog.papers, strict=True):
        assert row["id"] == paper.id
        assert row["title"] == paper.title
        assert row["venue"] == (paper.venue or "")
        assert row["year"] == ("" if paper.year is None else str(paper.year))
        assert row["paper_url"] == (paper.paper_url or "")
        assert row["code_url"] == (paper.code_url or "")
        assert row["categories"] == "; ".join(paper.categories)
    int8 = next(r for r in rows if r["id"] == LLM_INT8)
    assert int8["sections"] == (
        "Resource-efficient Algorithms / Inference Algorithms; "
        "Resource-efficient Algorithms / Model Compression"
    )


def test_csv_state_columns(catalog: Catalog) -> None:
    rows = {
        r["id"]: r for r in csv.DictReader(io.StringIO(to_csv(catalog, catalog.papers, _state())))
    }
    assert tuple(next(iter(rows.values()))) == CSV_COLUMNS + CSV_STATE_COLUMNS
    assert rows[FLASH]["favourite"] == "true"
    assert rows[BARE]["favourite"] == "false"
    assert rows[FLASH]["tags"] == "to-cite; kernels"
    assert rows[LLM_INT8]["note"] == 'Read §3.\nCompare with GPTQ, "zero-shot".'
    assert rows[LLM_INT8]["tags"] == "'=cmd"


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+1 Trick for Sparse Attention", "'+1 Trick for Sparse Attention"),
        ("-1 Bits Are Enough", "'-1 Bits Are Enough"),
        ("@mention Is All You Need", "'@mention Is All You Need"),
        ("Plain = Title - With + Signs @ Inside", "Plain = Title - With + Signs @ Inside"),
    ],
)
def test_csv_formula_injection_guard(catalog: Catalog, title: str, cell: str) -> None:
    paper = replace(catalog.by_id[FLASH], title=title)
    row = next(csv.DictReader(io.StringIO(to_csv(catalog, [paper]))))
    assert row["title"] == cell


# --------------------------------------------------------------------------- BibTeX

_UNLATEX = [
    (r"\textbackslash{}", "\\"),
    (r"\textbraceleft{}", "{"),
    (r"\textbraceright{}", "}"),
    (r"\textasciitilde{}", "~"),
    (r"\textasciicircum{}", "^"),
    (r"\textless{}", "<"),
    (r"\textgreater{}", ">"),
    (r"\textasciigrave{}", "`"),
    (r"\&", "&"),
    (r"\%", "%"),
    (r"\$", "$"),
    (r"\#", "#"),
    (r"\_", "_"),
]


def _unlatex(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        for latex, plain in _UNLATEX:
            if value.startswith(latex, i):
                out.append(plain)
                i += len(latex)
                break
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _parse_bib(text: str) -> dict[str, bibtexparser.model.Entry]:
    lib = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    assert not lib.failed_blocks
    return {e.key: e for e in lib.entries}


def test_bibtex_reads_back_every_entry(catalog: Catalog) -> None:
    keys = bibtex_keys(catalog)
    entries = _parse_bib(to_bibtex(catalog, catalog.papers))
    assert len(entries) == len(catalog.papers)
    for paper in catalog.papers:
        entry = entries[keys[paper.id]]
        title = entry.fields_dict["title"].value
        assert title.startswith("{") and title.endswith("}")
        assert _unlatex(title[1:-1]) == paper.title
        if paper.year is not None:
            assert entry.fields_dict["year"].value == str(paper.year)
        if paper.paper_url:
            assert entry.fields_dict["url"].value == paper.paper_url
        if paper.code_url:
            assert entry.fields_dict["note"].value == f"Code: \\url{{{paper.code_url}}}"


def test_bibtex_entry_types(catalog: Catalog) -> None:
    keys = bibtex_keys(catalog)
    entries = _parse_bib(to_bibtex(catalog, catalog.papers))

    def entry(pid: str) -> bibtexparser.model.Entry:
        return entries[keys[pid]]

    assert entry(FLASH).entry_type == "inproceedings"
    assert entry(FLASH).fields_dict["booktitle"].value == "NeurIPS"
    arxiv = entry("scaling-laws-for-neural-language-models")
    assert arxiv.entry_type == "misc"
    assert arxiv.fields_dict["archivePrefix"].value == "arXiv"
    assert "journal" not in arxiv.fields_dict
    journal = entry("senor-cafe-uber-efficient-diffusion-for-naive-users")
    assert journal.entry_type == "article"
    assert journal.fields_dict["journal"].value == "TASLP"
    bare = entry(BARE)
    assert bare.entry_type == "misc"
    assert set(bare.fields_dict) == {"title"}


@pytest.mark.parametrize(
    ("venue", "kind", "field", "value"),
    [
        ("IEEE Transactions on Mobile Computing", "article", "journal", None),
        ("Journal of Machine Learning Research", "article", "journal", None),
        ("ACM TALLIP", "article", "journal", None),
        ("TechRxiv", "misc", "howpublished", "TechRxiv"),
        ("OSDI", "inproceedings", "booktitle", None),
        ("Conference on Lifelong Learning Agents", "inproceedings", "booktitle", None),
        ("R&D Workshop #3", "inproceedings", "booktitle", r"R\&D Workshop \#3"),
    ],
)
def test_bibtex_venue_kinds(
    catalog: Catalog, venue: str, kind: str, field: str, value: str | None
) -> None:
    paper = replace(catalog.by_id[FLASH], venue=venue)
    (entry,) = _parse_bib(to_bibtex(catalog, [paper])).values()
    assert entry.entry_type == kind
    assert entry.fields_dict[field].value == (value or venue)


def test_bibtex_keys_are_unique_readable_and_stable(catalog: Catalog) -> None:
    keys = bibtex_keys(catalog)
    assert len(set(keys.values())) == len(catalog.papers)
    assert keys[FLASH] == "flashattention2022"
    assert keys[SPECIALS] == "scaling2020"
    assert keys["scaling-laws-for-neural-language-models"] == "scaling2020b"
    assert keys[BARE] == "notes"
    assert all(k.isascii() and k == k.lower() for k in keys.values())
    # A reading list of one paper cites it with the key a full export gives it.
    subset = [catalog.by_id["scaling-laws-for-neural-language-models"]]
    assert "@misc{scaling2020b," in to_bibtex(catalog, subset)


def test_bibtex_survives_hostile_titles(catalog: Catalog) -> None:
    hostile = [
        replace(catalog.by_id[FLASH], id="open-brace", title="Unbalanced { brace"),
        replace(catalog.by_id[FLASH], id="close-brace", title="Closing } first {"),
        replace(catalog.by_id[FLASH], id="at-sign", title="@inproceedings{x, title = {y}}"),
        replace(catalog.by_id[FLASH], id="backslash-end", title="Ends with a backslash \\"),
        replace(catalog.by_id[FLASH], id="brace-url", paper_url="https://example.org/{x}\\y"),
    ]
    entries = _parse_bib(to_bibtex(catalog, hostile))
    assert len(entries) == len(hostile)
    titles = [_unlatex(e.fields_dict["title"].value[1:-1]) for e in entries.values()]
    assert titles == [p.title for p in hostile]


# --------------------------------------------------------------------------- Markdown


def _entry_titles(markdown: str) -> list[str]:
    """What a Markdown reader sees as each bullet's title: text before the venue or links."""
    titles: list[str] = []
    in_item = False
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "list_item_open":
            in_item = True
        elif token.type == "inline" and in_item:
            text = ""
            for child in token.children or []:
                if child.type not in ("text", "softbreak"):
                    break
                text += child.content
            titles.append(text.strip().removesuffix("."))
            in_item = False
    return titles


def test_markdown_titles_stay_text(catalog: Catalog) -> None:
    """Markup-looking titles come out of a Markdown reader exactly as written."""
    markdown = to_markdown(catalog, catalog.papers)
    expected = []
    for section in catalog.sections:
        expected += [p.title for p in catalog.papers if section.id in p.sections]
    assert _entry_titles(markdown) == expected


def test_markdown_layout(catalog: Catalog) -> None:
    markdown = to_markdown(catalog, catalog.papers)
    lines = markdown.splitlines()
    assert lines[0] == "# Export Fixture: Efficient Models & Friends"
    headings = [line for line in lines if line.startswith("#")]
    assert headings[1:] == [
        "## Resource-efficient Architectures",
        "### Efficient Attention",
        "### Dynamic Neural Network",
        "## Resource-efficient Algorithms",
        "### Inference Algorithms",
        "### Model Compression",
    ]
    assert (
        "- FlashAttention: Fast & Memory-Efficient Exact Attention with IO-Awareness. "
        "*[NeurIPS'22]* [[Paper]](https://arxiv.org/abs/2205.14135) "
        "[[Code]](https://github.com/Dao-AILab/flash-attention)"
    ) in lines
    assert "- 1\\. Notes on Early Exit, without Venue or Links." in lines
    assert "- Early Exit Everywhere: A Year Without a Venue. *[2023]*" in lines
    assert sum("LLM.int8()" in line for line in lines) == 2


def test_markdown_subset_has_only_needed_headings(catalog: Catalog) -> None:
    markdown = to_markdown(catalog, [catalog.by_id[FLASH]])
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings == [
        "# Export Fixture: Efficient Models & Friends",
        "## Resource-efficient Architectures",
        "### Efficient Attention",
    ]


@pytest.mark.parametrize(
    "title",
    [
        "# Not a heading",
        "> Not a quote",
        "- Not a bullet",
        "+ Not a bullet",
        "2) Not a list",
        "[Paper](https://evil.example) lookalike",
        "![img](x.png) and <script>alert(1)</script>",
        "Q&amp;A with &copy; entities",
        "Trailing backslash \\",
        "`code` and ``double``",
        "~~strike~~ and __under__",
    ],
)
def test_markdown_escapes_hostile_titles(catalog: Catalog, title: str) -> None:
    paper = replace(catalog.by_id[FLASH], title=title)
    assert _entry_titles(to_markdown(catalog, [paper])) == [title]


def _view(cat: Catalog) -> list[tuple[object, ...]]:
    """What a re-import must preserve; categories are re-derived by the importer."""
    return [
        (
            p.id,
            p.title,
            p.venue,
            p.year,
            tuple(cat.section_path(s) for s in p.sections),
            p.paper_url,
            p.code_url,
        )
        for p in cat.papers
    ]


def test_markdown_round_trips_through_the_importer(catalog: Catalog) -> None:
    result = importer.import_markdown(to_markdown(catalog, catalog.papers))
    back = result.catalog
    assert back.title == catalog.title
    assert not result.warnings
    # The paper in two sections came back as one paper (reported as a listing, not lost).
    assert len(result.duplicates) == 1
    # A bullet with no venue, year or link is prose to any awesome-list reader:
    # it is exported for the human reader, but the format cannot carry it back.
    expressible = [p for p in catalog.papers if p.id != BARE]
    assert _view(back) == _view(replace(catalog, papers=tuple(expressible)))


@pytest.mark.parametrize(
    "title",
    [
        "# Not a heading",
        "> Not a quote",
        "- Not a bullet",
        "2) Not a list",
        "Q&amp;A with &copy; entities",
        "Trailing backslash \\",
        "`code` and ``double``",
        "~~strike~~ and __under__",
        "*[NeurIPS'22]* Lookalike Venue",
        "Paper [CHI 2023]",
        "<ins>Underlined</ins> <script>alert(1)</script>",
        "A* Search: Ends with Colon:",
    ],
)
def test_hostile_titles_round_trip(catalog: Catalog, title: str) -> None:
    paper = replace(catalog.by_id[FLASH], title=title)
    (back,) = importer.import_markdown(to_markdown(catalog, [paper])).catalog.papers
    assert (back.title, back.venue, back.year, back.paper_url, back.code_url) == (
        title,
        paper.venue,
        paper.year,
        paper.paper_url,
        paper.code_url,
    )


@pytest.mark.parametrize(("year", "tag"), [(1998, "'98"), (2069, "'69"), (2070, "'2070")])
def test_two_digit_years_only_where_they_read_back(catalog: Catalog, year: int, tag: str) -> None:
    paper = replace(catalog.by_id[FLASH], year=year)
    assert f"*[NeurIPS{tag}]*" in to_markdown(catalog, [paper])
    (back,) = importer.import_markdown(to_markdown(catalog, [paper])).catalog.papers
    assert back.year == year


def test_papers_without_section_are_kept(catalog: Catalog) -> None:
    loose = Paper(id="loose", title="Loose Paper", venue="ICLR", year=2024)
    markdown = to_markdown(catalog, [catalog.by_id[FLASH], loose])
    assert markdown.endswith("## Other papers\n\n- Loose Paper. *[ICLR'24]*\n")
    back = importer.import_markdown(markdown).catalog
    assert [p.title for p in back.papers] == [catalog.by_id[FLASH].title, "Loose Paper"]


def test_export_accepts_papers_outside_the_catalogue(catalog: Catalog) -> None:
    stray = Paper(id="stray", title="Flashattention Again", year=2022)
    text = to_bibtex(catalog, [stray, catalog.by_id[FLASH]])
    entries = _parse_bib(text)
    assert set(entries) == {"flashattention2022", "flashattention2022b"}


SURVEY = HERE.parent.parent / "shared" / "upstream" / "efficient-foundation-model-survey.md"


@pytest.fixture(scope="module")
def survey() -> Catalog:
    if not SURVEY.is_file():
        pytest.skip(f"{SURVEY} not present (upstream inputs live outside the repo)")
    catalog: Catalog = importer.import_file(SURVEY).catalog
    return catalog


def test_the_real_survey_round_trips_through_markdown(survey: Catalog) -> None:
    back = importer.import_markdown(to_markdown(survey, survey.papers)).catalog
    assert _view(back) == _view(survey)


def test_the_real_survey_is_valid_bibtex(survey: Catalog) -> None:
    entries = _parse_bib(to_bibtex(survey, survey.papers))
    assert len(entries) == len(survey.papers)


def test_authors_round_trip_through_toml_and_json(tmp_path: Path) -> None:
    from dataclasses import replace

    from surveytui.model.catalog import catalog_to_toml

    base = load_catalog(FIXTURE)
    first = replace(base.papers[0], authors=("Elias Frantar", "Saleh Ashkboos"))
    catalog = Catalog(base.title, base.sections, (first, *base.papers[1:]))
    path = tmp_path / "c.toml"
    path.write_text(catalog_to_toml(catalog), "utf-8")
    again = load_catalog(path)
    assert again.papers[0].authors == ("Elias Frantar", "Saleh Ashkboos")
    assert again.papers[1].authors == ()
    records = json.loads(to_json(again, again.papers))
    assert records[0]["authors"] == ["Elias Frantar", "Saleh Ashkboos"]
