"""Benchmark surveytui at the shipped size and far beyond; prints figures, asserts nothing.

    python benchmarks/bench.py                      # shipped, 10k, 100k papers
    python benchmarks/bench.py --quick              # shipped and 10k, about a minute
    python benchmarks/bench.py --sizes shipped,10000 --repeat 7 --json

Wall-clock figures depend on the machine and on whatever else it is doing,
so this is a report, never a test: the target column says how a figure
compares, nothing fails. What each row means is in benchmarks/README.md.
Every process runs with SURVEYTUI_DATA_DIR and SURVEYTUI_CACHE_DIR pointing
into a temporary directory, so the user's real state and caches are untouched.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench_data import HERE, Subject, catalog_cache, median, p95, resolve_sizes, surveytui_command
from bench_report import QUERY, render_table

Figures = dict[str, Any]
#: Adjacent-letter swaps of "quantization": each a typo the index has not seen yet.
TYPOS = [
    "quantization"[:i] + "quantization"[i + 1] + "quantization"[i] + "quantization"[i + 2 :]
    for i in range(len("quantization") - 1)
]
IN_PROCESS_QUERIES = {
    "q_quant_ms": "quant",
    "q_venue_year_ms": "venue:osdi year:2024",
    "q_hascode_ms": "has:code pruning",
    "q_empty_ms": "",
}


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


# --------------------------------------------------------------------------- processes


def time_process(command: Sequence[str], env: dict[str, str], stdin: Path | None = None) -> float:
    """Wall time of one whole process, output discarded."""
    with open(stdin or os.devnull, "rb") as source:
        start = time.perf_counter()
        done = subprocess.run(
            command, env=env, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        elapsed = ms_since(start)
    if done.returncode not in (0, 1):  # fzf exits 1 when nothing matches
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise RuntimeError(f"{' '.join(command)} failed: {tail}")
    return elapsed


def process_figures(subject: Subject, env: dict[str, str], run: Path, repeat: int) -> Figures:
    """Whole-process searches. The runs of each command are interleaved (search,
    full path, fzf, search, ...), so a busy moment on the machine slows all of
    them alike and the ratio to fzf stays fair."""
    search = [*surveytui_command(), "--data", str(subject.path), "search", QUERY]
    time_process(search, env)  # the full path answers and writes the parse cache and pack
    commands: dict[str, tuple[list[str], dict[str, str], Path | None]] = {
        "proc_search_ms": (search, env, None),
        "proc_search_full_ms": (search, {**env, "SURVEYTUI_NO_QUICK": "1"}, None),
        "proc_search_nocache_ms": (search, {**env, "SURVEYTUI_NO_CACHE": "1"}, None),
    }
    fzf = shutil.which("fzf")
    if fzf:
        from surveytui.model.catalog import load_catalog

        titles = run / f"titles-{subject.papers}.txt"
        lines = (" ".join(p.title.split()) for p in load_catalog(subject.path).papers)
        titles.write_text("\n".join(lines) + "\n", encoding="utf-8")
        commands["proc_fzf_ms"] = ([fzf, "--filter", QUERY], env, titles)
    samples: dict[str, list[float]] = {key: [] for key in commands}
    for _ in range(repeat):
        for key, (command, command_env, stdin) in commands.items():
            samples[key].append(time_process(command, command_env, stdin))
    out: Figures = {key: median(values) for key, values in samples.items()}
    if fzf and out["proc_fzf_ms"]:
        out["ratio_search_fzf"] = out["proc_search_ms"] / out["proc_fzf_ms"]
    return out


# --------------------------------------------------------------------------- in process


def timed(work: Callable[[], object], repeat: int) -> float | None:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append(ms_since(start))
    return median(samples)


def inprocess_figures(subject: Subject, repeat: int) -> Figures:
    from surveytui.search.engine import SearchIndex
    from surveytui.search.query import parse_query
    from surveytui.search.registry import load_cached

    out: Figures = {
        "load_cold_ms": timed(lambda: load_cached(subject.path, use_cache=False), repeat),
    }
    load_cached(subject.path)  # make sure the parse cache exists before timing it
    out["load_warm_ms"] = timed(lambda: load_cached(subject.path), repeat)
    catalog = load_cached(subject.path)
    builds, first_typo = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        index = SearchIndex(catalog)
        builds.append(ms_since(start))
        typo = parse_query("quantizaton")
        start = time.perf_counter()
        index.search(typo)  # the session's first typo also builds the vocabulary
        first_typo.append(ms_since(start))
    out["index_build_ms"] = median(builds)
    out["q_typo_first_ms"] = median(first_typo)
    for key, text in IN_PROCESS_QUERIES.items():
        query = parse_query(text)
        out[key] = timed(functools.partial(index.search, query), repeat)
    typos = [parse_query(TYPOS[i % len(TYPOS)]) for i in range(min(repeat, len(TYPOS)))]
    out["q_typo_ms"] = median([timed(functools.partial(index.search, q), 1) or 0.0 for q in typos])
    return out


# --------------------------------------------------------------------------- app probes


def probe(args: Sequence[str], env: dict[str, str]) -> tuple[float, Figures]:
    """Run app_probe.py; wall time from spawn to its first frame (else to its result line).

    The probe stamps its first frame on ``time.monotonic``, which is system-wide,
    so the figure excludes the moment the probe needs to notice the frame and print.
    """
    command = [sys.executable, str(HERE / "app_probe.py"), *args]
    spawned = time.monotonic()
    start = time.perf_counter()
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        line = child.stdout.readline()
        wall = ms_since(start)
        errors = child.stderr.read()
        child.wait()
    if child.returncode != 0 or not line:
        last = errors.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"app_probe {' '.join(args)} failed: {last[0]}")
    result: Figures = json.loads(line)
    if "first_frame_at" in result:
        wall = (result["first_frame_at"] - spawned) * 1000.0
        result["interpreter_ms"] = (result["started_at"] - spawned) * 1000.0
        result["complete_ms"] = (result["complete_frame_at"] - spawned) * 1000.0
    return wall, result


def first_screen_runs(
    variants: dict[str, tuple[list[str], dict[str, str]]], repeat: int
) -> dict[str, Figures]:
    """Median figures per variant, runs interleaved so a busy moment hits every variant alike."""
    for args, env in variants.values():
        probe(args, env)  # warms the OS file cache, the bytecode and the parse cache
    samples: dict[str, list[Figures]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, (args, env) in variants.items():
            wall, result = probe(args, env)
            # Each run's ratio to the empty app of the same round: a slow moment on the
            # machine hits both runs of a round, so these vary less than the walls do.
            pair = samples["empty"][-1]["wall"] if samples.get("empty") else None
            loaded = result.get("loaded_ms", result["imported_ms"])
            samples[name].append(
                {
                    "wall": wall,
                    "paired": wall / pair if pair and name != "empty" else None,
                    "complete": result.get("complete_ms"),
                    "interpreter_ms": result.get("interpreter_ms"),
                    "imports_ms": result["imported_ms"],
                    "load_ms": loaded - result["imported_ms"],
                    "app_ms": result["first_frame_ms"] - loaded,
                    "peak_rss_mb": result["peak_rss_mb"],
                }
            )
    return {
        name: {
            field: median([run[field] for run in runs if run[field] is not None])
            for field in runs[0]
        }
        for name, runs in samples.items()
    }


def key_stats(samples: list[dict[str, Any]], field: str = "ms") -> tuple[Any, Any, Any]:
    values = [s[field] for s in samples if s.get(field) is not None]
    return median(values), p95(values), max(values, default=None)


def first_screen_figures(subject: Subject, env: dict[str, str], repeat: int) -> Figures:
    catalog = ["first-screen", str(subject.path)]
    runs = first_screen_runs(
        {
            "empty": (["empty"], env),
            "warm": (catalog, env),
            "cold": (catalog, {**env, "SURVEYTUI_NO_CACHE": "1"}),
        },
        repeat,
    )
    empty, warm = runs["empty"], runs["warm"]
    return {
        "fs_empty_ms": empty["wall"],
        "fs_wall_ms": warm["wall"],
        "fs_ratio": warm["wall"] / empty["wall"],
        "fs_ratio_paired": warm["paired"],
        "fs_complete_ms": warm["complete"],
        "fs_interpreter_ms": warm["interpreter_ms"],
        "fs_imports_ms": warm["imports_ms"],
        "fs_load_ms": warm["load_ms"],
        "fs_app_ms": warm["app_ms"],
        "fs_nocache_ms": runs["cold"]["wall"],
        "rss_mb": warm["peak_rss_mb"],
    }


def keystroke_figures(subject: Subject, env: dict[str, str], base: Figures) -> Figures:
    _, keys = probe(["keys", str(subject.path)], env)
    out: Figures = {}
    injected = keys["injected"]
    out["key_med_ms"], out["key_p95_ms"], out["key_max_ms"] = key_stats(injected)
    worst = max(injected, key=lambda s: s["ms"] or 0.0)
    out["key_worst_text"] = worst["text"]
    out["key_frame_med_ms"], out["key_frame_p95_ms"], _ = key_stats(injected, "frame_ms")
    threaded = keys.get("threaded_from")
    if threaded is None or keys["papers"] < threaded:
        out["key_handler_p95_ms"] = key_stats(injected, "handler_ms")[1]
    out["pilot_med_ms"] = key_stats(keys["pilot"])[0]
    overhead = base.get("pilot_med_ms")
    if out["pilot_med_ms"] is not None and overhead is not None:
        out["pilot_net_ms"] = out["pilot_med_ms"] - overhead
    out["keys_rss_mb"] = keys["peak_rss_mb"]
    return out


def baseline_figures(env: dict[str, str], repeat: int) -> Figures:
    python = [sys.executable, "-c", "pass"]
    time_process(python, env)
    out: Figures = {"proc_python_ms": median([time_process(python, env) for _ in range(repeat)])}
    empty = first_screen_runs({"empty": (["empty"], env)}, repeat)["empty"]
    out["fs_wall_ms"] = empty["wall"]
    out["fs_interpreter_ms"] = empty["interpreter_ms"]
    out["fs_imports_ms"] = empty["imports_ms"]
    out["fs_app_ms"] = empty["app_ms"]
    out["rss_mb"] = empty["peak_rss_mb"]
    _, trivial = probe(["keys-trivial"], env)
    out["key_med_ms"], out["key_p95_ms"], _ = key_stats(trivial["injected"])
    out["key_frame_med_ms"], out["key_frame_p95_ms"], _ = key_stats(trivial["injected"], "frame_ms")
    out["pilot_med_ms"] = key_stats(trivial["pilot"])[0]
    return out


# --------------------------------------------------------------------------- report


def phase(title: str, into: Figures, work: Callable[..., Figures], *args: Any) -> None:
    """One group of figures; a failure is logged and leaves its rows n/a, the rest still run."""
    log(f"{title} ...")
    try:
        into.update(work(*args))
    except Exception as exc:  # a broken probe must not cost the other figures of a long run
        log(f"{title}: FAILED: {type(exc).__name__}: {exc}")
        into.setdefault("errors", []).append(f"{title}: {type(exc).__name__}: {exc}")


def source_revision() -> str | None:
    """The commit measured, flagged when src/ has uncommitted changes (read-only git calls)."""
    repo = HERE.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}+dirty" if dirty else head


PARTS = ("process", "inprocess", "screen", "keys")


def measure(
    tokens: Sequence[str], seed: int, repeat: int, parts: Sequence[str] = PARTS
) -> dict[str, Any]:
    import textual

    with tempfile.TemporaryDirectory(prefix="surveytui-bench-") as tmp:
        run = Path(tmp)
        os.environ["SURVEYTUI_DATA_DIR"] = str(run / "data")
        os.environ["SURVEYTUI_CACHE_DIR"] = str(run / "cache")
        os.environ.pop("SURVEYTUI_NO_CACHE", None)
        # Bytecode as an installed wheel has it, even where PYTHONDONTWRITEBYTECODE
        # is set; kept outside the source tree and reused between runs.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(catalog_cache() / "pycache")
        env = dict(os.environ)
        subjects = resolve_sizes(tokens, seed, env, log)
        fzf = shutil.which("fzf")
        version = None
        if fzf:
            version = subprocess.run([fzf, "--version"], capture_output=True, text=True)
        report: dict[str, Any] = {
            "meta": {
                "date": datetime.date.today().isoformat(),
                "revision": source_revision(),
                "python": platform.python_version(),
                "textual": getattr(textual, "__version__", "?"),
                "cpus": os.cpu_count(),
                "repeat": repeat,
                "seed": seed,
                "fzf": version.stdout.split()[0] if version and version.stdout else None,
                "load_before": round(os.getloadavg()[0], 2),
            },
            "sizes": {},
        }
        base: Figures = {"papers": None}
        phase(
            "baselines (python -c pass, empty app, trivial-app keys)",
            base,
            baseline_figures,
            env,
            repeat,
        )
        report["baseline"] = base
        for subject in subjects:
            label = subject.label.split(" ")[0]
            figures: Figures = {"papers": subject.papers}
            name = subject.label
            if "process" in parts:
                phase(
                    f"{name}: whole-process timings",
                    figures,
                    process_figures,
                    subject,
                    env,
                    run,
                    repeat,
                )
            if "inprocess" in parts:
                phase(
                    f"{name}: load, index and queries in process",
                    figures,
                    inprocess_figures,
                    subject,
                    repeat,
                )
            gc.collect()
            if "screen" in parts:
                phase(
                    f"{name}: first screen and memory",
                    figures,
                    first_screen_figures,
                    subject,
                    env,
                    repeat,
                )
            if "keys" in parts:
                phase(f"{name}: keystrokes", figures, keystroke_figures, subject, env, base)
            report["sizes"][subject.label if label == "shipped" else label] = figures
        report["meta"]["load_after"] = round(os.getloadavg()[0], 2)
        return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        help="comma-separated paper counts; 'shipped' (or 441) is data/papers.toml"
        " (default: shipped,10000,100000; with --quick: shipped,10000)",
    )
    parser.add_argument("--repeat", type=int, help="runs per figure (default 5; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="shipped and 10k only, 3 runs")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated figure groups to measure (default: all of {','.join(PARTS)})",
    )
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if not parts or any(p not in PARTS for p in parts):
        parser.error(f"--parts takes a comma-separated subset of {','.join(PARTS)}")
    sizes = args.sizes or ("shipped,10000" if args.quick else "shipped,10000,100000")
    repeat = args.repeat or (3 if args.quick else 5)
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        report = measure([s for s in sizes.split(",") if s.strip()], args.seed, repeat, parts)
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(json.dumps(report, indent=2) + "\n" if args.json else render_table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
