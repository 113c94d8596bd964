"""A change kept in memory after a failed write is saved by ``flush`` (the browser's exit path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveytui.state.store import StateWriteError, Store


def test_flush_writes_what_a_failed_write_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "dir"
    blocker.write_text("a file where the state directory should be")
    store = Store(blocker / "state.json")
    store.load()
    with pytest.raises(StateWriteError, match="could not save state file"):
        store.set_favourite("p1", True)
    assert store.is_favourite("p1") and store.has_unsaved_changes
    blocker.unlink()
    store.flush()
    assert not store.has_unsaved_changes
    saved = json.loads((blocker / "state.json").read_text())
    assert saved["papers"]["p1"]["fav"]["on"] is True


def test_flush_without_pending_changes_touches_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.json")
    store.load()
    store.flush()
    assert not (tmp_path / "state.json").exists()
