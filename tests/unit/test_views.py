"""Scope counts: the fast index-based counter agrees with a plain count written here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from surveytui.model.catalog import Catalog, Paper
from surveytui.search.scopes import count_scope_indices
from surveytui.state.store import Store
from tests.ui_helpers import fixture_catalog


def count_scopes(catalog: Catalog, papers: Sequence[Paper], state: Store) -> dict[str, int]:
    """The oracle: walk every paper and every section's parents, one by one."""
    counts: Counter[str] = Counter()
    for paper in papers:
        keys = set()
        for sid in paper.sections:
            current: str | None = sid
            while current is not None:
                keys.add(f"sec:{current}")
                current = catalog.section_by_id[current].parent
        keys.update(f"cat:{c}" for c in paper.categories)
        if state.is_favourite(paper.id):
            keys.add("fav")
        keys.update(f"tag:{t}" for t in state.tags(paper.id))
        counts.update(keys)
    counts["all"] = len(papers)
    return {k: v for k, v in counts.items() if v or k == "all"}


def test_index_counts_equal_paper_counts(tmp_path: Path) -> None:
    catalog = fixture_catalog()
    store = Store(tmp_path / "state.json")
    store.load()
    store.set_favourite("lora-low-rank-adaptation", True)
    store.set_tags("gptq-accurate-post-training-quantization", ["quant", "to-read"])
    for indices in ([], [0], [0, 1, 4, 5], list(range(len(catalog.papers)))):
        papers = [catalog.papers[i] for i in indices]
        fast = count_scope_indices(catalog, indices, store)
        nonzero = {k: v for k, v in fast.items() if v or k == "all"}
        assert nonzero == count_scopes(catalog, papers, store)
    counts = count_scope_indices(catalog, list(range(len(catalog.papers))), store)
    assert counts["all"] == 12
    assert counts["fav"] == 1
    assert counts["tag:quant"] == 1
    assert counts["sec:algorithms"] == 6
    assert counts["sec:algorithms/compression"] == 4
