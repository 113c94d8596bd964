"""Shared fixtures and the suite's layers.

Every test runs with its own data, config and cache directories. Tests are grouped
by layer: ``unit/`` (the core, no terminal), ``ui/`` (Pilot and snapshots),
``cli/`` (the command in-process and as a subprocess), ``e2e/`` (the installed
command in tmux). Each folder's tests get its layer's marker, so
``pytest -m "not e2e and not slow"`` is the fast inner loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Fuzz tests keep CI fast with a bounded number of examples each (the whole set runs
# in well under a minute); ``pytest --hypothesis-profile=long`` tries many more.
settings.register_profile("bounded", max_examples=60, deadline=None)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("bounded")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
LAYERS = ("unit", "ui", "cli", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.path)).parts
        for layer in LAYERS:
            if layer in parts:
                item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Keep every test out of the developer's real user-data, config and cache directories."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SURVEYTUI_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("SURVEYTUI_CACHE_DIR", str(root / "cache"))
    monkeypatch.setenv("SURVEYTUI_CONFIG_DIR", str(root / "config"))
    yield
