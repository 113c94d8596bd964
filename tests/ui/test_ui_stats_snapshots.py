"""SVG snapshots of the statistics screen at the two sizes the browser is checked at, and
in the light theme (Textual pinned to 8.2.x so they stay stable).

Regenerate after an intended change with ``pytest tests/ui/test_ui_stats_snapshots.py
--snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from surveytui.state.store import Store
from tests.ui_helpers import build_app


def test_stats_years_80x24(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(tmp_path), terminal_size=(80, 24), press=["percent_sign"])


def test_stats_progress_160x48(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state.json"
    store = Store(state)
    store.load()
    for pid in ("edgemoe", "qlora-efficient-finetuning"):
        store.set_read(pid, True)
    store.set_favourite("edgemoe", True)
    app = build_app(tmp_path, state=state)
    assert snap_compare(app, terminal_size=(160, 48), press=["percent_sign", "5", "j", "j"])


def test_stats_venues_light_80x24(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def light(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "textual-light"
        await pilot.press("percent_sign", "2")

    assert snap_compare(build_app(tmp_path), terminal_size=(80, 24), run_before=light)
