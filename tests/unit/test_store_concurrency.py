"""Several surveytui processes writing one state file at the same moment lose nothing.

Real processes, not threads: the lock is a file lock between processes, and
each process keeps its own in-memory copy that must be merged, not written
over. Every child waits at a barrier so that their writes really do overlap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

TOGGLER = """
import sys, time
from pathlib import Path
from surveytui.state.store import Store

state, go, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
store = Store(state, lock_timeout=60)
store.load()
while not go.exists():
    time.sleep(0.005)
for i in range(50):
    assert store.toggle_favourite(f"{name}-{i}") is True
    store.add_tags("shared", [f"{name}{i}"])
    store.toggle_read(f"{name}-own")
"""

# One interpreter imports the store once, then forks the children: a hundred
# separate processes with their own Store and file descriptors, without paying
# a hundred interpreter start-ups on a 2-core machine. A pipe is the barrier:
# every child blocks reading it until the parent closes the writing end.
STARRERS = """
import os, sys, traceback
from pathlib import Path
from surveytui.state.store import Store

state, count = Path(sys.argv[1]), int(sys.argv[2])
gate_read, gate_write = os.pipe()
pids = []
for i in range(count):
    pid = os.fork()
    if pid == 0:
        os.close(gate_write)
        os.read(gate_read, 1)
        try:
            store = Store(state, lock_timeout=60)
            store.set_favourite(f"paper-{i:03d}", True)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    pids.append(pid)
os.close(gate_write)
failed = sum(os.waitpid(pid, 0)[1] != 0 for pid in pids)
sys.exit(f"{failed} children failed" if failed else 0)
"""


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }


def _papers(state: Path) -> dict[str, Any]:
    papers: dict[str, Any] = json.loads(state.read_text("utf-8"))["papers"]
    return papers


def test_two_processes_toggling_at_once_lose_nothing(tmp_path: Path) -> None:
    state, go = tmp_path / "state" / "survey.json", tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", TOGGLER, str(state), str(go), name],
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in "ab"
    ]
    time.sleep(0.3)  # both are usually waiting by now; a latecomer still overlaps
    go.touch()
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    papers = _papers(state)
    favourites = {pid for pid, p in papers.items() if p.get("fav", {}).get("on")}
    assert favourites == {f"{n}-{i}" for n in "ab" for i in range(50)}
    shared_tags = papers["shared"]["tags"]["value"]
    assert sorted(shared_tags) == sorted(f"{n}{i}" for n in "ab" for i in range(50))
    # an even number of flips each: a lost or replayed write would leave one read
    assert papers["a-own"]["read"]["on"] is False
    assert papers["b-own"]["read"]["on"] is False


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_hundred_processes_starring_at_once_all_stick(tmp_path: Path) -> None:
    state = tmp_path / "state" / "survey.json"
    done = subprocess.run(
        [sys.executable, "-c", STARRERS, str(state), "100"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    papers = _papers(state)
    assert sorted(papers) == [f"paper-{i:03d}" for i in range(100)]
    assert all(p["fav"]["on"] is True for p in papers.values())
    leftovers = sorted(p.name for p in state.parent.iterdir())
    assert leftovers == ["survey.json", "survey.json.lock"]  # no temp files left behind
