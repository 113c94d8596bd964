"""Scope counts: the index-based counter agrees with the paper-based one."""

from __future__ import annotations

from pathlib import Path

from surveytui.search.scopes import count_scope_indices, count_scopes
from surveytui.state.store import Store
from tests.ui_helpers import fixture_catalog


def test_index_counts_equal_paper_counts(tmp_path: Path) -> None:
    catalog = fixture_catalog()
    store = Store(tmp_path / "state.json")
    store.load()
    store.set_favourite("lora-low-rank-adaptation", True)
    store.set_tags("gptq-accurate-post-training-quantization", ["quant", "to-read"])
    for indices in ([], [0], [0, 1, 4, 5], list(range(len(catalog.papers)))):
        papers = [catalog.papers[i] for i in indices]
        assert count_scope_indices(catalog, indices, store) == count_scopes(catalog, papers, store)
    counts = count_scope_indices(catalog, list(range(len(catalog.papers))), store)
    assert counts["all"] == 12
    assert counts["fav"] == 1
    assert counts["tag:quant"] == 1
    assert counts["sec:algorithms"] == 6
    assert counts["sec:algorithms/compression"] == 4
