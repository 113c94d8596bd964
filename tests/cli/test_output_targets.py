"""Where a command's output may go: the process's own streams, never its own inputs.

``-o /dev/stdout >> log`` must append to ``log`` (not replace it with a new file),
``-o /dev/stdout | cmd`` must reach ``cmd``, and ``-o`` naming a file the command
reads (the Markdown it imports, the catalogue, the state file) must be refused
before anything is written. These run the installed command under a real shell,
because the redirections are the shell's.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

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


def _shell(argv: list[str], redirect: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    line = f"{shlex.join([*COMMAND, *argv])} {redirect}"
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
