"""Authors survive ``export --format markdown`` -> ``import``: every one, any name."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from surveytui.export import to_markdown
from surveytui.importer.document import import_markdown
from surveytui.model.catalog import Catalog, Paper, Section

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÉÖŁØÇ"
_LOWER = "abcdefghijklmnopqrstuvwxyzåéöłøçß'"
_WORD = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(_UPPER),
    st.text(alphabet=_LOWER, min_size=1, max_size=8),
)
_PARTICLE = st.sampled_from(["van", "de", "der", "von", "da", "bin"])
_PART = st.one_of(_WORD, _PARTICLE, st.sampled_from(["张伟", "Ng", "X.", "Jr.", "A*", "B_"]))
_NAME = st.builds(
    lambda first, rest, glue: first + "".join(g + w for g, w in zip(glue, rest, strict=False)),
    _WORD,
    st.lists(_PART, min_size=0, max_size=3),
    st.lists(st.sampled_from([" ", "-", ", ", " & ", " and "]), min_size=3, max_size=3),
)


def _catalog(papers: list[Paper]) -> Catalog:
    return Catalog(title="Mine", sections=(Section("s", "S", None),), papers=tuple(papers))


def _fields(p: Paper) -> tuple[object, ...]:
    return (p.title, p.venue, p.year, p.paper_url, p.code_url, p.authors)


def _round_trip(papers: list[Paper]) -> list[Paper]:
    return list(import_markdown(to_markdown(_catalog(papers), papers)).catalog.papers)


@settings(max_examples=80, deadline=None)
@given(st.lists(_NAME, min_size=1, max_size=12))
def test_every_author_comes_back_whatever_the_names(names: list[str]) -> None:
    names = [" ".join(n.split()).strip(" ,&") for n in names]
    assume(all(n and not re.search(r"\bet\.? al\b", n, re.IGNORECASE) for n in names))
    paper = Paper(
        id="p",
        title="Quantised Attention for Everyone",
        venue="ICML",
        year=2023,
        sections=("s",),
        paper_url="https://arxiv.org/abs/2301.00001",
        code_url="https://github.com/example/qa",
        authors=tuple(names),
    )
    (back,) = _round_trip([paper])
    assert _fields(back) == _fields(paper)


def test_a_list_of_papers_with_and_without_authors_reads_back_the_same() -> None:
    papers = [
        Paper("a", "GPTQ: Accurate Quantization", "ICLR", 2023, ("s",),
              "https://arxiv.org/abs/2210.17323", None, (),
              ("Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh")),
        Paper("b", "Tiny Paper Alone", None, 2024, ("s",), "https://x.org/b"),
        Paper("c", "Seven Authors Strong", "NeurIPS", 2022, ("s",), None,
              "https://github.com/example/seven", (),
              ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra",
               "Barbara Liskov", "Aäron van den Oord", "Łukasz Kaiser")),
        Paper("d", "One Author Paper", "ACL", 2021, ("s",), "https://x.org/d", None, (),
              ("Yoshua Bengio",)),
    ]  # fmt: skip
    back = _round_trip(papers)
    assert [_fields(p) for p in back] == [_fields(p) for p in papers]


def test_the_author_line_reads_as_the_surveys_own_list_style() -> None:
    paper = Paper("a", "GPTQ", "ICLR", 2023, ("s",), "https://arxiv.org/abs/2210.17323",
                  authors=("Elias Frantar", "Saleh Ashkboos", "Dan Alistarh"))  # fmt: skip
    lines = to_markdown(_catalog([paper]), [paper]).splitlines()
    assert lines[-2:] == [
        "- GPTQ. *[ICLR'23]* [[Paper]](https://arxiv.org/abs/2210.17323)",
        "  *Authors: Elias Frantar, Saleh Ashkboos, Dan Alistarh*",
    ]
    comma = Paper("b", "T", "ICLR", 2023, ("s",), "https://x.org/b", authors=("Smith, J.", "Doe"))
    assert to_markdown(_catalog([comma]), [comma]).splitlines()[-1] == (
        "  *Authors: Smith, J.; Doe*"
    )
    (back,) = _round_trip([comma])
    assert back.authors == ("Smith, J.", "Doe")
