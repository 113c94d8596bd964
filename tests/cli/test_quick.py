"""The quick search path: same answers as the full CLI, or it steps aside.

``surveytui search WORDS`` is answered from the quick pack when it can be
(``surveytui.quick.run``); these tests hold it to the full path's output
byte for byte, over the shipped survey and hypothesis-made queries, and check
every case where it must leave the command to the full CLI.
"""

from __future__ import annotations

import gc
import os
import string
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveytui import entry
from surveytui.cli.main import main as full_main
from surveytui.model.catalog import load_catalog
from surveytui.quick import pack as quickpack
from surveytui.quick import run as quicksearch
from surveytui.quick.writer import ensure_pack
from surveytui.search.query import parse_query
from surveytui.search.ranking import PUNCTUATION
from surveytui.search.registry import load_cached, search_index
from surveytui.system import paths
from surveytui.system.paths import bundled_catalog, cache_dir, data_dir

FIXTURES = Path(__file__).parents[1] / "fixtures"
QUERY = FIXTURES / "query_catalog.toml"
GPTQ = "gptq-accurate-post-training-quantization-for-generative-pre"


def run_both(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str, str]:
    """(quick path's exit code or None, its stdout, the full path's stdout)."""
    code = quicksearch.run(args)
    quick_out = capsys.readouterr().out
    assert full_main(args) == 0
    return code, quick_out, capsys.readouterr().out


@pytest.fixture
def packed(capsys: pytest.CaptureFixture[str]) -> Path:
    """The shipped survey with its pack written, as after a user's first search."""
    assert quicksearch.run(["search", "gptq"]) is None  # no pack yet: the full path answers
    assert full_main(["search", "gptq"]) == 0
    capsys.readouterr()
    return bundled_catalog()


# ---------------------------------------------------------------- same output


@pytest.mark.parametrize(
    "query",
    [
        "quant",
        "quantization",
        "gptq",
        "llm",
        "Efficient Inference",
        "sparse !arxiv",
        "!attention",
        "low-rank",
        "mixture-of-experts",
        "int8",
        "(",
        "e",
        "a b c",
        "vit",
        "pruning",
        "serving",
        "",
    ],
)
def test_quick_and_full_paths_print_the_same_table(
    packed: Path, query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, quick, full = run_both(["search", query], capsys)
    assert code == 0, f"quick path declined {query!r}"
    assert quick == full
    assert quick.startswith("  TITLE")


def test_limit_and_option_orders_match_the_full_path(
    packed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (
        ["search", "quant", "--limit", "3"],
        ["search", "--limit=7", "efficient"],
        ["--data", str(packed), "search", "llm", "--format", "table"],
        ["search", "model", "--data", str(packed), "--limit", "1"],
    ):
        code, quick, full = run_both(args, capsys)
        assert code == 0, args
        assert quick == full, args
    code, quick, _ = run_both(["search", "quant", "--limit", "3"], capsys)
    assert len(quick.splitlines()) == 4  # header and three papers


def test_typo_words_go_to_the_full_engine(packed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Words of five or more letters with under five hits get the typo fallback;
    # four-letter words with no hit at all get it too (adjacent swaps only).
    for rare in ("4-bit", "zzzzzz", "quantizaton", "gtpq"):
        assert quicksearch.run(["search", rare]) is None
    assert full_main(["search", "quantizaton"]) == 0
    assert "Quantization" in capsys.readouterr().out
    assert full_main(["search", "gtpq"]) == 0
    assert "GPTQ" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["search", "venue:osdi"],
        ["search", "is:fav"],
        ["search", '"post training"'],
        ["search", "'gptq"],
        ["search", "^gptq"],
        ["search", "gptq$"],
        ["search", "gptq|awq"],
        ["search", "!!x"],
        ["search", "gptq", "--format", "json"],
        ["search", "gptq", "--limit", "0"],
        ["search", "gptq", "--limit", "x"],
        ["search", "gptq", "--lim", "3"],
        ["search", "gptq", "extra"],
        ["search"],
        ["list"],
        ["--version"],
        ["search", "--", "gptq"],
        ["search", "-x"],
    ],
)
def test_everything_else_is_left_to_the_full_cli(packed: Path, args: list[str]) -> None:
    assert quicksearch.run(args) is None


# ---------------------------------------------------------------- identity, generated


def _survey_words() -> list[str]:
    catalog = load_catalog(bundled_catalog())
    words: set[str] = set()
    for paper in catalog.papers:
        words.update(paper.title.split())
        words.update((paper.venue or "").split())
    for section in catalog.sections:
        words.update(section.title.split())
    return sorted(words)


WORDS = _survey_words()
word = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: w[: max(1, len(w) // 2)]),
    st.sampled_from(WORDS).map(lambda w: w[len(w) // 3 :]),
    st.text(alphabet="abcdeilmnorstuqz-.()0123456789é", min_size=1, max_size=6),
)
term = st.tuples(word, st.booleans()).map(lambda t: ("!" if t[1] else "") + t[0])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(term, min_size=0, max_size=3))
def test_generated_queries_rank_like_the_search_index(packed: Path, terms: list[str]) -> None:
    text = " ".join(terms)
    parsed = quicksearch.parse_words(text)
    if parsed is None:
        return  # a special character: the full parser's business
    real = os.path.realpath(packed)
    pack = quickpack.open_pack(str(cache_dir()), real, os.stat(real))
    assert pack is not None
    quick = quicksearch._Searcher(pack).search(parsed, None)
    if quick is None:  # only when the full engine would try the typo fallback
        assert any(len(w) >= 4 and not negated for w, negated in parsed)
        return
    catalog = load_cached(packed)
    assert quick == search_index(catalog).search_indices(parse_query(text))


# ---------------------------------------------------------------- staleness and state


def test_an_edited_catalogue_is_not_answered_from_its_old_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "papers.toml"
    data.write_text(QUERY.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["--data", str(data), "search", "quant"]
    assert full_main(args) == 0
    assert quicksearch.run(args) == 0
    first = capsys.readouterr().out
    text = data.read_text(encoding="utf-8").replace("SmoothQuant", "SmoothQuart")
    data.write_text(text + "\n", encoding="utf-8")
    assert quicksearch.run(args) is None  # size and mtime changed
    assert full_main(args) == 0
    assert quicksearch.run(args) == 0
    assert capsys.readouterr().out != first


def test_favourites_are_starred_once_the_full_path_has_read_the_state(
    packed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert full_main(["fav", "add", GPTQ]) == 0
    capsys.readouterr()
    assert quicksearch.run(["search", "gptq"]) is None  # a state file it has not seen
    assert full_main(["search", "gptq"]) == 0
    full = capsys.readouterr().out
    assert quicksearch.run(["search", "gptq"]) == 0
    quick = capsys.readouterr().out
    assert quick == full
    assert "★ GPTQ" in quick
    assert full_main(["fav", "rm", GPTQ]) == 0
    assert quicksearch.run(["search", "gptq"]) is None  # the state file changed again


def test_a_corrupt_state_file_is_left_to_the_full_path(
    packed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = data_dir() / "state" / "survey.json"
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text("{not json", encoding="utf-8")
    assert quicksearch.run(["search", "gptq"]) is None
    assert full_main(["search", "gptq"]) == 0
    assert "corrupt" in capsys.readouterr().err


def test_a_damaged_pack_is_never_printed_from(
    packed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = os.path.realpath(packed)
    path = Path(quickpack.pack_file(str(cache_dir()), real))
    good = path.read_bytes()
    pack = quickpack.open_pack(str(cache_dir()), real, os.stat(real))
    assert pack is not None
    rows_at = pack.starts["rows"]
    del pack
    damaged = bytearray(good)
    damaged[rows_at + 3] = 0x1B  # an escape code inside the first title
    path.write_bytes(bytes(damaged))
    assert quicksearch.run(["search", "e"]) is None
    for cut in (10, len(good) // 2, len(good) - 3):
        path.write_bytes(good[:cut])
        assert quicksearch.run(["search", "gptq"]) is None
    path.write_bytes(b"")
    assert quicksearch.run(["search", "gptq"]) is None
    assert full_main(["search", "gptq"]) == 0  # and the full path rebuilds it
    capsys.readouterr()
    assert quicksearch.run(["search", "gptq"]) == 0


def test_an_unwritable_cache_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("SURVEYTUI_CACHE_DIR", str(blocker / "cache"))
    assert full_main(["search", "gptq"]) == 0
    assert "GPTQ" in capsys.readouterr().out
    assert quicksearch.run(["search", "gptq"]) is None


def test_opting_out_with_the_environment(packed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEYTUI_NO_QUICK", "1")
    assert quicksearch.run(["search", "gptq"]) is None
    monkeypatch.setenv("SURVEYTUI_NO_QUICK", "0")
    monkeypatch.setenv("SURVEYTUI_NO_CACHE", "yes")
    assert quicksearch.run(["search", "gptq"]) is None


# ---------------------------------------------------------------- what it relies on


@pytest.mark.parametrize("xdg", [None, "", "  ", "/tmp/xdg-elsewhere"])
def test_user_dirs_agree_with_platformdirs(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the quick path replicates platformdirs on Linux only")
    monkeypatch.delenv("SURVEYTUI_CACHE_DIR")
    monkeypatch.delenv("SURVEYTUI_DATA_DIR")
    monkeypatch.delenv("SURVEYTUI_CONFIG_DIR", raising=False)
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    light = paths.user_dir_text
    assert (
        light("cache", light=True) == platformdirs.user_cache_dir("surveytui") == str(cache_dir())
    )
    assert light("data", light=True) == platformdirs.user_data_dir("surveytui") == str(data_dir())
    assert light("config", light=True) == platformdirs.user_config_dir("surveytui")


def test_shared_constants_match_their_sources() -> None:
    assert string.punctuation.encode("ascii") == PUNCTUATION
    assert paths.bundled_catalog_text() == str(bundled_catalog().resolve())


def test_console_script_answers_quickly_without_heavy_imports(packed: Path) -> None:
    """Second run of the real command: from the pack, without argparse, re or typing."""
    code = (
        "import sys; from surveytui.entry import main; rc = main(['search', 'quant']); "
        "heavy = {'argparse', 're', 'typing', 'pathlib', 'tomli', 'surveytui.cli.main'}; "
        "print('HEAVY', sorted(heavy & set(sys.modules)), file=sys.stderr); sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr
    assert "Quantization" in result.stdout


def test_entry_point_falls_back_for_everything_else(
    packed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry.main(["search", "venue:osdi year:2024"]) == 0
    out = capsys.readouterr().out
    assert "DistServe" in out
    assert entry.main(["search", "yaer:2023"]) == 2
    assert "unknown filter token" in capsys.readouterr().err


# ---------------------------------------------------------------- found in review


def test_a_symlinked_catalogue_is_left_to_the_full_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The state file is named after the path as typed; the pack knows the target's name."""
    real = tmp_path / "real.toml"
    real.write_text(QUERY.read_text(encoding="utf-8"), encoding="utf-8")
    alias = tmp_path / "alias.toml"
    alias.symlink_to(real)
    assert full_main(["--data", str(alias), "fav", "add", "qlora"]) == 0
    args = ["--data", str(alias), "search", "lora"]
    assert full_main(args) == 0
    assert "★ QLoRA" in capsys.readouterr().out
    assert quicksearch.run(args) is None
    assert full_main(["--data", str(real), "search", "lora"]) == 0  # the target's own name
    assert quicksearch.run(["--data", str(real), "search", "lora"]) == 0


def test_a_catalogue_edited_while_it_loads_gets_no_pack(tmp_path: Path) -> None:
    data = tmp_path / "papers.toml"
    data.write_text(QUERY.read_text(encoding="utf-8"), encoding="utf-8")
    before = data.stat()
    catalog = load_cached(data)
    data.write_text(data.read_text(encoding="utf-8").replace("Tuning", "Tuned"), encoding="utf-8")
    ensure_pack(data, before, catalog.papers, search_index(catalog).pack_arrays())
    assert not Path(quickpack.pack_file(str(cache_dir()), os.path.realpath(data))).exists()


def test_a_pack_pointing_past_its_papers_is_declined_not_a_crash(packed: Path) -> None:
    real = os.path.realpath(packed)
    path = Path(quickpack.pack_file(str(cache_dir()), real))
    pack = quickpack.open_pack(str(cache_dir()), real, os.stat(real))
    assert pack is not None
    key = pack.tokens.lower_bound(b"llm")
    assert pack.tokens.key(key).startswith(b"llm")
    run_start = pack.sections["token_starts"].cast("I")[key]
    at = pack.starts["token_postings"] + 4 * run_start  # the first paper of that token
    del pack
    damaged = bytearray(path.read_bytes())
    damaged[at : at + 4] = (10**9).to_bytes(4, sys.byteorder)
    path.write_bytes(bytes(damaged))
    assert quicksearch.run(["search", "llm"]) is None


def test_a_limit_too_long_for_int_is_left_to_argparse(packed: Path) -> None:
    assert quicksearch.run(["search", "quant", "--limit", "9" * 5000]) is None
    with pytest.raises(SystemExit) as exited:
        entry.main(["search", "quant", "--limit", "9" * 5000])
    assert exited.value.code == 2  # argparse's one-line usage error, not a traceback


def test_no_cache_means_no_pack_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SURVEYTUI_NO_CACHE", "1")
    assert full_main(["search", "gptq"]) == 0
    assert not list(cache_dir().rglob("*.quick"))
    assert not list(cache_dir().rglob("*.marshal"))


def test_main_turns_the_collector_back_on_when_the_browser_never_starts(tmp_path: Path) -> None:
    assert entry.main(["--data", str(tmp_path / "missing.toml")]) == 2
    assert gc.isenabled()


def test_no_match_is_left_to_the_full_path_which_says_so_and_exits_1(
    packed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert quicksearch.run(["search", "zzzz"]) is None  # the quick path declines
    assert full_main(["search", "zzzz"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == "surveytui: no paper matches 'zzzz'\n"
