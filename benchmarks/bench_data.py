"""Catalogues for the benchmarks, and the small statistics the table needs.

Synthetic catalogues go through the real importer once and are kept between
runs (importing 100k papers takes about a minute), keyed by size, seed, the
generator's source and the catalogue schema, so a changed generator or schema
never reuses a stale file.
"""

from __future__ import annotations

import hashlib
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Size tokens meaning "the shipped data/papers.toml" (441 is the figure quoted
#: for the survey's bullets; the catalogue holds the distinct papers).
SHIPPED_TOKENS = ("shipped", "441")


@dataclass(frozen=True)
class Subject:
    """One catalogue under test."""

    label: str
    path: Path
    papers: int


def surveytui_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m surveytui``."""
    script = Path(sys.executable).parent / "surveytui"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "surveytui"]


def catalog_cache() -> Path:
    override = os.environ.get("SURVEYTUI_BENCH_CACHE")
    return Path(override) if override else Path(tempfile.gettempdir()) / "surveytui-bench"


def _fingerprint() -> str:
    from surveytui.model.catalog import SCHEMA_VERSION

    digest = hashlib.sha256((HERE / "gen_catalog.py").read_bytes())
    digest.update(str(SCHEMA_VERSION).encode())
    return digest.hexdigest()[:10]


def synthetic_catalog(
    size: int, seed: int, env: dict[str, str], log: Callable[[str], None]
) -> Path:
    """Generate and import a ``size``-paper list once; later runs reuse the TOML."""
    cache = catalog_cache()
    target = cache / f"synthetic-{size}-seed{seed}-{_fingerprint()}.toml"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    markdown = target.with_suffix(".md")
    partial = target.with_suffix(".partial.toml")
    log(f"generating a {size}-paper catalogue (once; cached in {cache}) ...")
    gen = [sys.executable, str(HERE / "gen_catalog.py"), str(size), "--seed", str(seed)]
    subprocess.run([*gen, "-o", str(markdown)], check=True)
    command = [*surveytui_command(), "import", str(markdown), "-o", str(partial)]
    subprocess.run(command, check=True, env=env, stderr=subprocess.DEVNULL)
    os.replace(partial, target)  # only a complete import is ever reused
    markdown.unlink()
    return target


def resolve_sizes(
    tokens: Sequence[str], seed: int, env: dict[str, str], log: Callable[[str], None]
) -> list[Subject]:
    from surveytui.model.catalog import load_catalog
    from surveytui.system.paths import bundled_catalog

    subjects = []
    for token in tokens:
        if token.strip().lower() in SHIPPED_TOKENS:
            path = bundled_catalog()
            count = len(load_catalog(path).papers)
            subjects.append(Subject(f"shipped ({count})", path, count))
            continue
        try:
            size = int(token)
        except ValueError:
            size = 0
        if size < 1:
            raise ValueError(f"--sizes: {token!r} is neither a positive paper count nor 'shipped'")
        subjects.append(Subject(str(size), synthetic_catalog(size, seed, env, log), size))
    return subjects


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    """Nearest-rank 95th percentile: a value that was actually measured."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]
