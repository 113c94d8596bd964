"""End to end: the statistics screen in a real terminal, and a bar chosen there narrows the
browser. Reuses the tmux driver of ``test_e2e_tmux``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.e2e.test_e2e_tmux import SURVEYTUI, Terminal, pytestmark, terminal

__all__ = ["pytestmark", "terminal"]  # the skip marks and the fixture, shared


def test_statistics_screen_opens_and_a_year_bar_filters(terminal: Terminal, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    figures = json.loads(
        subprocess.run(
            [str(SURVEYTUI), "--state", str(state), "stats", "--format", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    total, in_2024 = figures["total"], figures["by_year"]["2024"]

    terminal.start(f"{SURVEYTUI} --state {state}")
    terminal.wait_for(lambda s: f"of {total} papers" in s, "the first screen")
    terminal.keys("%")

    def year_line(screen: str) -> str:
        return next((ln for ln in screen.splitlines() if ln.strip().startswith("2024")), "")

    screen = terminal.wait_for(
        lambda s: f"Statistics — {total} of {total}" in s and "█" in year_line(s), "the charts"
    )
    assert f" {in_2024} " in year_line(screen)
    # The years run oldest first with "unknown" last: the bottom bar, then one up, is 2024.
    terminal.keys("G", "k", "Enter")
    screen = terminal.wait_for(lambda s: f" {in_2024} of {total} papers" in s, "the year filter")
    assert "year:2024" in screen
    terminal.keys("%")
    terminal.wait_for(
        lambda s: f"Statistics — {in_2024} of {total}" in s, "the charts of the narrowed view"
    )
    terminal.keys("Escape", "q")
