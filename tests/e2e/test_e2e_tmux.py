"""End to end: the installed ``surveytui`` in a real terminal (tmux), driven by keystrokes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_BESIDE_PYTHON = Path(sys.executable).parent / "surveytui"  # a venv used without activating it
SURVEYTUI = shutil.which("surveytui") or (str(_BESIDE_PYTHON) if _BESIDE_PYTHON.exists() else None)
TMUX = shutil.which("tmux")

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(SURVEYTUI is None, reason="the surveytui command is not installed"),
]


class Terminal:
    def __init__(self, session: str, env: dict[str, str]) -> None:
        self.session = session
        self.env = env

    def tmux(self, *args: str) -> str:
        out = subprocess.run(
            [str(TMUX), *args], check=True, capture_output=True, text=True, env=self.env
        )
        return out.stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", self.session, "-x", "120", "-y", "36", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.session, key)
            time.sleep(0.05)

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            try:
                screen = self.screen()
            except subprocess.CalledProcessError:
                screen = ""
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{screen}")

    def alive(self) -> bool:
        return (
            subprocess.run(
                [str(TMUX), "has-session", "-t", self.session], env=self.env, capture_output=True
            ).returncode
            == 0
        )


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = {**os.environ, "TMUX_TMPDIR": str(tmp_path), "TERM": "xterm-256color"}
    env.pop("TMUX", None)
    term = Terminal(f"surveytui-e2e-{uuid.uuid4().hex[:8]}", env)
    yield term
    subprocess.run([str(TMUX), "kill-server"], env=env, capture_output=True)


def test_star_gptq_quit_restart_star_is_there(terminal: Terminal, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    command = f"{SURVEYTUI} --state {state}"

    terminal.start(command)
    terminal.wait_for(lambda s: "of 4" in s and "papers" in s, "the first screen")
    terminal.keys("/")
    terminal.keys("g", "p", "t", "q")
    terminal.wait_for(lambda s: "· 1 of " in s, "the table to narrow to GPTQ")
    terminal.keys("Enter", "f")
    terminal.wait_for(lambda s: any(line.count("★  GPTQ") for line in s.splitlines()), "the star")
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive(), "q did not quit:\n" + terminal.screen()

    terminal.start(command)
    terminal.wait_for(lambda s: "of 4" in s, "the second start")
    terminal.keys("/", "i", "s", ":", "f", "a", "v")
    screen = terminal.wait_for(lambda s: "· 1 of " in s, "is:fav to narrow")
    assert "★  GPTQ" in screen
    terminal.keys("q")

    out = subprocess.run(
        [str(SURVEYTUI), "--state", str(state), "search", "is:fav", "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    favourites = json.loads(out.stdout)
    assert [p["title"][:4] for p in favourites] == ["GPTQ"]
    assert favourites[0]["favourite"] is True
