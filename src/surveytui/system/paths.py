"""Where files live: the bundled catalogue, user state and caches.

Every location can be overridden (flag or ``SURVEYTUI_*`` environment
variable) so tests and users never touch the real home directory by accident.
Nothing here creates a directory: writers create theirs on first write.

One copy of these rules serves both the full program and the quick search path
(``surveytui.quick``), which answers before most of Python's library has loaded.
So the module imports only ``os`` and ``sys`` at its top: the text-returning
functions (``*_text``) need nothing more, and the ``Path`` ones import pathlib,
hashlib or platformdirs when called. platformdirs itself (~25 ms to import) is
needed only off Linux: on Linux its answer is the XDG rule in ``_xdg_dir``
(tests/unit/test_quick.py compares the two).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself costs the quick path ~10 ms (it imports re)
if TYPE_CHECKING:
    from pathlib import Path

APP_NAME = "surveytui"
BUNDLED_NAME = "survey"

_XDG = {
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "config": ("XDG_CONFIG_HOME", "~/.config"),
}
_OVERRIDES = {
    "cache": "SURVEYTUI_CACHE_DIR",
    "data": "SURVEYTUI_DATA_DIR",
    "config": "SURVEYTUI_CONFIG_DIR",
}


def env_flag(name: str) -> bool:
    """A ``SURVEYTUI_*`` switch: set to anything but "", 0, false or no."""
    return os.environ.get(name, "").strip().casefold() not in ("", "0", "false", "no")


def caches_off() -> bool:
    """``SURVEYTUI_NO_CACHE``: read and write no cache at all (parse cache and pack)."""
    return env_flag("SURVEYTUI_NO_CACHE")


def _xdg_dir(kind: str) -> str:
    variable, default = _XDG[kind]
    base = os.environ.get(variable, "")
    if not base.strip():
        base = os.path.expanduser(default)
    return os.path.join(base, APP_NAME)


def user_dir_text(kind: str, *, light: bool = False) -> str | None:
    """The user's ``cache``, ``data`` or ``config`` directory for surveytui.

    The ``SURVEYTUI_*_DIR`` override first; on Linux the XDG rule; elsewhere
    platformdirs, unless ``light`` (the quick path), which then gets None and
    steps aside rather than pay for the import.
    """
    override = os.environ.get(_OVERRIDES[kind])
    if override:
        return override
    if sys.platform.startswith("linux"):
        return _xdg_dir(kind)
    if light:
        return None
    import platformdirs

    finder = {
        "cache": platformdirs.user_cache_dir,
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
    }[kind]
    return str(finder(APP_NAME))


def bundled_catalog_text() -> str:
    """The shipped survey: inside the wheel, or in the source tree for editable installs.

    Found beside the package rather than through ``importlib.resources``, whose
    import (zipfile and friends) would cost every headless command ~15 ms; the
    package is never imported from a zip archive.
    """
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    packaged = os.path.join(package, "data", "papers.toml")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(package)), "data", "papers.toml")


def updated_catalog_text(*, light: bool = False) -> str | None:
    """Where ``surveytui update`` keeps the newer survey (the installed file stays as
    shipped): ``<data dir>/catalogs/survey.toml``. None when the quick path cannot tell."""
    data = user_dir_text("data", light=light)
    return os.path.join(data, "catalogs", f"{BUNDLED_NAME}.toml") if data else None


def default_catalog_text(*, light: bool = False) -> str | None:
    """The survey a command reads without ``--data``: the updated one if there is one,
    else the bundled one. None when the quick path cannot tell (it then steps aside)."""
    updated = updated_catalog_text(light=light)
    if updated is None:
        return None
    return updated if os.path.isfile(updated) else bundled_catalog_text()


def state_file_text(data_root: str, key: str) -> str:
    """The state file of the catalogue whose key is ``key`` (see ``catalog_key``)."""
    return os.path.join(data_root, "state", f"{key}.json")


def bundled_catalog() -> Path:
    from pathlib import Path

    return Path(bundled_catalog_text())


def default_catalog() -> Path:
    from pathlib import Path

    return Path(default_catalog_text() or bundled_catalog_text())


def updated_catalog() -> Path:
    from pathlib import Path

    return Path(updated_catalog_text() or "")


def data_dir() -> Path:
    from pathlib import Path

    return Path(user_dir_text("data") or "")


def cache_dir() -> Path:
    from pathlib import Path

    return Path(user_dir_text("cache") or "")


def config_dir() -> Path:
    from pathlib import Path

    return Path(user_dir_text("config") or "")


def catalog_key(catalog_path: Path | str) -> str:
    """One state file per catalogue: a readable stem plus a hash of the resolved path.

    The bundled survey and its updated copy share one key, so stars, tags and
    notes carry over when ``surveytui update`` replaces the list.
    """
    import hashlib
    from pathlib import Path

    resolved = Path(catalog_path).resolve()
    if resolved in (bundled_catalog().resolve(), updated_catalog().resolve()):
        return BUNDLED_NAME
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in Path(catalog_path).stem)
    return f"{stem}-{digest}"


def state_path(catalog_path: Path | str, override: Path | str | None = None) -> Path:
    from pathlib import Path

    if override is not None:
        return Path(override)
    return Path(state_file_text(str(data_dir()), catalog_key(catalog_path)))
