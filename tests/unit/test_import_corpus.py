"""The importer on the real paper lists of ``../shared/import-corpus`` (not in a user's clone).

The same scoring as ``benchmarks/import_corpus.py``: every list must reach 95%
recall, 95% precision and 90% mean field agreement against its independent
reference. Skipped, with the reason, where the corpus is absent.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "import-corpus"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_corpus", REPO / "benchmarks" / "import_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


SCORER = _scorer()
LISTS = [p.stem for p in SCORER.corpus_lists(CORPUS)] if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not LISTS, reason=f"no import corpus at {CORPUS}")


@needs_corpus
@pytest.mark.parametrize("name", LISTS)
def test_corpus_list_meets_the_targets(name: str) -> None:
    (score,) = SCORER.run(CORPUS, [name])
    assert score.recall >= SCORER.TARGET_RECALL, score.lost[:10]
    assert score.precision >= SCORER.TARGET_PRECISION, score.extra[:10]
    assert score.mean_fields >= SCORER.TARGET_FIELDS, score.disagreements[:10]


def test_the_score_follows_the_corpus_readme() -> None:
    """Case and spacing aside for titles; venue on letters and digits, trailing year off;
    an unstated year is not counted; any listing of a repeated title may agree."""
    reference = {
        "entries": [
            {"line": 1, "title": "A  Paper", "venue": "ICML 2023", "year": None,
             "paper_url": "u", "code_url": None},
            {"line": 2, "title": "a paper", "venue": "NeurIPS", "year": 2022,
             "paper_url": "v", "code_url": None},
            {"line": 3, "title": "Lost One", "venue": None, "year": None,
             "paper_url": None, "code_url": None},
        ]
    }  # fmt: skip
    papers = [
        {"title": "A Paper", "venue": "icml", "year": 2021, "paper_url": "u", "code_url": "c"},
        {"title": "Not In Reference", "venue": None, "year": None, "paper_url": None,
         "code_url": None},
    ]  # fmt: skip
    score = SCORER.score("x", papers, reference)
    assert (score.recall, score.precision) == (0.5, 0.5)
    assert score.fields == {"venue": 1.0, "year": 0.0, "paper_url": 1.0, "code_url": 0.0}
    assert score.lost == ["lost one"] and score.extra == ["Not In Reference"]
