"""Builders for browser tests: one app per test, fixed sizes, recorded side effects."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from surveytui.model.catalog import Catalog, load_catalog
from surveytui.state.store import Store
from surveytui.ui.app import SurveyApp

FIXTURE = Path(__file__).parent / "fixtures" / "ui_catalog.toml"

LOCAL_ENV = {"DISPLAY": ":0", "HOME": "/nonexistent"}
SSH_ENV = {"SSH_CONNECTION": "10.0.0.1 5555 10.0.0.2 22", "SSH_TTY": "/dev/pts/1"}


class RecordingOpener:
    """Stands in for the system browser: records URLs instead of launching anything."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, url: str) -> bool:
        self.urls.append(url)
        return True


_NOTICES: weakref.WeakKeyDictionary[SurveyApp, list[str]] = weakref.WeakKeyDictionary()


def record_notices(app: SurveyApp) -> list[str]:
    """Every notification text the app shows from now on, through its public ``notify``."""
    seen = _NOTICES.setdefault(app, [])
    original: Callable[..., Any] = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def notices(app: SurveyApp) -> list[str]:
    """What :func:`record_notices` saw (``build_app`` starts recording)."""
    return _NOTICES.get(app, [])


async def wait_until(pilot: Any, condition: Callable[[], object], what: str = "") -> None:
    """Let the app run until ``condition()`` holds: wait for a state, never for a time.

    The bound is on turns of the event loop, generous enough for a loaded machine;
    reaching it fails the test with ``what`` rather than hanging the suite.
    """
    for _ in range(2000):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"timed out waiting for {what or condition}")


def fixture_catalog() -> Catalog:
    return load_catalog(FIXTURE)


def build_app(
    tmp_path: Path,
    *,
    env: dict[str, str] | None = None,
    catalog: Catalog | None = None,
    opener: RecordingOpener | None = None,
    state: Path | None = None,
) -> SurveyApp:
    store = Store(state or tmp_path / "state.json")
    loaded = store.load()
    app = SurveyApp(
        catalog or fixture_catalog(),
        store,
        env=LOCAL_ENV if env is None else env,
        platform="linux",
        opener=opener or RecordingOpener(),
        notices=loaded,
    )
    record_notices(app)
    return app


def row_titles(app: SurveyApp) -> list[str]:
    return [p.title for p in app.main.table.rows]
