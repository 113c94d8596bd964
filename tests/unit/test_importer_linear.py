"""Every importer stage takes time linear in its input, whatever the input's shape.

Hostile lists once took seconds to minutes: a regex backtracking over a long
venue span or a URL's trailing dots, a running length re-summed per emphasis
mark, a loop re-trying every suffix for equal heading names. Each shape below is
imported (and checked, as ``surveytui check`` does) at 10k and at 40k
characters; linear work grows about 4 times, quadratic work 16 times. The
assertion is on that ratio of CPU time (best of three), never on a duration.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from surveytui.importer.check import check_markdown
from surveytui.importer.document import import_markdown

PAPER = "[[Paper]](https://example.org/a)"
SHAPES: dict[str, Callable[[int], str]] = {
    "venue span of dashes": lambda n: f"# T\n\n## S\n\n- Title. <ins>{'-' * n}</ins> {PAPER}\n",
    "venue span of spaces and a quote": lambda n: (
        f"# T\n\n## S\n\n- Title. *[a{' ' * n}'b]* {PAPER}\n"
    ),
    "URL ending in dots": lambda n: (
        f"# T\n\n## S\n\n- Title. [[Paper]](https://x.org/a{'.' * n}x)\n"
    ),
    "URL of only trailing junk": lambda n: (
        f"# T\n\n## S\n\n- T. [[Paper]](https://x.org/a{'%3E' * (n // 3)})\n"
    ),
    "nested emphasis": lambda n: (
        f"# T\n\n## S\n\n- Title {'*_' * (n // 4)}x{'_*' * (n // 4)} {PAPER}\n"
    ),
    "unclosed emphasis": lambda n: f"# T\n\n## S\n\n- Title {'*_' * (n // 2)} {PAPER}\n",
    "sibling headings of one name": lambda n: (
        "# Top\n"
        + "".join(f"## Same\n- P{i}. [[Paper]](https://x.org/{i})\n" for i in range(n // 40))
    ),
    "many brackets": lambda n: f"# T\n\n## S\n\n- Title {'[a] ' * (n // 4)}x {PAPER}\n",
    "many links": lambda n: f"# T\n\n## S\n\n- Title {(PAPER + ' ') * (n // 34)}\n",
}


def _cpu_time(text: str) -> float:
    best = float("inf")
    for _ in range(2):  # the better of two: a stray pause on a loaded machine counts once
        gc.collect()
        gc.disable()
        try:
            start = time.thread_time()
            check_markdown(import_markdown(text))
            best = min(best, time.thread_time() - start)
        finally:
            gc.enable()
    return max(best, 1e-6)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_import_and_check_work_grows_linearly(shape: str) -> None:
    make = SHAPES[shape]
    small, large = make(10_000), make(40_000)
    assert 3.5 < len(large) / len(small) < 4.5
    check_markdown(import_markdown(make(1_000)))  # warm-up: compiled patterns, parser caches
    ratio = _cpu_time(large) / _cpu_time(small)
    assert ratio < 9, f"{shape}: 4x the input cost {ratio:.1f}x the work (quadratic is ~16x)"
