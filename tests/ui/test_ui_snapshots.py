"""A few SVG snapshots of the layout (Textual pinned to 8.2.x so they stay stable).

Regenerate after an intended layout change with ``pytest tests/ui/test_ui_snapshots.py
--snapshot-update`` and review the SVGs (``snapshot_report.html`` shows the diff).
"""

from __future__ import annotations

from pathlib import Path

from tests.ui_helpers import build_app


def test_layout_80x24(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(tmp_path), terminal_size=(80, 24))


def test_layout_160x48(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(tmp_path), terminal_size=(160, 48))


def test_filtered_with_detail_160x48(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        build_app(tmp_path), terminal_size=(160, 48), press=["slash", *"lora", "enter", "j"]
    )


def test_help_screen_80x24(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(tmp_path), terminal_size=(80, 24), press=["question_mark"])
