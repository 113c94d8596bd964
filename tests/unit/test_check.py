"""`surveytui check` findings: each kind, its level, and where it points."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveytui.importer.check import Finding, check_catalog, check_markdown
from surveytui.importer.document import import_file, import_markdown
from surveytui.model.catalog import Catalog, Paper, Section

FIXTURES = Path(__file__).parents[1] / "fixtures"
SECTION = Section("sec", "Section")


def _paper(
    pid: str,
    title: str | None = None,
    *,
    venue: str | None = "ICML",
    year: int | None = 2022,
    sections: tuple[str, ...] = ("sec",),
    paper_url: str | None = None,
    code_url: str | None = None,
    categories: tuple[str, ...] = (),
) -> Paper:
    return Paper(
        id=pid,
        title=title or pid.replace("-", " ").title(),
        venue=venue,
        year=year,
        sections=sections,
        paper_url=paper_url,
        code_url=code_url,
        categories=categories,
    )


def _catalog(*papers: Paper, sections: tuple[Section, ...] = (SECTION,)) -> Catalog:
    return Catalog(title="T", sections=sections, papers=papers, path=Path("cat.toml"))


def _messages(catalog: Catalog) -> list[tuple[str, str, str]]:
    return [(f.level, f.where, f.message) for f in check_catalog(catalog)]


def test_finding_reads_where_level_message() -> None:
    assert str(Finding("error", "cat.toml: p1", "bad link")) == "cat.toml: p1: error: bad link"


def test_a_clean_catalogue_has_no_findings() -> None:
    clean = _catalog(
        _paper("alpha", paper_url="https://arxiv.org/abs/2401.00001"),
        _paper("beta", paper_url="https://example.org/b.pdf", code_url="https://github.com/a/b"),
    )
    assert check_catalog(clean) == []


def test_same_normalised_title_under_two_ids_is_an_error() -> None:
    found = _messages(_catalog(_paper("a", "Deja Vu: Sparsity"), _paper("b", "deja vu  sparsity!")))
    assert found == [("error", "cat.toml: b", "same title as paper 'a': one paper, two ids")]


def test_nearly_identical_titles_are_a_warning() -> None:
    found = _messages(
        _catalog(
            _paper("glam-1", "Glam: Efficient scaling of language models with mixture-of-experts"),
            _paper("glam-2", "Glam: Efficient scaling of language models with mixture-ofexperts"),
        )
    )
    assert [(level, where) for level, where, _ in found] == [("warning", "cat.toml: glam-2")]
    assert "title nearly matches 'glam-1'" in found[0][2]


def test_same_paper_link_on_two_papers_is_a_warning_even_across_abs_and_pdf() -> None:
    found = _messages(
        _catalog(
            _paper("segformer", paper_url="https://arxiv.org/abs/2105.15203"),
            _paper("yolos", paper_url="https://arxiv.org/pdf/2105.15203v2.pdf"),
        )
    )
    assert found == [
        (
            "warning",
            "cat.toml: yolos",
            "same paper link as 'segformer': one of the two links is wrong",
        )
    ]


@pytest.mark.parametrize(
    ("url", "level", "fragment"),
    [
        ("javascript:alert(1)", "error", "is not a safe http(s) link"),
        ("https://example.org/%E2%80%AEfdp.exe", "error", "is not a safe http(s) link"),
        ("-https://example.org", "error", "is not a safe http(s) link"),
        ("https://github.com/", "warning", "is a placeholder"),
        ("https://scholar.google.com/scholar?q=x", "warning", "search-results page"),
        ("https://arxiv.org/pdf/1810.04805.pdf&usg=AO", "warning", "clean form: 'https://arxiv"),
    ],
)
def test_link_findings(url: str, level: str, fragment: str) -> None:
    found = _messages(_catalog(_paper("p", code_url=url)))
    assert len(found) == 1
    assert found[0][0] == level
    assert found[0][2].startswith(f"code_url {url!r}")
    assert fragment in found[0][2]


def test_an_unsafe_catalogue_source_is_an_error() -> None:
    catalog = Catalog("T", (SECTION,), (_paper("p"),), source="javascript:x", path=Path("c.toml"))
    assert [str(f) for f in check_catalog(catalog)] == [
        "c.toml: [catalog]: error: source 'javascript:x' is not a safe http(s) link"
    ]


def test_missing_and_implausible_years_are_warnings() -> None:
    found = _messages(_catalog(_paper("a", year=None), _paper("b", year=3023)))
    assert found == [
        ("warning", "cat.toml: a", "no year"),
        ("warning", "cat.toml: b", "implausible year 3023"),
    ]


def test_venue_aliases_and_likely_typos_are_warnings() -> None:
    papers = [
        _paper("a", venue="NeruIPS"),
        _paper("b", venue="SIGCOM"),
        _paper("c", venue="EdgeSys Workshop"),
        _paper("d", venue="EdgeSys Workshop"),
        _paper("e", venue="EdgeSys Workshop"),
        _paper("f", venue="EdgeSys Worksop"),
        _paper("g", venue="TechRxiv"),
    ]
    found = {where: message for _, where, message in _messages(_catalog(*papers))}
    assert found == {
        "cat.toml: a": "venue 'NeruIPS' is a known spelling of 'NeurIPS': write that",
        "cat.toml: b": "venue 'SIGCOM' looks like a typo of 'SIGCOMM'",
        "cat.toml: f": "venue 'EdgeSys Worksop' looks like a typo of 'EdgeSys Workshop'",
    }


def test_structure_findings() -> None:
    sections = (SECTION, Section("empty", "Empty"))
    papers = (
        _paper("xxx", "xxx"),
        _paper("lost", sections=()),
        _paper("odd", categories=("llm", "robots")),
    )
    found = _messages(_catalog(*papers, sections=sections))
    assert ("warning", "cat.toml: xxx", "title 'xxx' looks like a template placeholder") in found
    assert (
        "warning",
        "cat.toml: lost",
        "listed in no section: only 'all papers' will show it",
    ) in found
    assert any(w == "cat.toml: odd" and "unknown category 'robots'" in m for _, w, m in found)
    assert ("warning", "cat.toml: section empty", "no papers") in found


def test_check_markdown_reports_import_remarks_at_their_lines() -> None:
    result = import_file(FIXTURES / "import_hostile.md")
    findings = check_markdown(result)
    errors = [f for f in findings if f.level == "error"]
    assert len(errors) == 6
    assert str(errors[0]) == (
        f"{FIXTURES / 'import_hostile.md'}:5: error: refused unsafe link 'javascript:alert(1)' "
        "for 'Script Link Paper'"
    )
    lines = [int(f.where.rpartition(":")[2]) for f in findings]
    assert lines == sorted(lines)


def test_check_markdown_locates_catalogue_findings_and_keeps_duplicates_as_warnings() -> None:
    text = (
        "# T\n\n## S\n\n"
        "- Big Bird. *[NeurIPS'2]* [[Paper]](https://example.org/bb.pdf)\n"
        "- Twice. *[ICML'22]* [[Paper]](https://example.org/t.pdf)\n"
        "- Twice. *[ICML'22]* [[Paper]](https://example.org/t.pdf)\n"
        "- Other. *[HPC'21]* [[Paper]](https://example.org/o.pdf) [[Code]](https://github.com/)\n"
    )
    findings = [str(f) for f in check_markdown(import_markdown(text, source_name="list.md"))]
    assert findings == [
        "list.md:5: warning: ambiguous year in venue \"NeurIPS'2\" for 'Big Bird'",
        "list.md:5: warning: no year",
        "list.md:7: warning: 'Twice' is listed again in 'S' (first at line 6)",
        "list.md:8: warning: dropped placeholder link 'https://github.com/' for 'Other'",
        "list.md:8: warning: venue 'HPC' looks like a typo of 'HPCA'",
    ]
    assert not [f for f in check_markdown(import_markdown(text)) if f.level == "error"]
