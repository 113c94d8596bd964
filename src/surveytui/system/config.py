"""The reader's config file: theme, key bindings, default sort, how links open.

``config.toml`` in the platform's config directory, or the file named by
``--config PATH`` or ``SURVEYTUI_CONFIG``. A missing file is the defaults. A bad
file never stops the browser: each problem is one line naming the file, the line
and the key, and that setting (or, for a file that is not TOML, every setting)
keeps its default. Example::

    theme = "gruvbox"
    sort = "year"            # rank, title, venue, year or starred
    sort_reverse = true      # newest first
    open_links = "show"      # browser, show, or a command: "firefox --new-tab {url}"

    [keys]
    surveytui.toggle_favourite = "s"
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_ENV = "SURVEYTUI_CONFIG"
FILE_NAME = "config.toml"
#: The sort names the browser knows (search.ordering.SORT_CYCLE; a test keeps them equal).
SORTS = ("rank", "title", "venue", "year", "starred")
LINK_MODES = ("browser", "show")
_MAX_BYTES = 256 * 1024
_THEME_LINE = re.compile(r"^\s*theme\s*=.*$", re.MULTILINE)


@dataclass(frozen=True)
class Config:
    path: Path
    theme: str | None = None
    keys: Mapping[str, str] = field(default_factory=dict)
    sort: str | None = None
    sort_reverse: bool = False
    open_links: str | None = None  # "browser", "show", or a command line
    lines: Mapping[str, int] = field(default_factory=dict)  # "keys.<id>" etc. -> line

    def where(self, key: str) -> str:
        """``config PATH line N: KEY`` for a message about ``key``."""
        line = self.lines.get(key)
        at = f" line {line}" if line else ""
        return f"config {self.path}{at}: {key}"


def config_path(override: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """``--config`` wins, then ``SURVEYTUI_CONFIG``, then the platform's config directory."""
    from surveytui.system.paths import config_dir

    environ = os.environ if env is None else env
    chosen = override or environ.get(CONFIG_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else config_dir() / FILE_NAME


def _line_numbers(text: str) -> dict[str, int]:
    """Where each key is written, for messages: ``theme`` and ``keys.surveytui.x``."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            table = line.strip("[] ").strip()
            continue
        key, eq, _ = line.partition("=")
        if eq and key and not line.startswith("#"):
            name = key.strip().strip("\"'").replace('"', "").replace("'", "")
            name = ".".join(part.strip() for part in name.split("."))
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _flatten(prefix: str, value: object, out: dict[str, object]) -> None:
    """``[keys] surveytui.toggle_favourite = "s"`` is a nested table in TOML."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), inner, out)
    else:
        out[prefix] = value


def _read(path: Path) -> str | None:
    if not path.is_file():  # a directory, a FIFO or a device is not read
        return None
    with path.open("rb") as handle:
        data = handle.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise ValueError(f"larger than {_MAX_BYTES // 1024} KiB")
    return data.decode("utf-8")


def load_config(path: Path) -> tuple[Config, list[str]]:
    """The config and one line per problem; never raises for what the file says."""
    try:
        text = _read(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Config(path), [f"config {path}: cannot read it ({exc}); using the defaults"]
    if text is None:
        return Config(path), []
    import tomli

    try:
        raw: dict[str, Any] = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        return Config(path), [f"config {path}: not valid TOML ({exc}); using the defaults"]
    lines = _line_numbers(text)
    base = Config(path, lines=lines)
    problems: list[str] = []
    values: dict[str, Any] = {}

    def bad(key: str, why: str) -> None:
        problems.append(f"{base.where(key)}: {why}; using the default")

    for key, value in raw.items():
        if key == "keys":
            flat: dict[str, object] = {}
            _flatten("", value, flat)
            keys: dict[str, str] = {}
            for bid, keyspec in flat.items():
                if isinstance(keyspec, str) and keyspec.strip():
                    keys[bid] = keyspec.strip()
                else:
                    bad(f"keys.{bid}", 'expected keys as a string, e.g. "s" or "ctrl+s,s"')
            values["keys"] = keys
        elif key == "theme":
            if isinstance(value, str) and value.strip():
                values["theme"] = value.strip()
            else:
                bad(key, "expected a theme name")
        elif key == "sort":
            if value in SORTS:
                values["sort"] = value
            else:
                bad(key, f"unknown sort {value!r} (use {', '.join(SORTS)})")
        elif key == "sort_reverse":
            if isinstance(value, bool):
                values["sort_reverse"] = value
            else:
                bad(key, "expected true or false")
        elif key == "open_links":
            if isinstance(value, str) and value.strip():
                values["open_links"] = value.strip()
            else:
                bad(key, 'expected "browser", "show" or a command')
        else:
            bad(key, "unknown setting (known: theme, sort, sort_reverse, open_links, [keys])")
    return Config(path, lines=lines, **values), problems


def save_theme(path: Path, theme: str) -> None:
    """Remember the chosen theme in the config file, keeping everything else as written
    (comments included): the ``theme`` line is replaced, or added at the top."""
    from surveytui.system.atomic import write_text_atomic

    try:
        text = _read(path) or ""
    except (OSError, UnicodeDecodeError, ValueError):
        return  # a file we cannot read is not one to rewrite
    line = f"theme = {json.dumps(theme)}"
    found = _THEME_LINE.search(text)
    text = text[: found.start()] + line + text[found.end() :] if found else f"{line}\n{text}"
    write_text_atomic(path, text, private=False)
