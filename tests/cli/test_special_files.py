"""Paths that are not plain files: FIFOs, devices, symlinks, endless inputs.

Writers must write through a device or FIFO (as ``> /dev/null`` does) or refuse
with one line, never rename or replace it; a symlink is written through.
Readers must never block on a FIFO nor read ``/dev/zero`` until memory runs
out. The character device used here is a private node made with ``mknod`` in
the test's own directory (root only), never the system's ``/dev/null``.
Commands that could hang if the guard broke run as subprocesses with a timeout.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from surveytui.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL = FIXTURES / "cli_catalog.toml"
SMALL_LIST = FIXTURES / "cli_small_list.md"
ROOT = os.geteuid() == 0


def _private_null(where: Path) -> Path:
    """A character device like /dev/null (1, 3), but our own node in a temp dir."""
    if not ROOT:
        pytest.skip("creating a character device needs root")
    node = where / "null-device"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return node


def _fifo(where: Path, name: str = "pipe") -> Path:
    path = where / name
    os.mkfifo(path)
    return path


def _first_id() -> str:
    import tomli

    papers = tomli.loads(SMALL.read_text(encoding="utf-8"))["papers"]
    return str(papers[0]["id"])


def _writers(target: Path, state: Path) -> dict[str, list[str]]:
    return {
        "export": ["--data", str(SMALL), "export", "--format", "json", "-o", str(target)],
        "import": ["import", str(SMALL_LIST), "-o", str(target)],
        "metadata export": ["--data", str(SMALL), "metadata", "export", str(target)],
        "state export": [
            *("--data", str(SMALL), "--state", str(state)),
            *("state", "export", str(target)),
        ],
    }


WRITERS = ("export", "import", "state export", "metadata export")


def _kind(path: Path) -> Callable[[int], bool]:
    return stat.S_ISFIFO if stat.S_ISFIFO(path.lstat().st_mode) else stat.S_ISCHR


@pytest.mark.parametrize("command", WRITERS)
def test_a_writer_writes_through_a_fifo_someone_reads(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _fifo(tmp_path)
    reader = os.open(target, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there first
    try:
        code = main(_writers(target, tmp_path / "state.json")[command])
        received = os.read(reader, 1 << 20)
    finally:
        os.close(reader)
    assert code == 0, capsys.readouterr().err
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert received.strip(), "nothing came through the FIFO"
    assert sorted(p.name for p in tmp_path.iterdir() if "pipe" in p.name) == ["pipe"]


@pytest.mark.parametrize("command", WRITERS)
def test_a_writer_refuses_a_fifo_nobody_reads_in_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _fifo(tmp_path)
    code = main(_writers(target, tmp_path / "state.json")[command])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and str(target) in err and "FIFO" in err
    assert stat.S_ISFIFO(target.lstat().st_mode)


@pytest.mark.parametrize("command", WRITERS)
def test_a_writer_writes_to_a_device_and_leaves_it_a_device(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = _private_null(tmp_path)
    code = main(_writers(device, tmp_path / "state.json")[command])
    assert code == 0, capsys.readouterr().err
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("null", ".null"))) == [
        "null-device"
    ]


@pytest.mark.parametrize("command", WRITERS)
def test_a_writer_writes_through_a_symlink(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "out.txt"
    real.write_text("old\n")
    link = tmp_path / "out.txt"
    link.symlink_to(real)
    code = main(_writers(link, tmp_path / "state.json")[command])
    assert code == 0, capsys.readouterr().err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() not in ("", "old\n")


def test_a_symlinked_state_file_stays_a_link_through_changes_and_repairs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "state.json"
    real.write_text("{not json")  # corrupt: moved aside, then written anew
    link = tmp_path / "state.json"
    link.symlink_to(real)
    assert main(["--data", str(SMALL), "--state", str(link), "fav", "add", _first_id()]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert _first_id() in real.read_text()
    assert [p.name for p in dotfiles.iterdir() if ".corrupt-" in p.name]
    capsys.readouterr()


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_a_state_path_that_is_a_device_or_fifo_is_refused_and_left_alone(
    make: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _fifo(tmp_path) if make == "fifo" else _private_null(tmp_path)
    is_kind = _kind(target)
    for argv in (["fav", "add", _first_id()], ["fav", "list"]):
        code = main(["--data", str(SMALL), "--state", str(target), *argv])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and "not a regular file" in err
    assert is_kind(target.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name] == []


# ------------------------------------------------------------------ readers (subprocess)


def _limit_memory() -> None:  # if a guard broke, /dev/zero must not take the machine down
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


def _surveytui(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SURVEYTUI_DATA_DIR": str(tmp_path / "data"),
        "SURVEYTUI_CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-m", "surveytui", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=_limit_memory,
    )


def _endless(tmp_path: Path) -> Path:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    return link


@pytest.mark.parametrize("source", ["fifo", "zero"])
def test_no_reader_blocks_on_a_fifo_or_reads_an_endless_file(source: str, tmp_path: Path) -> None:
    bad = _fifo(tmp_path, "list.toml") if source == "fifo" else _endless(tmp_path)
    state = tmp_path / "state.json"
    cases = [
        ["--data", str(bad), "list"],
        ["import", str(bad)],
        ["check", str(bad)],
        ["--data", str(SMALL), "--state", str(state), "state", "import", str(bad)],
        ["--data", str(SMALL), "--state", str(bad), "list"],
        ["--data", str(SMALL), "metadata", "import", str(bad)],
    ]
    for argv in cases:
        result = _surveytui(tmp_path, *argv)
        assert result.returncode == 2, (argv, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, argv
        assert "not a regular file" in result.stderr, (argv, result.stderr)


def test_caches_replaced_by_a_fifo_or_an_endless_file_are_treated_as_absent(
    tmp_path: Path,
) -> None:
    expected = _surveytui(tmp_path, "--data", str(SMALL), "search", "model")
    assert expected.returncode == 0, expected.stderr
    cache = tmp_path / "cache" / "catalogs"
    files = sorted(cache.iterdir())
    assert {p.suffix for p in files} == {".marshal", ".quick"}
    for n, path in enumerate(files):
        path.unlink()
        if n % 2:
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")
    for argv in (["search", "model"], ["list"], ["search", "model"]):
        result = _surveytui(tmp_path, "--data", str(SMALL), *argv)
        assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout == expected.stdout
