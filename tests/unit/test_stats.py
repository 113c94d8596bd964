"""Statistics of a view: every figure against a count made here paper by paper, and every
bar's narrowing against the number of papers it really leaves."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from surveytui.model.catalog import CATEGORIES, Catalog, Paper, Section, load_catalog
from surveytui.search.charts import (
    all_charts,
    category_chart,
    share_text,
    venue_chart,
    venue_token,
    year_chart,
)
from surveytui.search.engine import SearchIndex
from surveytui.search.query import QueryError, parse_query
from surveytui.search.scopes import in_scope
from surveytui.search.stats import TOP_VENUES, compute_figures, figures_json
from surveytui.state.store import Store
from tests.ui_helpers import fixture_catalog

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "papers.toml"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "state.json")
    store.load()
    store.set_favourite("qlora-efficient-finetuning", True)
    store.set_favourite("edgemoe", True)
    store.set_read("qlora-efficient-finetuning", True)
    store.set_read("gptq-accurate-post-training-quantization", True)
    store.set_read("vllm-pagedattention", True)
    return store


def by_hand(catalog: Catalog, papers: Sequence[Paper], store: Store) -> dict[str, object]:
    """The figures counted the slow, obvious way: one paper at a time."""
    years: dict[str, int] = {}
    venues: dict[str, int] = {}
    sections: dict[str, int] = {}
    cats = dict.fromkeys(CATEGORIES.values(), 0)
    code = starred = read = 0
    for p in papers:
        year = "unknown" if p.year is None else str(p.year)
        years[year] = years.get(year, 0) + 1
        venue = p.venue or "unknown"
        venues[venue] = venues.get(venue, 0) + 1
        for sid in set(p.sections):
            path = catalog.section_path(sid)
            sections[path] = sections.get(path, 0) + 1
        for c in p.categories:
            cats[CATEGORIES[c]] += 1
        code += p.code_url is not None
        starred += store.is_favourite(p.id)
        read += store.is_read(p.id)
    return {
        "total": len(papers),
        "by_year": years,
        "by_venue": venues,
        "by_section": sections,
        "by_category": cats,
        "with_code": code,
        "starred": starred,
        "read": read,
    }


@pytest.mark.parametrize("query", ["", "quantization", "year:2023", "!has:code", "zzzz-nothing"])
def test_figures_equal_a_count_by_hand(store: Store, query: str) -> None:
    catalog = fixture_catalog()
    papers = SearchIndex(catalog).search(query, store)
    assert figures_json(catalog, compute_figures(catalog, papers, store)) == by_hand(
        catalog, papers, store
    )


def test_the_fixture_by_its_known_numbers(store: Store) -> None:
    catalog = fixture_catalog()
    figures = compute_figures(catalog, catalog.papers, store)
    data = figures_json(catalog, figures)
    assert data["total"] == 12
    assert data["by_year"] == {
        "2020": 1, "2021": 1, "2022": 2, "2023": 5, "2024": 2, "unknown": 1,
    }  # fmt: skip
    assert list(data["by_year"])[-1] == "unknown"
    assert data["by_venue"]["ICLR"] == 2 and data["by_venue"]["unknown"] == 1
    # QLoRA is listed under compression and finetuning: once in each, once in Algorithms.
    assert data["by_section"]["Algorithms / Model Compression"] == 4
    assert figures.by_top_section == {"algorithms": 6, "systems": 6}
    assert figures.progress["algorithms"].read == 2
    assert figures.progress["algorithms/compression"].starred == 1
    assert figures.progress["systems"].starred == 1
    assert (data["starred"], data["read"], data["with_code"]) == (2, 3, 8)
    assert figures.uncategorised == 2


def test_json_keeps_every_venue_while_the_chart_folds_the_tail() -> None:
    venues = [f"V{n:02d}" for n in range(TOP_VENUES + 5)]
    papers = tuple(
        Paper(id=f"p{i}", title=f"Paper {i}", venue=venues[i % len(venues)], year=2020)
        for i in range(200)
    )
    catalog = Catalog("t", (Section("s", "S"),), papers)
    figures = compute_figures(catalog, papers)
    data = json.loads(json.dumps(figures_json(catalog, figures)))
    assert len(data["by_venue"]) == TOP_VENUES + 5 and sum(data["by_venue"].values()) == 200
    chart = venue_chart(figures)
    assert len(chart.bars) == TOP_VENUES + 1
    others = chart.bars[-1]
    assert others.label == "others (5 venues)" and others.narrowing is not None
    assert others.narrowing.expand
    assert sum(b.count for b in chart.bars) == 200
    assert len(venue_chart(figures, everything=True).bars) == TOP_VENUES + 5


def test_year_gaps_show_as_empty_bars() -> None:
    papers = tuple(Paper(id=f"p{y}", title="t", year=y) for y in (2015, 2018, 2018))
    figures = compute_figures(Catalog("t", (), papers), papers)
    chart = year_chart(figures)
    assert [(b.label, b.count) for b in chart.bars] == [
        ("2015", 1), ("2016", 0), ("2017", 0), ("2018", 2),
    ]  # fmt: skip


@pytest.mark.parametrize("source", ["fixture", "shipped"])
def test_every_bar_narrows_to_exactly_its_count(store: Store, source: str) -> None:
    """What the screen does when a bar is chosen, checked for every bar of every chart."""
    catalog = fixture_catalog() if source == "fixture" else load_catalog(SHIPPED)
    index = SearchIndex(catalog)
    for base in ("", "has:code"):
        papers = index.search(base, store)
        figures = compute_figures(catalog, papers, store)
        for chart in all_charts(catalog, figures, every_venue=True):
            for bar in chart.bars:
                narrowing = bar.narrowing
                assert narrowing is not None, (chart.key, bar.label)
                if narrowing.token:
                    got = index.search(f"{base} {narrowing.token}", store)
                elif narrowing.scope:
                    got = in_scope(catalog, papers, narrowing.scope, store)
                else:
                    continue
                expected = bar.of if chart.shares and narrowing.scope else bar.count
                assert len(got) == expected, (chart.key, bar.label, narrowing)


def test_venue_bars_are_exact_where_a_substring_is_not() -> None:
    index = SearchIndex(load_catalog(SHIPPED))
    exact, loose = index.search("venue:=ACL"), index.search("venue:acl")
    assert {p.venue for p in exact} == {"ACL"}
    assert len(loose) > len(exact)  # NAACL, EACL...
    assert len(index.search('venue:="acl"')) == len(exact)
    assert venue_token("ACL") == "venue:=ACL"
    assert venue_token("Findings of ACL") == 'venue:="Findings of ACL"'
    assert venue_token('a "b"') is None
    with pytest.raises(QueryError, match="needs a venue"):
        parse_query("venue:=")


def test_has_year_and_has_venue_split_the_catalogue() -> None:
    catalog = fixture_catalog()
    index = SearchIndex(catalog)
    for field, attr in (("year", "year"), ("venue", "venue")):
        with_it = {p.id for p in index.search(f"has:{field}")}
        without = {p.id for p in index.search(f"!has:{field}")}
        assert with_it == {p.id for p in catalog.papers if getattr(p, attr)}
        assert without == {p.id for p in catalog.papers} - with_it


def test_categories_chart_counts_the_uncategorised() -> None:
    catalog = fixture_catalog()
    chart = category_chart(compute_figures(catalog, catalog.papers))
    assert [(b.label, b.count) for b in chart.bars] == [
        ("LLMs", 8), ("Multimodal", 2), ("Diffusion", 1), ("none of these", 2),
    ]  # fmt: skip


def test_shares_never_claim_none_or_all_falsely() -> None:
    assert share_text(0, 10) == "0%"
    assert share_text(1, 1000) == "<1%"
    assert share_text(999, 1000) == ">99%"
    assert share_text(10, 10) == "100%"
    assert share_text(0, 0) == "-"
