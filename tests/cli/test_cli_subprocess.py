"""The CLI as a separate process: real exit codes, real pipes, real environment.

In-process tests (test_cli.py) cover the behaviour; these prove the module
entry point, the terminal-width lookup through ``COLUMNS`` and the exit paths
(argparse, errors, a closed pipe) as a shell user meets them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from surveytui import __version__
from surveytui.model.catalog import load_catalog
from surveytui.system.paths import bundled_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures"


def surveytui(
    *argv: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "surveytui", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=60,
    )


def test_python_m_surveytui_version() -> None:
    result = surveytui("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"surveytui {__version__}\n",
        "",
    )


def test_console_script_version() -> None:
    script = Path(sys.executable).with_name("surveytui")
    # The README's test command installs the package, so the console script must exist.
    assert script.exists(), f"no surveytui console script beside {sys.executable}"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"surveytui {__version__}\n")


def test_list_json_from_another_directory(tmp_path: Path) -> None:
    result = surveytui("list", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    records = json.loads(result.stdout)
    assert len(records) == len(load_catalog(bundled_catalog()).papers) >= 400


@pytest.mark.parametrize("columns", [80, 200])
def test_table_width_follows_columns(columns: int) -> None:
    result = surveytui("search", "quantization", env={"COLUMNS": str(columns)})
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) > 20 and lines[0].lstrip().startswith("TITLE")
    assert max(len(line) for line in lines) <= columns
    assert max(len(line) for line in lines) >= columns - 10  # the title takes the room


def test_search_ranks_gptq_first() -> None:
    result = surveytui("search", "gptq", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)[0]["title"].startswith("GPTQ")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--data", str(FIXTURES / "cli_bad_year.toml"), "list"], "field 'year' must be"),
        (["search", "foo:bar"], "unknown filter token 'foo:bar'"),
        (["fav", "add", "nope"], "unknown paper id 'nope'"),
        (["import", str(FIXTURES / "cli_no_papers.md")], "no paper entries found"),
    ],
)
def test_errors_exit_2_with_one_line_and_no_traceback(argv: list[str], fragment: str) -> None:
    result = surveytui(*argv)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and fragment in result.stderr


def test_malformed_catalogue_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[catalog]\nschema = 1\ntitle = "unterminated\n', encoding="utf-8")
    result = surveytui("--data", str(broken), "sections")
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"surveytui: error: {broken}: invalid TOML")
    assert "line 3" in result.stderr and result.stderr.count("\n") == 1


def test_usage_errors_exit_2_without_a_traceback() -> None:
    result = surveytui("export", "--format", "docx")
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr and "docx" in result.stderr


def test_check_exit_status_reflects_errors() -> None:
    assert surveytui("check").returncode == 0
    bad = surveytui("check", str(FIXTURES / "cli_unsafe_catalog.toml"))
    assert bad.returncode == 1
    assert "trap-paper: error:" in bad.stdout


PIPE_PROBE = """
import sys
sys.stdout.write("[\\n")
sys.stdout.flush()
sys.stdin.read()
try:
    sys.stdout.write("x" * 1_000_000)
    sys.stdout.flush()
except BrokenPipeError:
    sys.stderr.write("EPIPE")
"""


def closed_pipe_raises() -> bool:
    """Some sandboxes accept writes to a pipe nobody reads; there the test cannot fail."""
    probe = subprocess.Popen(
        [sys.executable, "-c", PIPE_PROBE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert probe.stdin is not None and probe.stdout is not None and probe.stderr is not None
    probe.stdout.readline()
    probe.stdout.close()
    probe.stdin.close()
    seen = probe.stderr.read()
    probe.wait(timeout=60)
    return b"EPIPE" in seen


@pytest.mark.parametrize("command", [["list"], ["search", "e"]])
def test_reader_closing_the_pipe_early_is_not_an_error(command: list[str]) -> None:
    """``surveytui list | head -1``: no traceback, no failure status.

    Wide rows make the table about 1 MB, far more than a pipe holds, so writing
    goes on after the reader has left. ``search e`` is answered by the quick
    path (the first, unmeasured run writes its pack).
    """
    if not closed_pipe_raises():
        pytest.skip("this system does not report EPIPE when a pipe's reader has gone")
    subprocess.run(
        [sys.executable, "-m", "surveytui", *command], capture_output=True, check=True, timeout=60
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "surveytui", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "2500"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().split()[:3] == [b"TITLE", b"VENUE", b"YEAR"]
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
