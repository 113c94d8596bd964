"""Where a command's output may go: the process's own streams, never its own inputs.

``-o /dev/stdout >> log`` must append to ``log`` (not replace it with a new file),
``-o /dev/stdout | cmd`` must reach ``cmd``, and ``-o`` naming a file the command
reads (the Markdown it imports, the catalogue, the state file) must be refused
before anything is written. These run the installed command under a real shell,
because the redirections are the shell's.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from surveytui.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL = FIXTURES / "cli_catalog.toml"
SMALL_LIST = FIXTURES / "cli_small_list.md"
COMMAND = [sys.executable, "-m", "surveytui"]


def _writer(command: str, target: str, state: Path, catalog: Path = SMALL) -> list[str]:
    data = ["--data", str(catalog), "--state", str(state)]
    return {
        "export": [*data, "export", "--format", "json", "-o", target],
        "import": ["import", str(SMALL_LIST), "-o", target],
        "metadata export": [*data, "metadata", "export", target],
        "state export": [*data, "state", "export", target],
    }[command]


def _shell(
    argv: list[str], redirect: str, cwd: Path, limit: str = ""
) -> subprocess.CompletedProcess[str]:
    line = f"{limit}{shlex.join([*COMMAND, *argv])} {redirect}"
    return subprocess.run(
        ["sh", "-c", line], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


WRITERS = ("export", "import", "state export", "metadata export")
OWN_STDOUT = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


@pytest.mark.parametrize("name", OWN_STDOUT)
@pytest.mark.parametrize("command", WRITERS)
def test_output_to_own_stdout_appends_after_what_the_shell_had(
    command: str, name: str, tmp_path: Path
) -> None:
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    done = _shell(_writer(command, name, tmp_path / "state.json"), ">> log.txt", tmp_path)
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier line\n")
    assert len(text) > len("earlier line\n") + 10, "the output did not reach the log"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt"]


@pytest.mark.parametrize("command", WRITERS)
def test_output_to_dev_stderr_appends_to_the_redirected_stderr(
    command: str, tmp_path: Path
) -> None:
    log = tmp_path / "err.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    argv = _writer(command, "/dev/stderr", tmp_path / "state.json")
    done = _shell(argv, "2>> err.txt", tmp_path)
    assert done.returncode == 0
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier line\n") and len(text.splitlines()) > 2


@pytest.mark.parametrize("command", WRITERS)
def test_output_to_dev_stdout_goes_through_a_pipe(command: str, tmp_path: Path) -> None:
    done = _shell(_writer(command, "/dev/stdout", tmp_path / "state.json"), "| cat", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "nothing came through the pipe"
    assert not any(p.name.startswith("pipe:") for p in tmp_path.iterdir())


@pytest.mark.parametrize("command", ("state export", "metadata export"))
def test_a_dash_means_stdout_for_state_and_metadata_export(command: str, tmp_path: Path) -> None:
    done = _shell(_writer(command, "-", tmp_path / "state.json"), "", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert not (tmp_path / "-").exists()


def _spell(path: Path, how: str, where: Path) -> str:
    """Another name for ``path``: as given, through ``./..``, a symlink or a hard link."""
    if how == "as given":
        return str(path)
    if how == "dotted":
        return str(path.parent / "." / ".." / path.parent.name / path.name)
    other = where / f"alias-{how}{path.suffix}"
    if how == "symlink":
        other.symlink_to(path)
    else:
        os.link(path, other)
    return str(other)


SPELLINGS = ("as given", "dotted", "symlink", "hard link")


@pytest.mark.parametrize("how", SPELLINGS)
@pytest.mark.parametrize(
    ("command", "victim"),
    [
        ("import", "source"),
        ("export", "catalogue"),
        ("export", "state file"),
        ("state export", "state file"),
        ("state export", "catalogue"),
        ("metadata export", "catalogue"),
    ],
)
def test_no_command_writes_onto_a_file_it_reads(
    command: str, victim: str, how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    catalog, state, source = inputs / "c.toml", inputs / "s.json", inputs / "list.md"
    shutil.copy(SMALL, catalog)
    shutil.copy(SMALL_LIST, source)
    assert main(["--data", str(catalog), "--state", str(state), "fav", "add", "gptq"]) == 0
    files = {"catalogue": catalog, "state file": state, "source": source}
    before = {p: p.read_bytes() for p in files.values()}
    target = _spell(files[victim], how, tmp_path)
    argv = _writer(command, target, state, catalog)
    if command == "import":
        argv[1] = str(source)
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"surveytui: error: {target}: is the {victim} this command reads; "
        "nothing written (choose another file)\n"
    )
    assert {p: p.read_bytes() for p in files.values()} == before


# ------------------------------------------------------------- failed writes to stdout

READERS = (
    ["list"],
    ["sections"],
    ["export"],
    ["stats"],
    ["search", "quantization"],  # after the first run, answered by the quick path
    ["search", "year:2023"],  # always the full CLI
)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_full_disk_is_one_line_and_a_failure(command: list[str], tmp_path: Path) -> None:
    argv = ["--data", str(SMALL), *command]
    for _ in range(2):  # the second search takes the quick path (its pack now exists)
        done = _shell(argv, "> /dev/full", tmp_path)
        assert done.returncode != 0
        assert done.stderr == "surveytui: error: cannot write output: No space left on device\n"


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_file_size_limit_fails_the_command_instead_of_cutting_its_output(
    command: list[str], tmp_path: Path
) -> None:
    for _ in range(2):  # the shipped catalogue: every command prints well over 512 bytes
        done = _shell(command, "> out.txt", tmp_path, limit="trap '' XFSZ; ulimit -f 1; ")
        assert done.returncode != 0, "output was cut at 512 bytes but the command succeeded"
        assert done.stderr == "surveytui: error: cannot write output: File too large\n"


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_reader_that_leaves_early_is_still_not_an_error(
    command: list[str], tmp_path: Path
) -> None:
    for _ in range(2):
        done = _shell(command, "| head -c 1 > /dev/null", tmp_path)
        assert done.stderr == ""
