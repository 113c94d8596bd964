"""Where files live: the bundled catalogue, user state and caches.

Every location can be overridden (flag or ``SURVEYTUI_*`` environment
variable) so tests and users never touch the real home directory by accident.
Nothing here creates a directory: writers create theirs on first write.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "surveytui"


def bundled_catalog() -> Path:
    """The shipped survey: inside the wheel, or in the source tree for editable installs.

    Found beside this module rather than through ``importlib.resources``, whose
    import (zipfile and friends) would cost every headless command ~15 ms; the
    package is never imported from a zip archive.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "papers.toml"
    if packaged.is_file():
        return packaged
    return here.parents[1] / "data" / "papers.toml"


def data_dir() -> Path:
    override = os.environ.get("SURVEYTUI_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    override = os.environ.get("SURVEYTUI_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME))


def catalog_key(catalog_path: Path) -> str:
    """One state file per catalogue: a readable stem plus a hash of the resolved path."""
    resolved = str(Path(catalog_path).resolve())
    if Path(catalog_path).resolve() == bundled_catalog().resolve():
        return "survey"
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:10]
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in Path(catalog_path).stem)
    return f"{stem}-{digest}"


def state_path(catalog_path: Path, override: Path | str | None = None) -> Path:
    if override is not None:
        return Path(override)
    return data_dir() / "state" / f"{catalog_key(catalog_path)}.json"
