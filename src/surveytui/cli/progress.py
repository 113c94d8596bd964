"""A one-line progress bar on stderr for long headless runs (``enrich``).

On a terminal the line is redrawn in place (carriage return); when stderr is
a file or a pipe, a plain line is written at most every ten percent, so a log
stays readable. stdout is never touched: it carries data only.
"""

from __future__ import annotations

import sys
from typing import TextIO

from surveytui.metadata.enrich import Progress

WIDTH = 24


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--"
    seconds = int(seconds + 0.5)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


def render(progress: Progress) -> str:
    """``[#######.........] 120/421  28%  found 117  3.1/s  ETA 1m37s  arXiv``"""
    total = max(progress.total, 1)
    share = min(progress.done / total, 1.0)
    filled = int(share * WIDTH)
    bar = "#" * filled + "." * (WIDTH - filled)
    return (
        f"[{bar}] {progress.done}/{progress.total} {share:4.0%}  found {progress.found}  "
        f"{progress.rate:.1f}/s  ETA {_duration(progress.eta)}  {progress.service}"
    )


class ProgressLine:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_tenth = -1
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        text = "surveytui: enrich " + render(progress)
        if self.live:
            self.stream.write("\r\x1b[2K" + text)
            self._drawn = True
        else:
            tenth = progress.done * 10 // max(progress.total, 1)
            if tenth == self._last_tenth or progress.done == 0:
                return
            self._last_tenth = tenth
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self, keep: bool = True) -> None:
        """End the redrawn line (or erase it: a failure is then the only line left)."""
        if self._drawn:
            self.stream.write("\n" if keep else "\r\x1b[2K")
            self.stream.flush()
            self._drawn = False
