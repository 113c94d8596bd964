"""``author:`` and ``abs:``: authors from the list or from ``enrich``, abstracts from ``enrich``."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveytui.metadata.store import MetaStore
from surveytui.model.catalog import Catalog, Paper, Section
from surveytui.model.meta import PaperMeta
from surveytui.search.engine import SearchIndex
from surveytui.search.query import QueryError, parse_query


def _catalog() -> Catalog:
    papers = (
        Paper(id="gptq", title="GPTQ: Accurate Post-Training Quantization", year=2023),
        Paper(id="awq", title="AWQ: Activation-aware Weight Quantization", year=2023,
              authors=("Ji Lin", "Jiaming Tang", "Song Han")),
        Paper(id="mueller", title="A Paper by Someone with an Umlaut", year=2022),
        Paper(id="flash", title="FlashAttention", year=2022),
    )  # fmt: skip
    return Catalog(title="t", sections=(Section("s", "S"),), papers=papers)


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    store = MetaStore(tmp_path / "meta.json")
    store.update(
        {
            "gptq": PaperMeta(
                source="arxiv",
                title="GPTQ",
                authors=("Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh"),
                abstract="Generative Pre-trained Transformer models set themselves apart.",
            ),
            "mueller": PaperMeta(source="openalex", title="x", authors=("Jürgen Müller",)),
        }
    )
    built = SearchIndex(_catalog())
    built.attach_meta(store)
    return built


def _ids(index: SearchIndex, text: str) -> list[str]:
    return [p.id for p in index.search(text)]


def test_author_finds_fetched_and_listed_authors(index: SearchIndex) -> None:
    assert _ids(index, "author:frantar") == ["gptq"]
    assert _ids(index, "author:han") == ["awq"]  # given by the list itself
    assert _ids(index, "author:FRANTAR") == ["gptq"]


def test_author_ignores_case_and_accents_both_ways(index: SearchIndex) -> None:
    assert _ids(index, "author:muller") == ["mueller"]
    assert _ids(index, "author:Müller") == ["mueller"]
    assert _ids(index, 'author:"jurgen muller"') == ["mueller"]


def test_abs_searches_abstracts(index: SearchIndex) -> None:
    assert _ids(index, "abs:transformer") == ["gptq"]
    assert _ids(index, "!abs:transformer year:2023") == ["awq"]


def test_plain_words_do_not_search_authors_or_abstracts(index: SearchIndex) -> None:
    assert _ids(index, "frantar") == []
    assert _ids(index, "generative") == []


def test_new_records_are_seen_after_an_update(index: SearchIndex, tmp_path: Path) -> None:
    assert _ids(index, "author:tri") == []
    store = index._meta
    assert isinstance(store, MetaStore)
    store.update({"flash": PaperMeta(source="arxiv", title="x", authors=("Tri Dao",))})
    assert _ids(index, "author:tri") == ["flash"]


def test_author_needs_a_value() -> None:
    with pytest.raises(QueryError, match="needs a value"):
        parse_query("author:")
    assert parse_query("author:x abs:y").uses_meta()
