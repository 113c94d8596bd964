"""What commands may do to a state file they cannot fully read.

A file that is not JSON object text at all (a mistyped ``--state`` naming a
catalogue or a README) is someone else's: every command refuses it in one line,
exit 2, and never moves or writes it. A real but damaged state file is repaired
only by a command that changes state; read-only commands warn, use what they can
read, and leave the file exactly as it was. Importing a state file made for
another catalogue says that nothing matched, and fails.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveytui.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL = FIXTURES / "cli_catalog.toml"
FIRST_ID = "gptq"

READ_ONLY = (
    ["list"],
    ["search", "quantization"],
    ["export"],
    ["stats"],
    ["fav", "list"],
    ["tag", "list"],
    ["state", "export", "-"],
)
CHANGING = (["fav", "add", FIRST_ID], ["tag", "add", FIRST_ID, "x"])


def _after_bom(raw: bytes) -> bytes:
    return (raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw).lstrip()


def _not_an_object() -> st.SearchStrategy[bytes]:
    """Bytes that, after an optional BOM and whitespace, are not empty and do not open
    a JSON object (an empty file could be a truncated state file, so it is not here)."""
    raw = st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf"]), st.binary(min_size=1))
    content = raw.map(lambda t: t[0] + t[1])
    return content.filter(lambda b: bool(_after_bom(b)) and not _after_bom(b).startswith(b"{"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # read per example
@given(content=_not_an_object(), command=st.sampled_from(READ_ONLY + CHANGING))
def test_a_file_that_is_not_a_json_object_is_refused_by_every_command_and_kept(
    content: bytes, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "notes.toml"
        state.write_bytes(content)
        code = main(["--data", str(SMALL), "--state", str(state), *command])
        out, err = capsys.readouterr()
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and str(state) in err and "not a surveytui state file" in err
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["notes.toml"]
        assert state.read_bytes() == content


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
@pytest.mark.parametrize(
    "content",
    [b'{"version": 2, "papers": {', (FIXTURES / "state_v2_damaged.json").read_bytes()],
    ids=["corrupt", "damaged entries"],
)
def test_a_read_only_command_never_moves_or_rewrites_a_damaged_state_file(
    command: list[str], content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(content)
    code = main(["--data", str(SMALL), "--state", str(state), *command])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "left as is" in err and str(state) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
    assert state.read_bytes() == content


def test_a_changing_command_still_repairs_a_damaged_state_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(b'{"version": 2, "papers": {')
    assert main(["--data", str(SMALL), "--state", str(state), "fav", "add", FIRST_ID]) == 0
    assert "moved aside" in capsys.readouterr().err
    assert len(list(tmp_path.glob("state.json.corrupt-*"))) == 1
    assert json.loads(state.read_text())["papers"][FIRST_ID]["fav"]["on"] is True


def test_importing_state_of_another_catalogue_says_nothing_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other, mine = tmp_path / "other.json", tmp_path / "mine.json"
    assert main(["--data", str(SMALL), "--state", str(other), "fav", "add", FIRST_ID]) == 0
    data = json.loads(other.read_text())
    data["papers"] = {"paper-of-another-survey": data["papers"][FIRST_ID]}
    other.write_text(json.dumps(data))
    capsys.readouterr()
    code = main(["--data", str(SMALL), "--state", str(mine), "state", "import", str(other)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"surveytui: {other}: 0 of 1 entry matches papers of this catalogue; nothing imported\n"
    )
    assert not mine.exists()


def test_importing_state_says_how_many_entries_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other, mine = tmp_path / "other.json", tmp_path / "mine.json"
    assert main(["--data", str(SMALL), "--state", str(other), "fav", "add", FIRST_ID]) == 0
    data = json.loads(other.read_text())
    data["papers"]["not-here"] = data["papers"][FIRST_ID]
    other.write_text(json.dumps(data))
    capsys.readouterr()
    code = main(["--data", str(SMALL), "--state", str(mine), "state", "import", str(other)])
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("\n") == 1 and "1 of 2 entries match papers of this catalogue" in err
    assert json.loads(mine.read_text())["papers"][FIRST_ID]["fav"]["on"] is True


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_state_under_an_alias_does_not_make_a_read_only_command_repair_the_file(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "c.toml"
    text = SMALL.read_text(encoding="utf-8")
    catalog.write_text(text.replace('id = "gptq"\n', 'id = "gptq"\naliases = ["old-gptq"]\n'))
    state = tmp_path / "state.json"
    fav = {"fav": {"on": True, "at": "2026-11-28T15:12:00.000000Z"}}
    content = json.dumps(
        {"version": 2, "catalog": "", "papers": {"old-gptq": fav, "bad": {"fav": 7}}}
    ).encode()
    state.write_bytes(content)
    code = main(["--data", str(catalog), "--state", str(state), *command])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml", "state.json"]
    assert state.read_bytes() == content
