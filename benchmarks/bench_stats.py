"""Statistics figures: counting a view, and opening the statistics screen.

Prints, per catalogue size, the median of ``--repeat`` runs of

- counting every paper (``compute_figures``, what the screen and ``surveytui stats``
  do for an unfiltered view: the largest view there is), with and without reader
  marks, and laying the figures out as charts (``all_charts``);
- (shipped size only) opening the screen in a headless app: from the key's action
  to the years chart holding its rows, the first time (imports and layout
  included) and again (the screen is kept installed, so only the count is redone).

Targets: counting 100k papers <= 100 ms; opening again within one frame (16.7 ms).
Like every figure here, these depend on the machine and its load: see the load
average on the last line.

    python benchmarks/bench_stats.py                  # shipped and 100000, 5 runs
    python benchmarks/bench_stats.py --sizes shipped --repeat 9
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_data import median, resolve_sizes


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this thread, in ms. On a busy machine the
    CPU time is the steadier figure: it leaves out the time spent waiting for a core."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.thread_time()
        work()
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return median(wall) or 0.0, median(cpu) or 0.0


def counting(path: Path, repeat: int, state_dir: Path) -> dict[str, tuple[float, float]]:
    from surveytui.model.catalog import take
    from surveytui.search.charts import all_charts
    from surveytui.search.registry import load_cached
    from surveytui.search.stats import compute_figures
    from surveytui.state.store import Store

    catalog = load_cached(path)
    papers = take(catalog.papers, range(len(catalog.papers)))  # a view: real Paper objects
    store = Store(state_dir / f"state-{len(papers)}.json")
    store.load()
    figures = compute_figures(catalog, papers, store)
    out = {
        "count every paper, no marks": timed(
            lambda: compute_figures(catalog, papers, store), repeat
        ),
        "lay out the charts": timed(lambda: all_charts(catalog, figures), repeat),
    }
    for paper in papers[:: max(len(papers) // 200, 1)]:  # ~200 stars and reads
        store.set_favourite(paper.id, True)
        store.set_read(paper.id, True)
    out["count every paper, 200 marks"] = timed(
        lambda: compute_figures(catalog, papers, store), repeat
    )
    return out


async def opening(path: Path, repeat: int, state_dir: Path) -> dict[str, tuple[float, float]]:
    from surveytui.search.registry import load_cached
    from surveytui.state.store import Store
    from surveytui.ui.app import SurveyApp

    app = SurveyApp(load_cached(path), Store(state_dir / "open.json"), env={}, platform="linux")
    times: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        shown: object = None
        for _ in range(repeat + 1):
            start = time.perf_counter()
            app.main.action_statistics()
            # Counted and drawn: the figures are replaced on every opening.
            while (now := getattr(app.screen, "figures", None)) is None or now is shown:
                await asyncio.sleep(0)
            times.append((time.perf_counter() - start) * 1000)
            shown = getattr(app.screen, "figures", None)
            app.screen.action_back()  # type: ignore[attr-defined]
            await pilot.pause()
    again = median(times[1:])
    assert again is not None
    return {"open the screen, first time": (times[0], -1), "open it again": (again, -1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SURVEYTUI_DATA_DIR": tmp, "SURVEYTUI_CACHE_DIR": tmp}
        os.environ.update({"SURVEYTUI_DATA_DIR": tmp, "SURVEYTUI_CACHE_DIR": tmp})
        load_before = os.getloadavg()[0]
        log = lambda message: print(f"bench: {message}", flush=True)  # noqa: E731
        for subject in resolve_sizes(args.sizes.split(","), args.seed, env, log):
            figures = counting(subject.path, args.repeat, Path(tmp))
            if subject.papers < 5_000:
                figures.update(asyncio.run(opening(subject.path, args.repeat, Path(tmp))))
            for name, (wall, cpu) in figures.items():
                cpu_text = f"{cpu:8.2f} ms CPU" if cpu >= 0 else ""
                print(f"{subject.label:>14}  {name:<32} {wall:8.2f} ms wall {cpu_text}")
        load_after = os.getloadavg()[0]
    cpus = os.cpu_count()
    print(f"load average (1 min) before {load_before:.2f}, after {load_after:.2f} ({cpus} CPUs)")


if __name__ == "__main__":
    main()
