"""Id assignment always ends with unique ids, whatever titles a list holds.

A hash suffix separates titles that share a slug, but a title can be crafted
to be another title's slug plus its hash (``foo`` beside ``foo <sha1 prefix>``)
at every width. The importer must still write a catalogue that loads.
"""

from __future__ import annotations

import hashlib
import random

from hypothesis import given
from hypothesis import strategies as st

from surveytui.importer.document import import_markdown
from surveytui.model.catalog import catalog_from_dict
from surveytui.model.identity import assign_ids, title_key


def _digest(title: str) -> str:
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()


def _crafted(base: str, extra: list[str]) -> list[str]:
    seeds = [base, f"{base} 日本", f"{base} Ünïcode", *extra]
    titles = list(seeds)
    for seed in seeds[:3]:
        titles += [f"{base} {_digest(seed)[:width]}" for width in range(6, 41)]
    unique: dict[str, str] = {}
    for title in titles:  # the importer merges titles with one key into one paper
        unique.setdefault(title_key(title), title)
    return list(unique.values())


words = st.sampled_from(["foo", "Attention", "a b", "x-y", "日本", "GPT 4"])


@given(words, st.lists(st.text(min_size=1, max_size=12), max_size=6), st.randoms())
def test_ids_are_unique_and_independent_of_list_order(
    base: str, extra: list[str], rnd: random.Random
) -> None:
    titles = _crafted(base, extra)
    ids = assign_ids(titles)
    assert len(set(ids)) == len(ids)
    shuffled = titles[:]
    rnd.shuffle(shuffled)
    assert dict(zip(shuffled, assign_ids(shuffled), strict=True)) == dict(
        zip(titles, ids, strict=True)
    )


def test_a_crafted_list_imports_to_a_catalogue_that_loads() -> None:
    titles = _crafted("foo", [])
    text = "# T\n\n## S\n\n" + "".join(
        f"- {t}. [[Paper]](https://example.org/{n})\n" for n, t in enumerate(titles)
    )
    result = import_markdown(text)
    papers = result.catalog.papers
    assert len(papers) == len(titles)
    data = {
        "sections": [{"id": s.id, "title": s.title} for s in result.catalog.sections],
        "papers": [{"id": p.id, "title": p.title, "sections": list(p.sections)} for p in papers],
    }
    assert len(catalog_from_dict(data, "crafted.toml").papers) == len(titles)
