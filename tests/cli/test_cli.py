"""The headless CLI, called in-process: what a user sees on stdout, stderr and disk.

Every command runs against the shipped catalogue or a small fixture, with the
user-data and cache directories redirected by ``conftest.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import tomli
from rich.cells import cell_len

from surveytui import __version__
from surveytui.cli.main import main
from surveytui.model.catalog import Catalog, Paper, catalog_from_dict, load_catalog
from surveytui.system.paths import bundled_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL = FIXTURES / "cli_catalog.toml"
WIDE = FIXTURES / "cli_wide_catalog.toml"
SMALL_LIST = FIXTURES / "cli_small_list.md"
GPTQ = "gptq-accurate-post-training-quantization-for-generative-pre"
DEEPSPEED = "deepspeed"
RECORD_KEYS = {
    "id",
    "title",
    "venue",
    "year",
    "sections",
    "paper_url",
    "code_url",
    "categories",
    "authors",
    "abstract",
    "arxiv_id",
    "doi",
    "published",
    "favourite",
    "read",
    "tags",
    "note",
}


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(bundled_catalog())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    records: list[dict[str, Any]] = json.loads(out)
    return records


def table_rows(out: str) -> list[str]:
    """Data lines of a table (the header is the first line)."""
    lines = out.splitlines()
    assert lines and lines[0].split()[:3] == ["TITLE", "VENUE", "YEAR"], out[:200]
    return lines[1:]


def haystack(record: dict[str, Any]) -> str:
    return " ".join([record["title"], record["venue"] or "", *record["sections"]]).casefold()


# --------------------------------------------------------------------------- list


def test_list_json_has_every_shipped_paper_with_the_documented_keys(
    capsys: pytest.CaptureFixture[str], shipped: Catalog
) -> None:
    records = run_json(capsys, "list")
    assert 400 <= len(records) == len(shipped.papers)
    assert [r["id"] for r in records] == [p.id for p in shipped.papers]
    paths = {shipped.section_path(s.id) for s in shipped.sections if s.parent}
    for record in records:
        assert set(record) == RECORD_KEYS
        assert record["year"] is None or type(record["year"]) is int
        assert record["sections"] and set(record["sections"]) <= paths
        assert all(re.fullmatch(r"[^/]+ / [^/]+", s) for s in record["sections"])
        assert record["favourite"] is False and record["read"] is False
        assert record["tags"] == [] and record["note"] == ""
    gptq = next(r for r in records if r["id"] == GPTQ)
    assert gptq["venue"] == "ICLR" and gptq["year"] == 2023
    assert gptq["sections"] == ["Resource-efficient Algorithms / Model Compression"]
    assert gptq["code_url"].startswith("https://github.com/")
    assert "llm" in gptq["categories"]
    assert any(r["year"] is None for r in records)


def test_list_section_shows_only_papers_of_matching_sections(
    capsys: pytest.CaptureFixture[str], shipped: Catalog
) -> None:
    records = run_json(capsys, "list", "--section", "compression")
    expected = [
        p.id
        for p in shipped.papers
        if any("compression" in shipped.section_path(s).casefold() for s in p.sections)
    ]
    assert [r["id"] for r in records] == expected
    assert len(records) >= 50
    assert all(any("Model Compression" in s for s in r["sections"]) for r in records)


def test_list_section_matching_nothing_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--section", "astrology")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'astrology'" in err and "papers.toml" in err


@pytest.mark.parametrize("columns", [80, 200])
def test_table_fits_the_terminal_width(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    shipped: Catalog,
    columns: int,
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, "list")
    rows = table_rows(out)
    assert code == 0 and len(rows) == len(shipped.papers)
    assert max(len(line) for line in out.splitlines()) <= columns
    assert rows[0].startswith("  Attention is all you need ")
    long_titles = [p.title for p in shipped.papers if len(p.title) > 70]
    assert len(long_titles) > 50
    shown_in_full = [t for t in long_titles if f"  {t} " in out]
    if columns == 80:
        assert not shown_in_full  # shortened with an ellipsis, never wrapped
        assert sum("… " in row for row in rows) >= len(long_titles)
    else:
        assert len(shown_in_full) >= 0.95 * len(long_titles)


def test_table_counts_terminal_cells_for_wide_and_combining_characters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(capsys, "--data", str(WIDE), "list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 5
    assert all(cell_len(line) <= 60 for line in lines), [cell_len(x) for x in lines]
    widths = {cell_len(line.rstrip()) for line in lines[1:] if line.rstrip().endswith("2024")}
    assert widths == {cell_len(lines[1])}
    assert lines[1].startswith("  大型语言模型") and "…" in lines[1]
    assert "Proceedings o…" in out  # an overlong venue is cut, not allowed to push YEAR


# --------------------------------------------------------------------------- search


def test_search_gptq_ranks_gptq_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "gptq")
    assert code == 0
    assert table_rows(out)[0].startswith("  GPTQ: accurate post-training quantization")
    assert run_json(capsys, "search", "gptq")[0]["id"] == GPTQ


def test_search_with_a_typo_still_finds_quantization_papers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    records = run_json(capsys, "search", "quantizaton")
    assert len(records) >= 10
    assert all("quantiz" in r["title"].casefold() for r in records[:10])


def test_search_venue_and_year_fields_filter_exactly(
    capsys: pytest.CaptureFixture[str], shipped: Catalog
) -> None:
    records = run_json(capsys, "search", "venue:osdi year:2024")
    expected = {p.id for p in shipped.papers if "osdi" in (p.venue or "").casefold()}
    expected &= {p.id for p in shipped.papers if p.year == 2024}
    assert expected and {r["id"] for r in records} == expected
    assert all(r["venue"] == "OSDI" and r["year"] == 2024 for r in records)


def test_search_has_code_with_a_word(capsys: pytest.CaptureFixture[str], shipped: Catalog) -> None:
    records = run_json(capsys, "search", "has:code pruning")
    assert len(records) >= 5
    assert all(r["code_url"] for r in records)
    assert all("pruning" in haystack(r) for r in records)
    with_code = {p.id for p in shipped.papers if p.code_url and "pruning" in p.title.casefold()}
    assert with_code <= {r["id"] for r in records}


def test_search_negation_drops_a_venue(capsys: pytest.CaptureFixture[str]) -> None:
    everything = run_json(capsys, "search", "quantization")
    records = run_json(capsys, "search", "quantization !arxiv")
    assert any(r["venue"] == "arXiv" for r in everything)
    assert records and all("arxiv" not in haystack(r) for r in records)
    assert {r["id"] for r in records} == {r["id"] for r in everything if "arxiv" not in haystack(r)}


def test_search_limit_caps_rows_and_keeps_the_best(capsys: pytest.CaptureFixture[str]) -> None:
    everything = run_json(capsys, "search", "quantization")
    code, out, _ = run(capsys, "search", "quantization", "--limit", "3")
    assert code == 0 and len(table_rows(out)) == 3
    limited = run_json(capsys, "search", "quantization", "--limit", "3")
    assert [r["id"] for r in limited] == [r["id"] for r in everything[:3]]


@pytest.mark.parametrize("limit", ["0", "-1", "many"])
def test_search_limit_must_be_a_positive_number(
    capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["search", "quantization", "--limit", limit])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == ""
    assert err.count("\n") == 1 and "--limit" in err


# --------------------------------------------------------------------------- sections


def test_sections_shows_the_tree_with_counts(
    capsys: pytest.CaptureFixture[str], shipped: Catalog
) -> None:
    code, out, _ = run(capsys, "sections")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{shipped.title} ({len(shipped.papers)} papers)"
    tops = [line for line in lines[1:] if re.fullmatch(r"  \S.* \(\d+\)", line)]
    subs = [line for line in lines[1:] if re.fullmatch(r"    \S.* \(\d+\)", line)]
    assert (len(tops), len(subs), len(lines)) == (4, 15, 20)
    expected = [
        f"{'  ' * (2 if s.parent else 1)}{s.title} ({len(shipped.papers_in(s.id))})"
        for s in shipped.sections
    ]
    assert lines[1:] == expected
    assert "  Resource-efficient Algorithms (" in out
    assert "    Model Compression (" in out


# --------------------------------------------------------------------------- check


def test_check_passes_the_shipped_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check")
    assert code == 0
    assert " error: " not in out
    assert re.search(r"papers\.toml: 0 error\(s\), \d+ warning\(s\)", err)


def test_check_fails_a_catalogue_with_an_unsafe_link(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "cli_unsafe_catalog.toml"
    code, out, err = run(capsys, "check", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}: trap-paper: error: paper_url 'javascript:alert(1)' is not a safe http(s) link"
    ]
    assert f"{path}: 1 error(s), 0 warning(s)" in err


def test_check_fails_a_markdown_list_with_errors_and_names_the_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FIXTURES / "cli_list_with_errors.md"
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert f"{path}:5: error: refused unsafe link 'javascript:alert(1)'" in out


def test_check_uses_the_data_option_when_no_path_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--data", str(SMALL), "check")
    assert code == 0
    assert out == f"{SMALL}: deepspeed: warning: no year\n"
    assert f"{SMALL}: 0 error(s), 1 warning(s)" in err


# --------------------------------------------------------------------------- import


def test_import_to_a_file_is_deterministic(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "a" / "one.toml", tmp_path / "two.toml"
    code, out, err = run(capsys, "import", str(SMALL_LIST), "-o", str(first))
    assert code == 0 and out == ""
    assert "imported 4 papers (4 entries) in 2 sections" in err
    assert f"wrote {first}" in err
    run(capsys, "import", str(SMALL_LIST), "-o", str(first))
    again = first.read_bytes()
    assert run(capsys, "import", str(SMALL_LIST), "-o", str(second))[0] == 0
    assert first.read_bytes() == again
    # Only the "Regenerate with" comment differs between two output names.
    strip = re.compile(rb"^#   surveytui import .*\n", re.M)
    assert strip.sub(b"", again) == strip.sub(b"", second.read_bytes())
    catalog = load_catalog(first)
    assert catalog.title == "Pocket List of Efficient Models"
    assert [p.venue for p in catalog.papers] == ["ICLR", "ICML", "arXiv", "MobiSys"]
    assert [p.year for p in catalog.papers] == [2023, 2023, 2023, 2024]
    assert catalog.papers[0].code_url == "https://github.com/IST-DASLab/gptq"
    assert catalog.papers[3].code_url == "https://github.com/example/phones"


def test_import_to_stdout_prints_the_catalogue_and_reports_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "import",
        str(SMALL_LIST),
        "--title",
        "My Pocket List",
        "--arxiv",
        "2401.08092",
        "--source",
        "https://example.org/list",
    )
    assert code == 0
    assert out.startswith("# My Pocket List\n")
    catalog = catalog_from_dict(tomli.loads(out), "stdout")
    assert (catalog.title, catalog.arxiv, catalog.source) == (
        "My Pocket List",
        "2401.08092",
        "https://example.org/list",
    )
    assert [catalog.section_path(s.id) for s in catalog.sections] == [
        "Model Compression",
        "Serving on Edge",
    ]
    assert len(catalog.papers) == 4
    assert err.strip().endswith("imported 4 papers (4 entries) in 2 sections")


# --------------------------------------------------------------------------- export


def check_export(fmt: str, text: str, shipped: Catalog, papers: list[Paper]) -> None:
    if fmt == "json":
        assert [r["id"] for r in json.loads(text)] == [p.id for p in papers]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["title"] for r in rows] == [p.title for p in papers]
    elif fmt == "bibtex":
        assert len(re.findall(r"^@\w+\{", text, re.M)) == len(papers)
        assert all(f"{p.year}" in text for p in papers if p.year)
    else:
        assert text.startswith(f"# {shipped.title}")
        assert len(re.findall(r"^- .+", text, re.M)) >= len(papers)


@pytest.mark.parametrize("fmt", ["markdown", "bibtex", "csv", "json"])
def test_export_to_stdout_and_to_a_file_give_the_same_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, shipped: Catalog, fmt: str
) -> None:
    papers = [shipped.by_id[r["id"]] for r in run_json(capsys, "search", "venue:osdi")]
    assert len(papers) >= 3 and all(p.venue == "OSDI" for p in papers)
    code, out, err = run(capsys, "export", "venue:osdi", "--format", fmt)
    assert code == 0 and err == ""
    check_export(fmt, out, shipped, papers)
    target = tmp_path / f"osdi.{fmt}"
    code, file_out, err = run(capsys, "export", "venue:osdi", "--format", fmt, "-o", str(target))
    assert code == 0 and file_out == ""
    assert target.read_text(encoding="utf-8") == out
    assert err == f"surveytui: wrote {target}\n"


def test_export_without_a_query_writes_every_paper(
    capsys: pytest.CaptureFixture[str], shipped: Catalog
) -> None:
    code, out, _ = run(capsys, "export", "--format", "csv")
    assert code == 0
    check_export("csv", out, shipped, list(shipped.papers))


def test_export_json_carries_the_users_state(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = str(tmp_path / "s.json")
    assert main(["--state", state, "fav", "add", GPTQ]) == 0
    assert main(["--state", state, "tag", "add", GPTQ, "to-read"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--state", state, "export", "is:fav", "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert (record["id"], record["favourite"], record["tags"]) == (GPTQ, True, ["to-read"])


# --------------------------------------------------------------------------- fav / tag / state


def test_fav_add_list_rm_in_the_default_state_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data_dir = tmp_path / "userdata"
    monkeypatch.setenv("SURVEYTUI_DATA_DIR", str(data_dir))
    assert run(capsys, "fav", "add", GPTQ, DEEPSPEED) == (0, "", "surveytui: starred 2 papers\n")
    state_file = data_dir / "state" / "survey.json"
    favs = json.loads(state_file.read_text())["papers"]
    assert {pid for pid, p in favs.items() if p["fav"]["on"]} == {GPTQ, DEEPSPEED}

    records = run_json(capsys, "fav", "list")
    assert {r["id"] for r in records} == {GPTQ, DEEPSPEED}
    assert all(r["favourite"] is True for r in records)
    code, out, _ = run(capsys, "fav", "list")
    assert code == 0
    rows = table_rows(out)
    assert len(rows) == 2 and all(row.startswith("★ ") for row in rows)
    assert run_json(capsys, "search", "is:fav")[0]["favourite"] is True

    assert run(capsys, "fav", "rm", DEEPSPEED) == (0, "", "surveytui: unstarred 1 paper\n")
    assert [r["id"] for r in run_json(capsys, "fav", "list")] == [GPTQ]
    out = run(capsys, "list")[1]
    starred = [row for row in table_rows(out) if row.startswith("★ ")]
    assert len(starred) == 1 and "GPTQ" in starred[0]


def test_fav_add_with_one_unknown_id_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "s.json"
    code, out, err = run(capsys, "--state", str(state), "fav", "add", GPTQ, "nope")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'nope'" in err
    assert not state.exists()


def test_fav_without_ids_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["fav", "add"])
    assert exc.value.code == 2
    assert "give at least one paper id" in capsys.readouterr().err


def test_state_options_work_before_or_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "small-state.json"
    assert main(["--data", str(SMALL), "fav", "add", "gptq", "--state", str(state)]) == 0
    capsys.readouterr()
    records = run_json(capsys, "fav", "list", "--data", str(SMALL), "--state", str(state))
    assert [r["id"] for r in records] == ["gptq"]
    assert json.loads(state.read_text())["catalog"].startswith("cli_catalog-")


def test_tag_add_list_rm(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    state = str(tmp_path / "s.json")
    said = f"surveytui: {GPTQ}: added #quant #to-read\n"
    assert run(capsys, "--state", state, "tag", "add", GPTQ, "quant", "to-read") == (0, "", said)
    assert run(capsys, "--state", state, "tag", "add", DEEPSPEED, "to-read")[:2] == (0, "")
    assert run(capsys, "--state", state, "tag", "list") == (0, "quant\t1\nto-read\t2\n", "")
    found = run_json(capsys, "--state", state, "search", "tag:to-read")
    assert {r["id"] for r in found} == {GPTQ, DEEPSPEED}
    assert next(r for r in found if r["id"] == GPTQ)["tags"] == ["quant", "to-read"]
    assert run(capsys, "--state", state, "tag", "rm", GPTQ, "to-read")[0] == 0
    assert run(capsys, "--state", state, "tag", "list")[1] == "quant\t1\nto-read\t1\n"


def test_tag_add_needs_a_tag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--state", str(tmp_path / "s.json"), "tag", "add", GPTQ)
    assert code == 2 and out == ""
    assert err == "surveytui: error: tag add: give a paper id and at least one tag\n"


def test_state_export_then_import_merges_into_another_state(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    laptop, server = str(tmp_path / "laptop.json"), str(tmp_path / "server.json")
    moved = tmp_path / "moved.json"
    assert main(["--state", server, "fav", "add", DEEPSPEED]) == 0
    assert main(["--state", server, "tag", "add", GPTQ, "server-side"]) == 0
    assert main(["--state", laptop, "fav", "add", GPTQ]) == 0
    assert main(["--state", laptop, "tag", "add", GPTQ, "quant"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "--state", laptop, "state", "export", str(moved))
    assert code == 0 and out == "" and f"wrote {moved}" in err
    assert json.loads(moved.read_text())["papers"][GPTQ]["fav"]["on"] is True

    code, out, err = run(capsys, "--state", server, "state", "import", str(moved))
    assert code == 0 and out == ""
    assert err.startswith("surveytui: ") and str(moved) in err and err.count("\n") == 1
    records = run_json(capsys, "--state", server, "fav", "list")
    assert {r["id"] for r in records} == {GPTQ, DEEPSPEED}
    # Per field, the newer edit wins: the laptop tagged GPTQ after the server did.
    assert run(capsys, "--state", server, "tag", "list")[1] == "quant\t1\n"
    code, _, err = run(capsys, "--state", server, "state", "import", str(moved))
    assert code == 0 and err.count("\n") == 1  # importing twice is harmless
    assert {r["id"] for r in run_json(capsys, "--state", server, "fav", "list")} == {
        GPTQ,
        DEEPSPEED,
    }


# --------------------------------------------------------------------------- version


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"surveytui {__version__}\n"


# --------------------------------------------------------------------------- bad input

BAD_TOML = "[catalog\nschema = 1\n"


def bad_input_cases(tmp: Path) -> dict[str, tuple[list[str], list[str]]]:
    """argv and the fragments the one error line must contain."""
    broken = tmp / "broken.toml"
    broken.write_text(BAD_TOML, encoding="utf-8")
    state_dir = tmp / "state-is-a-dir"
    state_dir.mkdir()
    bad_year = FIXTURES / "cli_bad_year.toml"
    no_papers = FIXTURES / "cli_no_papers.md"
    missing = tmp / "missing.toml"
    return {
        "malformed toml": (
            ["--data", str(broken), "list"],
            [str(broken), "invalid TOML", "line 1"],
        ),
        "missing catalogue": (["--data", str(missing), "search", "x"], [str(missing), "no such"]),
        "wrong field type": (
            ["--data", str(bad_year), "list"],
            [str(bad_year), "paper 2", "A Paper With A String Year", "'year'", "integer"],
        ),
        "markdown without papers": (
            ["import", str(no_papers)],
            [str(no_papers), "no paper entries found"],
        ),
        "missing markdown": (["import", str(tmp / "nope.md")], ["nope.md", "no such file"]),
        "unknown query token": (["search", "foo:bar"], ["'foo:bar'", "unknown filter token"]),
        "bad year in query": (["export", "year:abc", "--format", "json"], ["year:abc"]),
        "unknown paper id": (["fav", "add", "nope"], ["papers.toml", "unknown paper id 'nope'"]),
        "unknown paper to tag": (["tag", "add", "nope", "x"], ["unknown paper id 'nope'"]),
        "unreadable state file": (
            ["--state", str(state_dir), "fav", "list"],
            [str(state_dir), "cannot read state file"],
        ),
        "missing state import": (
            ["state", "import", str(tmp / "gone.json")],
            ["gone.json", "cannot read"],
        ),
        "check missing file": (["check", str(missing)], [str(missing), "no such file"]),
        "export to a directory": (
            ["export", "--format", "json", "-o", str(state_dir)],
            [str(state_dir), "cannot write"],
        ),
    }


CASE_NAMES = [
    "malformed toml",
    "missing catalogue",
    "wrong field type",
    "markdown without papers",
    "missing markdown",
    "unknown query token",
    "bad year in query",
    "unknown paper id",
    "unknown paper to tag",
    "unreadable state file",
    "missing state import",
    "check missing file",
    "export to a directory",
]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_bad_input_is_one_line_naming_the_problem_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    argv, fragments = bad_input_cases(tmp_path)[case]
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert out == ""
    assert err.startswith("surveytui: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def test_every_bad_input_case_is_exercised(tmp_path: Path) -> None:
    assert sorted(bad_input_cases(tmp_path)) == sorted(CASE_NAMES)


def test_corrupt_state_file_is_moved_aside_and_the_command_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(b'{"version": 2, "papers": {')
    code, out, err = run(capsys, "--state", str(state), "fav", "add", GPTQ)
    assert code == 0 and out == ""
    assert err.count("\n") == 2 and "Traceback" not in err
    assert err.endswith("surveytui: starred 1 paper\n")
    assert str(state) in err and "corrupt" in err and "moved aside" in err
    [aside] = tmp_path.glob("state.json.corrupt-*")
    assert aside.name in err
    assert aside.read_bytes() == b'{"version": 2, "papers": {'
    assert json.loads(state.read_text())["papers"][GPTQ]["fav"]["on"] is True
    assert run(capsys, "--state", str(state), "fav", "list", "--format", "json")[2] == ""


def test_corrupt_state_file_on_a_read_only_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"version": 2, "papers": {', encoding="utf-8")
    code, out, err = run(capsys, "--state", str(state), "search", "gptq")
    assert code == 0
    assert table_rows(out)[0].startswith("  GPTQ")
    assert "corrupt" in err and "left as is" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
