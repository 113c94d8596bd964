"""The importer's work grows linearly with its input, even on hostile lines.

Time is not measured (the machine's load would decide the result); the number
of Python function calls is, which is deterministic: a stage that went
quadratic would make 16 times the calls for 4 times the input, not 4.
"""

from __future__ import annotations

import cProfile
import pstats

import pytest

from surveytui.importer.document import import_markdown
from surveytui.importer.segments import segments

HOSTILE = {
    "brackets": "[",
    "closers": "]",
    "link openers": "[a](",
    "emphasis": "*a ",
    "underscores": "_a ",
    "backticks": "`a ",
    "unclosed tags": "<ins>a ",
    "closing tags": "</ins>a ",
    "entities": "&amp;x",
    "dates": "2024.05 ",
    "prefixes": "<u>M</u>: ",
    "tags": "[x] ",
    "urls": "https://example.org/a ",
    "comments": "<!-- ",
    "badges": "![](https://img.shields.io/badge/ICML2024-orange) ",
    "breaks": "a<br>",
    "newlines": "a\n  ",
    "bold authors": "*A B*, ",
}


def _calls(func: object, *args: object) -> int:
    profiler = cProfile.Profile()
    profiler.runcall(func, *args)  # type: ignore[arg-type]
    return int(pstats.Stats(profiler).total_calls)  # type: ignore[attr-defined]


def _line(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_one_long_entry_costs_linear_work(name: str) -> None:
    unit = HOSTILE[name]
    small = f"# L\n\n## S\n\n- Title {_line(unit, 10_000)} [[Paper]](https://x.org/a)\n"
    large = f"# L\n\n## S\n\n- Title {_line(unit, 40_000)} [[Paper]](https://x.org/a)\n"
    ratio = _calls(import_markdown, large) / _calls(import_markdown, small)
    assert ratio < 6, f"{name}: {ratio:.1f}x the calls for 4x the input"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_inline_scanner_alone_is_linear(name: str) -> None:
    unit = HOSTILE[name]
    ratio = _calls(segments, _line(unit, 40_000)) / _calls(segments, _line(unit, 10_000))
    assert ratio < 6, f"{name}: {ratio:.1f}x the calls for 4x the input"


def test_many_entries_cost_linear_work() -> None:
    entry = "- Paper {n}: A Title. *[ICML'22]* [[Paper]](https://x.org/{n}) [[Code]](https://github.com/o/r{n})\n"
    small = "# L\n\n## S\n\n" + "".join(entry.format(n=n) for n in range(250))
    large = "# L\n\n## S\n\n" + "".join(entry.format(n=n) for n in range(1000))
    ratio = _calls(import_markdown, large) / _calls(import_markdown, small)
    assert ratio < 5, f"{ratio:.1f}x the calls for 4x the entries"
