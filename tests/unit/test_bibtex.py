"""BibTeX worth citing: names, Google-Scholar keys, entry types, and a real toolchain's verdict."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from surveytui.bibtex import bibtex_keys, bibtex_name, to_bibtex
from surveytui.model.catalog import Catalog, Paper, Section
from surveytui.model.meta import PaperMeta

GPTQ_META = PaperMeta(
    source="arxiv",
    title="GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers",
    authors=("Elias Frantar", "Saleh Ashkboos", "Torsten Hoefler", "Dan Alistarh"),
    arxiv_id="2210.17323",
    primary_class="cs.LG",
    published="2022-10-31",
)


class Meta:
    def __init__(self, records: dict[str, PaperMeta]) -> None:
        self.records = records

    def meta(self, paper_id: str) -> PaperMeta | None:
        return self.records.get(paper_id)

    def mismatch(self, paper_id: str) -> None:
        return None


def _catalog(*papers: Paper) -> Catalog:
    return Catalog(title="t", sections=(Section("s", "S"),), papers=papers)


def _entries(text: str) -> dict[str, bibtexparser.model.Entry]:
    lib = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    assert not lib.failed_blocks
    return {e.key: e for e in lib.entries}


@pytest.mark.parametrize(
    ("name", "bib"),
    [
        ("Elias Frantar", "Frantar, Elias"),
        ("Tri Dao", "Dao, Tri"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Martin Luther King Jr.", "King, Jr., Martin Luther"),
        ("Frantar, Elias", "Frantar, Elias"),
        ("Gemini Team", "{Gemini Team}"),
        ("OpenAI", "{OpenAI}"),
        ("Jürgen Müller", "Müller, Jürgen"),
        ("Anna and Bob", "Bob, Anna {and}"),
        ("Ann {Brace", r"\textbraceleft{}Brace, Ann"),
    ],
)
def test_names_are_last_comma_first(name: str, bib: str) -> None:
    assert bibtex_name(name) == bib


def test_keys_are_google_scholar_style_and_stable() -> None:
    gptq = Paper(id="gptq", title=GPTQ_META.title, venue="ICLR", year=2023)
    twin = Paper(id="gptq-2", title="GPTQ Again", venue="ICLR", year=2023)
    bare = Paper(id="bare", title="The Attention Trick", year=2017)
    muller = Paper(id="m", title="Über Models", year=2022, authors=("Jürgen Müller",))
    catalog = _catalog(gptq, twin, bare, muller)
    meta = Meta({"gptq": GPTQ_META, "gptq-2": GPTQ_META})
    keys = bibtex_keys(catalog, meta=meta)
    assert keys == {
        "gptq": "frantar2023gptq",
        "gptq-2": "frantar2023gptqb",
        "bare": "attention2017",
        "m": "muller2022uber",
    }
    assert bibtex_keys(catalog, [twin], meta)["gptq-2"] == "frantar2023gptqb"  # any subset


def test_arxiv_preprints_are_misc_with_eprint() -> None:
    paper = Paper(id="gptq", title=GPTQ_META.title, venue="arXiv", year=2022,
                  paper_url="https://arxiv.org/abs/2210.17323")  # fmt: skip
    (entry,) = _entries(to_bibtex(_catalog(paper), [paper], Meta({"gptq": GPTQ_META}))).values()
    assert entry.entry_type == "misc"
    fields = {k: f.value for k, f in entry.fields_dict.items()}
    assert fields["eprint"] == "2210.17323"
    assert fields["archivePrefix"] == "arXiv" and fields["primaryClass"] == "cs.LG"
    assert fields["howpublished"] == "arXiv preprint arXiv:2210.17323"
    assert "journal" not in fields


def test_conference_and_journal_entries() -> None:
    conf = Paper(id="c", title="FlexGen", venue="ICML", year=2023)
    journal_meta = PaperMeta(source="openalex", title="x", authors=("A B",),
                             venue="Nature", venue_kind="journal", doi="10.1038/x_1")  # fmt: skip
    journal = Paper(id="j", title="A Journal Paper", year=2021)
    entries = _entries(
        to_bibtex(_catalog(conf, journal), [conf, journal], Meta({"j": journal_meta}))
    )
    assert entries["flexgen2023"].entry_type == "inproceedings"
    assert entries["flexgen2023"].fields_dict["booktitle"].value == "ICML"
    article = entries["b2021journal"]
    assert article.entry_type == "article"
    assert article.fields_dict["journal"].value == "Nature"
    assert article.fields_dict["doi"].value == "10.1038/x_1"  # verbatim, not \_


def test_the_lists_authors_are_cited_without_any_fetch() -> None:
    paper = Paper(id="p", title="Listed", year=2024, venue="MLSys",
                  authors=("Ying Sheng", "Lianmin Zheng"))  # fmt: skip
    (entry,) = _entries(to_bibtex(_catalog(paper), [paper])).values()
    assert entry.key == "sheng2024listed"
    assert entry.fields_dict["author"].value == "Sheng, Ying and Zheng, Lianmin"


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
def test_biber_validates_an_enriched_export_without_warnings(tmp_path: Path) -> None:
    papers = (
        Paper(id="gptq", title=GPTQ_META.title, venue="ICLR", year=2023,
              paper_url="https://arxiv.org/abs/2210.17323",
              code_url="https://github.com/IST-DASLab/gptq"),
        Paper(id="pre", title="A Preprint with 100% & $math$", venue="arXiv", year=2022,
              paper_url="https://arxiv.org/abs/2208.07339"),
        Paper(id="j", title="A Journal Paper", venue="IEEE Transactions on Mobile Computing",
              year=2021),
        Paper(id="t", title="A Team Report", year=2023, authors=("Gemini Team",)),
    )  # fmt: skip
    meta = Meta({"gptq": GPTQ_META, "pre": GPTQ_META, "j": GPTQ_META})
    bib = tmp_path / "papers.bib"
    bib.write_text(to_bibtex(_catalog(*papers), papers, meta), encoding="utf-8")
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", str(tmp_path / "out.bib"),
         str(bib)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARN" not in log and "ERROR" not in log, log
