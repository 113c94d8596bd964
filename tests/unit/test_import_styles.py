"""Every common paper-list style, one small hand-written fixture each (tests/fixtures/styles).

A user's clone has no ``../shared`` corpus, so these are what keeps the rules
honest there: each fixture holds the style's papers and the things around them
that must not become papers (tool tables, dataset tables, tool bullets, news,
author lines, prose, badge legends, blogs, commented-out lines).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from surveytui.importer.document import import_markdown
from surveytui.model.catalog import Paper

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"

Row = tuple[str, str | None, int | None, str | None, str | None]


def _papers(name: str) -> list[Paper]:
    return list(import_markdown((STYLES / name).read_text(encoding="utf-8")).catalog.papers)


def _rows(name: str) -> list[Row]:
    return [(p.title, p.venue, p.year, p.paper_url, p.code_url) for p in _papers(name)]


EXPECTED: dict[str, list[Row]] = {
    "ins_venue.md": [
        (
            "SlimQuant: Fewer Bits for Bigger Models",
            "ICML",
            2025,
            "https://arxiv.org/abs/2501.00001",
            "https://github.com/example/slimquant",
        ),
        (
            "TinyRank: Low-Rank Adapters at Scale",
            "arXiv",
            2024,
            "https://arxiv.org/abs/2402.00002",
            None,
        ),
        ("Broken Close Tag Paper", None, 2024, "https://arxiv.org/abs/2403.00003", None),
    ],
    "tables.md": [
        (
            "VisionChat: Talking About Pictures",
            "arXiv",
            2024,
            "https://arxiv.org/pdf/2406.00001",
            "https://github.com/example/vision-chat",
        ),
        ("Model Card of Big Model 2", "BigLab", 2025, "https://example.org/card.pdf", None),
        (
            "A Ragged Row Without Its Last Cells",
            "CVPR",
            None,
            "https://arxiv.org/abs/2401.00009",
            None,
        ),
    ],
    "dated_table.md": [
        (
            "PagedKV: Paging the Cache for Faster Serving",
            None,
            2024,
            "https://arxiv.org/pdf/2405.00005",
            "https://github.com/example/pagedkv",
        ),
        ("Speculative Serving Explained", None, 2023, "https://example.org/blog/spec", None),
    ],
    "br_venue.md": [
        (
            "PruneFast: One-Shot Pruning for Transformers",
            "NeurIPS Findings",
            2023,
            "https://arxiv.org/abs/2305.00006",
            "https://github.com/example/prunefast",
        ),
        ("A Survey of Pruning", "TACL", None, "https://arxiv.org/abs/2306.00007", None),
        (
            "Two Paragraph Entry for Sparse Models",
            "arXiv",
            2025,
            "https://arxiv.org/abs/2507.00008",
            None,
        ),
    ],
    "numbered.md": [
        (
            "ModelA: Exploring Transfer with One Model",
            "JMLR",
            2020,
            "https://arxiv.org/abs/1910.00010",
            None,
        ),
        (
            "Reasoning Step by Step",
            "ICLR",
            2023,
            "https://openreview.net/forum?id=abc",
            "https://github.com/example/steps",
        ),
        (
            "Toolbox: A System for Learning",
            "OSDI",
            2016,
            "https://arxiv.org/abs/1605.00011",
            None,
        ),
    ],
    "paragraph_lines.md": [
        (
            "GPTZ: Accurate Quantization for Pretrained Models",
            "ICLR",
            2023,
            "https://openreview.net/pdf?id=abc",
            None,
        ),
        ("Edge Kernels for Integer Transformers", "MLSys", 2023, "https://mlsys.org/example", None),
    ],
    "badges.md": [
        (
            "Draft and Verify: Faster Decoding",
            "ICML",
            2024,
            "https://arxiv.org/pdf/2402.00012.pdf",
            "https://github.com/example/draft-verify",
        ),
        (
            "Findings Paper on Trees",
            "ACL findings",
            2024,
            "https://aclanthology.org/2024.findings-acl.1.pdf",
            None,
        ),
        ("A Paper With Only a Date", None, 2025, "https://arxiv.org/pdf/2501.00013", None),
    ],
    "venue_links.md": [
        (
            "BinaryNet Revisited: Binary Weights Again",
            "CVPR",
            2023,
            "https://openaccess.example.org/cvpr2023.pdf",
            "https://github.com/example/binarynet",
        ),
        (
            "Hyper Engine: A Binary Accelerator",
            "IEEE J. Emerg. Sel. Topics Circuits Syst",
            2023,
            "https://ieeexplore.example.org/document/1",
            None,
        ),
        (
            "Outlier Taming for Low-bit Transformers",
            "NeurIPS",
            2023,
            "https://arxiv.org/abs/2209.00014",
            "https://github.com/example/outliers",
        ),
        (
            "Int8 Everything: Matrix Multiplication at Scale",
            "arXiv",
            2022,
            "https://arxiv.org/abs/2208.00015",
            None,
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_style_gives_exactly_its_papers(name: str) -> None:
    assert _rows(name) == EXPECTED[name]


def test_every_style_fixture_is_tested() -> None:
    assert sorted(p.name for p in STYLES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("* [T](https://x.org/a) - Ada Lovelace et al., ICML 2023", ("Ada Lovelace",)),
        (
            "- T. Ada Lovelace, Alan Turing. NeurIPS, 2023. [paper](https://x.org/a)",
            ("Ada Lovelace", "Alan Turing"),
        ),
    ],
)
def test_author_rules(line: str, authors: tuple[str, ...]) -> None:
    (paper,) = import_markdown(f"# L\n\n## S\n\n{line}\n").catalog.papers
    assert (paper.title, paper.authors) == ("T", authors)


def test_authors_come_from_author_lines_not_titles() -> None:
    by_title = {p.title: p.authors for p in _papers("numbered.md") + _papers("badges.md")}
    assert by_title["ModelA: Exploring Transfer with One Model"] == ("Ada Lovelace",)
    assert by_title["Reasoning Step by Step"] == ("Alan Turing", "Grace Hopper", "Edsger Dijkstra")
    assert by_title["Draft and Verify: Faster Decoding"] == ("Ada Lovelace", "Alan Turing")
    assert by_title["Findings Paper on Trees"] == ("Grace Hopper",)


def test_navigation_links_in_headings_are_not_part_of_the_section_title() -> None:
    catalog = import_markdown((STYLES / "dated_table.md").read_text(encoding="utf-8")).catalog
    assert [(s.id, s.title) for s in catalog.sections] == [("serving", "📖Serving")]


def test_a_year_heading_gives_its_year_and_stays_a_section() -> None:
    catalog = import_markdown((STYLES / "venue_links.md").read_text(encoding="utf-8")).catalog
    assert [s.id for s in catalog.sections] == ["papers", "papers/2023", "papers/2022"]
    assert [p.year for p in catalog.papers] == [2023, 2023, 2023, 2022]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("- “Curly Quoted Title”. *[ICML'22]* [[Paper]](https://x.org/a)", "Curly Quoted Title"),
        (
            "- ”Reversed Curly Quotes“. *[ICML'22]* [[Paper]](https://x.org/a)",
            "Reversed Curly Quotes",
        ),
        ("- 🚀✨ Emoji First Title. *[ICML'22]* [[Paper]](https://x.org/a)", "Emoji First Title"),
        ("- Is It Done Yet?. *[ICML'22]* [[Paper]](https://x.org/a)", "Is It Done Yet?"),
        ("- **Bold Title** [[pdf](https://x.org/a)]", "Bold Title"),
        ("- [Linked Title Here](https://x.org/a), Some University", "Linked Title Here"),
        ("- Affiliated Title(@Some Lab) [[pdf]](https://x.org/a)", "Affiliated Title"),
        ("- Cited Title (Ada Lovelace et al., 2023) [[pdf]](https://x.org/a)", "Cited Title"),
    ],
)
def test_title_rules(line: str, title: str) -> None:
    (paper,) = import_markdown(f"# L\n\n## S\n\n{line}\n").catalog.papers
    assert paper.title == title


@pytest.mark.parametrize(
    ("line", "venue", "year"),
    [
        ("- T. <ins>ICML, 2025</ins> [[Paper](https://x.org/a)]", "ICML", 2025),
        ("- T [CHI 2023] [[Paper](https://x.org/a)]", "CHI", 2023),
        ("- [[CVPR](https://x.org/a)] T", "CVPR", None),
        (
            "- **T**  \n  x. [[pdf](https://x.org/a)] ![](https://img.shields.io/badge/EMNLP_2024-orange)",
            "EMNLP",
            2024,
        ),
        ("- T <br> ACL 2024 Findings [[Paper]](https://x.org/a)", "ACL Findings", 2024),
        ("- T <br> NeurIPS 2025 Spotlight [[Paper]](https://x.org/a)", "NeurIPS", 2025),
        ("- T. pp. 2021-2030 [[Paper]](https://x.org/a)", None, None),
        ("- **T**  \n  Some Proceedings, pages 2021. [[Paper]](https://x.org/a)", None, None),
        ("- [4 Mar 2025] T [[Paper]](https://x.org/a)", None, 2025),
        ("- 2024.05 T [[Paper]](https://x.org/a)", None, 2024),
        ("- (ICML 2023) T [paper](https://x.org/a)", "ICML", 2023),
        ("- T [[ICML 2023](https://x.org/a)] [[code](https://github.com/a/b)]", "ICML", 2023),
        ("- T [[arXiv](https://arxiv.org/abs/2301.00001)]", "arXiv", None),
        ("* [T](https://x.org/a) - Ada Lovelace et al., ICML 2023", "ICML", 2023),
        (
            "- T. Ada Lovelace, Alan Turing. NeurIPS, 2023. [paper](https://x.org/a)",
            "NeurIPS",
            2023,
        ),
        ("1. **T**. Ada Lovelace et al.* ACL'23. [[Paper]](https://x.org/a)", "ACL", 2023),
        (
            "- JetMoE: Reaching Parity with 0.1M Dollars, 2024 [[Paper](https://x.org/a)]",
            None,
            2024,
        ),
    ],
)
def test_venue_and_year_rules(line: str, venue: str | None, year: int | None) -> None:
    (paper,) = import_markdown(f"# L\n\n## S\n\n{line}\n").catalog.papers
    assert (paper.venue, paper.year) == (venue, year)


def test_imported_authors_reach_json_and_csv_exports() -> None:
    import csv
    import io
    import json

    from surveytui.export import to_csv, to_json

    catalog = import_markdown((STYLES / "numbered.md").read_text(encoding="utf-8")).catalog
    papers = list(catalog.papers)
    records = json.loads(to_json(catalog, papers))
    assert [r["authors"] for r in records][:2] == [
        ["Ada Lovelace"],
        ["Alan Turing", "Grace Hopper", "Edsger Dijkstra"],
    ]
    rows = list(csv.DictReader(io.StringIO(to_csv(catalog, papers))))
    assert rows[1]["authors"] == "Alan Turing; Grace Hopper; Edsger Dijkstra"


def test_a_repository_behind_a_stars_badge_is_the_code_link_and_badges_are_never_links() -> None:
    text = (
        "# L\n\n## S\n\n"
        "- Starred Paper [[Paper]](https://x.org/a) "
        "[![Stars](https://img.shields.io/github/stars/o/r?style=social)](https://github.com/o/r)\n"
        "- Badge Only Paper. *[ICML'22]* ![](https://img.shields.io/github/stars/o/q)\n"
    )
    starred, badge_only = import_markdown(text).catalog.papers
    assert (starred.paper_url, starred.code_url) == ("https://x.org/a", "https://github.com/o/r")
    assert (badge_only.paper_url, badge_only.code_url) == (None, None)
