"""Typo tolerance counts one swap of adjacent letters as one edit (``gtpq`` -> GPTQ)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from surveytui.model.catalog import Catalog, Paper, Section, load_catalog
from surveytui.search.engine import SearchIndex

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "papers.toml"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _index(titles: list[str]) -> SearchIndex:
    papers = tuple(Paper(f"p{i}", t, sections=("s",)) for i, t in enumerate(titles))
    return SearchIndex(Catalog("mini", (Section("s", "Misc"),), papers))


def _swap(word: str, at: int) -> str:
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def test_swapped_letters_find_the_shipped_papers() -> None:
    index = SearchIndex(load_catalog(SHIPPED))
    for typo, meant in (("gtpq", "gptq"), ("qlroa", "qlora"), ("smoothqaunt", "smoothquant")):
        found = [p.title.lower() for p in index.search(typo)]
        assert found and meant in found[0], typo


def test_four_letter_words_take_only_a_swap_and_only_with_no_hit() -> None:
    index = _index(["GPTQ for all", "LoRA adapters", "DoRA adapters", "Lora and more"])
    assert [p.id for p in index.search("gtpq")] == ["p0"]
    assert [p.id for p in index.search("gptx")] == []  # a substitution: another word
    assert [p.id for p in index.search("dora")] == ["p2"]  # a hit as typed: no look-alikes


_WORD = st.text(alphabet=_LETTERS, min_size=4, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORD, min_size=3, max_size=8, unique=True), st.data())
def test_a_random_adjacent_swap_in_a_title_word_still_finds_that_paper(
    words: list[str], data: st.DataObject
) -> None:
    titles = [f"{w} study" for w in words]
    target = data.draw(st.integers(0, len(words) - 1))
    word = words[target]
    at = data.draw(st.integers(0, len(word) - 2))
    typo = _swap(word, at)
    assume(typo != word and not any(typo in t for t in titles))
    assert f"p{target}" in [p.id for p in _index(titles).search(typo)]


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORD, min_size=3, max_size=30), st.text(alphabet=_LETTERS, min_size=4, max_size=4))
def test_a_four_letter_word_never_drags_in_anything_but_its_swaps(
    words: list[str], query: str
) -> None:
    titles = [f"{w} study" for w in words]
    found = _index(titles).search(query)
    if any(query in t for t in titles):
        return  # matched as typed
    swaps = {_swap(query, at) for at in range(3)} - {query}
    assert all(any(s in p.title for s in swaps) for p in found)
