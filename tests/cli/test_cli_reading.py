"""The reading-list commands say what they changed, split tags like the browser, and
help with a mistyped id; saved filters can be listed, renamed and deleted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveytui.cli.main import main
from surveytui.state.store import Store

GPTQ = "gptq-accurate-post-training-quantization-for-generative-pre"
DEEPSPEED = "deepspeed"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_add_splits_on_commas_and_reports_normalisation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = str(tmp_path / "s.json")
    code, out, err = run(capsys, "--state", state, "tag", "add", GPTQ, "a,b", "bad tag")
    assert code == 0 and out == ""
    assert "surveytui: tag 'bad tag' → bad-tag\n" in err
    assert err.endswith(f"surveytui: {GPTQ}: added #a #b #bad-tag\n")
    saved = json.loads(Path(state).read_text())["papers"][GPTQ]["tags"]["value"]
    assert saved == ["a", "b", "bad-tag"]


def test_tag_rm_of_a_missing_tag_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = str(tmp_path / "s.json")
    run(capsys, "--state", state, "tag", "add", GPTQ, "quant")
    code, _, err = run(capsys, "--state", state, "tag", "rm", GPTQ, "nope")
    assert code == 1 and err == f"surveytui: {GPTQ} has no tag 'nope'\n"
    code, _, err = run(capsys, "--state", state, "tag", "rm", GPTQ, "quant, nope")
    assert code == 0 and f"{GPTQ}: removed #quant" in err


def test_fav_counts_changes_and_suggests_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = str(tmp_path / "s.json")
    assert run(capsys, "--state", state, "fav", "add", GPTQ)[2] == "surveytui: starred 1 paper\n"
    code, _, err = run(capsys, "--state", state, "fav", "add", GPTQ, DEEPSPEED)
    assert err == "surveytui: starred 1 paper (1 paper already starred)\n"
    code, out, err = run(capsys, "--state", state, "fav", "add", "awq")
    assert code == 2 and out == ""
    assert "unknown paper id 'awq'; did you mean awq-activation-aware" in err
    assert err.count("\n") == 1


def test_read_and_note_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    state = str(tmp_path / "s.json")
    code, _, err = run(capsys, "--state", state, "read", "add", GPTQ, DEEPSPEED)
    assert code == 0 and err == "surveytui: marked read: 2 papers\n"
    code, out, _ = run(capsys, "--state", state, "read", "list", "--format", "json")
    assert {r["id"] for r in json.loads(out)} == {GPTQ, DEEPSPEED}
    run(capsys, "--state", state, "read", "rm", DEEPSPEED)
    store = Store(Path(state))
    store.load()
    assert store.is_read(GPTQ) and not store.is_read(DEEPSPEED)
    code, _, err = run(capsys, "--state", state, "note", GPTQ, "read section 3")
    assert code == 0 and err == f"surveytui: {GPTQ}: note saved\n"
    assert run(capsys, "--state", state, "note", GPTQ)[1] == "read section 3\n"


def test_table_ids_and_search_without_match(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "search", "gptq", "--ids")
    assert code == 0 and any(
        line.startswith(f"{GPTQ}  ") and "GPTQ" in line for line in out.splitlines()
    )
    code, out, err = run(capsys, "search", "venue:nosuchvenue")
    assert code == 1 and out == ""
    assert err == "surveytui: no paper matches 'venue:nosuchvenue'\n"


def test_filter_list_rename_rm(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    store = Store(state)
    store.save_filter("quant", "quantization", None)
    store.save_filter("serving", "serving !is:read", "sec:x")
    code, out, _ = run(capsys, "--state", str(state), "filter", "list")
    assert code == 0
    assert out == "1\tquant\tquantization\tall\n2\tserving\tserving !is:read\tsec:x\n"
    code, _, err = run(capsys, "--state", str(state), "filter", "rename", "quant", "q")
    assert code == 0 and err == "surveytui: renamed saved filter 'quant' to 'q'\n"
    code, _, err = run(capsys, "--state", str(state), "filter", "rm", "serving")
    assert code == 0 and err == "surveytui: deleted saved filter 'serving'\n"
    assert run(capsys, "--state", str(state), "filter", "list")[1] == "1\tq\tquantization\tall\n"
    code, _, err = run(capsys, "--state", str(state), "filter", "rm", "nope")
    assert code == 2 and "no saved filter named 'nope' (saved: 'q')" in err


@pytest.mark.parametrize("command", ["fav", "tag", "read", "note", "filter", "search", "list"])
def test_each_subcommand_help_describes_its_arguments(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: surveytui " + command)
    assert "--data" in out and "--state" in out
