"""Durable writes: what a user finds on disk after an export, a save or a failed write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from surveytui.system.atomic import write_bytes_atomic, write_bytes_exclusive, write_text_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_private_and_its_directories_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "reading-list.md"
    write_text_atomic(target, "- Paper ✓\n")
    assert target.read_text(encoding="utf-8") == "- Paper ✓\n"
    assert _mode(target) == 0o600


def test_replacing_a_file_keeps_its_permissions_and_leaves_no_temp_files(
    tmp_path: Path,
) -> None:
    target = tmp_path / "papers.bib"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o644
    assert os.listdir(tmp_path) == ["papers.bib"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["state.json"]


def test_an_exclusive_write_never_replaces_a_file(tmp_path: Path) -> None:
    backup = tmp_path / "state.json.v1.bak"
    write_bytes_exclusive(backup, b"first")
    with pytest.raises(FileExistsError):
        write_bytes_exclusive(backup, b"second")
    assert backup.read_bytes() == b"first"
    assert _mode(backup) == 0o600


def test_exports_get_the_umask_mode_state_stays_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "export.md", "x", private=False)
        write_text_atomic(tmp_path / "state.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "export.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "state.json").stat().st_mode & 0o777 == 0o600
