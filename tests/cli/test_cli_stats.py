"""``surveytui stats``: JSON for scripts, plain numbers in a pipe, bar charts on a terminal;
every number checked against a count made here from the catalogue itself."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from surveytui.cli.main import main
from surveytui.cli.stats_output import write_stats
from surveytui.model.catalog import CATEGORIES, Catalog, load_catalog
from surveytui.state.store import Store
from surveytui.system.paths import bundled_catalog

UI_CATALOG = Path(__file__).parents[1] / "fixtures" / "ui_catalog.toml"
JSON_KEYS = [
    "total", "by_year", "by_venue", "by_section", "by_category", "with_code", "starred", "read",
]  # fmt: skip


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(bundled_catalog())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stats_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, "stats", *argv, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_has_the_documented_shape_and_the_shipped_numbers(
    capsys: pytest.CaptureFixture[str], shipped: Catalog
) -> None:
    data = stats_json(capsys)
    assert list(data) == JSON_KEYS
    papers = shipped.papers
    assert data["total"] == len(papers) == 420  # the survey's distinct papers
    years: dict[str, int] = {}
    for p in papers:
        key = str(p.year) if p.year is not None else "unknown"
        years[key] = years.get(key, 0) + 1
    assert data["by_year"] == years
    assert data["by_venue"]["NeurIPS"] == sum(1 for p in papers if p.venue == "NeurIPS")
    assert sum(data["by_venue"].values()) == len(papers)  # every venue, no top-15 cut
    assert len(data["by_venue"]) == len({p.venue for p in papers})
    for sec in shipped.sections:
        path = shipped.section_path(sec.id)
        listed = sum(1 for p in papers if sec.id in p.sections)
        assert data["by_section"].get(path, 0) == listed, path
    for cid, name in CATEGORIES.items():
        assert data["by_category"][name] == sum(1 for p in papers if cid in p.categories)
    assert data["with_code"] == sum(1 for p in papers if p.code_url)
    assert (data["starred"], data["read"]) == (0, 0)


def test_query_and_the_reader_state_narrow_the_figures(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    store = Store(state)
    store.load()
    store.set_favourite("qlora-efficient-finetuning", True)
    store.set_read("gptq-accurate-post-training-quantization", True)
    store.set_read("distserve", True)
    common = ("--data", str(UI_CATALOG), "--state", str(state))
    everything = stats_json(capsys, *common)
    assert (everything["total"], everything["starred"], everything["read"]) == (12, 1, 2)
    quantization = stats_json(capsys, "'quantiz", *common)
    assert quantization["total"] == 3  # GPTQ, AWQ and QLoRA's "Quantized"
    assert (quantization["starred"], quantization["read"]) == (1, 1)
    assert quantization["by_year"] == {"2023": 2, "2024": 1}


def test_piped_output_is_plain_numbers(
    capsys: pytest.CaptureFixture[str], shipped: Catalog
) -> None:
    code, out, _ = run(capsys, "stats", "year:2023")
    assert code == 0
    assert "█" not in out and "\x1b" not in out
    lines = out.splitlines()
    assert lines[0] == f"total\t{sum(1 for p in shipped.papers if p.year == 2023)}"
    assert "# Papers per year" in lines
    arxiv = sum(1 for p in shipped.papers if p.year == 2023 and p.venue == "arXiv")
    assert any(line.startswith(f"arXiv\t{arxiv}\t") for line in lines)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_bar_charts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    catalog = load_catalog(UI_CATALOG)
    store = Store(tmp_path / "state.json")
    store.load()
    out = Tty()
    write_stats(catalog, store, "", "table", out)
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())  # a terminal gets colour too
    assert "12 papers · 8 with code (67%) · 0 starred · 0 read (0%)" in text
    year_2023 = next(line for line in text.splitlines() if line.strip().startswith("2023"))
    assert "█" in year_2023 and year_2023.rstrip().endswith("5  42%")
    # The venue that looks like markup is shown as written, not interpreted.
    assert "[red]Venue[/red]" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_bad_query_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stats", "yaer:2023")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "yaer:2023" in err
