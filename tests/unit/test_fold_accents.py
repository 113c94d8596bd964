"""``author:``/``abs:`` fold letters NFKD leaves whole: ``author:lukasz`` finds Łukasz."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from surveytui.model.catalog import Catalog, Paper, Section
from surveytui.model.meta import PaperMeta
from surveytui.model.text import fold_accents
from surveytui.search.engine import SearchIndex

#: Each letter that does not decompose, both cases, with what an ASCII keyboard types.
SPELLED = {
    "Ł": "l", "ł": "l", "Ø": "o", "ø": "o", "Đ": "d", "đ": "d", "Ð": "d", "ð": "d",
    "Þ": "th", "þ": "th", "ß": "ss", "ẞ": "ss", "Æ": "ae", "æ": "ae", "Œ": "oe", "œ": "oe",
    "ı": "i", "İ": "i", "é": "e", "Ç": "c",
}  # fmt: skip


def test_names_from_the_report_fold_to_what_people_type() -> None:
    assert fold_accents("Łukasz Kaiser") == "lukasz kaiser"
    assert fold_accents("Bjørn Ødegaard") == "bjorn odegaard"
    assert fold_accents("Đorđe Þórsson, Ægir Œhlenschläger, Straße, Kırıkkale") == (
        "dorde thorsson, aegir oehlenschlager, strasse, kirikkale"
    )


_PIECE = st.one_of(
    st.sampled_from(sorted(SPELLED)).map(lambda c: (c, SPELLED[c])),
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ").map(
        lambda c: (c, c.lower())
    ),
)
_NAME = st.lists(_PIECE, min_size=3, max_size=10).filter(
    lambda pieces: any(c in SPELLED for c, _ in pieces)
)


class _Meta:
    generation = 0

    def __init__(self, abstract: str) -> None:
        self.abstract = abstract

    def meta(self, paper_id: str) -> PaperMeta | None:
        if paper_id != "p1":
            return None
        return PaperMeta(source="arxiv", title="x", abstract=self.abstract)


@settings(max_examples=100, deadline=None)
@given(_NAME, _NAME)
def test_a_name_of_such_letters_is_found_as_typed_in_ascii_and_as_written(
    name: list[tuple[str, str]], word: list[tuple[str, str]]
) -> None:
    written = "".join(c for c, _ in name)
    ascii_name = "".join(a for _, a in name)
    other = "".join(c for c, _ in word)
    papers = (
        Paper("p0", "Unrelated Paper", authors=("Zz Qq",)),
        Paper("p1", "Some Paper", authors=(f"Ann {written}",)),
    )
    index = SearchIndex(Catalog("t", (Section("s", "S"),), papers))
    index.attach_meta(_Meta(f"We thank {other} here."))  # type: ignore[arg-type]
    assert [p.id for p in index.search(f"author:{ascii_name}")] == ["p1"]
    assert [p.id for p in index.search(f"author:{written}")] == ["p1"]
    assert [p.id for p in index.search(f"abs:{''.join(a for _, a in word)}")] == ["p1"]
