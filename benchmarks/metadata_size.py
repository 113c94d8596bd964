"""How big the metadata file gets, and how long reading it takes, at 421 and 100k papers.

Records are synthetic but shaped like real ones: a CS arXiv abstract is
about 1,100 characters and a paper has about six authors (the survey's
papers average 6.4 on arXiv). Prints one line per size; asserts nothing.

    python benchmarks/metadata_size.py [--sizes 421,10000,100000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from surveytui.metadata.store import MetaStore
from surveytui.model.meta import PaperMeta

ABSTRACT_CHARS = 1100
AUTHORS = 6
WORDS = (
    "model language large efficient training inference memory quantization sparse attention "
    "transformer parameter accuracy latency throughput hardware compression distillation "
    "pruning scaling method results show propose novel approach benchmark data"
).split()


def _record(rng: random.Random, n: int) -> PaperMeta:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < ABSTRACT_CHARS:
        words.append(rng.choice(WORDS))
    authors = tuple(
        f"{rng.choice('ABCDEFGHJKLMNPRSTWYZ')}{rng.choice(WORDS)} {rng.choice(WORDS).title()}"
        for _ in range(AUTHORS)
    )
    return PaperMeta(
        source="arxiv",
        title=" ".join(rng.choice(WORDS) for _ in range(10)).title(),
        authors=authors,
        abstract=" ".join(words).capitalize() + ".",
        arxiv_id=f"23{n % 12 + 1:02d}.{n:05d}",
        published="2023-05-17",
        primary_class="cs.LG",
        venue="arXiv",
        venue_kind="repository",
        fetched="2026-11-30T15:00:00Z",
    )


def measure(size: int, directory: Path) -> tuple[int, float]:
    rng = random.Random(size)
    path = directory / f"meta-{size}.json"
    MetaStore(path).update({f"paper-{i}": _record(rng, i) for i in range(size)})
    started = time.perf_counter()
    MetaStore(path).load()
    return path.stat().st_size, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="421,10000,100000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            nbytes, seconds = measure(size, Path(tmp))
            print(
                f"{size:>7} papers: {nbytes / 1e6:8.2f} MB  "
                f"({nbytes / size:,.0f} bytes/paper), read in {seconds * 1000:,.0f} ms"
            )


if __name__ == "__main__":
    main()
