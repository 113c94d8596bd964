"""Searching a catalogue: what matches, in which order, and that nothing but QueryError escapes."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveytui.model.catalog import Catalog, Paper, Section, load_catalog
from surveytui.search.engine import SearchIndex
from surveytui.search.query import QueryError, parse_query
from surveytui.state.protocols import UserState
from surveytui.state.store import Store

FIXTURE = Path(__file__).parents[1] / "fixtures" / "query_catalog.toml"
SHIPPED = Path(__file__).resolve().parents[2] / "data" / "papers.toml"


class FakeState:
    """A user store in memory, shaped like the real one for the search's purposes."""

    def __init__(
        self,
        favourites: Iterable[str] = (),
        read: Iterable[str] = (),
        tags: dict[str, tuple[str, ...]] | None = None,
        notes: dict[str, str] | None = None,
    ) -> None:
        self.favourites, self.read = set(favourites), set(read)
        self._tags, self._notes = tags or {}, notes or {}

    def is_favourite(self, paper_id: str) -> bool:
        return paper_id in self.favourites

    def is_read(self, paper_id: str) -> bool:
        return paper_id in self.read

    def tags(self, paper_id: str) -> tuple[str, ...]:
        return self._tags.get(paper_id, ())

    def note(self, paper_id: str) -> str:
        return self._notes.get(paper_id, "")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FIXTURE)


@pytest.fixture(scope="module")
def index(catalog: Catalog) -> SearchIndex:
    return SearchIndex(catalog)


def ids(index: SearchIndex, query: str, state: UserState | None = None, **kw: int) -> list[str]:
    return [p.id for p in index.search(query, state, **kw)]


def in_catalogue_order(catalog: Catalog, wanted: set[str]) -> list[str]:
    return [p.id for p in catalog.papers if p.id in wanted]


def mini_catalog(titles: list[str]) -> Catalog:
    section = Section("s", "Misc")
    papers = tuple(Paper(f"p{i}", t, sections=("s",)) for i, t in enumerate(titles))
    return Catalog("mini", (section,), papers)


QUANTIZATION_PAPERS = {"qa-lora", "joint-pruning-quantization", "smoothquant", "awq", "gptq"}

# --------------------------------------------------------------------------- acceptance


def test_gptq_ranks_the_gptq_paper_first(index: SearchIndex) -> None:
    assert ids(index, "gptq")[0] == "gptq"
    assert ids(index, "GPTQ quantization")[0] == "gptq"


def test_typo_finds_quantization_papers_and_nothing_else(index: SearchIndex) -> None:
    assert set(ids(index, "quantizaton")) == QUANTIZATION_PAPERS
    assert set(ids(index, "quantizaton llm")) == {"awq"}


def test_short_words_are_never_fuzzy(index: SearchIndex) -> None:
    found = index.search("llm")
    assert [p.id for p in found] == ["awq", "llm-pruner", "qlora"]
    assert ids(index, "gptx") == []


def test_venue_and_year(index: SearchIndex) -> None:
    assert ids(index, "venue:osdi year:2024") == ["distserve", "infinigen"]


def test_has_code_and_a_word(index: SearchIndex) -> None:
    # the joint pruning paper has no code link; SparseGPT says "pruned", not "pruning"
    assert ids(index, "has:code pruning") == ["wanda", "llm-pruner"]


def test_negated_word_excludes_venue_matches(index: SearchIndex) -> None:
    assert set(ids(index, "quantization !arxiv")) == {
        "joint-pruning-quantization",
        "smoothquant",
        "gptq",
    }


# --------------------------------------------------------------------------- ranking


def test_title_word_beats_inside_a_word_beats_venue_or_section(index: SearchIndex) -> None:
    # orca/vllm/distserve: the word; secure-aggregation: "Privacy-Preserving";
    # infinigen: only its section, "Serving on Cloud"
    assert ids(index, "serving") == ["orca", "vllm", "distserve", "secure-aggregation", "infinigen"]
    # flashattention has the word; vllm only "PagedAttention"; sixteen-heads only its section
    assert ids(index, "attention") == ["flashattention", "vllm", "sixteen-heads"]


def test_exact_word_beats_word_start() -> None:
    index = SearchIndex(mini_catalog(["Quantized LLMs", "Quant LLM", "Quantization"]))
    assert ids(index, "quant") == ["p1", "p0", "p2"]


def test_exact_hit_ranks_above_typo_look_alikes(index: SearchIndex) -> None:
    found = ids(index, "quantisation")
    assert found[0] == "vit-quantisation"
    assert set(found[1:]) == QUANTIZATION_PAPERS


def test_typo_in_title_ranks_above_typo_in_section(index: SearchIndex) -> None:
    found = ids(index, "compresion")
    assert found[0] == "awq"  # "Compression" in the title
    assert set(found[1:]) == {p for p in ids(index, "sec:compression") if p != "awq"}


def test_fuzzy_runs_only_for_words_with_few_substring_hits() -> None:
    few = SearchIndex(mini_catalog(["Pruning at scale", "Running at scale"]))
    assert ids(few, "pruning") == ["p0", "p1"]  # a likely typo: the look-alike comes after
    many = SearchIndex(mini_catalog([f"Pruning method {i}" for i in range(5)] + ["Running"]))
    assert "p5" not in ids(many, "pruning")


def test_ties_keep_catalogue_order(catalog: Catalog) -> None:
    forward = SearchIndex(catalog)
    backward = SearchIndex(
        Catalog(catalog.title, catalog.sections, tuple(reversed(catalog.papers)))
    )
    for query in ("quant", "osdi", "quantizaton", "serving"):
        a, b = ids(forward, query), ids(backward, query)
        assert sorted(a) == sorted(b)
        assert a == ids(forward, query)  # repeatable
    # "quant" starts a title word in every hit: one tier, so order is catalogue order
    assert ids(backward, "quant") == list(reversed(ids(forward, "quant")))


def test_filters_only_keep_catalogue_order(index: SearchIndex, catalog: Catalog) -> None:
    found = ids(index, "cat:llm !has:code")
    assert found == in_catalogue_order(catalog, set(found))
    assert ids(index, "") == [p.id for p in catalog.papers]


# --------------------------------------------------------------------------- token kinds


def test_prefix_suffix_and_whole_title(index: SearchIndex) -> None:
    assert ids(index, "^llm") == ["llm-pruner"]
    assert ids(index, "one$") == ["sixteen-heads"]  # trailing "?" ignored
    assert ids(index, "one?$") == ["sixteen-heads"]
    assert ids(index, '^"visual instruction tuning"$') == ["llava"]
    assert ids(index, "^visual$") == []
    assert ids(index, "!^llm") == [p for p in ids(index, "") if p != "llm-pruner"]


def test_exact_token_has_no_typo_fallback(index: SearchIndex) -> None:
    assert ids(index, "'quantizaton") == []
    assert set(ids(index, "'quant")) == QUANTIZATION_PAPERS | {"qlora", "vit-quantisation"}


def test_phrase_matches_words_in_order_only(index: SearchIndex) -> None:
    assert set(ids(index, '"large language model serving"')) == {"vllm", "distserve"}
    assert ids(index, '"language large"') == []


def test_or_is_the_union(index: SearchIndex) -> None:
    assert set(ids(index, "gptq | awq")) == {"gptq", "awq"}
    union = set(ids(index, "quant")) | set(ids(index, "prun"))
    assert set(ids(index, "quant | prun")) == union
    assert set(ids(index, "venue:osdi | cat:diffusion")) == {
        "orca",
        "distserve",
        "infinigen",
        "ddim",
    }


def test_words_match_venue_and_section_titles(index: SearchIndex) -> None:
    assert ids(index, "osdi") == ["orca", "distserve", "infinigen"]
    assert ids(index, "federated") == ["fedavg", "secure-aggregation"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cat:multi", {"llava", "vit-quantisation"}),
        ("cat:Diffusion", {"ddim"}),
        ("sec:federated", {"fedavg", "secure-aggregation"}),
        ('sec:"resource-efficient systems"', {"fedavg", "secure-aggregation", "orca", "vllm",
                                              "distserve", "infinigen"}),
        ("sec:finetuning sec:compression", {"qa-lora"}),
        ("year:2017", {"fedavg", "secure-aggregation"}),
        ("year:<2020", {"fedavg", "secure-aggregation", "sixteen-heads"}),
        ("year:2020..2021", {"joint-pruning-quantization", "ddim", "vit-quantisation"}),
        ("year:>2023", {"distserve", "infinigen"}),
        ("venue:neur", {"sixteen-heads", "flashattention", "vit-quantisation", "llm-pruner"}),
        ("!has:code", {"gpt2", "sixteen-heads", "joint-pruning-quantization", "vit-quantisation",
                       "fedavg", "secure-aggregation", "orca", "infinigen"}),
    ],
)  # fmt: skip
def test_field_tokens(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert set(ids(index, query)) == expected


def test_papers_without_year_or_venue(index: SearchIndex, catalog: Catalog) -> None:
    everything = {p.id for p in catalog.papers}
    assert "gpt2" not in ids(index, "year:>=1900")
    assert "gpt2" in ids(index, "!year:2023")
    assert set(ids(index, "venue:a")) | set(ids(index, "!venue:a")) == everything
    assert "gpt2" not in ids(index, "venue:a")


# --------------------------------------------------------------------------- user state


@pytest.fixture
def state() -> FakeState:
    return FakeState(
        favourites={"gptq", "awq"},
        read={"gptq", "ddim"},
        tags={"gptq": ("To Read", "baseline"), "orca": ("serving",)},
        notes={"awq": "Compare with GPTQ on OPT-66B", "orca": "   "},
    )


def test_state_tokens(index: SearchIndex, state: FakeState) -> None:
    assert ids(index, "is:fav", state) == ["awq", "gptq"]
    assert ids(index, "is:fav !is:read", state) == ["awq"]
    assert ids(index, "is:read", state) == ["ddim", "gptq"]
    assert ids(index, 'tag:"to read"', state) == ["gptq"]
    assert ids(index, "tag:BASELINE", state) == ["gptq"]
    assert ids(index, "tag:base", state) == []  # tags match whole, not as prefixes
    assert ids(index, "note:opt-66b", state) == ["awq"]
    assert ids(index, "has:tag", state) == ["gptq", "orca"]
    assert ids(index, "has:note", state) == ["awq"]  # a blank note is no note
    assert ids(index, "quant is:fav", state) == ["awq", "gptq"]


def test_tag_tokens_follow_the_stores_tag_rules(index: SearchIndex, tmp_path: Path) -> None:
    store = Store(tmp_path / "state.json")
    store.set_tags("gptq", ["Machine Learning", "To-Read"])
    store.set_tags("orca", ["C++"])
    assert store.tags("gptq") == ("machine-learning", "to-read")
    assert ids(index, 'tag:"Machine Learning"', store) == ["gptq"]
    assert ids(index, "tag:machine-learning", store) == ["gptq"]
    assert ids(index, "tag:To-Read", store) == ["gptq"]
    assert ids(index, 'tag:"to  read"', store) == ["gptq"]
    assert ids(index, "tag:c++", store) == ["orca"]
    assert ids(index, "tag:machine", store) == []
    assert ids(index, 'tag:"!!"', store) == []  # nothing left of it: no tag is named that


def test_without_state_state_tokens_match_nothing_and_negations_everything(
    index: SearchIndex, catalog: Catalog
) -> None:
    everything = [p.id for p in catalog.papers]
    for token in ("is:fav", "is:read", "tag:x", "note:x", "has:tag", "has:note"):
        assert ids(index, token) == []
        assert ids(index, "!" + token) == everything


# --------------------------------------------------------------------------- API


def test_limit(index: SearchIndex) -> None:
    full = ids(index, "serving")
    assert ids(index, "serving", limit=2) == full[:2]
    assert ids(index, "serving", limit=100) == full
    assert ids(index, "serving", limit=0) == []
    assert ids(index, "cat:llm", limit=3) == ids(index, "cat:llm")[:3]


def test_search_indices_point_into_the_catalogue(index: SearchIndex, catalog: Catalog) -> None:
    found = index.search_indices(parse_query("gptq | awq"))
    assert [catalog.papers[i].id for i in found] == ids(index, "gptq | awq")
    assert index.search(parse_query("gptq"))[0] is catalog.by_id["gptq"]


def test_string_queries_are_parsed_and_errors_surface(index: SearchIndex) -> None:
    with pytest.raises(QueryError) as info:
        index.search("quant yaer:2023")
    assert info.value.token == "yaer:2023"


def test_odd_catalogues() -> None:
    assert SearchIndex(mini_catalog([])).search("quant") == []
    odd = SearchIndex(mini_catalog(["two\nlines", "[bold]x[/]", "ÄÖÜ Straße", "!!!"]))
    assert ids(odd, "lines") == ["p0"]
    assert ids(odd, "[/]") == ["p1"]
    assert ids(odd, "straße") == ["p2"]
    assert ids(odd, "'!") == ["p3"]
    assert ids(odd, "!!") == ["p0", "p1", "p2"]


# --------------------------------------------------------------------------- properties


def check_search(index: SearchIndex, text: str, state: UserState | None) -> None:
    try:
        query = parse_query(text)
    except QueryError as err:
        assert len(str(err).splitlines()) == 1
        return
    found = index.search_indices(query, state)
    assert len(set(found)) == len(found)
    assert all(0 <= i < len(index) for i in found)
    assert index.search_indices(query, state, limit=3) == found[:3]


@settings(max_examples=300, deadline=None)
@given(text=st.text(), with_state=st.booleans())
def test_arbitrary_text_never_escapes_but_query_error(
    index: SearchIndex, text: str, with_state: bool
) -> None:
    check_search(index, text, FakeState({"gptq"}, {"awq"}) if with_state else None)


WORDS = ["quant", "quantizaton", "llm", "gptq", "serving", "large language", "a", "ösdi", "2:4"]
FIELDS = ["venue:osdi", "venue:neur", "year:2023", "year:>=2022", "year:2020..2022", "has:code",
          "has:paper", "has:note", "is:fav", "is:read", "tag:x", "note:gptq", "cat:llm",
          "cat:multi", "sec:compression", 'sec:"model compression"', "year:<2021"]  # fmt: skip
BROKEN = ["foo:bar", "venue:", "year:abc", "year:2024..2020", "!", "|", '"x', "cat:zzz", "^"]


@st.composite
def grammar_queries(draw: st.DrawFn) -> str:
    def term() -> str:
        word = draw(st.sampled_from(WORDS) | st.text(min_size=1, max_size=4))
        shaped = draw(
            st.sampled_from(
                [
                    word,
                    f"'{word}",
                    f"^{word}",
                    f"{word}$",
                    f'"{word}"',
                    f"^{word}$",
                    *FIELDS,
                    *BROKEN,
                ]
            )
        )
        return ("!" if draw(st.booleans()) else "") + shaped

    parts = [term()]
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(st.sampled_from([" ", " | ", "|", "  "])))
        parts.append(term())
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(text=grammar_queries(), with_state=st.booleans())
def test_grammar_shaped_queries_never_escape_but_query_error(
    index: SearchIndex, text: str, with_state: bool
) -> None:
    check_search(
        index, text, FakeState({"gptq"}, {"awq"}, {"gptq": ("x",)}) if with_state else None
    )


EXACT_TERMS = st.sampled_from(
    [*FIELDS, "'quant", '"large language"', "^llm", "models$", "'osdi", "'a", "^a$"]
)


@settings(max_examples=100, deadline=None)
@given(term=EXACT_TERMS)
def test_a_term_and_its_negation_split_the_catalogue(index: SearchIndex, term: str) -> None:
    state = FakeState({"gptq", "awq"}, {"ddim"}, {"orca": ("x",)}, {"awq": "GPTQ"})
    positive = set(index.search_indices(parse_query(term), state))
    negative = set(index.search_indices(parse_query("!" + term), state))
    assert positive.isdisjoint(negative)
    assert positive | negative == set(range(len(index)))


@settings(max_examples=100, deadline=None)
@given(a=EXACT_TERMS, b=EXACT_TERMS)
def test_and_is_an_intersection_in_any_order(index: SearchIndex, a: str, b: str) -> None:
    def found(text: str) -> set[int]:
        return set(index.search_indices(parse_query(text)))

    both = found(f"{a} {b}")
    assert both == found(a) & found(b)
    assert both == found(f"{b} {a}")


# --------------------------------------------------------------------------- scale


def synthetic_catalog(n: int, seed: int = 1) -> Catalog:
    rng = random.Random(seed)
    base = load_catalog(FIXTURE)
    vocab = sorted({w for p in base.papers for w in p.title.lower().split() if len(w) > 2})
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    leaves = [s.id for s in base.sections if s.parent]
    venues = ["OSDI", "SOSP", "NeurIPS", "ICML", "ICLR", "arXiv", "CVPR", "ACL"]
    papers = []
    for i in range(n):
        words = [
            rng.choice(vocab) if rng.random() < 0.7 else "".join(rng.choices(syllables, k=3))
            for _ in range(rng.randint(5, 12))
        ]
        papers.append(
            Paper(
                id=f"p{i}",
                title=" ".join(words).capitalize(),
                venue=rng.choice(venues),
                year=rng.randint(2015, 2024),
                sections=(rng.choice(leaves),),
                code_url="https://github.com/x/y" if rng.random() < 0.5 else None,
            )
        )
    return Catalog("synthetic", base.sections, tuple(papers))


@pytest.mark.slow
def test_typical_queries_answer_on_a_large_catalogue() -> None:
    """Every kind of clause answers at 50k papers, limited and unlimited alike
    (how fast is the benchmark's business: benchmarks/bench.py)."""
    index = SearchIndex(synthetic_catalog(50_000))
    for text in ("quant", "quantizaton", "venue:osdi year:2024", "has:code pruning !arxiv"):
        query = parse_query(text)
        everything = index.search_indices(query)  # the first typo builds the vocabulary
        assert everything, text
        limited = index.search_indices(query, limit=200)
        assert len(limited) == min(200, len(everything)), text
        assert set(limited) <= set(everything), text


# --------------------------------------------------------------------------- wiring


@pytest.mark.parametrize(
    "code",
    [
        "import surveytui.search.engine; from surveytui.search.query import parse_query",
        "import surveytui.search.query; from surveytui.search.engine import SearchIndex",
    ],
)
def test_query_and_search_import_in_either_order_without_textual(code: str) -> None:
    check = code + "; import sys; assert 'textual' not in sys.modules, 'textual imported'"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def shipped_catalog() -> Catalog:
    """The committed survey: always present, so these tests never skip."""
    catalog = load_catalog(SHIPPED)
    assert len(catalog.papers) > 400, f"{SHIPPED} has only {len(catalog.papers)} papers"
    return catalog


def test_shipped_catalogue_gptq_first() -> None:
    found = SearchIndex(shipped_catalog()).search("gptq")
    assert found and found[0].title.lower().startswith("gptq")


def test_shipped_catalogue_typo_finds_quantization_papers() -> None:
    catalog = shipped_catalog()
    found = {p.id for p in SearchIndex(catalog).search("quantizaton")}
    spelled_right = {p.id for p in catalog.papers if "quantization" in p.title.lower()}
    assert len(spelled_right) >= 10
    assert spelled_right <= found
    assert all("quantiz" in catalog.by_id[pid].title.lower() for pid in found)
