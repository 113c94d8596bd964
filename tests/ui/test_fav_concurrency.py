"""Issue acceptance: a hundred ``surveytui fav add`` at once, and a browser starring too.

Every process is a real ``python -m surveytui`` started before any is waited
on, while the Textual browser runs in this process and stars papers in between
their writes. Afterwards every star must be in the state file and in
``surveytui fav list``: nothing lost, nothing unstarred.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from surveytui.cli.commands import CLI_LOCK_TIMEOUT
from surveytui.model.catalog import load_catalog
from surveytui.state.store import Store
from surveytui.system.paths import bundled_catalog, catalog_key
from surveytui.ui.app import SurveyApp

PROCESSES = 110
DEADLINE = 90.0


def starred_on_disk(state: Path) -> set[str]:
    try:
        papers = json.loads(state.read_text("utf-8"))["papers"]
    except FileNotFoundError:
        return set()
    return {pid for pid, p in papers.items() if p.get("fav", {}).get("on")}


async def wait_for_stars(state: Path, ids: list[str], wanted: int) -> int:
    """Polls the file: the other processes give no signal, and sleeping blindly is flaky."""
    deadline = time.monotonic() + DEADLINE
    while (found := len(starred_on_disk(state) & set(ids))) < wanted:
        assert time.monotonic() < deadline, f"only {found} of {wanted} CLI stars on disk"
        await asyncio.sleep(0.02)
    return found


def cli_env(tmp_path: Path) -> dict[str, str]:
    """Bytecode cached outside the source tree, as an installed surveytui would have it.

    Without it (``PYTHONDONTWRITEBYTECODE`` is common in containers) each of
    the hundred processes compiles the package again, which only slows the test.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    return env


def surveytui(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "surveytui", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


async def test_hundred_cli_processes_and_a_browser_lose_no_star(tmp_path: Path) -> None:
    started = time.monotonic()
    env = cli_env(tmp_path)
    warm = surveytui(env, "--state", str(tmp_path / "warm.json"), "fav", "list")
    assert warm.returncode == 0, warm.stderr  # also fills the catalogue cache
    catalog = load_catalog(bundled_catalog())
    cli_ids = [p.id for p in catalog.papers[-PROCESSES:]]
    assert len(set(cli_ids)) == PROCESSES
    state = tmp_path / "state" / "survey.json"
    # The browser's default lock wait (5 s) can run out behind a hundred
    # writers on a loaded 2-core machine; its change is then kept in memory
    # and saved with the next one, which this test does not make. Waiting as
    # long as the CLI does keeps the test about losing stars, not about time.
    store = Store(state, catalog_key=catalog_key(bundled_catalog()), lock_timeout=CLI_LOCK_TIMEOUT)
    app = SurveyApp(catalog, store, notices=store.load())
    browser_ids: list[str] = []
    presses: list[tuple[int, int, float]] = []

    print(f"warm after {time.monotonic() - started:.1f} s")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        print(f"app up after {time.monotonic() - started:.1f} s")
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "surveytui", "--state", str(state), "fav", "add", pid],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
            for pid in cli_ids
        ]
        print(f"{PROCESSES} processes started after {time.monotonic() - started:.1f} s")
        # Star papers in the browser before the first CLI star lands, right
        # after it, and when a quarter and a half of them have: its writes
        # fall between theirs.
        for wanted in (0, 1, PROCESSES // 4, PROCESSES // 2):
            await wait_for_stars(state, cli_ids, wanted)
            await pilot.press("j")
            paper = app.main.current_paper()
            assert paper is not None
            browser_ids.append(paper.id)
            await pilot.press("f")
            presses.append(
                (
                    len(starred_on_disk(state) & set(cli_ids)),
                    sum(proc.poll() is None for proc in procs),
                    round(time.monotonic() - started, 1),
                )
            )
        print("presses (CLI stars on disk, processes running, s):", presses)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert all(store.is_favourite(pid) for pid in browser_ids)
        assert not store.has_unsaved_changes

    failures = []
    for pid, proc in zip(cli_ids, procs, strict=True):
        out, err = proc.communicate(timeout=DEADLINE)
        if proc.returncode != 0 or out or err != b"surveytui: starred 1 paper\n":
            failures.append((pid, proc.returncode, err.decode()[-300:]))
    assert not failures, failures[:5]
    assert presses[0][1] > 0, "the CLI processes had all finished before the browser starred"
    assert any(0 < on_disk < PROCESSES for on_disk, _, _ in presses), presses

    assert len(set(browser_ids)) == 4 and not set(browser_ids) & set(cli_ids)
    expected = set(cli_ids) | set(browser_ids)
    assert starred_on_disk(state) == expected

    listing = surveytui(env, "--state", str(state), "fav", "list", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    records = json.loads(listing.stdout)
    assert {r["id"] for r in records} == expected
    assert all(r["favourite"] for r in records)
    assert sorted(p.name for p in state.parent.iterdir()) == ["survey.json", "survey.json.lock"]
    print(f"{PROCESSES} processes + browser: {time.monotonic() - started:.1f} s")
