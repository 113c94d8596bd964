"""Shared fixtures: every test runs with its own data, state and cache directories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Keep every test out of the developer's real user-data and cache directories."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SURVEYTUI_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("SURVEYTUI_CACHE_DIR", str(root / "cache"))
    yield
