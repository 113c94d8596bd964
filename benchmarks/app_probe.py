"""Measure the Textual app from inside a fresh process; bench.py runs one per measurement.

A fresh process is the point: time to first screen is mostly imports, and a
process that already imported Textual would hide them. The clock starts at
the first line of this file, before any import.

"First screen" is the first frame Textual composes with the papers in it,
seen by wrapping ``App._display`` (the one place every composed frame passes,
headless or not). It is also stamped on the system-wide monotonic clock, so
the parent measures spawn-to-frame (interpreter start included) without the
moment this process needs to notice the frame and print.

Keystrokes are posted straight into the app's queue, because ``Pilot.press``
waits for the process to go idle (at least two 20 ms sleeps), which would
hide everything under ~40 ms; the pilot figure is measured too, next to its
cost on a trivial app, so the two methods can be compared.

    python benchmarks/app_probe.py first-screen CATALOG.toml
    python benchmarks/app_probe.py empty
    python benchmarks/app_probe.py keys CATALOG.toml
    python benchmarks/app_probe.py keys-trivial

Each prints one JSON line on stdout and exits without tearing the app down.
"""

import time

T0 = time.perf_counter()
T0_MONOTONIC = time.monotonic()  # system-wide clock: the parent compares it with its own

import asyncio  # noqa: E402  (imports are part of what is measured)
import functools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (160, 48)
BACKSPACE = "\b"
#: What the keystroke probe types into the filter, one key at a time. It ends
#: empty so the pilot pass can start from the same state; "quantizaton" is a
#: typo so the fuzzy fallback (and its first-time vocabulary build) is exercised.
TYPING = ["quantization", BACKSPACE * 12, "llm serving", BACKSPACE * 11, "quantizaton"]
TYPING.append(BACKSPACE * len(TYPING[-1]))


def since_start() -> float:
    return (time.perf_counter() - T0) * 1000.0


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    On Linux, VmHWM: ``ru_maxrss`` survives ``exec`` and so would report the
    parent's size when that parent (bench.py holding a 100k catalogue) is bigger.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def emit(result: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # the measurement is over; tearing a 100k-paper app down only costs time


class Recorder:
    """Timestamps of row refills and composed frames, set from the app's own loop."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str]] = []  # (time, query text the view had then)
        self.frames: list[float] = []
        self.changed = asyncio.Event()

    def mark_rows(self, text: str) -> None:
        self.rows.append((time.perf_counter(), text))
        self.changed.set()

    def mark_frame(self) -> None:
        self.frames.append(time.perf_counter())
        self.changed.set()

    def rows_after(self, start: float, text: str) -> float | None:
        return next((t for t, q in self.rows if t >= start and q == text), None)

    def frame_after(self, start: float) -> float | None:
        return next((t for t in self.frames if t >= start), None)

    async def until(self, found: Callable[[], float | None], timeout: float) -> float | None:
        deadline = time.perf_counter() + timeout
        while (hit := found()) is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                return None
        return hit


def hook_frames(app: Any, rec: Recorder, ready: Callable[[], bool]) -> None:
    """Record every composed frame once ``ready()`` holds (e.g. the table has rows)."""
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None and ready():
            rec.mark_frame()

    app._display = display


# --------------------------------------------------------------------------- apps


def build_survey_app(catalog_path: Path) -> tuple[Any, dict[str, float]]:
    from surveytui.startup import hold_collector

    hold_collector()  # as `surveytui` does before the browser's imports (see surveytui.entry)
    from surveytui.search.registry import load_cached
    from surveytui.state.store import Store
    from surveytui.system.paths import catalog_key, state_path
    from surveytui.ui.app import SurveyApp

    marks = {"imported_ms": since_start()}
    catalog = load_cached(catalog_path)
    marks["loaded_ms"] = since_start()
    store = Store(state_path(catalog_path), catalog_key=catalog_key(catalog_path))
    store.load()
    return SurveyApp(catalog, store), marks


def main_rows(app: Any) -> int:
    try:
        return len(app.main.table.rows) if app.screen is app.main else 0
    except Exception:  # not mounted yet
        return 0


def main_complete(app: Any) -> bool:
    try:
        return bool(app.main.complete) and main_rows(app) > 0
    except Exception:  # not mounted yet
        return False


def build_trivial_app(widget: str) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Static

    class Trivial(App[None]):
        recorder: Recorder | None = None

        def compose(self) -> ComposeResult:
            yield Input(id="box") if widget == "input" else Static("ready")

        def on_input_changed(self, event: Input.Changed) -> None:
            if self.recorder is not None:
                self.recorder.mark_rows(event.value)

    return Trivial()


# --------------------------------------------------------------------------- first screen


async def first_screen(
    app: Any,
    ready: Callable[[], bool],
    marks: dict[str, float],
    complete: Callable[[], bool] | None = None,
) -> None:
    """Stamp the first frame with data and, with ``complete``, the first frame of the
    whole screen (the browser draws its tree and detail pane right after the first)."""
    rec, whole = Recorder(), Recorder()
    hook_frames(app, rec, ready)
    hook_frames(app, whole, complete or ready)
    async with app.run_test(size=SIZE):
        if await rec.until(lambda: rec.frame_after(0.0), 120.0) is None:
            raise SystemExit("no frame with data within 120 s")
        marks["peak_rss_mb"] = peak_rss_mb()  # the first screen's, before the rest is drawn
        if await whole.until(lambda: whole.frame_after(0.0), 120.0) is None:
            raise SystemExit("no complete frame within 120 s")
        marks["first_frame_ms"] = (rec.frames[0] - T0) * 1000.0
        marks["started_at"] = T0_MONOTONIC
        marks["first_frame_at"] = T0_MONOTONIC + (rec.frames[0] - T0)
        marks["complete_frame_at"] = T0_MONOTONIC + (whole.frames[0] - T0)
        emit(marks)


# --------------------------------------------------------------------------- keystrokes


def key_event(char: str) -> tuple[str, str | None]:
    """The (key, character) pair a terminal would send for one typed character."""
    from textual.keys import _character_to_key

    if char == BACKSPACE:
        return "backspace", None
    return (char if char.isalnum() else _character_to_key(char)), char


def keystrokes() -> list[tuple[str, str]]:
    """Each typed character with the filter text expected after it."""
    out, text = [], ""
    for chunk in TYPING:
        for char in chunk:
            text = text[:-1] if char == BACKSPACE else text + char
            out.append((char, text))
    return out


async def type_sequence(
    app: Any,
    pilot: Any,
    rec: Recorder,
    text_now: Callable[[], str],
    via_pilot: bool,
    verify: Callable[[str], None] = lambda text: None,
) -> list[dict[str, Any]]:
    from textual import events

    samples = []
    for char, expected in keystrokes():
        key, character = key_event(char)
        started = time.perf_counter()
        if via_pilot:
            await pilot.press(key)
        else:
            event = events.Key(key, character)
            event.set_sender(app)
            app.post_message(event)
        returned = time.perf_counter()
        t_rows = await rec.until(functools.partial(rec.rows_after, started, expected), 30.0)
        sample: dict[str, Any] = {"text": expected, "ms": None, "frame_ms": None}
        if t_rows is not None:
            seen = max(t_rows, returned) if via_pilot else t_rows
            sample["ms"] = (seen - started) * 1000.0
            t_frame = await rec.until(functools.partial(rec.frame_after, t_rows), 1.0)
            if t_frame is not None:
                sample["frame_ms"] = (t_frame - started) * 1000.0
        sample["handler_ms"] = getattr(getattr(app, "main", None), "last_latency_ms", None)
        await pilot.pause()  # let the app settle, untimed, like a typist between keys
        if text_now() != expected:
            raise SystemExit(f"after typing, the filter holds {text_now()!r}, not {expected!r}")
        verify(expected)
        samples.append(sample)
    return samples


async def survey_keys(catalog_path: Path) -> None:
    from surveytui.search.engine import SearchIndex
    from surveytui.search.query import parse_query
    from surveytui.ui.screens import browser as main_screen

    app, _ = build_survey_app(catalog_path)
    rec = Recorder()
    hook_frames(app, rec, lambda: True)
    reference = SearchIndex(app.catalog)  # an independent index: checks what the table shows
    result: dict[str, Any] = {"papers": len(app.catalog.papers)}
    result["threaded_from"] = getattr(main_screen, "THREADED_SEARCH_FROM", None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.main.table
        original = table.set_rows

        def set_rows(*args: Any, **kwargs: Any) -> None:
            original(*args, **kwargs)
            rec.mark_rows(app.main.query_text)

        table.set_rows = set_rows

        def verify(text: str) -> None:
            """The rows on screen are exactly what an independent search returns."""
            shown = [p.id for p in table.rows]
            wanted = [p.id for p in reference.search(parse_query(text), app.store)]
            if shown != wanted:
                raise SystemExit(f"{text!r}: table shows {len(shown)} rows, want {len(wanted)}")

        await pilot.press("slash")
        await pilot.pause()
        for via_pilot in (False, True):
            result["pilot" if via_pilot else "injected"] = await type_sequence(
                app, pilot, rec, lambda: str(app.main.query_text), via_pilot, verify
            )
        result["peak_rss_mb"] = peak_rss_mb()
        emit(result)


async def trivial_keys() -> None:
    app = build_trivial_app("input")
    rec = Recorder()
    app.recorder = rec
    hook_frames(app, rec, lambda: True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.query_one("#box")
        result: dict[str, Any] = {}
        for via_pilot in (False, True):
            result["pilot" if via_pilot else "injected"] = await type_sequence(
                app, pilot, rec, lambda: str(box.value), via_pilot
            )
        emit(result)


def main(argv: list[str]) -> None:
    mode = argv[0] if argv else ""
    if mode == "first-screen" and len(argv) == 2:
        app, marks = build_survey_app(Path(argv[1]))
        asyncio.run(
            first_screen(app, lambda: main_rows(app) > 0, marks, lambda: main_complete(app))
        )
    elif mode == "empty":
        app = build_trivial_app("static")
        marks = {"imported_ms": since_start()}
        asyncio.run(first_screen(app, lambda: True, marks))
    elif mode == "keys" and len(argv) == 2:
        asyncio.run(survey_keys(Path(argv[1])))
    elif mode == "keys-trivial":
        asyncio.run(trivial_keys())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
