"""Builders for browser tests: one app per test, fixed sizes, recorded side effects."""

from __future__ import annotations

from pathlib import Path

from surveytui.catalog import Catalog, load_catalog
from surveytui.store import Store
from surveytui.ui.app import SurveyApp, make_app

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
    notices = store.load()
    return make_app(
        catalog or fixture_catalog(),
        store,
        env=LOCAL_ENV if env is None else env,
        platform="linux",
        opener=opener or RecordingOpener(),
        notices=notices,
    )


def row_titles(app: SurveyApp) -> list[str]:
    return [p.title for p in app.main.table.rows]
