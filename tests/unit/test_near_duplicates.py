# ruff: noqa: E501  (list lines are kept whole, as lists write them)
"""Near-duplicate listings join into one paper; stars made on either listing survive."""

from __future__ import annotations

from pathlib import Path

from surveytui.importer.check import check_markdown
from surveytui.importer.document import import_markdown, render_toml
from surveytui.model.catalog import load_catalog
from surveytui.state.aliases import adopt_aliases
from surveytui.state.store import Store

LIST = """# Experts

## Language Models

- Glim: Efficient scaling with mixture-ofexperts. *[ICML'22]* [[Paper]](https://example.org/glim.html)
- Other Paper About Routing. *[ICML'22]* [[Paper]](https://example.org/other)

## Dynamic Networks

- Glim: Efficient scaling with mixture-of-experts. *[ICML'22]* [[Paper]](https://example.org/glim.pdf) [[Code]](https://github.com/example/glim)
- Glim: Efficient scaling with mixture-of-experts. *[ICML'23]* [[Paper]](https://example.org/glim-v2)
"""

TYPO_ID = "glim-efficient-scaling-with-mixture-ofexperts"
GOOD_ID = "glim-efficient-scaling-with-mixture-of-experts"


def test_titles_equal_but_for_spacing_with_same_venue_and_year_join() -> None:
    result = import_markdown(LIST)
    glim = [p for p in result.catalog.papers if p.title.startswith("Glim")]
    assert len(glim) == 1  # the ICML'23 listing has the same title as the kept spelling
    (paper,) = glim
    assert paper.title == "Glim: Efficient scaling with mixture-of-experts"
    assert (paper.id, paper.aliases) == (GOOD_ID, (TYPO_ID,))
    assert paper.sections == ("language-models", "dynamic-networks")
    assert paper.paper_url == "https://example.org/glim.html"  # first listing's value wins
    assert paper.code_url == "https://github.com/example/glim"  # later listings fill gaps


def test_a_different_venue_or_year_keeps_them_apart() -> None:
    text = LIST.replace(
        "- Glim: Efficient scaling with mixture-ofexperts. *[ICML'22]*",
        "- Glim: Efficient scaling with mixture-ofexperts. *[NeurIPS'22]*",
    )
    titles = [p.title for p in import_markdown(text).catalog.papers]
    assert "Glim: Efficient scaling with mixture-ofexperts" in titles


def test_check_names_the_lines_it_merged() -> None:
    findings = [str(f) for f in check_markdown(import_markdown(LIST, source_name="list.md"))]
    joined = [f for f in findings if "differ only in spacing" in f]
    assert len(joined) == 1
    assert joined[0].startswith("list.md:10: warning:")
    assert "(line 10)" in joined[0] and "(line 5)" in joined[0] and TYPO_ID in joined[0]


def test_the_alias_round_trips_through_toml_and_finds_its_paper(tmp_path: Path) -> None:
    out = tmp_path / "papers.toml"
    out.write_text(render_toml(import_markdown(LIST).catalog), encoding="utf-8")
    catalog = load_catalog(out)
    assert catalog.by_id[TYPO_ID].id == GOOD_ID


def test_state_under_the_old_id_follows_the_paper(tmp_path: Path) -> None:
    catalog = import_markdown(LIST).catalog
    store = Store(tmp_path / "state.json")
    store.load()
    store.set_favourite(TYPO_ID, True)
    store.add_tags(TYPO_ID, ["moe"])
    store.set_note(TYPO_ID, "read section 3")
    store.set_note(GOOD_ID, "")
    assert adopt_aliases(store, catalog) == 1
    assert store.is_favourite(GOOD_ID)
    assert store.tags(GOOD_ID) == ("moe",)
    assert store.note(GOOD_ID) == "read section 3"
    assert adopt_aliases(store, catalog) == 0  # once only
    again = Store(tmp_path / "state.json")
    again.load()
    assert again.is_favourite(GOOD_ID)  # written, not just in memory


def test_a_note_on_the_paper_itself_is_never_overwritten(tmp_path: Path) -> None:
    catalog = import_markdown(LIST).catalog
    store = Store(tmp_path / "state.json")
    store.load()
    store.set_note(TYPO_ID, "old")
    store.set_note(GOOD_ID, "mine")
    adopt_aliases(store, catalog)
    assert store.note(GOOD_ID) == "mine"
